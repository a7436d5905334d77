"""Cisco IOS-XE: Catalyst 9300/9200 switches and Catalyst 9800 wireless controllers."""

from netops.drivers.base import Driver, LineSyntax
from netops.drivers.cisco_xe import backup, facts, neighbors, parser, restore, snmp, state

DRIVER = Driver(
    platform="cisco_xe",
    description="Cisco IOS-XE: Catalyst 9300/9200 switches and Catalyst 9800 wireless controllers",
    netmiko_device_type='cisco_xe',
    napalm_driver='ios',
    backup=backup.SPEC,
    parser=parser.parse,
    neighbors=neighbors.SPEC,
    remediator=restore.remediation,
    pusher=restore.push,
    lines=LineSyntax(),  # indented, ``no`` negates (hier_config derives the fixes)
    capabilities=frozenset({'wlan', 'switchport'}),
    snmp=snmp.PROFILE,
    facts=facts.SPEC,
    state=state.SPEC,
    aliases=frozenset({  # containerlab kinds, napalm and scrapli names (containerlab nodes/vr_cat9kv, iol, vr_csr, vr_c8000v)
        "cisco_cat9kv", "cisco_c8000v", "cisco_csr1000v", "vr-csr", "vr-cisco_csr1000v", "cisco_iol",
        "ios", "cisco_ios", "cisco_iosxe", "iosxe",
    }),
)
