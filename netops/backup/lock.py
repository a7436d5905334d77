"""One backup or restore at a time: an ``fcntl`` lock on ``<data dir>/backup.lock``.

The kernel drops the lock when the process dies, so a crashed run never leaves
a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from netops.errors import LockedError

LOCK_NAME = "backup.lock"


@contextmanager
def run_lock(data_dir: Path, what: str) -> Iterator[None]:
    """Hold the backup lock for the duration of the block, or raise LockedError."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = data_dir / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            raise LockedError(f"another backup or restore is running ({holder}; lock {path})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{what}, pid {os.getpid()}".encode(), 0)
        yield
    finally:
        os.close(fd)
