"""Each distributed job as its local counterpart's caller sees it: records in, one result per device out."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from netops.backup.fetch import FetchOptions
from netops.backup.live import Running
from netops.backup.run import BackupOptions, Fetched
from netops.engine.config import EngineConfig
from netops.engine.coordinator import Batch, Coordinator, batches
from netops.engine.seal import RunKey
from netops.results import Status
from netops.snmp.cycle import Collector, PollOptions
from netops.snmp.sample import DeviceSample, PollTarget


def _run(config: EngineConfig, job: str, sites: dict[str, str], params: dict[str, Any],
         on_record: Callable[[dict[str, Any]], None], on_lost: Callable[[str, str], None]) -> None:
    def answered(_batch: Batch, records: list[dict[str, Any]]) -> None:
        for r in records:
            on_record(r)

    def lost(batch: Batch, reason: str) -> None:
        for name in batch.names:
            on_lost(name, reason)

    coordinator = Coordinator(config)
    try:
        coordinator.map(job, batches(sites, config.batch), params, answered, lost)
    finally:
        coordinator.close()


def backup(config: EngineConfig) -> Callable[[dict[str, str], BackupOptions, Callable[[Fetched], None]], None]:
    """The workers' half of a backup: fetched, guarded and cleaned configurations (secrets sealed to this run)."""
    def fetch(sites: dict[str, str], options: BackupOptions, on_fetched: Callable[[Fetched], None]) -> None:
        key = RunKey()
        params = {"fetch": dataclasses.asdict(options.fetch), "vault": list(options.vault_recipients),
                  "seal": key.recipient}
        _run(config, "backup", sites, params, lambda r: on_fetched(Fetched.from_dict(r, key.unseal)),
             lambda name, reason: on_fetched(Fetched(name, sites[name], "", datetime.now(timezone.utc), 0.0,
                                                     reason=f"engine: {reason}")))
    return fetch


def running(config: EngineConfig, sites: dict[str, str], options: FetchOptions,
            on_result: Callable[[Running], None]) -> None:
    """Running configurations fetched by the workers (``netops check --live``)."""
    def record(r: dict[str, Any]) -> None:
        started = datetime.fromisoformat(r["started"]) if r["started"] else None
        on_result(Running(r["host"], Status.OK if r["ok"] else Status.FAILED, r["reason"], r["site"] or sites.get(r["host"], ""),
                          started, r["elapsed"], r["text"]))

    _run(config, "fetch", sites, {"fetch": dataclasses.asdict(options)}, record,
         lambda name, reason: on_result(Running(name, Status.FAILED, f"engine: {reason}", sites[name])))


def collector(config: EngineConfig, options: PollOptions) -> Collector:
    """A poll collector whose SNMP work runs on the workers (client tables pseudonymised there, with this
    machine's key: a worker with another key refuses)."""
    params = {"concurrency": options.concurrency, "deadline": options.deadline,
              "pseudonyms": options.pseudonyms.fingerprint() if options.pseudonyms is not None else None}

    def collect(targets: list[PollTarget], on_done: Callable[[DeviceSample], None] | None) -> list[DeviceSample]:
        by_name = {t.host: t for t in targets}
        out: dict[str, DeviceSample] = {}

        def record(r: dict[str, Any]) -> None:
            sample = DeviceSample.from_fields(r)
            if sample.host not in by_name or sample.host in out:
                return
            target = by_name[sample.host]
            sample.platform, sample.site, sample.role = target.platform, target.site, target.role
            out[sample.host] = sample
            if on_done:
                on_done(sample)

        def lost(name: str, reason: str) -> None:
            t = by_name[name]
            record(dataclasses.asdict(DeviceSample(name, t.platform, t.site, t.role,
                                                   datetime.now(timezone.utc).timestamp(), error=f"engine: {reason}")))

        _run(config, "poll", {t.host: t.site for t in targets}, params, record, lost)
        return [out[t.host] for t in targets if t.host in out]
    return collect
