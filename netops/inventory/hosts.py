"""What other features read about a host, resolved through groups and defaults.

Every accessor takes a Nornir ``Host``; values come from the host's data, then
its groups (in order), then the inventory defaults, exactly as Nornir merges
them.
"""

from __future__ import annotations

from typing import Any

from nornir.core.inventory import Host

MANAGED_BY_CONTROLLER = "controller"
LAB_KEY = "lab"  # host.data[LAB_KEY]: the labs.state.NodeRuntime a host is mapped onto (lab mode only)


def site(host: Host) -> str:
    return str(host.get("site") or "")


def role(host: Host) -> str:
    return str(host.get("role") or "")


def platform(host: Host) -> str:
    return host.platform or ""


def address(host: Host) -> str:
    """The address netops connects to (the lab node's 127.x address in lab mode)."""
    return host.hostname or ""


def model(host: Host) -> str:
    return str(host.get("model") or "")


def building(host: Host) -> str:
    return str(host.get("building") or "")


def floor(host: Host) -> int | None:
    value = host.get("floor")
    return int(value) if value is not None else None


def location(host: Host) -> str:
    """``B1/F2`` style location, empty when unknown."""
    parts = [building(host)]
    if floor(host) is not None:
        parts.append(f"F{floor(host)}")
    return "/".join(p for p in parts if p)


def controller(host: Host) -> str | None:
    return host.get("controller")


def switch(host: Host) -> str | None:
    return host.get("switch")


def switch_port(host: Host) -> str | None:
    return host.get("switch_port")


def base_mac(host: Host) -> str | None:
    return host.get("base_mac")


def bssids(host: Host) -> dict[str, list[str]]:
    """Authorised BSSIDs of an access point, per SSID (lower-case MACs)."""
    raw = host.get("bssids") or {}
    return {str(ssid): [str(m).lower() for m in macs] for ssid, macs in raw.items()}


def dhcp_servers(host: Host) -> dict[int, list[str]]:
    """Authorised DHCP server identifiers per VLAN at the host's site."""
    raw = host.get("dhcp_servers") or {}
    return {int(vlan): [str(a) for a in servers] for vlan, servers in raw.items()}


def managed_by(host: Host) -> str | None:
    """``"controller"`` for access points netops never logs into."""
    return host.get("managed_by")


def is_ssh_managed(host: Host) -> bool:
    """True when netops logs into the host itself (backup, live checks)."""
    if managed_by(host) == MANAGED_BY_CONTROLLER:
        return False
    lab = host.data.get(LAB_KEY)
    return lab is None or lab.ssh_port is not None


def groups(host: Host) -> list[str]:
    return [g.name for g in host.groups]


def summary(host: Host) -> dict[str, Any]:
    """The host as ``inventory list --json`` shows it (never any secret)."""
    return {
        "name": host.name,
        "site": site(host),
        "role": role(host),
        "platform": platform(host),
        "model": model(host),
        "address": address(host),
        "port": host.port,
        "building": building(host),
        "floor": floor(host),
        "controller": controller(host),
        "switch": switch(host),
        "switch_port": switch_port(host),
        "managed_by": managed_by(host),
        "groups": groups(host),
        "lab": host.data.get(LAB_KEY) is not None,
    }
