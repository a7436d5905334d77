"""Lab mode (``--lab`` / ``NETOPS_LAB=1``): point the inventory at the running lab, never at real devices.

The ``lab`` entry of the ``netops.modes`` entry point group. Its transform
rewrites every inventory host that is a lab node onto that node's 127.x
address, SSH port, lab credentials and SNMP agent; lab nodes the inventory
lacks (``netops lab up --scale``, the namespace tier's routers) are added with
groups from their labels; inventory hosts that are not in the lab are dropped
with a warning, so nothing outside 127.0.0.0/8 is ever contacted.

The lab's SSH host key is trusted only here: the transform pins every mapped
node's ``ssh_host_key`` to the public half of the key the simulator serves
(``<lab dir>/ssh_host_key``, read, never hard-coded). Outside lab mode the lab
is just devices (trust on first use). A node that presents another key (a
``replace`` fault: new hardware) is refused like a spoofed device until
``netops inventory trust NODE``. A containerlab lab has no shared key: its
nodes are trusted on first use, and production pins never apply to lab nodes.
"""

from __future__ import annotations

import base64
import ipaddress
import logging
from pathlib import Path

from nornir.core.inventory import Groups, Host, Inventory, ParentGroups

from labs import runner
from labs.netns.state import plan_file
from labs.sim.plan import HOST_KEY as LAB_HOST_KEY
from labs.state import LabState, NodeRuntime, load_state
from netops.errors import LabError
from netops.inventory import credentials
from netops.inventory import hosts as h
from netops.inventory.hostkeys import HOST_KEY
from netops.inventory.snmp import RESOLVED_KEY, SNMP_KEY
from netops.model import SnmpTarget
from netops.settings import Settings

log = logging.getLogger(__name__)

NAME = "lab"
LABEL_DATA = {  # topology label -> host data key
    "netops-model": "model",
    "netops-controller": "controller",
    "netops-switch": "switch",
    "netops-switch-port": "switch_port",
}


def lab_state(lab_dir: Path) -> LabState:
    """The running lab's state; a clear error when there is none."""
    state = load_state(lab_dir)
    if state is None:
        raise LabError(f"no lab is running in {lab_dir} (start one with `netops lab up`, or set --lab-dir / NETOPS_LAB_DIR)")
    return state


