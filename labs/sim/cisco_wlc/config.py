"""The lab's own reading of AireOS configurations: what a controller's SNMP agent shows.

Deliberately independent of netops' parsers, so a bug there cannot hide behind
the same code.
"""

from __future__ import annotations

from labs.sim.facts import DeviceFacts, Interface, Ssid, split_words


def read_config(text: str) -> DeviceFacts:
    """AireOS ``show run-config commands`` (with or without the ``config`` prefix)."""
    facts = DeviceFacts(interfaces=[Interface("management")])
    enabled: set[int] = set()
    if_vlans: dict[str, int] = {}
    wlan_ifs: dict[int, str] = {}
    for raw in text.splitlines():
        words = split_words(raw.strip())
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
            if len(words) >= 4 and words[3].isdigit():
                if_vlans[words[2]] = int(words[3])
        elif words[:2] == ["interface", "vlan"] and len(words) == 4 and words[3].isdigit():
            if_vlans[words[2]] = int(words[3])
        elif words[:2] == ["wlan", "interface"] and len(words) == 4 and words[2].isdigit():
            wlan_ifs[int(words[2])] = words[3]
        elif words[:2] == ["wlan", "create"] and len(words) >= 4 and words[2].isdigit():
            facts.ssids.append(Ssid(int(words[2]), words[3], words[4] if len(words) > 4 else words[3]))
        elif words[:2] == ["wlan", "enable"] and len(words) >= 3 and words[2].isdigit():
            enabled.add(int(words[2]))
        elif words[:2] == ["ap", "location"] and len(words) == 4:
            facts.ap_locations[words[3]] = words[2]
    for ssid in facts.ssids:
        ssid.enabled = ssid.wlan_id in enabled
        ssid.interface = wlan_ifs.get(ssid.wlan_id, "management")
        ssid.vlan = if_vlans.get(ssid.interface, 0)
    return facts
