"""Which devices to poll and how to reach their agents: the inventory's SNMP targets.

In lab mode the inventory maps every host onto its lab node's agent (127.x
address, lab credentials). Hosts polled through their controller (lightweight
APs) have no target of their own.
"""

from __future__ import annotations

from netops.inventory import Filters, open_nornir, snmp_target
from netops.inventory import hosts as h
from netops.inventory.files import InventoryFiles
from netops.settings import Settings
from netops.snmp.sample import PollTarget


def resolve(settings: Settings, filters: Filters | None = None) -> list[PollTarget]:
    """The poll targets of the inventory hosts selected by ``filters``."""
    filters = filters or Filters()
    nr = open_nornir(settings, credentials=False)
    filters.validate(nr.inventory.hosts.values())
    files = InventoryFiles.of(settings.inventory)
    out = []
    for name, host in sorted(nr.inventory.hosts.items()):
        if not filters.matches(host):
            continue
        target = snmp_target(host, files)
        if target is None:
            continue
        out.append(PollTarget(
            host=name,
            platform=h.platform(host),
            site=h.site(host),
            role=h.role(host),
            snmp=target,
        ))
    return out
