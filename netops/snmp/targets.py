"""Which devices to poll and how to reach their agents.

In lab mode the running lab's state names every node's agent (its own 127.x
address, SNMP port and generated community); otherwise the inventory does.
"""

from __future__ import annotations

from labs.state import load_state
from netops.errors import InputError, LabError
from netops.settings import Settings
from netops.snmp.backend import SnmpTarget
from netops.snmp.sample import PollTarget


def lab_targets(settings: Settings) -> list[PollTarget]:
    state = load_state(settings.lab_dir)
    if state is None:
        raise LabError(f"no lab is running in {settings.lab_dir} (start one with `netops lab up`)")
    return [
        PollTarget(
            host=node.name,
            platform=node.platform,
            site=node.site,
            role=node.role,
            snmp=SnmpTarget(node.host, node.snmp_port, version="2c", community=node.snmp_community),
        )
        for node in state.nodes
        if node.snmp_port is not None
    ]


def resolve(settings: Settings, hosts: list[str] | None = None, site: str | None = None) -> list[PollTarget]:
    """The poll targets, optionally limited to some hosts or one site."""
    if not settings.lab:
        raise InputError("polling the inventory needs netops.inventory (not available yet): use --lab", key="inventory")
    targets = lab_targets(settings)
    if hosts:
        unknown = sorted(set(hosts) - {t.host for t in targets})
        if unknown:
            raise InputError(f"unknown host(s): {', '.join(unknown)}", key="--host")
        targets = [t for t in targets if t.host in hosts]
    if site:
        targets = [t for t in targets if t.site == site]
    return targets
