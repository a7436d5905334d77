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
)
