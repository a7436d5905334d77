"""Lab mode: point the inventory at the running lab, never at real devices.

Every inventory host that is a lab node is rewritten to that node's 127.x
address, SSH port and lab credentials; lab nodes the inventory lacks (e.g.
``netops lab up --scale``) are added with groups from their labels; inventory
hosts that are not in the lab are dropped with a warning, so nothing outside
127.0.0.0/8 is ever contacted.
"""

from __future__ import annotations

import ipaddress
import logging
from pathlib import Path

from nornir.core.inventory import ConnectionOptions, Groups, Host, Inventory, ParentGroups

from labs.state import LabState, NodeRuntime, load_state
from netops.drivers import all_drivers
from netops.errors import LabError
from netops.inventory import credentials
from netops.inventory.hosts import LAB_KEY

log = logging.getLogger(__name__)

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


def _map(host: Host, node: NodeRuntime) -> None:
    _check_loopback(node)
    host.hostname = node.host
    host.port = node.ssh_port
    host.data[LAB_KEY] = node
    credentials.apply(host, node.username, node.password, node.enable_secret or None)


def _new_host(node: NodeRuntime, inventory: Inventory) -> Host:
    names = [f"site_{node.site}", f"role_{node.role}", f"platform_{node.platform}"]
    groups: Groups = inventory.groups
    data = {key: node.labels[label] for label, key in LABEL_DATA.items() if node.labels.get(label)}
    if f"site_{node.site}" not in groups:
        data["site"] = node.site
    if f"role_{node.role}" not in groups:
        data["role"] = node.role
    host = Host(
        name=node.name,
        platform=node.platform,
        groups=ParentGroups([groups[n] for n in names if n in groups]),
        data=data,
        defaults=inventory.defaults,
    )
    driver = all_drivers().get(node.platform)
    if driver is not None and driver.netmiko_device_type and credentials.connection_platform(host, "netmiko") is None:
        host.connection_options["netmiko"] = ConnectionOptions(platform=driver.netmiko_device_type)
    return host


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
