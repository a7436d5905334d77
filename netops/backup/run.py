"""One backup run: fetch every device concurrently, guard, clean, store, commit, record."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nornir.core import Nornir
from nornir.core.task import Result, Task

from netops.backup import records
from netops.backup.clean import clean
from netops.backup.fetch import FetchOptions, describe, fetch_config
from netops.backup.gitstore import GitStore, device_path
from netops.backup.guard import DEFAULT_MAX_SHRINK, rejection, shrink_rejection
from netops.drivers import all_drivers
from netops.inventory import hosts
from netops.results import DeviceResult, Status


@dataclass(frozen=True)
class BackupOptions:
    max_shrink: float = DEFAULT_MAX_SHRINK  # reject a fetch smaller than (1 - max_shrink) x the stored copy
    fetch: FetchOptions = field(default_factory=FetchOptions)


@dataclass
class RunReport:
    run_id: int
    commit: str | None
    results: list[DeviceResult]
    elapsed: float

    @property
    def failed(self) -> list[DeviceResult]:
        return [r for r in self.results if r.failed]

    def counts(self) -> dict[str, int]:
        out = {s.value: sum(r.status is s for r in self.results) for s in (Status.CHANGED, Status.UNCHANGED, Status.FAILED)}
        return {"devices": len(self.results), "ok": out["changed"] + out["unchanged"], **out}

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "commit": self.commit,
            "elapsed": round(self.elapsed, 2),
            "summary": self.counts(),
            "devices": [r.to_dict() for r in self.results],
        }


def backs_up(nr: Nornir) -> Nornir:
    """Only hosts netops logs into: a driver with a backup spec and an SSH client."""
    drivers = all_drivers()

    def ssh_managed(host: Any) -> bool:
        driver = drivers.get(host.platform or "")
        return driver is not None and driver.backup is not None and driver.netmiko_device_type is not None

    return nr.filter(filter_func=ssh_managed)


def backup_host(task: Task, store: GitStore, options: BackupOptions) -> Result:
    """Nornir task: back up one device; the outcome is a DeviceResult, never an exception."""
    started = time.monotonic()
    host = task.host
    driver = all_drivers()[host.platform]
    spec = driver.backup
    site = hosts.site(host)
    path = device_path(site, host.name)
    extra: dict[str, Any] = {"site": site, "platform": host.platform, "path": path, "time": records.now()}

    def done(status: Status, reason: str | None = None) -> Result:
        outcome = DeviceResult(host.name, status, reason, elapsed=time.monotonic() - started, extra=extra)
        return Result(host=host, result=outcome)

    try:
        raw = fetch_config(task, driver, options.fetch)
    except Exception as exc:  # noqa: BLE001 - every failure becomes the device's reason
        return done(Status.FAILED, describe(exc, options.fetch.timeout))
    reason = rejection(raw, spec)
    if reason:
        return done(Status.FAILED, reason)
    text = clean(raw, spec)
    extra["bytes"] = len(text.encode())
    previous = store.read(path)
    if previous == text:
        return done(Status.UNCHANGED)
    reason = shrink_rejection(text, previous, options.max_shrink)
    if reason:
        return done(Status.FAILED, reason)
    store.write(path, text)
    extra["new"] = previous is None
    return done(Status.CHANGED)


def _outcome(name: str, result: Result) -> DeviceResult:
    """The task's DeviceResult; a bug in netops itself also ends as a failed device."""
    if isinstance(result.result, DeviceResult):
        return result.result
    return DeviceResult(name, Status.FAILED, f"internal error: {result.exception!r}")


def commit_message(changed: list[DeviceResult]) -> str:
    names = ", ".join(r.host for r in changed[:10]) + (f" and {len(changed) - 10} more" if len(changed) > 10 else "")
    lines = [f"backup: {len(changed)} device(s) changed: {names}", ""]
    lines += [f"{'new' if r.extra.get('new') else 'changed'}: {r.host} ({r.extra['path']})" for r in changed]
    return "\n".join(lines) + "\n"


def run_backup(
    nr: Nornir,
    backup_dir: Path,
    data_dir: Path,
    options: BackupOptions,
    on_result: Callable[[DeviceResult], None] | None = None,
) -> RunReport:
    """Back up every SSH-managed host of ``nr``; one commit if anything changed."""
    started = time.monotonic()
    store = GitStore(backup_dir)
    store.ensure()
    conn = records.open_db(data_dir)
    try:
        run_id = records.start_run(conn)

        def task(t: Task) -> Result:
            result = backup_host(t, store, options)
            if on_result is not None:
                on_result(result.result)
            return result

        agg = backs_up(nr).run(task=task, name="backup", on_failed=True)
        results = sorted((_outcome(name, multi[0]) for name, multi in agg.items()), key=lambda r: r.host)
        changed = [r for r in results if r.status is Status.CHANGED]
        commit = store.commit([r.extra["path"] for r in changed], commit_message(changed)) if changed else None
        for r in results:
            if r.status is Status.CHANGED:
                r.extra["commit"] = commit
        records.finish_run(conn, run_id, results, commit)
    finally:
        conn.close()
    return RunReport(run_id, commit, results, time.monotonic() - started)