def _check_loopback(node: NodeRuntime) -> None:
    try:
        loopback = ipaddress.ip_address(node.host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise LabError(f"lab node {node.name} listens on {node.host}, outside 127.0.0.0/8: refusing to use it")


def _snmp(host: Host, node: NodeRuntime) -> SnmpTarget | None:
    """The node's agent with the lab's credentials, in the SNMP version the inventory asks for."""
    if node.snmp_port is None:
        return None
    wanted = dict(host.get(SNMP_KEY) or {})
    timeout, retries = float(wanted.get("timeout", 2)), int(wanted.get("retries", 1))
    if str(wanted.get("version", "3")) == "2c":
        return SnmpTarget(node.host, node.snmp_port, version="2c", community=node.snmp_community, timeout=timeout, retries=retries)
    return SnmpTarget(node.host, node.snmp_port, version="3", user=node.snmp_v3_user, auth_protocol="SHA",
                      auth_key=node.snmp_v3_auth_key, priv_protocol="AES", priv_key=node.snmp_v3_priv_key,
                      timeout=timeout, retries=retries)


def lab_host_key(lab_dir: Path) -> str | None:
    """The public half of the simulator's SSH host key (``TYPE BASE64``), None when the lab has none (containerlab)."""
    path = Path(lab_dir) / LAB_HOST_KEY
    try:
        text = path.read_text(encoding="ascii")
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    public = _openssh_public(text)
    if public is None:  # another private key format: let asyncssh read it
        import asyncssh

        public = asyncssh.import_private_key(text).export_public_key("openssh").decode().split()
        public = public[:2]
    return " ".join(public)


def _openssh_public(text: str) -> list[str] | None:
    """``[TYPE, BASE64]`` from an ``openssh-key-v1`` private key file, whose public key is stored in clear."""
    lines = text.strip().splitlines()
    if not lines or lines[0] != "-----BEGIN OPENSSH PRIVATE KEY-----":
        return None
    raw = base64.b64decode("".join(line for line in lines[1:] if not line.startswith("-----")))
    magic = b"openssh-key-v1\0"
    if not raw.startswith(magic):
        return None
    pos = len(magic)
    for _ in range(3):  # cipher, kdf, kdf options
        pos += 4 + int.from_bytes(raw[pos : pos + 4], "big")
    pos += 4  # number of keys; the first public key follows
    size = int.from_bytes(raw[pos : pos + 4], "big")
    blob = raw[pos + 4 : pos + 4 + size]
    kind = blob[4 : 4 + int.from_bytes(blob[:4], "big")].decode("ascii")
    return [kind, base64.b64encode(blob).decode()]


def _map(host: Host, node: NodeRuntime, host_key: str | None = None) -> None:
    _check_loopback(node)
    host.hostname = node.host
    host.port = node.ssh_port
    host.data[h.MODE_KEY] = NAME
    # the simulator's key for the nodes it serves (a node it gave a key of its own, i.e. replaced hardware,
    # is refused until trusted); nodes of other tiers (the namespace routers' sshd) are trusted on first use;
    # never the production device's pin
    host.data[HOST_KEY] = host_key if host_key and node.host_key_fingerprint else []
    host.data[credentials.CREDENTIALS_KEY] = {}  # resolved here, not from the environment
    host.data[RESOLVED_KEY] = _snmp(host, node)
    if node.ssh_port is None:
        host.data[h.SSH_KEY] = False
    credentials.apply(host, node.username, node.password, node.enable_secret or None)


def _new_host(node: NodeRuntime, inventory: Inventory) -> Host:
    names = [f"site_{node.site}", f"role_{node.role}", f"platform_{node.platform}"]
    groups: Groups = inventory.groups
    data = {key: node.labels[label] for label, key in LABEL_DATA.items() if node.labels.get(label)}
    if f"site_{node.site}" not in groups:
        data["site"] = node.site
    if f"role_{node.role}" not in groups:
        data["role"] = node.role
    return Host(
        name=node.name,
        platform=node.platform,
        groups=ParentGroups([groups[n] for n in names if n in groups]),
        data=data,
        defaults=inventory.defaults,
    )


def apply_lab(inventory: Inventory, state: LabState, host_key: str | None = None) -> list[str]:
    """Rewrite ``inventory`` onto the lab in place; returns the names of dropped hosts. ``host_key``: the
    lab's public SSH host key, pinned on every node (None: nodes are trusted on first use)."""
    dropped = [name for name in inventory.hosts if state.node(name) is None]
    for name in dropped:
        del inventory.hosts[name]
    if dropped:
        shown = ", ".join(dropped[:8]) + (f" and {len(dropped) - 8} more" if len(dropped) > 8 else "")
        log.warning("lab mode: %d inventory host(s) are not lab nodes and are skipped: %s", len(dropped), shown)
    for node in state.nodes:
        host = inventory.hosts.get(node.name)
        if host is None:
            host = inventory.hosts[node.name] = _new_host(node, inventory)
        _map(host, node, host_key)
    return dropped


class LabMode:
    """The ``netops.modes`` plugin object."""

    name = NAME

    def transform(self, inventory: Inventory, settings: Settings) -> None:
        state = lab_state(settings.lab_dir)
        apply_lab(inventory, state, lab_host_key(settings.lab_dir) if state.engine == "local" else None)

    def probe_plan(self, settings: Settings) -> Path | None:
        """The namespace tier's plan, when the lab has one."""
        path = plan_file(settings.lab_dir)
        return path if path.is_file() else None

    def topology(self, settings: Settings) -> Path | None:
        """The topology the running lab was started from."""
        state = load_state(settings.lab_dir)
        return Path(state.topology) if state is not None and Path(state.topology).is_file() else None

    def wipe(self, settings: Settings, hosts: list[str]) -> None:
        """Factory-reset lab nodes (``netops lab fault NODE wipe``), for a disaster-recovery drill."""
        for name in hosts:
            runner.wipe(settings.lab_dir, name)


MODE = LabMode()
