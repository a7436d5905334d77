"""Cisco AireOS wireless LAN controllers."""

from netops.drivers.base import Driver, LineSyntax
from netops.drivers.cisco_wlc import backup, facts, neighbors, parser, restore, snmp, state

DRIVER = Driver(
    platform="cisco_wlc",
    description="Cisco AireOS wireless LAN controllers",
    netmiko_device_type='cisco_wlc_ssh',
    napalm_driver=None,
    backup=backup.SPEC,
    parser=parser.parse,
    neighbors=neighbors.SPEC,
    remediator=restore.remediation,
    lines=LineSyntax(negate=restore.negate),  # flat ``config`` commands without their ``config``
    capabilities=frozenset({'wlan'}),
    snmp=snmp.PROFILE,
    facts=facts.SPEC,
    state=state.SPEC,
)
