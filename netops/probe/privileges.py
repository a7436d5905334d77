"""Whether this process may send raw frames (and enter network namespaces), said before anything is sent."""

from __future__ import annotations

import os

from netops.errors import InputError

CAP_NET_RAW = 13
CAP_SYS_ADMIN = 21


def effective_capabilities() -> int:
    """The process's effective capability set (Linux ``/proc/self/status`` CapEff)."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("CapEff:"):
                return int(line.split()[1], 16)
    except OSError:
        pass
    return 0


def require_raw(command: str, netns: bool) -> None:
    """An input error unless this process can send raw frames (root or CAP_NET_RAW) and, when the plan uses
    network namespaces, enter them (root or CAP_SYS_ADMIN)."""
    if os.geteuid() == 0:
        return
    caps = effective_capabilities()
    if netns and not caps >> CAP_SYS_ADMIN & 1:
        raise InputError(f"{command} sends from network namespaces: it needs root (or CAP_SYS_ADMIN and CAP_NET_RAW); "
                         "--dry-run shows the frames without sending", key="--plan")
    if not caps >> CAP_NET_RAW & 1:
        raise InputError(f"{command} sends raw frames: it needs root or CAP_NET_RAW (e.g. sudo, or "
                         "setcap cap_net_raw+ep on the Python interpreter); --dry-run shows the frames without sending",
                         key="--plan")
