"""One run of a job at a time: an ``fcntl`` lock per job on ``<data dir>/<job>.lock``.

Scheduled jobs (``netops schedule``) and people at a terminal or in the dashboard
start the same commands; when two runs of one job overlap, the second refuses
cleanly (:class:`netops.errors.LockedError`, exit 1) and names the holder:
``another check run is in progress (pid 4242, since 2026-05-04 18:00:02 IST)``.

| job | lock | taken by |
|---|---|---|
| ``backup`` | ``backup.lock`` | ``netops backup`` and ``netops restore`` (one writer of the git repository) |
| ``check`` | ``check.lock`` | ``netops check`` (:func:`netops.services.check.run`) |
| ``report`` | ``report.lock`` | for the daily report (``job_lock(data_dir, "report")``) |
| ``poll`` | ``poll.lock`` | named, not taken yet |

The kernel drops a lock when its process dies, so a crashed run never leaves a
stale lock behind; the file only says who holds it.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from netops.errors import LockedError

# job -> how a refusal names what is already running ("another <this> (<holder>)")
JOBS: dict[str, str] = {
    "backup": "backup or restore is running",
    "check": "check run is in progress",
    "report": "report run is in progress",
    "poll": "poll run is in progress",
}


def lock_path(data_dir: Path, job: str) -> Path:
    """The lock file of ``job`` (one of :data:`JOBS`)."""
    if job not in JOBS:
        raise ValueError(f"no lock named {job!r} (known: {', '.join(JOBS)})")
    return Path(data_dir) / f"{job}.lock"


def holder(text: str) -> str:
    """Who holds a lock, from its file: ``what, pid N, since T`` (``what`` only when the run said what it is)."""
    try:
        info = json.loads(text)
    except ValueError:
        return text.strip() or "another process"  # a lock file of an older netops: its plain text
    if not isinstance(info, dict):
        return "another process"
    parts = [str(info["what"])] if info.get("what") else []
    parts.append(f"pid {info.get('pid', '?')}")
    if info.get("since"):
        parts.append(f"since {info['since']}")
    return ", ".join(parts)


@contextmanager
def job_lock(data_dir: Path, job: str, what: str | None = None) -> Iterator[Path]:
    """Hold the lock of ``job`` for the duration of the block, or raise :class:`LockedError` naming the holder.

    ``what`` says who holds it (``netops restore jmu-acc-1 (terminal)``) where a lock is shared by several commands.
    """
    path = lock_path(data_dir, job)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.pread(fd, 1000, 0).decode(errors="replace")
            raise LockedError(f"another {JOBS[job]} ({holder(text)})") from None
        since = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "since": since, "what": what}).encode(), 0)
        yield path
    finally:
        os.close(fd)
