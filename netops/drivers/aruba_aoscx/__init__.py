"""Aruba CX switches (AOS-CX)."""

from netops.drivers.aruba_aoscx import backup, parser, snmp
from netops.drivers.base import Driver

DRIVER = Driver(
    platform="aruba_aoscx",
    description="Aruba CX switches (AOS-CX)",
    netmiko_device_type='aruba_aoscx',
    napalm_driver=None,
    backup=backup.SPEC,
    parser=parser.parse,
    capabilities=frozenset({'switchport'}),
    snmp=snmp.PROFILE,
    aliases=frozenset({"vr-aoscx", "vr-aruba_aoscx", "aoscx"}),  # containerlab kinds (nodes/vr_aoscx), napalm's community name
)
