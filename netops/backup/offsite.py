"""Off-site copies of the backup repository: push it to the remotes of the ``dr`` section, never forcing.

```yaml
dr:
  remotes:
    - {name: srinagar-ops, url: "ssh://netops@10.2.0.5/srv/netops/backups.git"}
    - {name: dc-vault, url: /mnt/offsite/netops-backups.git}
  timeout: 2m      # one push, all included (a hung remote is stopped after it)
  max_lag: 1d      # a remote whose oldest missing commit is older is an alert (offsite_lag)
```

A push sends the store's branch (``HEAD:refs/heads/<branch>``) to the remote's URL with ``git push --porcelain``
and no ``--force``: a remote that moved on (diverged, non-fast-forward) refuses, and nothing local is rewritten.
Every attempt is recorded in the netops database (``offsite_pushes``); a successful one also moves the
remote-tracking ref ``refs/remotes/<name>/<branch>`` of the store, which is what the lag is measured against
(commits of ``HEAD`` not on that ref, and the age of the oldest of them). The vault (``.vault/`` in the same
repository) travels with the branch. URLs with a password are shown and stored with ``***`` in its place.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from netops.ages import parse_age
from netops.config import Entry
from netops.errors import InputError
from netops.stores.db import Schema, connect

DEFAULT_TIMEOUT = 120.0  # seconds for one push (or one clone of restore-server: see clone_timeout)
DEFAULT_MAX_LAG = 86400.0  # seconds: a remote lagging longer is an alert
CONNECT_TIMEOUT = 15  # seconds: ssh's ConnectTimeout (TCP connect and SSH handshake)
RETENTION = 180 * 86400.0  # push records are kept this long (the latest of each remote always)
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

OK_STATUSES = ("pushed", "up-to-date")
FAILED_STATUSES = ("refused", "diverged", "unreachable", "timeout", "failed")

SCHEMA = Schema(
    name="offsite",
    ddl="""
CREATE TABLE IF NOT EXISTS offsite_pushes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    remote TEXT NOT NULL,
    url TEXT NOT NULL,              -- as shown: a password in it is replaced by ***
    time TEXT NOT NULL,             -- ISO 8601 UTC, when the push started
    elapsed REAL,
    status TEXT NOT NULL,           -- pushed, up-to-date, refused, diverged, unreachable, timeout, failed
    reason TEXT,                    -- git's own message (masked)
    branch TEXT,
    local_head TEXT,                -- what was pushed
    remote_before TEXT,             -- the remote's branch before the push, when git said
    commits INTEGER,                -- commits the remote was missing before the push (by the tracking ref)
    backup_run_id INTEGER           -- the backup run that pushed (NULL: pushed by hand)
);
CREATE INDEX IF NOT EXISTS offsite_pushes_remote ON offsite_pushes(remote, id);
""",
)


# ---------------------------------------------------------------- configuration


def mask(url: str) -> str:
    """``https://netops:***@git.example/x.git``: the password of a URL replaced; anything else as it is."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*):[^/@]*@", r"\1:***@", url)


def _password(url: str) -> str | None:
    match = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/@:]*:([^/@]*)@", url)
    return match.group(1) if match and match.group(1) else None


def is_url(text: str) -> bool:
    """A URL git understands as remote (``scheme://``, scp-like ``host:path``), not a local path."""
    return "://" in text or bool(re.match(r"^[^/]+:", text))


@dataclass(frozen=True)
class Remote:
    """One off-site copy: a name (a git remote name) and where it is."""

    name: str
    url: str
    where: str = ""  # file:line of its entry in netops.yaml ("" when named on the command line)

    @property
    def shown(self) -> str:
        return mask(self.url)

    def clean(self, text: str) -> str:
        """``text`` with the URL's password masked wherever it appears."""
        out = text.replace(self.url, self.shown)
        secret = _password(self.url)
        return out.replace(secret, "***") if secret else out

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "url": self.shown}


