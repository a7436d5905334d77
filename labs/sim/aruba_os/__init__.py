"""Aruba AOS 8 mobility controllers (7210, 7220, 7240)."""

from labs.sim.aruba_os import config, factory, snmp
from labs.sim.aruba_os.cli import ArubaOsSession
from labs.sim.platform import SimPlatform

PLATFORM = SimPlatform(names=("aruba_os",), session=ArubaOsSession, read_config=config.read_config, snmp=snmp.SNMP, factory=factory.factory_config)
