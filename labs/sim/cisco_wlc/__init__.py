"""Cisco AireOS wireless controllers (5520, 3504, ...)."""

from labs.sim.cisco_wlc import config, factory, snmp
from labs.sim.cisco_wlc.cli import WlcSession
from labs.sim.platform import SimPlatform

PLATFORM = SimPlatform(names=("cisco_wlc",), session=WlcSession, read_config=config.read_config, snmp=snmp.SNMP, factory=factory.factory_config)
