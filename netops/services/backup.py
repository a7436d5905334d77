"""Configuration backups: run them, and read what they stored (status, history, versions, diffs)."""

from __future__ import annotations

import dataclasses
import difflib
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from netops.backup import records
from netops.backup.fetch import FetchOptions
from netops.backup.gitstore import GitStore, Version, device_path
from netops.backup.live import fetch_running
from netops.backup.offsite import DrConfig, PushResult, RemoteState
from netops.backup.run import BackupOptions, BackupRun, RemoteFetch, backs_up, run_backup
from netops.engine.config import EngineConfig, engine_config
from netops.errors import InputError, unknown
from netops.inventory import Filters, open_nornir
from netops.inventory.filters import WILDCARDS
from netops.inventory.loader import DEFAULT_WORKERS
from netops.locks import job_lock
from netops.results import DeviceResult, Status
from netops.services import alerts, dr, inventory
from netops.services.audit import outcome, recorded, scope
from netops.services.events import Advanced, Finished, Listener, Started, Step, ignore
from netops.settings import Settings
from netops.vault.config import recipients as vault_recipients


def run(settings: Settings, filters: Filters = Filters(), options: BackupOptions = BackupOptions(),
        workers: int | None = None, on_event: Listener = ignore, broker: str | None = None) -> BackupRun:
    """Back up every SSH-managed device ``filters`` select: one commit if anything changed, every result recorded;
    then push the store to the off-site remotes of the ``dr`` section (an :class:`OffsiteBackupRun`).

    With a broker (``broker``, else ``engine.broker``) the workers fetch and clean; this process keeps and commits.

    A host named explicitly (no wildcard) that netops does not log into is reported skipped.
    The secrets vault is on when netops.yaml lists ``vault.recipients`` (unless ``options`` name their own).
    """
    if not options.vault_recipients:
        options = dataclasses.replace(options, vault_recipients=vault_recipients(settings))
    nr = backs_up(open_nornir(settings, filters, workers=workers or DEFAULT_WORKERS))
    names = tuple(sorted(nr.inventory.hosts))
    skipped = sorted(h for h in filters.hosts if not WILDCARDS & set(h) and h not in names)
    if not names and not skipped:
        raise InputError("no SSH-managed device matches the filters", key="--site/--role/--host/--platform")
    dr_config = dr.config(settings)  # a bad dr section is bad input: refused before anything runs
    engine = engine_config(settings, broker)
    with job_lock(settings.data_dir, "backup", f"netops backup ({options.trigger})"), \
            recorded(settings, "backup", scope(filters)) as entry:
        on_event(Started("backup", names + tuple(skipped)))
        for host in skipped:
            on_event(Finished(DeviceResult(host, Status.SKIPPED, "netops does not log into this device")))
        if not names:
            entry.detail = {"devices": 0, "skipped": skipped}
            return BackupRun("backup", datetime.now(timezone.utc))
        done = run_backup(nr, settings.backup_dir, settings.data_dir, options, on_result=lambda r: on_event(Finished(r)),
                          remote=_remote_fetch(engine))
        copies = _push_offsite(settings, dr_config, done.run_id, on_event)
        alerts.after_run(settings, "backup")  # deliver backup failures and recoveries; never fails the backup
        counts = done.counts()
        entry.detail = {"run_id": done.run_id, "trigger": options.trigger, "devices": counts["devices"],
                        "changed": counts.get("changed", 0), "failed": counts.get("failed", 0), "commit": done.commit,
                        "offsite": {p.remote: p.status for p in copies}}
        entry.result = outcome(done)
        return OffsiteBackupRun(**{f.name: getattr(done, f.name) for f in dataclasses.fields(done) if f.init}, offsite=copies)


def _remote_fetch(engine: EngineConfig) -> RemoteFetch | None:
    """The workers' fetch with a broker; None: fetch here (the engine's client is imported only when used)."""
    if not engine.distributed:
        return None
    from netops.engine import remote

    return remote.backup(engine)


@dataclass
class OffsiteBackupRun(BackupRun):
    """A backup run and the pushes of the store to the off-site remotes (``dr.remotes``) that followed it."""

    offsite: list[PushResult] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return super().to_dict() | {"offsite": [p.to_dict() for p in self.offsite]}


def _push_offsite(settings: Settings, cfg: DrConfig, run_id: int | None, on_event: Listener) -> list[PushResult]:
    """Push the store to every remote after the commit (also when nothing changed: a remote may lag); a remote's
    problem is its result, never the backup's."""
    if not cfg.remotes:
        return []
    on_event(Step("off-site copies", len(cfg.remotes)))
    try:
        results = dr.push(settings, run_id, cfg)
    except Exception as exc:  # a bug or a broken database must not turn a good backup into a failed one
        now = datetime.now(timezone.utc)
        results = [PushResult(r.name, r.shown, "failed", f"internal error: {exc}", now, 0.0) for r in cfg.remotes]
    for _ in results:
        on_event(Advanced("off-site copies"))
    return results