@dataclass(frozen=True)
class DrConfig:
    """The ``dr`` section of ``netops.yaml``: the off-site remotes, the push timeout, the lag limit."""

    remotes: tuple[Remote, ...] = ()
    timeout: float = DEFAULT_TIMEOUT
    max_lag: float = DEFAULT_MAX_LAG

    @classmethod
    def from_section(cls, section: Mapping[str, Entry]) -> DrConfig:
        """From ``settings.section("dr")``; a problem is an InputError with file, line and key."""

        def age(key: str, default: float) -> float:
            entry = section.get(key)
            if entry is None:
                return default
            seconds = parse_age(str(entry.value), key=f"dr.{key}", file=str(entry.file), line=entry.line)
            if seconds <= 0:
                raise InputError("must be more than 0", file=entry.file, line=entry.line, key=f"dr.{key}")
            return seconds

        remotes: list[Remote] = []
        entry = section.get("remotes")
        if entry is not None:
            if not isinstance(entry.value, list):
                raise InputError("a list of {name, url}", file=entry.file, line=entry.line, key="dr.remotes")
            for i, raw in enumerate(entry.value):
                line = raw.where("name") if hasattr(raw, "where") else entry.line
                if not isinstance(raw, dict) or "name" not in raw or "url" not in raw:
                    raise InputError("each remote has a name and a url", file=entry.file, line=line, key=f"dr.remotes[{i}]")
                name, url = str(raw["name"]), str(raw["url"]).strip()
                if not NAME.match(name) or name.endswith(".lock") or ".." in name:
                    raise InputError(f"{name!r} is not a remote name (letters, digits, '.', '_', '-')", file=entry.file,
                                     line=line, key=f"dr.remotes[{i}].name")
                if any(r.name == name for r in remotes):
                    raise InputError(f"remote {name!r} is named twice", file=entry.file, line=line, key=f"dr.remotes[{i}].name")
                url_line = raw.where("url") if hasattr(raw, "where") else line
                if not url:
                    raise InputError("empty url", file=entry.file, line=url_line, key=f"dr.remotes[{i}].url")
                if not is_url(url) and not Path(url).expanduser().is_absolute():
                    url = str(entry.file.resolve().parent / Path(url).expanduser())  # relative to the file, like every path
                remotes.append(Remote(name, url, f"{entry.file}:{url_line}"))
        return cls(tuple(remotes), age("timeout", DEFAULT_TIMEOUT), age("max_lag", DEFAULT_MAX_LAG))

    def remote(self, name: str) -> Remote | None:
        return next((r for r in self.remotes if r.name == name), None)


# ---------------------------------------------------------------- git


def git_env(connect_timeout: int = CONNECT_TIMEOUT, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a git command that talks to a remote: never a prompt, ssh in batch mode with a connect
    timeout (added to the GIT_SSH_COMMAND an administrator set, e.g. with ``-i key``)."""
    env = dict(os.environ if base is None else base)
    ssh = env.get("GIT_SSH_COMMAND") or "ssh"
    env |= {
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_SSH_COMMAND": f"{ssh} -o BatchMode=yes -o ConnectTimeout={int(connect_timeout)}",
        "GIT_SSH_VARIANT": "ssh",
        "LC_ALL": "C",
    }
    env.pop("GIT_ASKPASS", None)
    env.pop("SSH_ASKPASS", None)
    return env


@dataclass(frozen=True)
class Ran:
    returncode: int | None  # None: stopped at the timeout
    stdout: str
    stderr: str


def run_git(args: Sequence[str], timeout: float, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> Ran:
    """``git ARGS`` with a hard time limit: on timeout the whole process group (git, ssh, helpers) is killed."""
    proc = subprocess.Popen(["git", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                            cwd=cwd, env=dict(env) if env is not None else git_env(), start_new_session=True, umask=0o077)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = proc.communicate()
        return Ran(None, out, err)
    return Ran(proc.returncode, out, err)


def _local(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A local git command in the store (no network)."""
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, umask=0o077,
                          env=os.environ | {"GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"})


def branch_of(root: Path) -> str:
    proc = _local(root, "symbolic-ref", "--short", "-q", "HEAD")
    return proc.stdout.strip() or "main"


