"""What a lab node's SNMP agent shows, read from its startup configuration.

Deliberately independent of netops' own parsers, so a netops parsing bug cannot
hide behind the same code: a few line-oriented readers, one per config dialect.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
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


@dataclass
class DeviceFacts:
    hostname: str = ""
    contact: str = ""
    location: str = ""
    interfaces: list[Interface] = field(default_factory=list)
    ssids: list[Ssid] = field(default_factory=list)
    ap_locations: dict[str, str] = field(default_factory=dict)  # AP name -> location set on the controller


def _words(line: str) -> list[str]:
    try:
        return shlex.split(line)
    except ValueError:
        return line.split()


def _rest(line: str, prefix: str) -> str:
    return line[len(prefix):].strip().strip('"')


def parse_ios(text: str) -> DeviceFacts:
    """IOS-XE: switches and Catalyst 9800 controllers."""
    facts = DeviceFacts()
    iface: Interface | None = None
    wlan: Ssid | None = None
    for raw in text.splitlines():
        line = raw.rstrip()
        indented = line[:1] == " "
        stripped = line.strip()
        if not indented:
            iface = wlan = None
        if stripped.startswith("hostname "):
            facts.hostname = _rest(stripped, "hostname")
        elif stripped.startswith("snmp-server contact "):
            facts.contact = _rest(stripped, "snmp-server contact")
        elif stripped.startswith("snmp-server location "):
            facts.location = _rest(stripped, "snmp-server location")
        elif not indented and stripped.startswith("interface "):
            iface = Interface(stripped.split(None, 1)[1])
            facts.interfaces.append(iface)
        elif not indented and (m := re.match(r"wlan (\S+) (\d+) (.+)$", stripped)):
            # created administratively down until "no shutdown"
            wlan = Ssid(int(m.group(2)), m.group(1), m.group(3).strip().strip('"'), enabled=False)
            facts.ssids.append(wlan)
        elif iface is not None and stripped.startswith("description "):
            iface.description = _rest(stripped, "description")
        elif iface is not None and stripped == "shutdown":
            iface.shutdown = True
        elif wlan is not None and stripped in ("shutdown", "no shutdown"):
            wlan.enabled = stripped == "no shutdown"
    return facts


def parse_aireos(text: str) -> DeviceFacts:
    """AireOS ``show run-config commands`` (with or without the ``config`` prefix)."""
    facts = DeviceFacts(interfaces=[Interface("management")])
    enabled: set[int] = set()
    for raw in text.splitlines():
        words = _words(raw.strip())
        if words[:1] == ["config"]:
            words = words[1:]
        if len(words) >= 2 and words[0] == "sysname":
            facts.hostname = words[1]
        elif words[:2] == ["snmp", "syscontact"] and len(words) > 2:
            facts.contact = " ".join(words[2:])
        elif words[:2] == ["snmp", "syslocation"] and len(words) > 2:
            facts.location = " ".join(words[2:])
        elif words[:2] == ["interface", "create"] and len(words) >= 3:
            facts.interfaces.append(Interface(words[2]))
        elif words[:2] == ["wlan", "create"] and len(words) >= 4 and words[2].isdigit():
            facts.ssids.append(Ssid(int(words[2]), words[3], words[4] if len(words) > 4 else words[3]))
        elif words[:2] == ["wlan", "enable"] and len(words) >= 3 and words[2].isdigit():
            enabled.add(int(words[2]))
        elif words[:2] == ["ap", "location"] and len(words) == 4:
            facts.ap_locations[words[3]] = words[2]
    for ssid in facts.ssids:
        ssid.enabled = ssid.wlan_id in enabled
    return facts


def parse_aruba(text: str) -> DeviceFacts:
    """ArubaOS 8 controllers and Instant APs (indentation optional)."""
    facts = DeviceFacts()
    iface: Interface | None = None
    profile: Ssid | None = None
    for raw in text.splitlines():
        stripped = raw.strip()
        words = _words(stripped)
        if not words:
            continue
        if stripped == "!":
            iface = profile = None
            continue
        head = words[0]
        if head in ("hostname", "name") and len(words) == 2 and profile is None:
            facts.hostname = words[1]
        elif head == "syscontact" and len(words) >= 2:
            facts.contact = " ".join(words[1:])
        elif head in ("syslocation", "location") and len(words) >= 2 and iface is None and profile is None:
            facts.location = " ".join(words[1:])
        elif head == "interface" and len(words) >= 2:
            profile = None
            iface = Interface(" ".join(words[1:]))
            facts.interfaces.append(iface)
        elif words[:2] == ["wlan", "ssid-profile"] and len(words) >= 3:
            iface = None
            profile = Ssid(len(facts.ssids) + 1, words[2], words[2])
            facts.ssids.append(profile)
        elif head in ("wlan", "aaa", "ap", "rf", "ids", "user-role", "ip", "vlan"):
            iface = profile = None
        elif iface is not None and head == "description" and len(words) >= 2:
            iface.description = " ".join(words[1:])
        elif iface is not None and head == "shutdown":
            iface.shutdown = True
        elif profile is not None and head == "essid" and len(words) >= 2:
            profile.ssid = " ".join(words[1:])
        elif profile is not None and stripped in ("disable", "no enable"):
            profile.enabled = False
    if not facts.interfaces:
        facts.interfaces.append(Interface("eth0"))
    return facts


def parse_openwrt(text: str) -> DeviceFacts:
    """OpenWrt UCI files (``/etc/config/system``, ``network``, ``wireless``) concatenated."""
    facts = DeviceFacts()
    section = ""
    iface: Interface | None = None
    ssid: Ssid | None = None
    for raw in text.splitlines():
        words = _words(raw.strip())
        if not words:
            continue
        if words[0] == "config":
            section = words[1] if len(words) > 1 else ""
            iface = ssid = None
            if section == "interface" and len(words) > 2:
                iface = Interface(words[2])
                facts.interfaces.append(iface)
            elif section == "wifi-iface":
                ssid = Ssid(len(facts.ssids) + 1, words[2] if len(words) > 2 else "", "")
                facts.ssids.append(ssid)
        elif words[0] == "option" and len(words) >= 3:
            key, value = words[1], " ".join(words[2:])
            if section == "system" and key == "hostname":
                facts.hostname = value
            elif section == "system" and key in ("description", "notes") and not facts.location:
                facts.location = value
            elif iface is not None and key in ("device", "ifname"):
                iface.name = value
            elif ssid is not None and key == "ssid":
                ssid.ssid = value
            elif ssid is not None and key == "disabled":
                ssid.enabled = value != "1"
    return facts


PARSERS: dict[str, Callable[[str], DeviceFacts]] = {
    "ios": parse_ios,
    "aireos": parse_aireos,
    "aruba": parse_aruba,
    "openwrt": parse_openwrt,
}
