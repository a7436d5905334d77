"""``netops check``: one pipeline from configurations and probe observations to the stored run.

Policy findings (from the backups, a directory of configurations, or live
fetches) and the probes' current findings are gathered, the policy's waivers
are applied once (:func:`netops.policy.waivers.apply`), and the run is stored
exactly as it is returned: what ``netops check`` prints, ``netops policy
report`` re-renders and the dashboard shows are the same findings.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from contextlib import closing, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netops.backup.fetch import FetchOptions
from netops.backup.live import Running, fetch_running
from netops.backup.run import backs_up
from netops.engine.config import EngineConfig, engine_config
from netops.errors import InputError
from netops.gcpause import paused_gc
from netops.inventory import open_nornir
from netops.inventory.hosts import HostInfo
from netops.inventory.hosts import site as host_site
from netops.locks import job_lock
from netops.policy import waivers
from netops.policy.configs import find_configs, missing_configs, parse_texts, read_files
from netops.policy.engine import check
from netops.policy.findings import CheckResult, Finding, Notice, report_order
from netops.policy.lint import lint
from netops.policy.loader import load_policy
from netops.policy.policy import Policy
from netops.policy.store import current_probe_findings, latest_run_id, load_run, open_db, save_run
from netops.probe.rules import RULES as PROBE_RULES
from netops.results import DeviceResult, Status
from netops.services import alerts, inventory
from netops.services.audit import recorded
from netops.services.campus import campus_inputs
from netops.services.events import Finished, Listener, Started, ignore, steps
from netops.services.facts import software_inputs
from netops.settings import Settings

EXTERNAL_RULES = {rule: spec.waiver_object for rule, spec in PROBE_RULES.items()}  # rules waivers may name besides the policy's


def policy(settings: Settings) -> Policy:
    """The policy files of ``settings``, checked together; waivers may name the probes' rules."""
    return load_policy(settings.policy, EXTERNAL_RULES)


def lint_policy(paths: Sequence[Path]) -> tuple[list[Any], list[InputError]]:
    """The documents of policy files checked together, and every error (file, line, key) in them."""
    return lint(paths, EXTERNAL_RULES)


@dataclass(frozen=True)
class CheckOptions:
    configs: Path | None = None  # a directory of <host>.cfg files; None: the backup repository
    live: bool = False  # fetch the running configurations over SSH instead (nothing is stored)
    probes: bool = True  # include the probes' current findings
    today: dt.date | None = None  # waiver expiry reference (default: today)
    fetch: FetchOptions = field(default_factory=FetchOptions)


@dataclass
class CheckRun:
    """One stored check run: its metadata and everything it found."""

    meta: dict[str, Any]
    result: CheckResult


