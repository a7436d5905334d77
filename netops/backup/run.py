"""One backup run: fetch every device concurrently, guard, clean, store, commit, record.

With the secrets vault on (``BackupOptions.vault_recipients``), cleaning also returns what redaction
removed and :func:`netops.vault.keep` stores it, encrypted, under ``.vault/`` of the same repository:
a device whose configuration is unchanged but whose secrets changed is reported changed ("secrets
changed") and its vault entry goes into the run's commit. A device that fails never touches its entry.

On the configuration's session the run also reads the device's CDP/LLDP neighbour table (the driver's
``neighbors`` spec) and stores it as ``<site>/<host>.neighbors`` (:mod:`netops.backup.neighbors`) in the
same commit. The table never fails a device: a platform error, a timeout or no spec leaves the stored
table as it was; a device whose only change is its table is changed ("neighbours changed").
"""

from __future__ import annotations

import base64
import dataclasses
import json
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from queue import Empty
from typing import Any

from nornir.core import Nornir
from nornir.core.task import AggregatedResult, Result, Task
from nornir.plugins.runners import ThreadedRunner

from netops.backup import records
from netops.backup.clean import Secret, clean, clean_keeping_secrets
from netops.backup.fetch import FetchOptions, describe, fetch_config_and_neighbors
from netops.backup.gitstore import GitStore, device_path
from netops.backup.guard import DEFAULT_MAX_SHRINK, rejection, shrink_rejection
from netops.backup.neighbors import clean_table, neighbors_path
from netops.drivers import all_drivers
from netops.inventory import hosts
from netops.results import DeviceResult, RunResult, Status
from netops.vault import store as vault


@dataclass(frozen=True)
class BackupOptions:
    max_shrink: float = DEFAULT_MAX_SHRINK  # reject a fetch smaller than (1 - max_shrink) x the stored copy
    fetch: FetchOptions = field(default_factory=FetchOptions)
    processes: int = 1  # worker processes; the runner's threads are split among them
    trigger: str = "netops"  # who or what started the run (in the commit message)
    vault_recipients: tuple[str, ...] = ()  # age recipients of the secrets vault (vault.recipients); empty: the vault is off


@dataclass(frozen=True)
class BackupPayload:
    """What a backup knows of one device besides its status."""

    platform: str
    path: str  # the device's file in the repository
    bytes: int | None = None  # size of the cleaned configuration
    new: bool = False  # first version of the device
    commit: str | None = None  # the run's commit, when the device changed
    vault: str | None = None  # its vault entry: added, changed, rekeyed, unchanged; None: the vault is off (or the device failed)
    neighbors: bool = False  # its neighbour table (<site>/<host>.neighbors) was written by this run


@dataclass
class BackupRun(RunResult[BackupPayload]):
    commit: str | None = None  # None: nothing changed

    def to_dict(self) -> dict[str, Any]:
        return super().to_dict() | {"commit": self.commit}


Outcome = DeviceResult[BackupPayload]
NEIGHBORS_CHANGED = "neighbours changed"  # the reason of a device whose only change is its neighbour table


def backs_up(nr: Nornir) -> Nornir:
    """Only hosts netops logs into: a driver with a backup spec and an SSH client."""
    drivers = all_drivers()

    def ssh_managed(host: Any) -> bool:
        driver = drivers.get(host.platform or "")
        return driver is not None and driver.backup is not None and driver.netmiko_device_type is not None

    return nr.filter(filter_func=ssh_managed)


def per_host(aggregated: AggregatedResult) -> list[DeviceResult[Any]]:
    """The :class:`DeviceResult` each host's task returned, in name order; a task that raised instead is a failure."""
    out: list[DeviceResult[Any]] = []
    for name, multi in sorted(aggregated.items()):
        result = multi[0].result
        out.append(result if isinstance(result, DeviceResult) else
                   DeviceResult(name, Status.FAILED, f"internal error: {multi[0].exception!r}"))
    return out


