"""The inventory facts a check needs about each host, read through :mod:`netops.inventory`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from netops.inventory import hosts as inv
from netops.inventory import open_nornir
from netops.settings import Settings


@dataclass(frozen=True)
class HostFacts:
    host: str
    platform: str
    site: str = ""
    groups: tuple[str, ...] = ()
    ssh_managed: bool = True  # netops backs it up (controller-managed APs are not)
    controller: str | None = None  # (APs) the controller serving its WLANs
    switch: str | None = None  # (APs) the access switch it is cabled to…
    switch_port: str | None = None  # …and the port


def load_hosts(settings: Settings) -> dict[str, HostFacts]:
    """Facts of every inventory host (group data inherited; no credentials, no lab mapping needed)."""
    nr = open_nornir(dataclasses.replace(settings, lab=False), credentials=False)
    return {
        name: HostFacts(
            host=name,
            platform=inv.platform(host),
            site=inv.site(host),
            groups=tuple(inv.groups(host)),
            ssh_managed=inv.is_ssh_managed(host),
            controller=inv.controller(host),
            switch=inv.switch(host),
            switch_port=inv.switch_port(host),
        )
        for name, host in nr.inventory.hosts.items()
    }