def head_of(root: Path) -> str | None:
    proc = _local(root, "rev-parse", "--verify", "-q", "HEAD^{commit}")
    return proc.stdout.strip() or None


def tracking_ref(remote: str, branch: str) -> str:
    return f"refs/remotes/{remote}/{branch}"


def _rev(root: Path, ref: str) -> str | None:
    proc = _local(root, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}")
    return proc.stdout.strip() or None


def missing_commits(root: Path, remote_ref: str | None) -> tuple[int, datetime | None]:
    """(commits of HEAD not on ``remote_ref``, commit time of the oldest of them); all of HEAD when None."""
    spec = ["HEAD", f"^{remote_ref}"] if remote_ref else ["HEAD"]
    proc = _local(root, "log", "--format=%ct", *spec, "--")
    stamps = [int(s) for s in proc.stdout.split()] if proc.returncode == 0 else []
    if not stamps:
        return 0, None
    return len(stamps), datetime.fromtimestamp(min(stamps), timezone.utc)


# ---------------------------------------------------------------- pushing


@dataclass(frozen=True)
class PushResult:
    """One push of the store to one remote."""

    remote: str
    url: str  # masked
    status: str  # pushed, up-to-date, refused, diverged, unreachable, timeout, failed (also "skipped": no repository)
    reason: str | None  # git's message for a failure; "a1b2c3d..e4f5a6b" for a push
    started: datetime
    elapsed: float
    branch: str = ""
    local_head: str | None = None
    remote_before: str | None = None
    commits: int = 0  # commits the remote was missing before the push (by the tracking ref)

    @property
    def ok(self) -> bool:
        return self.status in OK_STATUSES

    def line(self) -> str:
        """``srinagar-ops: pushed 1 commit(s) (a1b2c3d..e4f5a6b) in 0.3s``: one line for a terminal."""
        if self.status == "pushed":
            what = f"pushed {self.commits} commit(s)" if self.commits else "pushed"
            return f"{self.remote}: {what} ({self.reason}) in {self.elapsed:.1f}s"
        if self.status == "up-to-date":
            return f"{self.remote}: up to date"
        return f"{self.remote}: {self.status}: {self.reason or 'no reason given'}"

    def to_dict(self) -> dict[str, Any]:
        return {"remote": self.remote, "url": self.url, "status": self.status, "ok": self.ok, "reason": self.reason,
                "started": self.started.isoformat(timespec="seconds"), "elapsed": round(self.elapsed, 3), "branch": self.branch,
                "local_head": self.local_head, "remote_before": self.remote_before, "commits": self.commits}


_UNREACHABLE = re.compile(r"unable to connect|connection refused|could not resolve|timed out|no route to host|network is unreachable"
                          r"|connection (?:reset|closed)|unable to access|could not read from remote repository|host key verification"
                          r"|permission denied|failed to connect", re.IGNORECASE)


_NOISE = ("hint:", "To ", "error: failed to push some refs", "Please make sure you have the correct access rights",
          "and the repository exists.")


def git_messages(stderr: str) -> list[str]:
    """git's own lines worth showing: the remote's (hooks), errors and fatals; hints and the repeated URL go."""
    out = []
    for raw in stderr.splitlines():
        line = raw.strip()
        if not line or line.startswith(_NOISE):
            continue
        out.append(line)
    return out


