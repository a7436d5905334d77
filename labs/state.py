"""The running lab's state file (``<lab dir>/state.json``, mode 0600).

Written by ``netops lab up``, read by ``netops lab status`` and by netops in lab
mode (``--lab`` / ``NETOPS_LAB=1``), which maps inventory hosts onto lab nodes.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

STATE_FILE = "state.json"
LOCK_FILE = "state.lock"


@dataclass
class NodeRuntime:
    """One simulated device as it runs: where it listens and how to log in."""

    name: str
    platform: str
    role: str
    site: str
    host: str  # its own 127.x address
    ssh_port: int | None  # None: the node has no SSH CLI (e.g. a controller-managed AP)
    snmp_port: int | None
    username: str
    password: str
    enable_secret: str
    snmp_community: str
    snmp_v3_user: str
    snmp_v3_auth_key: str  # SHA
    snmp_v3_priv_key: str  # AES-128
    config_path: str  # the node's running configuration inside the lab directory
    labels: dict[str, str] = field(default_factory=dict)
    faults: list[str] = field(default_factory=list)
    # default credentials of replacement hardware (``netops lab fault NODE replace``), the same on every node
    bootstrap_username: str = ""
    bootstrap_password: str = ""
    original_config_path: str = ""  # the startup configuration lab up laid out (as the device prints it)
    factory_config_path: str = ""  # what the node comes back with after a wipe (its model's factory default)
    host_key_path: str = ""  # the SSH host key the node presents (the lab's shared key until replaced)
    host_key_public: str = ""  # its OpenSSH public key line
    host_key_fingerprint: str = ""  # SHA256:... as ssh-keygen -l prints it
    wiped: bool = False  # came back with a factory-default configuration (wipe or replace) since lab up
    replaced: bool = False  # new hardware: its own host key, bootstrap credentials until configured
    generation: int = 0  # bumped by every wipe/replace: the worker serving the node reloads it
    booted_at: float = 0.0  # epoch of the last (simulated) reload; 0: booted before the lab started


@dataclass
class LabState:
    name: str
    topology: str
    engine: str  # "local" or "containerlab"
    started: str  # ISO 8601
    pids: list[int]
    nodes: list[NodeRuntime]

    def node(self, name: str) -> NodeRuntime | None:
        return next((n for n in self.nodes if n.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def save_state(lab_dir: Path, state: LabState) -> None:
    """Write the state atomically with owner-only permissions."""
    lab_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = lab_dir / (STATE_FILE + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(state.to_dict(), fh, indent=2)
    os.replace(tmp, lab_dir / STATE_FILE)


def load_state(lab_dir: Path) -> LabState | None:
    """The state of the lab in ``lab_dir``, or None when no lab runs there."""
    path = Path(lab_dir) / STATE_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    raw["nodes"] = [NodeRuntime(**n) for n in raw["nodes"]]
    return LabState(**raw)


@contextmanager
def locked(lab_dir: Path) -> Iterator[None]:
    """Hold the lab's state lock: read-modify-write of the state file by several processes (faults, wipes)."""
    fd = os.open(Path(lab_dir) / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
