"""Cisco AireOS wireless LAN controllers."""

from netops.drivers.base import Driver
from netops.drivers.cisco_wlc import backup, neighbors, parser, restore, snmp

DRIVER = Driver(
    platform="cisco_wlc",
    description="Cisco AireOS wireless LAN controllers",
    netmiko_device_type='cisco_wlc_ssh',
    napalm_driver=None,
    backup=backup.SPEC,
    parser=parser.parse,
    neighbors=neighbors.SPEC,
    remediator=restore.remediation,
    capabilities=frozenset({'wlan'}),
    snmp=snmp.PROFILE,
)