@dataclass(frozen=True)
class Fetched:
    """One device's configuration as fetched, guarded and cleaned (where it was fetched: a thread, a process, a
    worker); :func:`keep` stores it. ``text`` None: the device failed, ``reason`` says why."""

    host: str
    site: str
    platform: str
    started: datetime
    elapsed: float
    text: str | None = None  # the cleaned configuration
    reason: str | None = None
    secrets: list[Secret] | None = None  # what redaction removed (the vault is on), never printed
    table: str | None = None  # the cleaned neighbour table; None: not read (no spec, a timeout, a platform error)

    def to_dict(self, seal: Callable[[bytes], bytes] | None = None) -> dict[str, Any]:
        """JSON form for a worker's answer; the secrets go only sealed (``seal``: encrypt to the coordinator)."""
        out: dict[str, Any] = {"host": self.host, "site": self.site, "platform": self.platform,
                               "started": self.started.isoformat(), "elapsed": self.elapsed, "text": self.text,
                               "reason": self.reason, "table": self.table, "secrets": None}
        if self.secrets is not None:
            assert seal is not None, "secrets never leave a process unsealed"
            plain = json.dumps([s.to_dict() for s in self.secrets]).encode()
            out["secrets"] = base64.b64encode(seal(plain)).decode()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], unseal: Callable[[bytes], bytes] | None = None) -> Fetched:
        secrets = None
        if data.get("secrets") is not None:
            assert unseal is not None
            secrets = [Secret.from_dict(s) for s in json.loads(unseal(base64.b64decode(data["secrets"])))]
        return cls(data["host"], data["site"], data["platform"], datetime.fromisoformat(data["started"]),
                   float(data["elapsed"]), data.get("text"), data.get("reason"), secrets, data.get("table"))


def fetch_clean(task: Task, options: BackupOptions) -> Fetched:
    """Fetch one device's configuration and neighbour table, guard and clean them; a failure is carried, never raised."""
    started, begun = time.monotonic(), datetime.now(timezone.utc)
    host = task.host
    platform = host.platform or ""
    driver = all_drivers()[platform]
    spec = driver.backup
    assert spec is not None  # backs_up() selects hosts whose driver has a backup spec

    def done(**kwargs: Any) -> Fetched:
        return Fetched(host.name, hosts.site(host), platform, begun, time.monotonic() - started, **kwargs)

    try:
        raw, tables = fetch_config_and_neighbors(task, driver, options.fetch)
    except Exception as exc:
        return done(reason=describe(exc, options.fetch.timeout))
    reason = rejection(raw, spec)
    if reason:
        return done(reason=reason)
    secrets: list[Secret] | None = None
    if options.vault_recipients:
        text, secrets = clean_keeping_secrets(raw, spec)
    else:
        text = clean(raw, spec)
    table = None
    if driver.neighbors is not None and tables is not None:
        table = clean_table(tables, driver.neighbors.volatile, spec.error_patterns)
    return done(text=text, secrets=secrets, table=table)


def keep(store: GitStore, fetched: Fetched, options: BackupOptions) -> Outcome:
    """Store what :func:`fetch_clean` returned: the shrink guard, the vault entry, the neighbour table, the
    configuration. Runs where the store is (the coordinator of a distributed run)."""
    payload = BackupPayload(platform=fetched.platform, path=device_path(fetched.site, fetched.host))

    def done(status: Status, reason: str | None = None) -> Outcome:
        return Outcome(fetched.host, status, reason, fetched.site, fetched.started, fetched.elapsed, payload)

    text = fetched.text
    if text is None:
        return done(Status.FAILED, fetched.reason)
    payload = dataclasses.replace(payload, bytes=len(text.encode()))
    previous = store.read(payload.path)
    if previous != text:
        reason = shrink_rejection(text, previous, options.max_shrink)
        if reason:
            return done(Status.FAILED, reason)
    if fetched.secrets is not None:
        try:
            state = vault.keep(store, fetched.site, fetched.host, fetched.secrets, options.vault_recipients)
        except Exception as exc:  # a device whose secrets could not be kept fails; its configuration is not stored either
            return done(Status.FAILED, f"vault: {exc}")
        payload = dataclasses.replace(payload, vault=state)
    payload = dataclasses.replace(payload, neighbors=_keep_neighbors(store, payload.path, fetched.table))
    if previous == text:  # a changed device carries a reason only when its configuration is unchanged
        if payload.vault in vault.REASONS:
            return done(Status.CHANGED, vault.REASONS[payload.vault])
        if payload.neighbors:
            return done(Status.CHANGED, NEIGHBORS_CHANGED)
        return done(Status.UNCHANGED)
    store.write(payload.path, text)
    payload = dataclasses.replace(payload, new=previous is None)
    return done(Status.CHANGED)


