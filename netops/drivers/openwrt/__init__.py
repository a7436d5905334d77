"""OpenWrt access points (/etc/config/wireless and network)."""

from netops.drivers.base import Driver
from netops.drivers.openwrt import backup, parser, snmp

DRIVER = Driver(
    platform="openwrt",
    description="OpenWrt access points (/etc/config/wireless and network)",
    netmiko_device_type='linux',
    napalm_driver=None,
    backup=backup.SPEC,
    save_command=None,
    parser=parser.parse,
    capabilities=frozenset({'wlan'}),
    snmp=snmp.PROFILE,
)
