"""Aruba AOS 8 mobility controllers and conductors."""

from netops.drivers.aruba_os import backup, facts, parser, restore, snmp, state
from netops.drivers.base import Driver, LineSyntax

DRIVER = Driver(
    platform="aruba_os",
    description="Aruba AOS 8 mobility controllers and conductors",
    netmiko_device_type='aruba_os',
    napalm_driver=None,
    backup=backup.SPEC,
    parser=parser.parse,
    remediator=restore.remediation,
    lines=LineSyntax(tree=parser.tree, indent="   "),  # blocks end with ``!``; ``no`` negates
    capabilities=frozenset({'wlan'}),
    snmp=snmp.PROFILE,
    facts=facts.SPEC,
    state=state.SPEC,
)
