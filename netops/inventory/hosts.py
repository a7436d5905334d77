"""What other features read about a host, resolved through groups and defaults.

Every accessor takes a Nornir ``Host``; values come from the host's data, then
its groups (in order), then the inventory defaults, exactly as Nornir merges
them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from nornir.core.inventory import Host

MANAGED_BY_CONTROLLER = "controller"
SSH_KEY = "ssh"  # data ``ssh: false``: netops never logs into the host (no backup, no live check)
MODE_KEY = "netops_mode"  # set by a mode's inventory transform (e.g. "lab") on the hosts it maps


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


def controller(host: Host) -> str | None:
    return host.get("controller")


def switch(host: Host) -> str | None:
    return host.get("switch")


def switch_port(host: Host) -> str | None:
    return host.get("switch_port")


def base_mac(host: Host) -> str | None:
    return host.get("base_mac")


def ap_group(host: Host) -> str | None:
    return host.get("ap_group")


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
    return managed_by(host) != MANAGED_BY_CONTROLLER and host.get(SSH_KEY, True) is not False


def mode(host: Host) -> str | None:
    """The mode that mapped the host (``lab``), None for a real device."""
    return host.data.get(MODE_KEY)


def groups(host: Host) -> list[str]:
    return [g.name for g in host.groups]


@dataclass(frozen=True)
class HostInfo:
    """What netops knows of an inventory host, without any secret: read once, passed around."""

    name: str
    site: str
    role: str
    platform: str
    model: str = ""
    address: str = ""
    port: int | None = None
    building: str = ""
    floor: int | None = None
    controller: str | None = None
    switch: str | None = None
    switch_port: str | None = None
    managed_by: str | None = None
    groups: tuple[str, ...] = ()
    mode: str | None = None  # the mode that mapped it ("lab"), None for a real device
    ssh_managed: bool = True  # netops logs into it (backup, live checks)
    dhcp_servers: dict[int, list[str]] = field(default_factory=dict, compare=False)
    bssids: dict[str, list[str]] = field(default_factory=dict, compare=False)
    base_mac: str | None = None  # an AP's wired MAC (controllers map APs to profiles by it)
    ap_group: str | None = None  # an AP's group on its controller (Aruba AP groups), when the inventory says

    @classmethod
    def of(cls, host: Host) -> HostInfo:
        return cls(
            name=host.name, site=site(host), role=role(host), platform=platform(host), model=model(host),
            address=address(host), port=host.port, building=building(host), floor=floor(host),
            controller=controller(host), switch=switch(host), switch_port=switch_port(host), managed_by=managed_by(host),
            groups=tuple(groups(host)), mode=mode(host), ssh_managed=is_ssh_managed(host),
            dhcp_servers=dhcp_servers(host), bssids=bssids(host), base_mac=base_mac(host), ap_group=ap_group(host),
        )

    @property
    def location(self) -> str:
        """``B1/F2`` style location, empty when unknown."""
        return "/".join(p for p in (self.building, "" if self.floor is None else f"F{self.floor}") if p)

    @property
    def controller_managed(self) -> bool:
        return self.managed_by == MANAGED_BY_CONTROLLER

    def to_dict(self) -> dict[str, Any]:
        """The host as ``inventory list --json`` shows it."""
        out = asdict(self)
        out["groups"] = list(self.groups)
        del out["dhcp_servers"], out["bssids"]
        return out
