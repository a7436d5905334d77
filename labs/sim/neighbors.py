"""CDP and LLDP neighbour tables of the simulated devices, computed by the lab from its own topology.

A node's neighbours are the far ends of its cables (:mod:`labs.sim.campus`) that are powered on (not ``down``),
whose ports on both sides are not shut down, and that speak the protocol: IOS-XE devices CDP (unless ``no cdp
run``) and LLDP when configured with ``lldp run``; AireOS CDP; Cisco APs CDP; Aruba controllers, Aruba APs and
Instant APs LLDP; OpenWrt neither. What a neighbour advertises (name, address, platform, software) is read from
its running configuration with the lab's own small readers, never with netops' parsers.

Output formats follow real captures (ntc-templates' fixtures ``tests/cisco_ios/show_cdp_neighbors_detail/*.raw``,
``tests/cisco_ios/show_lldp_neighbors_detail/*.raw``, ``tests/cisco_wlc_ssh/show_cdp_neighbors_detail/*.raw``)
so that their TextFSM templates parse them.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labs.sim.campus import topology_wires
from labs.sim.device import SimNode, base_mac
from labs.sim.snmp_data import digest, if_kind

IOS_VERSION = "17.9.4a"
AIREOS_VERSION = "8.10.196.0"
AOS_VERSION = "8.10.0.12"
SEPARATOR_CDP = "-" * 25
SEPARATOR_LLDP = "-" * 48


@dataclass(frozen=True)
class Port:
    """What a neighbour shows of one of its ports."""

    description: str = ""
    shutdown: bool = False
    native_vlan: int | None = None  # (IOS switch ports) the CDP Native VLAN


@dataclass(frozen=True)
class Speaker:
    """What a device advertises about itself."""

    name: str  # CDP Device ID / LLDP System Name
    address: str | None
    platform: str  # CDP Platform
    capabilities: str  # CDP Capabilities
    software: str  # CDP Version / LLDP System Description
    lldp_capabilities: tuple[str, str] = ("B", "B")  # (system, enabled)
    cdp: bool = False
    lldp: bool = False
    mac: str = ""  # 12 hex digits
    ports: dict[str, Port] = field(default_factory=dict)

    def port(self, name: str) -> Port:
        return self.ports.get(name, Port())


@dataclass(frozen=True)
class Entry:
    """One neighbour as a node sees it."""

    local_port: str
    peer: Speaker
    peer_port: str
    holdtime: int


def ios_software(model: str) -> str:
    """The IOS-XE software banner of a Catalyst 9000 switch or 9800 controller (``show version``, CDP, LLDP)."""
    c9800 = model.upper().startswith("C9800")
    return (f"Cisco IOS Software [Cupertino], {'C9800' if c9800 else 'Catalyst L3 Switch'} Software "
            f"({'C9800' if c9800 else 'CAT9K'}_IOSXE), Version {IOS_VERSION}, RELEASE SOFTWARE (fc3)\n"
            "Technical Support: http://www.cisco.com/techsupport\n"
            "Copyright (c) 1986-2023 by Cisco Systems, Inc.\n"
            "Compiled Fri 20-Oct-23 10:44 by mcpre")


def _read(record: dict[str, Any]) -> str:
    try:
        return Path(record.get("config_path") or "").read_text(encoding="utf-8")
    except OSError:
        return ""


def _find(pattern: str, text: str) -> str | None:
    m = re.search(pattern, text, re.M)
    return m.group(1) if m else None


def ios_ports(text: str) -> dict[str, Port]:
    """Description, shutdown and native VLAN of every interface of an IOS-XE configuration."""
    from labs.sim.cisco_xe.config import read_interfaces  # not at the top: the platform package imports this module

    ports: dict[str, Port] = {}
    for name, p in read_interfaces(text).ports.items():
        native = (p.native_vlan or 1) if p.mode == "trunk" else p.access_vlan if p.mode == "access" else None
        ports[name] = Port(p.description, p.shutdown, native)
    return ports


def _ios_address(text: str) -> str | None:
    """The address a device sources its management traffic from (ssh/logging/trap source), else its first one."""
    addresses: dict[str, str] = {}
    for m in re.finditer(r"^interface (\S+)\n((?: .*\n)*)", text, re.M):
        ip = re.search(r"^ ip address (\d+\.\d+\.\d+\.\d+) ", m.group(2), re.M)
        if ip and not re.search(r"^ shutdown$", m.group(2), re.M):
            addresses.setdefault(m.group(1), ip.group(1))
    source = _find(r"^(?:ip ssh source-interface|logging source-interface|snmp-server trap-source) (\S+)", text)
    return addresses.get(source or "") or next(iter(addresses.values()), None)


def speaker(record: dict[str, Any]) -> Speaker:
    """What the node of this state-file record advertises, from its running configuration and labels."""
    platform = record.get("platform", "")
    labels: dict[str, str] = record.get("labels") or {}
    name = record.get("name", "")
    model = labels.get("netops-model", "")
    address = labels.get("netops-address") or None
    mac = base_mac(name)
    if platform in ("cisco_xe", "cisco_ios"):
        text = _read(record)
        host = _find(r"^hostname (\S+)", text) or name
        domain = _find(r"^ip domain[ -]name (\S+)", text)
        c9800 = model.upper().startswith("C9800")
        role = record.get("role", "")
        caps = "Router" if c9800 else "Router Switch IGMP" if role == "core" else "Switch IGMP"
        lldp_caps = ("B,R", "R") if c9800 else ("B,R", "B,R") if role == "core" else ("B,R", "B")
        return Speaker(f"{host}.{domain}" if domain else host, _ios_address(text), f"cisco {model}", caps,
                       ios_software(model), lldp_caps, cdp=not re.search(r"^no cdp run$", text, re.M),
                       lldp=bool(re.search(r"^lldp run$", text, re.M)), mac=mac, ports=ios_ports(text))
    if platform == "cisco_wlc":
        text = _read(record)
        return Speaker(_find(r"^sysname (\S+)", text) or name,
                       _find(r"^interface address management (\S+)", text), model, "Host",
                       f"Manufacturer's Name: Cisco Systems Inc.   Product Name: Cisco Controller   Version: {AIREOS_VERSION}",
                       cdp=True, mac=mac)
    if platform == "aruba_os":
        text = _read(record)
        vlan = _find(r"^controller-ip vlan (\d+)", text)
        ip = _find(rf"^interface vlan {vlan}\n(?:\s+.*\n)*?\s+ip address (\S+)", text) if vlan else None
        return Speaker(_find(r'^hostname "?([^"\n]+)"?$', text) or name, ip, model, "",
                       f"ArubaOS (MODEL: {model}), Version {AOS_VERSION}", ("B,R", "B,R"), lldp=True, mac=mac)
    if platform == "aruba_instant":
        text = _read(record)
        return Speaker(_find(r'^name "?([^"\n]+)"?$', text) or name, address, model, "",
                       f"ArubaOS (MODEL: {model.removeprefix('AP-')}), Version {AOS_VERSION}", ("B,W", "W"),
                       lldp=True, mac=mac)
    if platform == "aruba_ap":
        return Speaker(name, address, model, "", f"ArubaOS (MODEL: {model.removeprefix('AP-')}), Version {AOS_VERSION}",
                       ("B,W", "W"), lldp=True, mac=mac)
    if platform == "cisco_ap":
        aireos = labels.get("netops-controller", "").endswith("aireos")
        software = ("Cisco AP Software, ap3g3-k9w8 Version: 8.10.196.0" if aireos
                    else "Cisco AP Software, ap1g7-k9w8 Version: 17.9.4.27")
        return Speaker(name, address, f"cisco {model}", "Router Trans-Bridge",
                       software + "\nTechnical Support: http://www.cisco.com/techsupport\n"
                       "Copyright (c) 2014-2015 by Cisco Systems, Inc.", cdp=True, mac=mac)
    return Speaker(name, address, model, "", "", mac=mac)  # OpenWrt: no CDP/LLDP agent


def neighbours(node: SimNode, me: Speaker, protocol: str) -> list[Entry]:
    """The neighbours ``node`` (advertising as ``me``) sees over ``protocol`` ("cdp" or "lldp") right now."""
    book = node.book
    if book is None:
        return []
    book.refresh()
    cabling = topology_wires(book.topology) if book.topology else ()
    name = node.runtime.name
    found: list[Entry] = []
    for wire in cabling:
        seen = wire.seen_from(name)
        if seen is None:
            continue
        local, peer_name, peer_port = seen
        record = book.records.get(peer_name)
        if record is None or not book.is_up(peer_name) or me.port(local).shutdown:
            continue
        peer = speaker(record)
        if not getattr(peer, protocol) or peer.port(peer_port).shutdown:
            continue
        hold = 180 - int(time.time() + digest(name, local)) % 60
        found.append(Entry(local, peer, peer_port, hold))
    return sorted(found, key=lambda e: _natural(e.local_port))


def _natural(text: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def _dotted(mac: str) -> str:
    return f"{mac[0:4]}.{mac[4:8]}.{mac[8:12]}"


def _cdp_head(e: Entry, after_capabilities: str) -> list[str]:
    """A CDP entry up to its ``Version :`` line, as IOS-XE and AireOS both print it."""
    p = e.peer
    return [SEPARATOR_CDP, f"Device ID: {p.name}", "Entry address(es): ", *([f"  IP address: {p.address}"] if p.address else []),
            f"Platform: {p.platform},  Capabilities: {p.capabilities}{after_capabilities}",
            f"Interface: {e.local_port},  Port ID (outgoing port): {e.peer_port}", f"Holdtime : {e.holdtime} sec", "", "Version :"]


def ios_cdp_detail(entries: list[Entry]) -> str:
    """``show cdp neighbors detail`` as IOS-XE prints it."""
    out: list[str] = []
    for e in entries:
        p = e.peer
        out += [*_cdp_head(e, " "), p.software, "", "advertisement version: 2"]
        native = p.port(e.peer_port).native_vlan
        if native is not None:
            out += ["VTP Management Domain: ''", f"Native VLAN: {native}"]
        out.append("Duplex: full")
        out.append("Management address(es): ")
        if p.address:
            out.append(f"  IP address: {p.address}")
        out.append("")
    out += ["", f"Total cdp entries displayed : {len(entries)}"]
    return "\n".join(out)


def ios_lldp_detail(entries: list[Entry]) -> str:
    """``show lldp neighbors detail`` as IOS-XE prints it."""
    out: list[str] = []
    for e in entries:
        p = e.peer
        short = if_kind(e.peer_port)[2]
        system, enabled = p.lldp_capabilities
        out += [SEPARATOR_LLDP, f"Local Intf: {if_kind(e.local_port)[2]}", f"Chassis id: {_dotted(p.mac)}",
                f"Port id: {short}", f"Port Description: {p.port(e.peer_port).description or e.peer_port}",
                f"System Name: {p.name}", "", "System Description: ", p.software, "",
                f"Time remaining: {e.holdtime - 60} seconds", f"System Capabilities: {system}",
                f"Enabled Capabilities: {enabled}"]
        if p.address:
            out += ["Management Addresses:", f"    IP: {p.address}"]
        else:
            out.append("Management Addresses - not advertised")
        out += ["Auto Negotiation - not supported", "Physical media capabilities - not advertised",
                "Media Attachment Unit type - not advertised"]
        native = p.port(e.peer_port).native_vlan
        out.append(f"Vlan ID: {native}" if native is not None else "Vlan ID: - not advertised")
        out += [f"Peer Source MAC: {_dotted(p.mac)}", ""]
    out += ["", f"Total entries displayed: {len(entries)}"]
    return "\n".join(out)


def aireos_cdp_detail(entries: list[Entry]) -> str:
    """``show cdp neighbors detail`` as AireOS prints it."""
    out = [""]
    for e in entries:
        out += [*_cdp_head(e, ""), e.peer.software.replace("\n", " "), "", "Advertisement version: 2", "Duplex: Full", ""]
    return "\n".join(out)
