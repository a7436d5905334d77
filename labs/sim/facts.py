"""What a lab node's SNMP agent shows, as each platform's config reader finds it.

Every platform package reads its own configuration dialect into these records
(``labs/sim/<platform>/config.py``), deliberately independent of netops' own
parsers, so a bug there cannot hide behind the same code.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field


@dataclass
class Interface:
    name: str
    description: str = ""
    shutdown: bool = False


@dataclass
class Ssid:
    wlan_id: int
    profile: str
    ssid: str
    enabled: bool = True
    vlan: int = 0  # the VLAN its clients are put in (0: not found in the config)
    interface: str = ""  # the controller's name for it (AireOS interface, VLAN name)


@dataclass
class DeviceFacts:
    hostname: str = ""
    contact: str = ""
    location: str = ""
    interfaces: list[Interface] = field(default_factory=list)
    ssids: list[Ssid] = field(default_factory=list)
    ap_locations: dict[str, str] = field(default_factory=dict)  # AP name -> location set on the controller


def split_words(line: str) -> list[str]:
    """A config line split as a shell would (quotes group words); as plain words if unbalanced."""
    try:
        return shlex.split(line)
    except ValueError:
        return line.split()


def vlan_list(text: str) -> set[int]:
    """``10,20-22`` -> {10, 20, 21, 22}."""
    out: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        low, _, high = part.partition("-")
        out.update(range(int(low), int(high or low) + 1))
    return out
