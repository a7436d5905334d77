"""Disaster recovery: off-site copies of the backup store, a consistent copy of the database, and the store of a new
operations server rebuilt from an off-site copy.

Public functions (the CLI's ``netops dr`` / ``netops db`` and the backup service call these):

- :func:`config`: the ``dr`` section of ``netops.yaml`` (:class:`netops.backup.offsite.DrConfig`);
- :func:`push`: push the store to every remote now, each attempt recorded;
- :func:`remote_states`: each remote's lag (commits and time behind) and last push, nothing contacted;
- :func:`resolve_remote`: a remote named in the ``dr`` section, or a URL / path;
- :func:`restore_server`: clone a remote into an empty backup directory and verify it;
- :func:`backup_database`: SQLite's online backup of ``netops.db`` into a file, atomically, mode 0600.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from netops.backup import offsite
from netops.backup.offsite import DrConfig, PushResult, Remote, RemoteState
from netops.errors import InputError, NetopsError, unknown
from netops.locks import job_lock
from netops.settings import Settings
from netops.stores.db import db_path

VAULT_DIR = ".vault"  # the secrets vault lives in the same repository (and so travels with every push and clone)
DEVICE_FILE = re.compile(r"^[^/.][^/]*/[^/]+\.cfg$")  # <site>/<host>.cfg
CLONE_TIMEOUT = 600.0  # seconds: a whole store over a campus WAN link


def config(settings: Settings) -> DrConfig:
    """The ``dr`` section; an InputError with file, line and key when it is wrong."""
    return DrConfig.from_section(settings.section("dr"))


def push(settings: Settings, run_id: int | None = None, cfg: DrConfig | None = None) -> list[PushResult]:
    """Push the backup store to every remote of the ``dr`` section (never forcing), record each attempt."""
    cfg = cfg or config(settings)
    return offsite.push_all(settings.backup_dir, cfg, settings.data_dir, run_id)


def remote_states(settings: Settings, at: datetime | None = None, cfg: DrConfig | None = None) -> list[RemoteState]:
    """How far each remote is behind the store (from the remote-tracking refs the pushes keep) and its last push."""
    return offsite.states(settings.backup_dir, cfg or config(settings), settings.data_dir, at)


def resolve_remote(settings: Settings, source: str, cfg: DrConfig | None = None) -> Remote:
    """``source`` as a remote: a name of ``dr.remotes``, else a URL or an existing path (then named ``origin``, or the
    name of the configured remote with that URL)."""
    cfg = cfg or config(settings)
    named = cfg.remote(source)
    if named is not None:
        return named
    same = next((r for r in cfg.remotes if r.url == source), None)
    if same is not None:
        return same
    if offsite.is_url(source):
        return Remote("origin", source)
    path = Path(source).expanduser()
    if path.exists():
        return Remote("origin", str(path.absolute()))
    raise unknown("remote", source, [r.name for r in cfg.remotes], key="--from")


# ---------------------------------------------------------------- a new operations server


@dataclass
class RestoredServer:
    """What ``restore-server`` put in place and what its verification found."""

    remote: Remote
    backup_dir: Path
    branch: str = ""
    head: str | None = None
    remote_head: str | None = None
    commits: int = 0
    devices: int = 0
    sites: dict[str, int] = field(default_factory=dict)  # site -> devices
    newest_backup: datetime | None = None
    oldest_backup: datetime | None = None
    vault: bool = False
    vault_files: int = 0
    fsck: str = ""  # "ok" or git's complaint
    problems: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def verified(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"remote": self.remote.to_dict(), "backup_dir": str(self.backup_dir), "branch": self.branch, "head": self.head,
                "remote_head": self.remote_head, "commits": self.commits, "devices": self.devices, "sites": self.sites,
                "newest_backup": self.newest_backup.isoformat(timespec="seconds") if self.newest_backup else None,
                "oldest_backup": self.oldest_backup.isoformat(timespec="seconds") if self.oldest_backup else None,
                "vault": self.vault, "vault_files": self.vault_files, "fsck": self.fsck, "verified": self.verified,
                "problems": self.problems, "elapsed": round(self.elapsed, 2)}


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, umask=0o077,
                          env=os.environ | {"GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"})


def _empty_target(target: Path) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise InputError(f"{target} exists and is not a directory", key="--backup-dir")
    if target.is_dir() and any(target.iterdir()):
        raise InputError(f"{target} is not empty: restore-server only fills an empty or absent directory (move the old one "
                         "away first)", key="--backup-dir")


def restore_server(settings: Settings, source: str, backup_dir: Path | None = None, timeout: float | None = None) -> RestoredServer:
    """Rebuild the backup store of a new operations server from an off-site copy, and verify it.

    Clones ``source`` (a remote of the ``dr`` section, a URL or a path) into the backup directory, which must be
    empty or absent (refused otherwise: exit 2), through a temporary directory beside it, so a failed clone leaves
    nothing behind. Then verifies: ``git fsck --full``, ``HEAD`` equals the remote's branch (asked again), the work
    tree is clean and every device file reads as text. A failed verification keeps the clone and lists the problems.
    """
    begun = time.monotonic()
    cfg = config(settings)
    remote = resolve_remote(settings, source, cfg)
    target = Path(backup_dir or settings.backup_dir).expanduser().absolute()
    _empty_target(target)
    limit = timeout or max(CLONE_TIMEOUT, cfg.timeout)
    with job_lock(settings.data_dir, "backup", f"netops dr restore-server --from {remote.name}"):
        _empty_target(target)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = target.parent / f".{target.name}.restore-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        ran = offsite.run_git(["clone", "--quiet", "--no-hardlinks", "--origin", remote.name, "--", remote.url, str(tmp)], limit,
                              env=offsite.git_env(max(1, min(offsite.CONNECT_TIMEOUT, int(limit)))))
        if ran.returncode != 0:
            shutil.rmtree(tmp, ignore_errors=True)
            why = (f"no answer within {limit:g}s" if ran.returncode is None
                   else "; ".join(offsite.git_messages(ran.stderr)) or f"git clone exited with {ran.returncode}")
            raise NetopsError(f"clone of {remote.name} ({remote.shown}) failed: {remote.clean(why)}; nothing was written to {target}")
        if offsite.head_of(tmp) is None:
            shutil.rmtree(tmp, ignore_errors=True)
            raise NetopsError(f"{remote.name} ({remote.shown}) holds no commit: nothing to restore; nothing was written to {target}")
        _git(tmp, "config", "core.sharedRepository", "0600")
        _git(tmp, "config", "gc.auto", "256")
        if target.is_dir():
            target.rmdir()
        os.replace(tmp, target)
        os.chmod(target, 0o700)
        result = verify_store(target, remote, limit)
    result.elapsed = time.monotonic() - begun
    return result


def verify_store(root: Path, remote: Remote, timeout: float = offsite.DEFAULT_TIMEOUT) -> RestoredServer:
    """Check a store against ``remote``: fsck, the remote's branch (asked now) equals HEAD, clean tree, device files
    readable; and describe it (commits, devices per site, newest backup, vault)."""
    out = RestoredServer(remote, root)
    out.branch = offsite.branch_of(root)
    out.head = offsite.head_of(root)
    fsck = _git(root, "fsck", "--full", "--no-progress", "--no-dangling")
    out.fsck = "ok" if fsck.returncode == 0 else (fsck.stderr.strip() or fsck.stdout.strip() or f"exit {fsck.returncode}")
    if fsck.returncode != 0:
        out.problems.append(f"git fsck --full: {out.fsck.splitlines()[0]}")
    ran = offsite.run_git(["ls-remote", "--", remote.url, f"refs/heads/{out.branch}"], timeout,
                          env=offsite.git_env(max(1, min(offsite.CONNECT_TIMEOUT, int(timeout)))))
    if ran.returncode == 0 and ran.stdout.strip():
        out.remote_head = ran.stdout.split()[0]
        if out.remote_head != out.head:
            out.problems.append(f"HEAD {str(out.head)[:12]} is not the remote's {out.branch} ({out.remote_head[:12]}): it moved "
                                "during the restore?")
    else:
        why = "no answer" if ran.returncode is None else ("; ".join(offsite.git_messages(ran.stderr)) or "no such branch")
        out.problems.append(f"could not read the remote's {out.branch} again: {remote.clean(why)}")
    out.commits = int(_git(root, "rev-list", "--count", "HEAD").stdout.strip() or 0)
    dates = _git(root, "log", "--format=%cI").stdout.split()
    if dates:
        out.newest_backup, out.oldest_backup = datetime.fromisoformat(dates[0]), datetime.fromisoformat(dates[-1])
    dirty = _git(root, "status", "--porcelain", "--untracked-files=no").stdout.strip()
    if dirty:
        out.problems.append(f"the work tree differs from HEAD: {dirty.splitlines()[0]}")
    unreadable: list[str] = []
    for path in _git(root, "ls-tree", "-r", "--name-only", "-z", "HEAD").stdout.split("\0"):
        if path.startswith(VAULT_DIR + "/"):
            out.vault, out.vault_files = True, out.vault_files + 1
        elif DEVICE_FILE.match(path):
            try:
                (root / path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                unreadable.append(f"{path} ({exc})")
                continue
            out.devices += 1
            site = path.split("/", 1)[0]
            out.sites[site] = out.sites.get(site, 0) + 1
    if unreadable:
        out.problems.append(f"{len(unreadable)} device file(s) unreadable: {', '.join(unreadable[:5])}")
    out.sites = dict(sorted(out.sites.items()))
    return out


# ---------------------------------------------------------------- the database


@dataclass(frozen=True)
class DatabaseCopy:
    source: Path
    path: Path
    bytes: int
    pages: int
    tables: dict[str, int]  # table -> rows in the copy
    integrity: str  # "ok"
    elapsed: float

    def to_dict(self) -> dict[str, Any]:
        return {"source": str(self.source), "path": str(self.path), "bytes": self.bytes, "pages": self.pages, "tables": self.tables,
                "integrity": self.integrity, "elapsed": round(self.elapsed, 3)}


def backup_database(settings: Settings, target: Path, force: bool = False) -> DatabaseCopy:
    """A consistent copy of ``netops.db`` while other commands use it: SQLite's online backup API in one step (one
    read transaction, so one point in time; writers go on, the database is in WAL mode), checked with
    ``PRAGMA integrity_check``, in rollback-journal mode (one self-contained file), written to a temporary file beside
    ``target`` and renamed over it (mode 0600). An existing ``target`` is replaced only with ``force``."""
    begun = time.monotonic()
    source = db_path(settings.data_dir)
    if not source.is_file():
        raise InputError(f"no database at {source} (nothing to copy)", key="--data-dir")
    target = Path(target).expanduser().absolute()
    if target.is_dir():
        raise InputError(f"{target} is a directory (name the file to write)", key="FILE")
    if not target.parent.is_dir():
        raise InputError(f"no directory {target.parent}", key="FILE")
    if target.exists() and target.resolve() == source.resolve():
        raise InputError("is the database itself", key="FILE")
    if target.exists() and not force:
        raise InputError(f"{target} exists (add --force to replace it)", key="FILE")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        src = sqlite3.connect(source, timeout=30)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)  # pages=-1: the whole database in one step, from one read transaction
            dst.execute("PRAGMA journal_mode=DELETE")
            integrity = str(dst.execute("PRAGMA integrity_check").fetchone()[0])
            pages = int(dst.execute("PRAGMA page_count").fetchone()[0])
            names = [r[0] for r in dst.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                               "ORDER BY name")]
            tables = {n: int(dst.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]) for n in names}
        finally:
            dst.close()
            src.close()
        if integrity != "ok":
            raise NetopsError(f"the copy fails SQLite's integrity check: {integrity}; {target} not written")
        os.chmod(tmp, 0o600)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return DatabaseCopy(source, target, target.stat().st_size, pages, tables, integrity, time.monotonic() - begun)
