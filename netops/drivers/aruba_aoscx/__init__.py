"""Aruba CX switches (AOS-CX)."""

from netops.drivers.aruba_aoscx import backup, facts, neighbors, parser, snmp, state
from netops.drivers.base import Driver, LineSyntax

DRIVER = Driver(
    platform="aruba_aoscx",
    description="Aruba CX switches (AOS-CX)",
    netmiko_device_type='aruba_aoscx',
    napalm_driver=None,
    backup=backup.SPEC,
    parser=parser.parse,
    lines=LineSyntax(indent="    "),  # indented like IOS, ``no`` negates
    neighbors=neighbors.SPEC,
    capabilities=frozenset({'switchport'}),
    snmp=snmp.PROFILE,
    facts=facts.SPEC,
    state=state.SPEC,
    aliases=frozenset({"vr-aoscx", "vr-aruba_aoscx", "aoscx"}),  # containerlab kinds (nodes/vr_aoscx), napalm's community name
    # AOS-CX applies a CLI-format file to the running configuration line by line and logs the lines it
    # rejects (AOS-CX Fundamentals Guide, "copy <REMOTE-URL> {running-config | startup-config}").
    rebuild_procedure=(
        "{export}",
        "put the file on an SFTP server the switch reaches; delete it there once the switch has it",
        "on the switch (console): copy sftp://<user>@<server>/<file> running-config vrf mgmt",
        "check `show running-config` against the file (failed lines are only logged), then: write memory",
        "netops backup --host {host}, then netops backup drift {host}: nothing should differ",
    ),
)