def backup_host(task: Task, store: GitStore, options: BackupOptions) -> Result:
    """Nornir task: back up one device; the outcome is a DeviceResult, never an exception."""
    return Result(host=task.host, result=keep(store, fetch_clean(task, options), options))


def _keep_neighbors(store: GitStore, config_path: str, table: str | None) -> bool:
    """Store the device's cleaned neighbour table when it differs from the stored one; whether it was written."""
    path = neighbors_path(config_path)
    if table is None or store.read(path) == table:
        return False
    store.write(path, table)
    return True


def _outcome(name: str, result: Result) -> Outcome:
    """The task's DeviceResult; a bug in netops itself also ends as a failed device."""
    if isinstance(result.result, DeviceResult):
        return result.result
    return Outcome(name, Status.FAILED, f"internal error: {result.exception!r}")


def _vault_written(r: Outcome) -> bool:
    return r.payload is not None and r.payload.vault in vault.REASONS


def _config_written(r: Outcome) -> bool:
    """A changed device's configuration file was written (else only its vault entry or neighbour table, and it says why)."""
    return r.reason is None


def _neighbors_written(r: Outcome) -> bool:
    return r.payload is not None and r.payload.neighbors


def _paths(r: Outcome) -> list[str]:
    """The repository files a changed device wrote: its configuration, its vault entry, its neighbour table."""
    assert r.payload is not None
    return ([r.payload.path] if _config_written(r) else []) + (list(vault.paths(r.site, r.host)) if _vault_written(r) else []) \
        + ([neighbors_path(r.payload.path)] if _neighbors_written(r) else [])


def _message_line(r: Outcome) -> str:
    path = r.payload.path if r.payload else "?"
    neighbours = ", neighbours" if _neighbors_written(r) else ""
    if not _config_written(r) and _vault_written(r):
        return f"vault: {r.host} ({r.reason}{neighbours})"
    if not _config_written(r):
        return f"neighbours: {r.host} ({neighbors_path(path)})"
    kind = "new" if r.payload and r.payload.new else "changed"
    return f"{kind}: {r.host} ({path}{', vault' if _vault_written(r) else ''}{neighbours})"


def commit_message(changed: list[Outcome], trigger: str) -> str:
    names = ", ".join(r.host for r in changed[:10]) + (f" and {len(changed) - 10} more" if len(changed) > 10 else "")
    lines = [f"backup: {len(changed)} device(s) changed: {names}", ""]
    lines += [_message_line(r) for r in changed]
    return "\n".join(lines) + f"\n\nTriggered-by: {trigger}\n"


def _run_threads(nr: Nornir, store: GitStore, options: BackupOptions, report: Callable[[Outcome], None]) -> list[Outcome]:
    """Back up ``nr``'s hosts with its threaded runner, reporting each result as it completes."""

    def task(t: Task) -> Result:
        result = backup_host(t, store, options)
        report(result.result)
        return result

    agg = nr.run(task=task, name="backup", on_failed=True)
    return [_outcome(name, multi[0]) for name, multi in agg.items()]


def _shard(nr: Nornir, names: list[str], workers: int, store: GitStore, options: BackupOptions, queue: Any) -> None:
    """Child process: back up ``names`` with ``workers`` threads, streaming results to ``queue``."""
    mine = set(names)
    sub = nr.filter(filter_func=lambda h: h.name in mine).with_runner(ThreadedRunner(num_workers=workers))
    _run_threads(sub, store, options, queue.put)


