"""OpenWrt access points (a root shell with ``uci``, net-snmp)."""

from labs.sim.openwrt import config, factory, snmp
from labs.sim.openwrt.cli import OpenWrtSession
from labs.sim.platform import SimPlatform

PLATFORM = SimPlatform(names=("openwrt",), session=OpenWrtSession, read_config=config.read_config, snmp=snmp.SNMP, factory=factory.factory_config)
