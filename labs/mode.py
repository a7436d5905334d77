"""Lab mode (``--lab`` / ``NETOPS_LAB=1``): point the inventory at the running lab, never at real devices.

The ``lab`` entry of the ``netops.modes`` entry point group. Its transform
rewrites every inventory host that is a lab node onto that node's 127.x
address, SSH port, lab credentials and SNMP agent; lab nodes the inventory
lacks (``netops lab up --scale``, the namespace tier's routers) are added with
groups from their labels; inventory hosts that are not in the lab are dropped
with a warning, so nothing outside 127.0.0.0/8 is ever contacted.
"""

from __future__ import annotations

import ipaddress
import logging
from pathlib import Path

from nornir.core.inventory import Groups, Host, Inventory, ParentGroups

from labs.netns.state import plan_file
from labs.state import LabState, NodeRuntime, load_state
from netops.errors import LabError
from netops.inventory import credentials
from netops.inventory import hosts as h
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


def _map(host: Host, node: NodeRuntime) -> None:
    _check_loopback(node)
    host.hostname = node.host
    host.port = node.ssh_port
    host.data[h.MODE_KEY] = NAME
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


def apply_lab(inventory: Inventory, state: LabState) -> list[str]:
    """Rewrite ``inventory`` onto the lab in place; returns the names of dropped hosts."""
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
        _map(host, node)
    return dropped


class LabMode:
    """The ``netops.modes`` plugin object."""

    name = NAME

    def transform(self, inventory: Inventory, settings: Settings) -> None:
        apply_lab(inventory, lab_state(settings.lab_dir))

    def probe_plan(self, settings: Settings) -> Path | None:
        """The namespace tier's plan, when the lab has one."""
        path = plan_file(settings.lab_dir)
        return path if path.is_file() else None


MODE = LabMode()