def _run_processes(
    nr: Nornir, store: GitStore, options: BackupOptions, report: Callable[[Outcome], None]
) -> list[Outcome]:
    """Spread the hosts over ``options.processes`` forked processes (threads inside each).

    One Python process is bound to one core by the GIL; SSH sessions are CPU-heavy
    in bulk, so large runs gain from a process per core. Files are written by the
    children; the parent commits and records.
    """
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    names = sorted(nr.inventory.hosts)
    workers = max(1, getattr(nr.runner, "num_workers", 20) // options.processes)
    shards = [names[i :: options.processes] for i in range(options.processes)]
    procs = [ctx.Process(target=_shard, args=(nr, shard, workers, store, options, queue), daemon=True) for shard in shards if shard]
    for proc in procs:
        proc.start()
    results: dict[str, Outcome] = {}
    while len(results) < len(names):
        try:
            result = queue.get(timeout=1)
        except Empty:
            if not any(proc.is_alive() for proc in procs):
                break
            continue
        results[result.host] = result
        report(result)
    for proc in procs:
        proc.join()
    for name in names:
        if name not in results:
            results[name] = Outcome(name, Status.FAILED, "internal error: backup worker process died")
    return list(results.values())


RemoteFetch = Callable[[dict[str, str], BackupOptions, Callable[[Fetched], None]], None]
"""Fetches and cleans elsewhere (the distributed engine's workers): host -> site in, one :class:`Fetched` per host out."""


def _run_remote(nr: Nornir, store: GitStore, options: BackupOptions, report: Callable[[Outcome], None],
                remote: RemoteFetch) -> list[Outcome]:
    """Fetch on the workers, keep here as each answer arrives: one outcome per host, whatever the workers send."""
    inventory = nr.inventory.hosts
    outcomes: dict[str, Outcome] = {}

    def arrived(fetched: Fetched) -> None:
        host = inventory.get(fetched.host)
        if host is None or fetched.host in outcomes:  # a device is kept once, whatever a worker answers twice
            return
        fetched = dataclasses.replace(fetched, site=hosts.site(host), platform=host.platform or "")
        outcomes[fetched.host] = keep(store, fetched, options)
        report(outcomes[fetched.host])

    remote({name: hosts.site(host) for name, host in inventory.items()}, options, arrived)
    now = datetime.now(timezone.utc)
    for name in inventory:
        if name not in outcomes:
            arrived(Fetched(name, "", "", now, 0.0, reason="engine: no answer for this device"))
    return list(outcomes.values())


def run_backup(
    nr: Nornir,
    backup_dir: Path,
    data_dir: Path,
    options: BackupOptions,
    on_result: Callable[[Outcome], None] | None = None,
    remote: RemoteFetch | None = None,
) -> BackupRun:
    """Back up every SSH-managed host of ``nr`` (fetched by ``remote`` when given); one commit if anything changed."""
    started, begun = time.monotonic(), datetime.now(timezone.utc)
    store = GitStore(backup_dir)
    store.ensure()
    conn = records.open_db(data_dir)
    targets = backs_up(nr)
    report = on_result or (lambda _r: None)
    try:
        run_id = records.start_run(conn)
        if remote is not None:
            outcomes = _run_remote(targets, store, options, report, remote)
        elif options.processes > 1 and len(targets.inventory.hosts) > options.processes:
            outcomes = _run_processes(targets, store, options, report)
        else:
            outcomes = _run_threads(targets, store, options, report)
        results = sorted(outcomes, key=lambda r: r.host)
        changed = [r for r in results if r.status is Status.CHANGED and r.payload is not None]
        paths = [path for r in changed for path in _paths(r)]
        commit = store.commit(paths, commit_message(changed, options.trigger)) if changed else None
        if commit is not None:
            results = [dataclasses.replace(r, payload=dataclasses.replace(r.payload, commit=commit))
                       if r.status is Status.CHANGED and r.payload is not None else r for r in results]
        records.finish_run(conn, run_id, results, commit)
    finally:
        conn.close()
    return BackupRun("backup", begun, results, time.monotonic() - started, run_id, commit)
