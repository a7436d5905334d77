"""The lab's own reading of IOS-XE configurations (switches and Catalyst 9800 controllers).

Deliberately independent of netops' parsers, so a bug there cannot hide behind
the same code, and a probe of the lab checks netops against the device's
configuration, not against itself:

- :func:`read_config`: what the node's SNMP agent shows (hostname, contact,
  location, interfaces, WLANs);
- :func:`read_interfaces`: switch ports (access / trunk VLANs) and SVIs, what
  the namespace tier renders its Open vSwitch ports and routers from. IOS-XE
  semantics (Catalyst 9000 configuration guide, "Configuring VLAN Trunks"): a
  trunk without ``switchport trunk allowed vlan`` carries every VLAN; ``add``,
  ``remove``, ``except``, ``all`` and ``none`` edit the list; the native VLAN
  defaults to 1.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from labs.sim.facts import DeviceFacts, Interface, Ssid, vlan_list


def _rest(line: str, prefix: str) -> str:
    return line[len(prefix):].strip().strip('"')


def read_config(text: str) -> DeviceFacts:
    """What the SNMP agent shows of an IOS-XE switch or Catalyst 9800 controller."""
    facts = DeviceFacts()
    iface: Interface | None = None
    wlan: Ssid | None = None
    vlan_names: dict[str, int] = {}
    vlan: int | None = None  # the "vlan N" block being read
    policy: str | None = None  # the "wireless profile policy" block being read
    policy_vlans: dict[str, str] = {}
    wlan_policy: dict[str, str] = {}  # WLAN profile name -> policy profile (from the policy tags)
    for raw in text.splitlines():
        line = raw.rstrip()
        indented = line[:1] == " "
        stripped = line.strip()
        if not indented:
            iface = wlan = None
            vlan = None
            policy = None
            if m := re.match(r"vlan (\d+)$", stripped):
                vlan = int(m.group(1))
            elif stripped.startswith("wireless profile policy "):
                policy = _rest(stripped, "wireless profile policy")
        elif vlan is not None and stripped.startswith("name "):
            vlan_names[_rest(stripped, "name")] = vlan
        elif policy is not None and stripped.startswith("vlan "):
            policy_vlans[policy] = _rest(stripped, "vlan")
        elif m := re.match(r"wlan (\S+) policy (\S+)$", stripped):
            wlan_policy.setdefault(m.group(1), m.group(2))
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
    for ssid in facts.ssids:
        name = policy_vlans.get(wlan_policy.get(ssid.profile, ""), "")
        ssid.vlan = int(name) if name.isdigit() else vlan_names.get(name, 0)
        ssid.interface = name if name and not name.isdigit() else (f"vlan{name}" if name else "")
    return facts


# ---------------------------------------------------------------- switch ports and SVIs

ALL_VLANS = frozenset(range(1, 4095))


@dataclass
class Port:
    name: str
    description: str = ""
    shutdown: bool = False
    mode: str = "unknown"  # access, trunk, routed, unknown
    access_vlan: int | None = None
    native_vlan: int | None = None
    allowed: set[int] | None = None  # None: every VLAN (no allowed list)


@dataclass
class Svi:
    vlan: int
    address: str | None = None  # 10.10.110.2/24
    vrf: str | None = None
    shutdown: bool = False


@dataclass
class Interfaces:
    ports: dict[str, Port] = field(default_factory=dict)
    svis: list[Svi] = field(default_factory=list)


def _allowed(port: Port, words: list[str]) -> None:
    """``switchport trunk allowed vlan [add|remove|except] LIST | all | none``."""
    current = ALL_VLANS if port.allowed is None else port.allowed
    if words == ["all"]:
        port.allowed = None
    elif words == ["none"]:
        port.allowed = set()
    elif words[0] == "add":
        port.allowed = set(current) | vlan_list(words[1])
    elif words[0] == "remove":
        port.allowed = set(current) - vlan_list(words[1])
    elif words[0] == "except":
        port.allowed = set(ALL_VLANS - vlan_list(words[1]))
    else:
        port.allowed = vlan_list(words[0])


def read_interfaces(text: str) -> Interfaces:
    """Switch ports and SVIs of an IOS-XE configuration."""
    out = Interfaces()
    port: Port | None = None
    svi: Svi | None = None
    for raw in text.splitlines():
        if raw[:1] not in (" ", "\t"):
            port = svi = None
            words = raw.split()
            if words[:1] == ["interface"] and len(words) == 2:
                name = words[1]
                if name.lower().startswith("vlan") and name[4:].isdigit():
                    svi = Svi(int(name[4:]))
                    out.svis.append(svi)
                else:
                    port = out.ports[name] = Port(name)
            continue
        words = raw.split()
        if svi is not None:
            if words[:2] == ["ip", "address"] and len(words) == 4:
                svi.address = str(ipaddress.ip_interface(f"{words[2]}/{words[3]}"))
            elif words[:2] == ["vrf", "forwarding"] or words[:3] == ["ip", "vrf", "forwarding"]:
                svi.vrf = words[-1]
            elif words == ["shutdown"]:
                svi.shutdown = True
        elif port is not None:
            if words[:1] == ["description"]:
                port.description = raw.strip()[len("description "):]
            elif words == ["shutdown"]:
                port.shutdown = True
            elif words == ["no", "switchport"]:
                port.mode = "routed"
            elif words[:2] == ["switchport", "mode"] and len(words) == 3:
                port.mode = words[2] if words[2] in ("access", "trunk") else port.mode
            elif words[:3] == ["switchport", "access", "vlan"] and len(words) == 4 and words[3].isdigit():
                port.access_vlan = int(words[3])
            elif words[:4] == ["switchport", "trunk", "native", "vlan"] and len(words) == 5:
                port.native_vlan = int(words[4])
            elif words[:4] == ["switchport", "trunk", "allowed", "vlan"] and len(words) >= 5:
                _allowed(port, words[4:])
    return out
