"""The lab's own reading of OpenWrt configurations: what an AP's SNMP agent shows.

Deliberately independent of netops' parsers, so a bug there cannot hide behind
the same code.
"""

from __future__ import annotations

from labs.sim.facts import DeviceFacts, Interface, Ssid, split_words


def read_config(text: str) -> DeviceFacts:
    """OpenWrt UCI files (``/etc/config/system``, ``network``, ``wireless``) concatenated."""
    facts = DeviceFacts()
    section = ""
    iface: Interface | None = None
    ssid: Ssid | None = None
    for raw in text.splitlines():
        words = split_words(raw.strip())
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
