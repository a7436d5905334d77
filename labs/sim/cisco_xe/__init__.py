"""Cisco IOS-XE: Catalyst 9200/9300/9500 switches and Catalyst 9800 wireless controllers."""

from labs.sim.cisco_xe import config, factory, snmp
from labs.sim.cisco_xe.cli import IosSession
from labs.sim.platform import SimPlatform

PLATFORM = SimPlatform(names=("cisco_xe", "cisco_ios"), session=IosSession, read_config=config.read_config, snmp=snmp.SNMP,
                       factory=factory.factory_config)
