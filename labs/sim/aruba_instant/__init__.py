"""Aruba Instant APs (standalone virtual controllers): the AOS 8 CLI and configuration
dialect (:mod:`labs.sim.aruba_os`), with the IAP's prompts, commit model and identity."""

from labs.sim.aruba_instant import factory, snmp
from labs.sim.aruba_instant.cli import InstantSession
from labs.sim.aruba_os import config
from labs.sim.platform import SimPlatform

PLATFORM = SimPlatform(names=("aruba_instant",), session=InstantSession, read_config=config.read_config, snmp=snmp.SNMP, factory=factory.factory_config)
