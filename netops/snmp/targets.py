"""Which devices to poll and how to reach their agents: the inventory's SNMP targets.

In lab mode the inventory maps every host onto its lab node's agent (127.x
address, lab credentials). Hosts polled through their controller (lightweight
APs) have no target of their own: their state comes from their controller's poll.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nornir.core.inventory import Host

from netops.inventory import Filters, open_nornir, snmp_target
from netops.inventory import hosts as h
from netops.inventory.files import InventoryFiles
from netops.settings import Settings
from netops.snmp.sample import PollTarget


@dataclass(frozen=True)
class ControllerManaged:
    """A selected host without an agent of its own, and its controller (None: the inventory names none)."""

    host: str
    site: str
    controller: str | None


@dataclass(frozen=True)
class Selection:
    """What a poll of the selected hosts reaches: their targets, the controller-managed hosts among them, and
    the targets of those hosts' controllers (polled as well, selected or not)."""

    targets: list[PollTarget]
    managed: list[ControllerManaged] = field(default_factory=list)
    controllers: dict[str, PollTarget] = field(default_factory=dict)


def select(settings: Settings, filters: Filters | None = None) -> Selection:
    """The poll targets of the inventory hosts selected by ``filters``."""
    filters = filters or Filters()
    nr = open_nornir(settings, credentials=False)
    filters.validate(nr.inventory.hosts.values())
    files = InventoryFiles.of(settings.inventory)
    hosts = nr.inventory.hosts
    chosen, managed = [], []
    for name, host in sorted(hosts.items()):
        if not filters.matches(host):
            continue
        target = _target(name, host, files)
        if target is not None:
            chosen.append(target)
        else:
            managed.append(ControllerManaged(name, h.site(host), h.controller(host)))
    needed = {m.controller for m in managed if m.controller is not None and m.controller in hosts}  # only these hosts' credentials are read
    controllers = {name: target for name in sorted(needed) if (target := _target(name, hosts[name], files))}
    return Selection(chosen, managed, controllers)


def _target(name: str, host: Host, files: InventoryFiles) -> PollTarget | None:
    target = snmp_target(host, files)
    if target is None:
        return None
    return PollTarget(host=name, platform=h.platform(host), site=h.site(host), role=h.role(host), snmp=target)
