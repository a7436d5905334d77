"""Aruba Instant access points (standalone / virtual controller)."""

from netops.drivers.aruba_instant import backup, facts, parser, restore, snmp, state
from netops.drivers.base import Driver, LineSyntax

DRIVER = Driver(
    platform="aruba_instant",
    description="Aruba Instant access points (standalone / virtual controller)",
    netmiko_device_type='aruba_os',
    napalm_driver=None,
    backup=backup.SPEC,
    parser=parser.parse,
    remediator=restore.remediation,
    lines=LineSyntax(),  # indented like IOS, ``no`` negates
    pusher=restore.push,
    capabilities=frozenset({'wlan'}),
    snmp=snmp.PROFILE,
    facts=facts.SPEC,
    state=state.SPEC,
)