def _classify(ran: Ran, timeout: float) -> tuple[str, str | None, str | None]:
    """(status, reason, remote's previous commit) from a finished ``git push --porcelain``."""
    if ran.returncode is None:
        return "timeout", f"no answer within {timeout:g}s: push stopped (nothing changed locally)", None
    refs = [line.split("\t") for line in ran.stdout.splitlines() if line[:1] in " +-*!=" and line.count("\t") >= 2]
    messages = git_messages(ran.stderr)
    if refs:
        flag, _, summary = refs[0][:3]
        before = summary.split("..")[0] if ".." in summary and not summary.startswith("[") else None
        if flag == "=":
            return "up-to-date", None, None
        if flag in " *" and ran.returncode == 0:
            return "pushed", summary if ".." in summary else "new branch", before
        if flag == "!":
            detail = "; ".join([summary, *messages])
            if summary.startswith("[rejected]"):
                return "diverged", (f"{detail}: the remote has commits this store does not have; nothing was forced and the "
                                    "local history is kept (reconcile the remote by hand)"), None
            if summary.startswith("[remote rejected]"):
                return "refused", detail, None
            return "failed", detail, None
    text = "; ".join(messages) or f"git push exited with {ran.returncode}"
    return ("unreachable" if _UNREACHABLE.search(text) else "failed"), text, None


def push(root: Path, remote: Remote, timeout: float = DEFAULT_TIMEOUT, env: Mapping[str, str] | None = None) -> PushResult:
    """Push the store's branch to ``remote`` without forcing; the remote-tracking ref moves only on success.

    Never raises for a remote's problem: the result says what happened, with git's message (URL passwords masked).
    """
    started, begun = datetime.now(timezone.utc), time.monotonic()
    branch, head = branch_of(root), head_of(root)
    if head is None:
        return PushResult(remote.name, remote.shown, "skipped", f"no commit in {root} yet: nothing to push", started, 0.0, branch)
    ref = tracking_ref(remote.name, branch)
    known = _rev(root, ref)
    commits, _ = missing_commits(root, known)
    connect_timeout = max(1, min(CONNECT_TIMEOUT, int(timeout)))
    ran = run_git(["-C", str(root), "push", "--porcelain", "--no-verify", "--no-follow-tags", remote.url, f"HEAD:refs/heads/{branch}"],
                  timeout, env=git_env(connect_timeout, env))
    status, reason, before = _classify(ran, timeout)
    if status in OK_STATUSES:
        _local(root, "update-ref", "-m", f"netops: pushed to {remote.name}", ref, head)
        if status == "up-to-date":
            commits = 0
    return PushResult(remote.name, remote.shown, status, remote.clean(reason) if reason else None, started,
                      time.monotonic() - begun, branch, head, before, commits)


def push_all(root: Path, config: DrConfig, data_dir: Path | None = None, run_id: int | None = None,
             env: Mapping[str, str] | None = None) -> list[PushResult]:
    """Push to every remote at once (the slowest remote sets the time, none waits for another) and record each
    attempt when ``data_dir`` is given. Results in the order of ``dr.remotes``."""
    if not config.remotes:
        return []
    if not (Path(root) / ".git").exists():
        now = datetime.now(timezone.utc)
        results = [PushResult(r.name, r.shown, "skipped", f"no backup repository at {root} yet", now, 0.0) for r in config.remotes]
    else:
        with ThreadPoolExecutor(max_workers=len(config.remotes)) as pool:
            results = list(pool.map(lambda r: push(Path(root), r, config.timeout, env), config.remotes))
    if data_dir is not None:
        conn = open_db(data_dir)
        try:
            record(conn, [r for r in results if r.status != "skipped"], run_id)
        finally:
            conn.close()
    return results


# ---------------------------------------------------------------- records


def open_db(data_dir: Path) -> sqlite3.Connection:
    return connect(data_dir, SCHEMA)


def record(conn: sqlite3.Connection, results: Sequence[PushResult], run_id: int | None = None) -> None:
    """Store push attempts in one transaction; prune records past the retention (the latest per remote stays)."""
    cutoff = datetime.fromtimestamp(time.time() - RETENTION, timezone.utc).isoformat(timespec="seconds")
    with conn:
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO offsite_pushes(remote, url, time, elapsed, status, reason, branch, local_head, remote_before, commits,"
            " backup_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(r.remote, r.url, r.started.isoformat(timespec="seconds"), round(r.elapsed, 3), r.status, r.reason, r.branch,
              r.local_head, r.remote_before, r.commits, run_id) for r in results],
        )
        conn.execute("DELETE FROM offsite_pushes WHERE time < ? AND id NOT IN (SELECT max(id) FROM offsite_pushes GROUP BY remote)",
                     (cutoff,))


