"""What a worker does with a batch of host names: the device I/O and CPU work of one job, answered as JSON.

Each job reads the worker's own netops.yaml, inventory and credentials (names travel, credentials never do) and
answers one record per name it was given; a name the worker's inventory lacks is a failed record, not an error.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from nornir.core import Nornir
from nornir.core.task import Result

from netops.backup.fetch import FetchOptions
from netops.backup.live import fetch_running
from netops.backup.run import BackupOptions, Fetched, backs_up, fetch_clean
from netops.engine.seal import sealer
from netops.errors import EngineError
from netops.inventory import open_nornir
from netops.privacy.pseudonym import Pseudonymiser
from netops.settings import Settings
from netops.snmp import targets
from netops.snmp.backends import backend_factory
from netops.snmp.collect import poll_sync
from netops.snmp.sample import DeviceSample, PollTarget

Job = Callable[[Settings, list[str], dict[str, Any]], list[dict[str, Any]]]


def _absent() -> str:
    return f"not in the inventory of worker {socket.gethostname()}"


@lru_cache(maxsize=4)
def _nornir(settings: Settings) -> Nornir:
    """The worker's inventory, loaded once per worker process (credentials from its environment)."""
    return backs_up(open_nornir(settings))


def _subset(settings: Settings, names: list[str]) -> Nornir:
    wanted = set(names)
    nr = _nornir(settings).filter(filter_func=lambda h: h.name in wanted)
    return nr.with_runner(nr.runner.__class__(num_workers=max(1, len(wanted))))


def backup(settings: Settings, names: list[str], params: dict[str, Any]) -> list[dict[str, Any]]:
    """Fetch, guard and clean each device's configuration and neighbour table; secrets go sealed to the run."""
    options = BackupOptions(fetch=FetchOptions(**params["fetch"]), vault_recipients=tuple(params.get("vault") or ()))
    seal = sealer(params["seal"]) if options.vault_recipients else None
    nr = _subset(settings, names)
    agg = nr.run(task=lambda t: Result(host=t.host, result=fetch_clean(t, options)), name="backup", on_failed=True)
    out = []
    now = datetime.now(timezone.utc)
    for name in names:
        multi = agg.get(name)
        if multi is None:
            fetched = Fetched(name, "", "", now, 0.0, reason=_absent())
        elif isinstance(multi[0].result, Fetched):
            fetched = multi[0].result
        else:
            fetched = Fetched(name, "", "", now, 0.0, reason=f"internal error: {multi[0].exception!r}")
        out.append(fetched.to_dict(seal))
    return out


def fetch(settings: Settings, names: list[str], params: dict[str, Any]) -> list[dict[str, Any]]:
    """Each device's running configuration, fetched, guarded and cleaned (``netops check --live``)."""
    results = {r.host: r for r in fetch_running(_subset(settings, names), FetchOptions(**params["fetch"]))}
    out = []
    for name in names:
        r = results.get(name)
        out.append({"host": name, "ok": False, "reason": _absent(), "site": "", "started": None, "elapsed": 0.0,
                    "text": None} if r is None else
                   {"host": name, "ok": r.ok, "reason": r.reason, "site": r.site,
                    "started": r.started.isoformat() if r.started else None, "elapsed": r.elapsed, "text": r.payload})
    return out


@lru_cache(maxsize=4)
def _poll_targets(settings: Settings) -> dict[str, PollTarget]:
    return {t.host: t for t in targets.select(settings).targets}


def _pseudonyms(settings: Settings, fingerprint: str | None) -> Pseudonymiser | None:
    """The worker's client key, when the coordinator pseudonymises client tables: it must be the same key."""
    if fingerprint is None:
        return None
    mine = Pseudonymiser.for_data_dir(settings.data_dir)
    if not mine.exists:
        raise EngineError(f"worker {socket.gethostname()} has no client pseudonymisation key at {mine.path}: copy the "
                          "coordinator's (the same key makes the same pseudonyms)")
    if mine.fingerprint() != fingerprint:
        raise EngineError(f"worker {socket.gethostname()}'s client key {mine.path} is not the coordinator's "
                          f"(fingerprint {mine.fingerprint()}, expected {fingerprint})")
    return mine


def poll(settings: Settings, names: list[str], params: dict[str, Any]) -> list[dict[str, Any]]:
    """One SNMP poll of each device; client tables only as pseudonymised sightings."""
    pseudonyms = _pseudonyms(settings, params.get("pseudonyms"))
    known = _poll_targets(settings)
    chosen = [known[n] for n in names if n in known]
    samples = {s.host: s for s in poll_sync(chosen, backend_factory(settings.snmp_backend), concurrency=params["concurrency"],
                                            deadline=params["deadline"], pseudonyms=pseudonyms)}
    now = datetime.now(timezone.utc).timestamp()
    return [asdict(samples.get(n) or DeviceSample(n, "", "", "", now, error=_absent())) for n in names]


JOBS: dict[str, Job] = {"backup": backup, "fetch": fetch, "poll": poll}


def run(settings: Settings, job: str, names: list[str], params: dict[str, Any]) -> list[dict[str, Any]]:
    if job not in JOBS:
        raise EngineError(f"unknown job {job!r} (this worker knows {', '.join(sorted(JOBS))}): a newer coordinator?")
    return JOBS[job](settings, names, params)