def _ago(finished: str, now: dt.datetime) -> str:
    minutes = max(0, int((now - dt.datetime.fromisoformat(finished)).total_seconds() // 60))
    return f"{minutes // 1440} d" if minutes >= 1440 else f"{minutes // 60} h" if minutes >= 60 else f"{minutes} min"


def run(settings: Settings, options: CheckOptions = CheckOptions(), on_event: Listener = ignore,
        broker: str | None = None) -> CheckRun:
    """Check the configurations against the policy, with the probes' evidence; store and return the run.
    With a broker (``broker``, else ``engine.broker``) the workers fetch the live configurations (``--live``); stored
    configurations are read and checked here, where the store is.

    One check runs at a time (the ``check`` lock of :mod:`netops.locks`): an overlapping run raises
    :class:`netops.errors.LockedError` naming the running one's pid and start."""
    with job_lock(settings.data_dir, "check"), recorded(settings, "check", "all") as entry, \
            (nullcontext() if options.live else paused_gc()):  # live: SSH sessions are garbage best collected as it goes
        done = _run(settings, options, on_event, engine_config(settings, broker))
        active = [f for f in done.result.findings if not f.waived]
        entry.detail = {"run_id": done.meta["id"], "configs": "live" if options.live else done.meta["configs"],
                        "hosts": done.result.hosts, "findings": len(active),
                        "waived": len(done.result.findings) - len(active), "policy": done.meta["policy"]}
        return done


def _fetch_live(settings: Settings, options: CheckOptions, engine: EngineConfig, on_event: Listener) -> list[Running]:
    nr = backs_up(open_nornir(settings))
    on_event(Started("fetch", tuple(sorted(nr.inventory.hosts))))
    if not engine.distributed:
        return fetch_running(nr, options.fetch, lambda r: on_event(Finished(r)))
    out: list[Running] = []

    def arrived(r: Running) -> None:
        out.append(r)
        on_event(Finished(r))

    from netops.engine import remote  # the engine's client, imported only when used

    remote.running(engine, {name: host_site(h) for name, h in nr.inventory.hosts.items()}, options.fetch, arrived)
    return sorted(out, key=lambda r: r.host)


def _run(settings: Settings, options: CheckOptions, on_event: Listener, engine: EngineConfig) -> CheckRun:
    started = dt.datetime.now(dt.timezone.utc)
    today = options.today or dt.date.today()
    loaded = policy(settings)
    hosts = inventory.hosts(settings)
    notices: list[Notice] = []
    directory: Path | None = None  # live: no stored neighbour tables
    if options.live:
        fetched = _fetch_live(settings, options, engine, on_event)
        texts = [(r.host, f"live:{r.host}", r.payload) for r in fetched if r.status is Status.OK and r.payload is not None]
        notices += [Notice("fetch-failed", f"{r.host}: not checked, fetch failed: {r.reason}", host=r.host)
                    for r in fetched if r.status is not Status.OK]
        origin = "live"
    else:
        directory = options.configs or settings.backup_dir
        texts = list(read_files(find_configs(directory)))
        origin = str(directory)
    on_event(Started("check", tuple(sorted(name for name, h in hosts.items() if h.ssh_managed))))
    advance = steps(on_event)("parsing configurations", len(texts))
    parsed, parse_notices = parse_texts(hosts, texts, advance)
    inputs, input_notices = campus_inputs(settings, hosts, parsed, directory)
    software = software_inputs(settings, today) if any(r.kind == "software" for r in loaded.rules) else None
    evaluated = check(loaded, hosts, parsed, inputs, software)
    notices += input_notices
    notices += parse_notices
    notices += missing_configs(hosts, parsed, {n.host for n in notices if n.host})
    notices += evaluated.notices
    raw: list[Finding] = list(evaluated.findings)
    with closing(open_db(settings.data_dir)) as conn:
        if options.probes:
            since = started - dt.timedelta(seconds=settings.probe_max_age)
            for evidence in current_probe_findings(conn, since):
                raw += evidence.findings
                run_ = evidence.run
                notices.append(Notice("probe-findings", f"{len(evidence.findings)} finding(s) of probe '{run_['source']}' "
                                      f"(run {run_['id']}, {_ago(run_['finished'], started)} ago, {run_['configs']}; "
                                      f"scope {', '.join(s or 'all' for s in evidence.scopes)}) included"))
        findings, used = waivers.apply(loaded.waivers, raw, today)
        checked = set(parsed) | {f.host for f in raw if f.source != "policy" or f.kind == "software"}
        notices += waivers.notices(loaded.waivers, used, today, checked)
        findings.sort(key=report_order)
        result = CheckResult(findings=findings, notices=notices, rules=evaluated.rules, hosts=len(parsed))
        run_id = save_run(conn, result, started=started, policy=loaded.label, configs=origin)
    meta = {"id": run_id, "source": "policy", "started": started.isoformat(), "policy": loaded.label, "configs": origin}
    _report_hosts(hosts, parsed, findings, on_event)
    alerts.after_run(settings, "check")  # deliver new and resolved findings; never fails the check
    return CheckRun(meta, result)


def _report_hosts(hosts: dict[str, HostInfo], parsed: dict[str, Any], findings: list[Finding], on_event: Listener) -> None:
    """One result per host netops checks: its active findings, or why it was not checked."""
    active = Counter(f.host for f in findings if not f.waived)
    for name, host in sorted(hosts.items()):
        if name in parsed:
            n = active[name]
            on_event(Finished(DeviceResult(name, Status.OK, f"{n} active finding(s)" if n else None, host.site)))
        elif host.ssh_managed:
            on_event(Finished(DeviceResult(name, Status.SKIPPED, "no configuration to check (back it up first)", host.site)))


def latest(settings: Settings, run_id: int | None = None) -> CheckRun | None:
    """A stored check run (default: the latest); None when there is none."""
    with closing(open_db(settings.data_dir)) as conn:
        wanted = run_id if run_id is not None else latest_run_id(conn)
        if wanted is None:
            return None
        try:
            meta, result = load_run(conn, wanted)
        except KeyError:
            return None
    return CheckRun(meta, result)