@dataclass(frozen=True)
class LastPush:
    time: datetime
    status: str
    reason: str | None
    elapsed: float

    @property
    def ok(self) -> bool:
        return self.status in OK_STATUSES

    def to_dict(self) -> dict[str, Any]:
        return {"time": self.time.isoformat(timespec="seconds"), "status": self.status, "ok": self.ok, "reason": self.reason,
                "elapsed": self.elapsed}


def _last(conn: sqlite3.Connection, remote: str, ok_only: bool = False) -> LastPush | None:
    where = f" AND status IN ({', '.join('?' * len(OK_STATUSES))})" if ok_only else ""
    row = conn.execute(f"SELECT time, status, reason, elapsed FROM offsite_pushes WHERE remote = ?{where} ORDER BY id DESC LIMIT 1",
                       (remote, *(OK_STATUSES if ok_only else ()))).fetchone()
    if row is None:
        return None
    return LastPush(datetime.fromisoformat(row[0]), row[1], row[2], row[3] or 0.0)


def history(conn: sqlite3.Connection, remote: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Recorded push attempts, newest first."""
    query = "SELECT * FROM offsite_pushes" + (" WHERE remote = ?" if remote else "") + " ORDER BY id DESC LIMIT ?"
    return [dict(r) for r in conn.execute(query, ((remote,) if remote else ()) + (limit,))]


# ---------------------------------------------------------------- lag


@dataclass(frozen=True)
class RemoteState:
    """How far a remote is behind the store, and how its pushes went."""

    remote: str
    url: str  # masked
    branch: str
    local_head: str | None
    remote_head: str | None  # the remote-tracking ref: what the remote had after the last successful push
    commits_behind: int
    oldest_missing: datetime | None  # commit time of the oldest commit the remote lacks
    behind_seconds: float  # how old that commit is (0: up to date)
    last_push: LastPush | None
    last_success: LastPush | None
    max_lag: float

    @property
    def never_pushed(self) -> bool:
        return self.remote_head is None

    @property
    def lagging(self) -> bool:
        """Behind by a commit older than ``dr.max_lag``."""
        return self.commits_behind > 0 and self.behind_seconds > self.max_lag

    @property
    def failing(self) -> bool:
        return self.last_push is not None and not self.last_push.ok

    def to_dict(self) -> dict[str, Any]:
        return {"remote": self.remote, "url": self.url, "branch": self.branch, "local_head": self.local_head,
                "remote_head": self.remote_head, "never_pushed": self.never_pushed, "commits_behind": self.commits_behind,
                "oldest_missing": self.oldest_missing.isoformat(timespec="seconds") if self.oldest_missing else None,
                "behind_seconds": round(self.behind_seconds), "max_lag_seconds": round(self.max_lag), "lagging": self.lagging,
                "failing": self.failing, "last_push": self.last_push.to_dict() if self.last_push else None,
                "last_success": self.last_success.to_dict() if self.last_success else None}


def states(root: Path, config: DrConfig, data_dir: Path, at: datetime | None = None) -> list[RemoteState]:
    """Every configured remote's lag (local HEAD against its remote-tracking ref) and last push; nothing is contacted."""
    at = at or datetime.now(timezone.utc)
    if not config.remotes:
        return []
    root = Path(root)
    repo = (root / ".git").exists()
    branch = branch_of(root) if repo else "main"
    head = head_of(root) if repo else None
    conn = open_db(data_dir)
    try:
        out = []
        for r in config.remotes:
            known = _rev(root, tracking_ref(r.name, branch)) if head else None
            commits, oldest = missing_commits(root, known) if head else (0, None)
            behind = max(0.0, (at - oldest).total_seconds()) if oldest else 0.0
            out.append(RemoteState(r.name, r.shown, branch, head, known, commits, oldest, behind, _last(conn, r.name),
                                   _last(conn, r.name, ok_only=True), config.max_lag))
        return out
    finally:
        conn.close()

