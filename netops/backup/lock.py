"""One backup or restore at a time: the ``backup`` job lock of :mod:`netops.locks` (``<data dir>/backup.lock``).

Kept for callers of ``run_lock``; new code takes :func:`netops.locks.job_lock` with the job's name.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from netops.locks import job_lock

LOCK_NAME = "backup.lock"


@contextmanager
def run_lock(data_dir: Path, what: str) -> Iterator[None]:
    """Hold the backup lock for the duration of the block, or raise LockedError."""
    with job_lock(data_dir, "backup", what):
        yield
