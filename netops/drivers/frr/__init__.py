"""FRRouting (vtysh): the lab's campus routers (``netops lab up --netns``)."""

from netops.drivers.base import Driver
from netops.drivers.frr import backup, parser

DRIVER = Driver(
    platform="frr",
    description="FRRouting (vtysh): the lab's campus routers",
    netmiko_device_type="cisco_ios",  # vtysh speaks the IOS dialect netmiko expects
    napalm_driver=None,
    backup=backup.SPEC,
    parser=parser.parse,
    # vtysh reads commands from a file with -f and saves the running configuration with
    # `write memory` (FRR user guide, VTYSH; vtysh(1)).
    rebuild_procedure=(
        "{export}",
        "copy the file to the router (scp), then on the router: vtysh -f <file> && vtysh -c 'write memory'",
        "delete the file from the router",
        "netops backup --host {host}, then netops backup drift {host}: nothing should differ",
    ),
)
