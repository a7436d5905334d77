"""Stopping the lab's processes: SIGTERM, a grace period, SIGKILL, reap."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterable


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie child of ours does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def send(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def stop(pids: list[int], timeout: float, term: Iterable[int] | None = None) -> None:
    """SIGTERM ``term`` (default: every pid; a supervisor stops its own children), wait up to
    ``timeout`` seconds for all of ``pids`` to end, SIGKILL the rest, reap our children."""
    for pid in pids if term is None else term:
        send(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.05)
    for pid in pids:
        if alive(pid):
            send(pid, signal.SIGKILL)
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
