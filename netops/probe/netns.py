"""Run code inside a network namespace the lab created: ``setns`` on the calling
thread only, so probes of several namespaces run in parallel threads (threads they
start, such as scapy's sniffer, inherit the namespace). Nothing is ever sent from
the root namespace."""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from netops.errors import InputError

NETNS_RUN = Path("/run/netns")
CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


def _setns(fd: int) -> None:
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))


@contextmanager
def inside(name: str) -> Iterator[None]:
    """Switch this thread into namespace ``name`` for the block, and back."""
    path = NETNS_RUN / name
    if not path.exists():
        raise InputError(f"no network namespace named {name!r}", key="--netns")
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    target = os.open(path, os.O_RDONLY)
    try:
        _setns(target)
        try:
            yield
        finally:
            _setns(home)
    finally:
        os.close(target)
        os.close(home)
