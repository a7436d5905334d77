"""OpenWrt access points (/etc/config/wireless and network)."""

from netops.drivers.base import Driver, LineSyntax
from netops.drivers.openwrt import backup, facts, parser, restore, snmp

DRIVER = Driver(
    platform="openwrt",
    description="OpenWrt access points (/etc/config/wireless and network)",
    netmiko_device_type='linux',
    napalm_driver=None,
    backup=backup.SPEC,
    parser=parser.parse,
    remediator=restore.remediation,
    lines=LineSyntax(indent="\t", negate=lambda line: None),  # ``uci export``: sections, tab-indented options
    pusher=restore.push,
    capabilities=frozenset({'wlan'}),
    snmp=snmp.PROFILE,
    facts=facts.SPEC,  # no state over SSH: a snapshot reads OpenWrt over SNMP
)
