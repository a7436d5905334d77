"""SSH host keys of the lab: one shared by every node, and one per replaced node (new hardware, new key)."""

from __future__ import annotations

import os
from pathlib import Path

import asyncssh

from labs.state import NodeRuntime

KEY_TYPE = "ssh-ed25519"


def generate(path: Path) -> asyncssh.SSHKey:
    """A new private host key written to ``path`` (owner-only, atomically)."""
    key = asyncssh.generate_private_key(KEY_TYPE)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key.export_private_key())
    os.replace(tmp, path)
    return key


def record(node: NodeRuntime, path: Path, key: asyncssh.SSHKey | None = None) -> None:
    """Note in ``node`` the host key it presents: its file, public key and SHA256 fingerprint."""
    key = key or asyncssh.read_private_key(path)
    node.host_key_path = str(path)
    node.host_key_public = " ".join(key.export_public_key().decode("ascii").split()[:2])
    node.host_key_fingerprint = key.get_fingerprint("sha256")


def node_key_path(node: NodeRuntime) -> Path:
    """Where a replaced node keeps its own host key (next to its configurations)."""
    return Path(node.config_path).parent / "ssh_host_key"