@dataclass(frozen=True)
class BackupState:
    """A device's backup state: its last attempt, its last success, and whether that is too old."""

    host: str
    site: str
    platform: str
    last_attempt: datetime | None
    last_status: str | None  # None: never attempted
    last_reason: str | None
    last_success: datetime | None
    last_commit: str | None
    age: float | None  # seconds since the last success
    stale: bool  # no success within the age limit

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        for key in ("last_attempt", "last_success"):
            out[key] = out[key].isoformat(timespec="seconds") if out[key] else None
        out["age_seconds"] = None if self.age is None else round(self.age)
        del out["age"]
        return out


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def states(settings: Settings, max_age: float, filters: Filters | None = None, at: datetime | None = None) -> list[BackupState]:
    """The backup state of every SSH-managed device the filters select (and of recorded devices no longer in
    the inventory when no filter is given); devices never backed up are stale."""
    at = at or datetime.now(timezone.utc)
    with closing(records.open_db(settings.data_dir)) as conn:
        recorded = {d.host: d for d in records.device_status(conn)}
    selected = {name: info for name, info in inventory.hosts(settings, filters).items() if info.ssh_managed}
    names = sorted(set(selected) | (set() if filters and filters != Filters() else set(recorded)))
    out = []
    for name in names:
        d, info = recorded.get(name), selected.get(name)
        success = _when(d.last_success) if d else None
        age = (at - success).total_seconds() if success else None
        out.append(BackupState(
            host=name, site=info.site if info else (d.site if d else ""), platform=info.platform if info else (d.platform if d else ""),
            last_attempt=_when(d.last_attempt) if d else None, last_status=d.last_status if d else None,
            last_reason=d.last_reason if d else None, last_success=success, last_commit=d.last_commit if d else None,
            age=age, stale=age is None or age > max_age,
        ))
    return out


def remotes(settings: Settings, at: datetime | None = None) -> list[RemoteState]:
    """Each off-site remote of the ``dr`` section: commits and time behind the store, last push (``backup status``,
    the dashboard); nothing is contacted."""
    return dr.remote_states(settings, at)


def store(settings: Settings) -> GitStore:
    """The backup repository; an input error when there is none yet."""
    root = settings.backup_dir
    if not (root / ".git").is_dir():
        raise InputError(f"no backup repository at {root} (run `netops backup` first)", key="--backup-dir")
    return GitStore(root)


def _stored(settings: Settings, host: str) -> GitStore:
    """The repository, once ``host`` is known to have a backup in it; a typo gets the closest names."""
    repo = store(settings)
    stored = repo.hosts()
    if host not in stored:
        if host in inventory.hosts(settings):
            raise InputError(f"{host} has no backup in {repo.root} yet (netops backup --host {host})", key="HOST")
        raise unknown("host", host, stored, key="HOST")
    return repo


def history(settings: Settings, host: str) -> list[Version]:
    return _stored(settings, host).history(host)


def show(settings: Settings, host: str, rev: str = "HEAD") -> tuple[str, str]:
    """(full commit id, configuration) of ``host`` at ``rev``."""
    repo = _stored(settings, host)
    return repo.resolve(rev), repo.show(host, rev)


@dataclass(frozen=True)
class Match:
    host: str
    site: str
    line: int
    text: str
    path: str


def grep(settings: Settings, pattern: str, rev: str | None = None, filters: Filters | None = None) -> list[Match]:
    """Every stored configuration line matching ``pattern`` (POSIX extended regex), in the latest backups or at
    ``rev``; ``filters`` narrow the devices."""
    repo = store(settings)
    paths = None
    if filters is not None and filters != Filters():
        selected = inventory.hosts(settings, filters)
        if not selected:
            return []
        paths = [f"*/{name}.cfg" for name in selected]
    return [Match(Path(path).stem, Path(path).parent.name, number, text, path) for path, number, text in repo.grep(pattern, rev, paths)]


@dataclass(frozen=True)
class Drift:
    """A device's running configuration against its last backup."""

    diff: str | None  # unified diff, last backup -> running; "": as backed up; None: not compared (the device failed)


def drift(settings: Settings, filters: Filters = Filters(), options: FetchOptions = FetchOptions(),
          on_event: Listener = ignore) -> list[DeviceResult[Drift]]:
    """What changed on each device since its last backup: its running configuration (fetched, guarded and cleaned
    like a backup, never stored) against the stored one, as a unified diff. Nothing is planned or pushed."""
    repo = store(settings)
    nr = backs_up(open_nornir(settings, filters))
    on_event(Started("drift", tuple(sorted(nr.inventory.hosts))))
    out = []
    for running in fetch_running(nr, options):
        if running.status is not Status.OK or running.payload is None:
            result = DeviceResult(running.host, Status.FAILED, running.reason, running.site, running.started, running.elapsed,
                                  Drift(None))
        else:
            path = device_path(running.site, running.host)
            stored = repo.read(path)
            if stored is None:
                result = DeviceResult(running.host, Status.FAILED, "no backup to compare with (netops backup first)",
                                      running.site, running.started, running.elapsed, Drift(None))
            else:
                text = "".join(difflib.unified_diff(stored.splitlines(keepends=True), running.payload.splitlines(keepends=True),
                                                    fromfile=f"{path} (last backup)", tofile=f"{running.host} (running)"))
                status = Status.CHANGED if text else Status.UNCHANGED
                reason = f"{sum(1 for line in text.splitlines() if line[:1] in '+-' and line[:3] not in ('+++', '---'))} line(s) differ" if text else None
                result = DeviceResult(running.host, status, reason, running.site, running.started, running.elapsed, Drift(text))
        on_event(Finished(result))
        out.append(result)
    return out


def diff(settings: Settings, host: str, old: str | None = None, new: str | None = None) -> tuple[str, str, str]:
    """(from commit, to commit, unified diff) of ``host``; by default its last two versions."""
    repo = _stored(settings, host)
    versions = repo.history(host)
    if old is None and len(versions) < 2:
        raise InputError(f"{host} has a single stored version; nothing to compare", key="REV1")
    a, b = repo.resolve(old or versions[1].commit), repo.resolve(new or versions[0].commit)
    return a, b, repo.diff(host, a, b)

