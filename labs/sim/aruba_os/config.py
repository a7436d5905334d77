"""The lab's own reading of ArubaOS configurations: what a node's SNMP agent shows.

One dialect for AOS 8 controllers and Aruba Instant APs (``labs.sim.aruba_instant``
reads its configurations with this module too).

Deliberately independent of netops' parsers, so a bug there cannot hide behind
the same code.
"""

from __future__ import annotations

from labs.sim.facts import DeviceFacts, Interface, Ssid, split_words


def read_config(text: str) -> DeviceFacts:
    """ArubaOS 8 controllers and Instant APs (indentation optional)."""
    facts = DeviceFacts()
    iface: Interface | None = None
    profile: Ssid | None = None
    vap: list[str] | None = None  # [ssid-profile, vlan] of the virtual AP being read
    vaps: list[list[str]] = []
    vlan_names: dict[str, int] = {}
    for raw in text.splitlines():
        stripped = raw.strip()
        words = split_words(stripped)
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
            iface = vap = None
            profile = Ssid(len(facts.ssids) + 1, words[2], words[2])
            facts.ssids.append(profile)
        elif words[:2] == ["wlan", "virtual-ap"] and len(words) >= 3:
            iface = profile = None
            vap = ["", ""]
            vaps.append(vap)
        elif vap is not None and head == "ssid-profile" and len(words) == 2:
            vap[0] = words[1]
        elif vap is not None and head == "vlan" and len(words) == 2:
            vap[1] = words[1]
        elif head == "vlan" and len(words) == 3 and words[2].isdigit():
            vlan_names[words[1]] = int(words[2])
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
    by_profile = {p.profile: p for p in facts.ssids}
    for ssid_profile, vlan in vaps:
        if ssid_profile in by_profile and vlan:
            number = int(vlan) if vlan.isdigit() else vlan_names.get(vlan, 0)
            by_profile[ssid_profile].vlan = number
            by_profile[ssid_profile].interface = vlan if not vlan.isdigit() else f"vlan{vlan}"
    return facts
