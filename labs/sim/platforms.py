"""Which CLI session class simulates each netops platform (platforms absent here have no SSH)."""

from __future__ import annotations

from labs.sim.aruba import ArubaOsSession, InstantSession
from labs.sim.cisco_ios import IosSession
from labs.sim.cisco_wlc import WlcSession
from labs.sim.device import CliSession
from labs.sim.openwrt import OpenWrtSession

SESSIONS: dict[str, type[CliSession]] = {
    "cisco_xe": IosSession,
    "cisco_ios": IosSession,
    "cisco_wlc": WlcSession,
    "aruba_os": ArubaOsSession,
    "aruba_instant": InstantSession,
    "openwrt": OpenWrtSession,
}


def has_ssh(platform: str) -> bool:
    return platform in SESSIONS
