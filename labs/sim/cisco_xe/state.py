"""Operational show commands of an IOS-XE node, computed from its running configuration and the lab's state.

Formats follow real Catalyst 9000 / 9800 captures (ntc-templates' fixtures ``tests/cisco_ios/<command>/*.raw``:
``show_interfaces``, ``show_vlan``, ``show_spanning-tree_root``, ``show_standby_brief``, ``show_vrrp_brief``,
``show_etherchannel_summary``, ``show_inventory``, ``show_ap_summary`` (the 17.9.4+ layout with CC/RD columns),
``show_version``) so that their TextFSM templates parse them; ``show interfaces trunk`` (no template) follows the
Catalyst 9300 "Configuring VLAN Trunks" guide's example output (four sections).

Lab semantics (deliberately simple and deterministic):

- a port is up unless it is shut down, or its cable (the topology's links) ends on a node that is powered off or a
  port shut down there (then ``down, line protocol is down (notconnect)``);
- spanning tree: per VLAN, the root is the switch of the site (IOS-XE nodes that are not 9800s, powered on, defining
  the VLAN) with the lowest bridge ID: ``spanning-tree vlan X priority P`` / ``root primary`` (24576) / ``root
  secondary`` (28672), else 32768, plus the VLAN id (extended system id), ties broken by base MAC. Cost and root port
  come from a shortest path over the site's cables that carry the VLAN at both ends (short path costs, the slower
  end's: 10G 2, 1G 4; ties: the neighbour with the lowest bridge ID, then the lowest port);
- HSRP/VRRP: on each VLAN interface, the highest priority (default 100; ties: the highest interface address) among
  the site's powered-on cores with that group configured on a VLAN interface that is not shut down is Active/Master,
  the next Standby; the rest Listen / Backup;
- port-channels: ``channel-group N mode M`` members; a member that is up is bundled (P), else down (D); the
  Po is up (U) when one member is bundled.
"""

from __future__ import annotations

import heapq
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labs.sim.campus import topology_wires
from labs.sim.device import SimNode, base_mac, uptime_offset, uptime_words
from labs.sim.facts import vlan_list
from labs.sim.snmp_data import digest, if_kind

ALL_VLANS = frozenset(range(1, 4095))
DEFAULT_VLANS = ((1002, "fddi-default"), (1003, "token-ring-default"), (1004, "fddinet-default"), (1005, "trnet-default"))
ROOT_PRIORITY = {"primary": 24576, "secondary": 28672}
# (interface-name prefix, Hardware is ..., speed text, BW Kbit, short STP cost, media type)
HARDWARE = (
    ("HundredGigE", "Hundred Gigabit Ethernet", "100Gb/s", 100_000_000, 1, "QSFP 100G SR4"),
    ("FortyGigabitEthernet", "Forty Gigabit Ethernet", "40Gb/s", 40_000_000, 1, "QSFP 40G SR4"),
    ("TwentyFiveGigE", "Twenty Five Gigabit Ethernet", "25Gb/s", 25_000_000, 1, "SFP-25GBase-SR"),
    ("TenGigabitEthernet", "Ten Gigabit Ethernet", "10Gb/s", 10_000_000, 2, "SFP-10GBase-SR"),
    ("GigabitEthernet", "Gigabit Ethernet", "1000Mb/s", 1_000_000, 4, "10/100/1000BaseTX"),
    ("AppGigabitEthernet", "App-hosting Gigabit Ethernet", "1000Mb/s", 1_000_000, 4, "App-hosting port"),
    ("FastEthernet", "Fast Ethernet", "100Mb/s", 100_000, 19, "10/100BaseTX"),
)
STARTED = time.time()  # the worker's start: the lab's, as the SNMP agent's growing counters start then
SPEEDS = {"10": ("10Mb/s", 10_000, 100), "100": ("100Mb/s", 100_000, 19), "1000": ("1000Mb/s", 1_000_000, 4),
          "2500": ("2500Mb/s", 2_500_000, 3), "5000": ("5000Mb/s", 5_000_000, 3), "10000": ("10Gb/s", 10_000_000, 2)}


# ---------------------------------------------------------------- the configuration, as this module needs it


@dataclass
class Iface:
    name: str
    lines: list[str]
    shutdown: bool = False
    routed: bool = False  # no switchport (or not a switch port at all)
    mode: str = ""  # access, trunk, dynamic ...
    access_vlan: int = 1
    native_vlan: int = 1
    allowed: frozenset[int] = ALL_VLANS
    channel: tuple[int, str] | None = None  # (group, mode)
    speed: str = ""
    standby: dict[int, dict[str, Any]] = field(default_factory=dict)  # group -> ip, priority, preempt
    vrrp: dict[int, dict[str, Any]] = field(default_factory=dict)
    address: str = ""

    @property
    def physical(self) -> bool:
        return any(self.name.startswith(h[0]) for h in HARDWARE)

    @property
    def svi(self) -> int | None:
        m = re.fullmatch(r"Vlan(\d+)", self.name)
        return int(m.group(1)) if m else None


@dataclass
class Switch:
    """What the computations need of one IOS-XE node's running configuration."""

    name: str
    hostname: str
    interfaces: dict[str, Iface]
    vlans: dict[int, tuple[str, bool]]  # id -> (name, shut down)
    stp_priority: dict[int, int]  # VLAN -> configured bridge priority (without the VLAN id)
    c9800: bool = False

    def vlan_defined(self, vlan: int) -> bool:
        return vlan == 1 or (vlan in self.vlans and not self.vlans[vlan][1])

    def bridge_priority(self, vlan: int) -> int:
        return self.stp_priority.get(vlan, 32768) + vlan

    def carries(self, port: str, vlan: int) -> bool:
        iface = self.interfaces.get(port)
        if iface is None or iface.shutdown or iface.routed:
            return False
        if iface.channel is not None:
            po = self.interfaces.get(f"Port-channel{iface.channel[0]}")
            if po is not None:
                iface = po
        if iface.mode == "trunk":
            return vlan in iface.allowed
        return iface.access_vlan == vlan


def compress(vlans: set[int] | frozenset[int]) -> str:
    """``10,20,110-111`` as IOS prints VLAN lists (``none`` when empty)."""
    items = sorted(vlans)
    if not items:
        return "none"
    parts, i = [], 0
    while i < len(items):
        j = i
        while j + 1 < len(items) and items[j + 1] == items[j] + 1:
            j += 1
        parts.append(str(items[i]) if i == j else f"{items[i]}-{items[j]}")
        i = j + 1
    return ",".join(parts)


def _allowed(current: frozenset[int], words: list[str]) -> frozenset[int]:
    if words == ["all"]:
        return ALL_VLANS
    if words == ["none"]:
        return frozenset()
    if words[0] == "add":
        return current | vlan_list(words[1])
    if words[0] == "remove":
        return current - vlan_list(words[1])
    if words[0] == "except":
        return ALL_VLANS - vlan_list(words[1])
    return frozenset(vlan_list(words[0]))


def _fhrp(groups: dict[int, dict[str, Any]], words: list[str]) -> None:
    """``standby|vrrp N ip A`` / ``N priority P`` / ``N preempt``; also the VRRPv3 ``vrrp N address-family ipv4``."""
    if len(words) < 2 or not words[0].isdigit():
        return
    group = groups.setdefault(int(words[0]), {"ip": "", "priority": 100, "preempt": False})
    if words[1] == "ip" and len(words) >= 3:
        group["ip"] = words[2]
    elif words[1] == "priority" and len(words) >= 3 and words[2].isdigit():
        group["priority"] = int(words[2])
    elif words[1] == "preempt":
        group["preempt"] = True


def read_switch(name: str, text: str, c9800: bool = False) -> Switch:
    """The lab's own reading of an IOS-XE running configuration (indentation-structured)."""
    interfaces: dict[str, Iface] = {}
    vlans: dict[int, tuple[str, bool]] = {}
    priority: dict[int, int] = {}
    hostname = name
    iface: Iface | None = None
    vlan: int | None = None
    v3: dict[str, Any] | None = None  # a VRRPv3 address family being read
    for raw in text.splitlines():
        if not raw.strip() or raw.strip() == "!":
            continue
        indented = raw[:1] in (" ", "\t")
        words = raw.split()
        if not indented:
            iface, vlan, v3 = None, None, None
            if words[0] == "hostname" and len(words) == 2:
                hostname = words[1]
            elif words[0] == "interface" and len(words) == 2:
                iface = interfaces[words[1]] = Iface(words[1], [])
                kind = words[1]
                iface.routed = not any(kind.startswith(h[0]) for h in HARDWARE) and not kind.startswith("Port-channel")
                if re.fullmatch(r"GigabitEthernet0(/0)?", kind):
                    iface.routed = True  # the management port (a switch's Gi0/0, a 9800's Gi0)
            elif words[0] == "vlan" and len(words) == 2 and words[1].isdigit():
                vlan = int(words[1])
                vlans[vlan] = (f"VLAN{vlan:04d}", False)
            elif words[:2] == ["spanning-tree", "vlan"] and len(words) >= 5:
                if words[3] == "priority" and words[4].isdigit():
                    value = int(words[4])
                elif words[3] == "root" and words[4] in ROOT_PRIORITY:
                    value = ROOT_PRIORITY[words[4]]
                else:
                    continue
                for v in vlan_list(words[2]):
                    priority[v] = value
            continue
        if vlan is not None:
            if words[0] == "name" and len(words) >= 2:
                vlans[vlan] = (words[1], vlans[vlan][1])
            elif words == ["shutdown"]:
                vlans[vlan] = (vlans[vlan][0], True)
            continue
        if iface is None:
            continue
        iface.lines.append(raw.strip())
        if v3 is not None and len(raw) - len(raw.lstrip()) >= 2:
            if words[0] == "address" and len(words) >= 2:
                v3["ip"] = words[1]
            continue
        v3 = None
        if words == ["shutdown"]:
            iface.shutdown = True
        elif words == ["no", "switchport"]:
            iface.routed = True
        elif words[:2] == ["switchport", "mode"] and len(words) >= 3:
            iface.mode = words[2]
        elif words[:3] == ["switchport", "access", "vlan"] and len(words) == 4 and words[3].isdigit():
            iface.access_vlan = int(words[3])
        elif words[:4] == ["switchport", "trunk", "native", "vlan"] and len(words) == 5 and words[4].isdigit():
            iface.native_vlan = int(words[4])
        elif words[:4] == ["switchport", "trunk", "allowed", "vlan"] and len(words) >= 5:
            iface.allowed = _allowed(iface.allowed, words[4:])
        elif words[0] == "channel-group" and len(words) >= 4 and words[1].isdigit():
            iface.channel = (int(words[1]), words[3])
        elif words[0] == "speed" and len(words) == 2:
            iface.speed = words[1]
        elif words[:2] == ["ip", "address"] and len(words) >= 4:
            iface.address = words[2]
        elif words[0] == "standby" and len(words) >= 3 and words[1] != "version":
            _fhrp(iface.standby, words[1:])
        elif words[0] == "vrrp" and len(words) >= 3:
            if words[2] == "address-family":
                v3 = iface.vrrp.setdefault(int(words[1]), {"ip": "", "priority": 100, "preempt": True})
            else:
                _fhrp(iface.vrrp, words[1:])
                iface.vrrp.setdefault(int(words[1]), {}).setdefault("preempt", True)  # VRRP preempts by default
    # VRRPv3 sub-mode lines ("priority P" under "vrrp N address-family ipv4") are read above as addresses only;
    # a priority there is read here
    for iface in interfaces.values():
        current: int | None = None
        for line in iface.lines:
            w = line.split()
            if w[:1] == ["vrrp"] and len(w) >= 3 and w[2] == "address-family" and w[1].isdigit():
                current = int(w[1])
            elif current is not None and w[:1] == ["priority"] and len(w) == 2 and w[1].isdigit():
                iface.vrrp[current]["priority"] = int(w[1])
            elif w[:1] in (["standby"], ["vrrp"], ["ip"], ["description"]):
                current = None
        if iface.mode != "trunk" and not iface.routed and iface.mode == "":
            iface.mode = "access"
    return Switch(name, hostname, interfaces, vlans, priority, c9800)


# ---------------------------------------------------------------- the lab around a node


class Lab:
    """The node's view of its site: the other IOS-XE nodes (their running configurations) and the cabling."""

    def __init__(self, node: SimNode) -> None:
        self.node = node
        self.book = node.book
        self.me = node.runtime.name
        self.records: dict[str, dict[str, Any]] = {}
        if self.book is not None:
            self.book.refresh()
            self.records = dict(self.book.records)
        self.wires = topology_wires(self.book.topology) if self.book is not None and self.book.topology else ()
        self._switches: dict[str, Switch | None] = {}

    def up(self, name: str) -> bool:
        return name == self.me or self.book is None or self.book.is_up(name)

    def switch(self, name: str) -> Switch | None:
        """The IOS-XE node ``name`` as its running configuration has it (None: not one, or unreadable)."""
        if name not in self._switches:
            if name == self.me:
                labels = self.node.runtime.labels
                self._switches[name] = read_switch(name, self.node.text(), _is_9800(labels))
            else:
                record = self.records.get(name) or {}
                if record.get("platform") not in ("cisco_xe", "cisco_ios"):
                    self._switches[name] = None
                else:
                    try:
                        text = Path(record.get("config_path") or "").read_text(encoding="utf-8")
                    except OSError:
                        text = ""
                    self._switches[name] = read_switch(name, text, _is_9800(record.get("labels") or {}))
        return self._switches[name]

    def site_peers(self, role: str | None = None) -> list[str]:
        """The powered-on IOS-XE nodes of this node's site (itself included), optionally of one role."""
        site = self.node.runtime.site
        names = [n for n, r in self.records.items() if r.get("site") == site and r.get("platform") in ("cisco_xe", "cisco_ios")
                 and (role is None or r.get("role") == role) and self.up(n)]
        if self.me not in names:
            names.append(self.me)
        return sorted(names)

    def peer_of(self, port: str) -> tuple[str, str] | None:
        """(node, port) at the far end of this node's ``port`` cable."""
        for wire in self.wires:
            seen = wire.seen_from(self.me)
            if seen is not None and seen[0] == port:
                return seen[1], seen[2]
        return None

    def link_up(self, iface: Iface) -> bool:
        """Whether a port is up: not shut down, and its cable (if any) ends on a powered-on node's open port."""
        if iface.shutdown:
            return False
        if iface.name.startswith("Port-channel"):
            me = self.switch(self.me)
            assert me is not None
            members = [i for i in me.interfaces.values() if i.channel and f"Port-channel{i.channel[0]}" == iface.name]
            return any(self.link_up(m) for m in members) if members else True
        far = self.peer_of(iface.name)
        if far is None:
            return True
        peer, port = far
        if not self.up(peer):
            return False
        other = self.switch(peer)
        if other is not None:
            remote = other.interfaces.get(port)
            return remote is None or not remote.shutdown
        from labs.sim.neighbors import speaker  # the far end is another platform: what it says of its port

        record = self.records.get(peer)
        return record is None or not speaker(record).port(port).shutdown


def _is_9800(labels: dict[str, str]) -> bool:
    return str(labels.get("netops-model", "")).upper().startswith("C9800")


def short(name: str) -> str:
    return if_kind(name)[2]


def _hardware(name: str) -> tuple[str, str, str, int, int, str] | None:
    return next((h for h in HARDWARE if name.startswith(h[0])), None)


def _dotted(mac: str) -> str:
    return f"{mac[0:4]}.{mac[4:8]}.{mac[8:12]}"


def _prefix_len(mask: str) -> int:
    try:
        return sum(bin(int(octet)).count("1") for octet in mask.split("."))
    except ValueError:
        return 32


# ---------------------------------------------------------------- show interfaces


def _errors(node: SimNode, name: str) -> int:
    """Input errors: as the node's SNMP agent counts them (``netops-if-errors`` ports keep taking errors)."""
    seed = digest(node.runtime.name, name)
    faulty = {p.strip() for p in node.runtime.labels.get("netops-if-errors", "").split(",") if p.strip()}
    base = seed % 53
    if name in faulty or short(name) in faulty:
        return base + 2 * max(int(time.time() - (node.runtime.booted_at or STARTED)), 0)
    return base


def show_interfaces(node: SimNode, wanted: str | None = None) -> str | None:
    """``show interfaces [NAME]``; None when NAME is not an interface of the node."""
    lab = Lab(node)
    me = lab.switch(lab.me)
    assert me is not None
    out: list[str] = []
    for index, iface in enumerate(me.interfaces.values()):
        if wanted and iface.name != wanted:
            continue
        out += _interface_block(node, lab, me, index, iface)
    if wanted and not out:
        return None
    return "\n".join(out) + "\n"


def _interface_block(node: SimNode, lab: Lab, me: Switch, index: int, iface: Iface) -> list[str]:
    name = iface.name
    hw = _hardware(name)
    up = lab.link_up(iface)
    if iface.shutdown:
        state = "administratively down, line protocol is down (disabled)" if hw else "administratively down, line protocol is down"
    elif up:
        state = "up, line protocol is up (connected)" if hw else "up, line protocol is up"
    else:
        state = "down, line protocol is down (notconnect)"
    mac = _dotted(node.mac(index + 1))
    if hw:
        kind = hw[1]
    elif name.startswith("Vlan"):
        kind = "Ethernet SVI"
    elif name.startswith("Port-channel"):
        kind = "EtherChannel"
    else:
        kind = re.sub(r"[\d/.:]+$", "", name)
    lines = [f"{name} is {state} ", f"  Hardware is {kind}, address is {mac} (bia {mac})" if hw or kind in ("Ethernet SVI", "EtherChannel")
             else f"  Hardware is {kind}"]
    desc = next((ln.split(None, 1)[1] for ln in iface.lines if ln.startswith("description ")), None)
    if desc:
        lines.append(f"  Description: {desc}")
    ip = next((ln.split() for ln in iface.lines if ln.startswith("ip address ") and len(ln.split()) > 3), None)
    if ip:
        lines.append(f"  Internet address is {ip[2]}/{_prefix_len(ip[3])}")
    speed_text, bw = "", 1_000_000
    if hw:
        speed_text, bw = hw[2], hw[3]
        if iface.speed in SPEEDS:
            speed_text, bw = SPEEDS[iface.speed][0], SPEEDS[iface.speed][1]
    elif name.startswith("Port-channel"):
        members = [i for i in me.interfaces.values() if i.channel and f"Port-channel{i.channel[0]}" == name and lab.link_up(i)]
        bw = sum((_hardware(m.name) or HARDWARE[4])[3] for m in members) or 1_000_000
        speed_text = f"{bw // 1_000_000}Gb/s" if bw >= 10_000_000 else f"{bw // 1000}Mb/s"
    elif name.startswith("Loopback"):
        bw = 8_000_000
    elif name.startswith("Tunnel"):
        bw = 100
    dly = "5000 usec" if name.startswith("Loopback") else "50000 usec" if name.startswith("Tunnel") else "10 usec"
    lines += [f"  MTU {1514 if name.startswith('Loopback') else 1500} bytes, BW {bw} Kbit/sec, DLY {dly}, ",
              "     reliability 255/255, txload 1/255, rxload 1/255",
              "  Encapsulation ARPA, loopback not set" if not name.startswith(("Loopback", "Tunnel")) else
              f"  Encapsulation {'LOOPBACK' if name.startswith('Loopback') else 'TUNNEL'}, loopback not set",
              "  Keepalive set (10 sec)" if not name.startswith("Tunnel") else "  Keepalive not set"]
    if hw:
        if up and not iface.shutdown:
            link = ", link type is auto" if name.startswith(("Ten", "TwentyFive", "Forty", "Hundred")) else ""
            lines.append(f"  Full-duplex, {speed_text}{link}, media type is {hw[5]}")
        else:
            lines.append(f"  Auto-duplex, Auto-speed, media type is {hw[5]}")
        lines.append("  input flow-control is on, output flow-control is unsupported ")
    elif name.startswith("Port-channel"):
        lines.append(f"  Full-duplex, {speed_text}, link type is auto, media type is N/A")
        names = [short(i.name) for i in me.interfaces.values() if i.channel and f"Port-channel{i.channel[0]}" == name]
        if names:
            lines.append(f"  Members in this channel: {' '.join(names)} ")
    seed = digest(node.runtime.name, name)
    live = up and not iface.shutdown
    seconds = max(node.uptime(), 1)
    rate = (seed % 2_000 + 50) * 1_000 if live else 0  # bytes/s, as the SNMP agent's octet counters grow
    pkts_in = (seed % 10**9 + rate * seconds // 700) if live else seed % 10**6
    pkts_out = (seed >> 20) % 10**9 + (rate * seconds // 1400 if live else 0)
    errors = _errors(node, name) if live else seed % 53
    lines += [
        "  ARP type: ARPA, ARP Timeout 04:00:00",
        f"  Last input {'00:00:00' if live else 'never'}, output {'00:00:00' if live else 'never'}, output hang never",
        '  Last clearing of "show interface" counters never',
        "  Input queue: 0/2000/0/0 (size/max/drops/flushes); Total output drops: 0",
        "  Queueing strategy: fifo",
        "  Output queue: 0/40 (size/max)",
        f"  5 minute input rate {rate * 8 if live else 0} bits/sec, {rate // 700 if live else 0} packets/sec",
        f"  5 minute output rate {rate * 4 if live else 0} bits/sec, {rate // 1400 if live else 0} packets/sec",
        f"     {pkts_in} packets input, {pkts_in * 700} bytes, 0 no buffer",
        f"     Received {pkts_in // 50} broadcasts ({pkts_in // 100} multicasts)",
        "     0 runts, 0 giants, 0 throttles ",
        f"     {errors} input errors, {errors // 2} CRC, 0 frame, 0 overrun, 0 ignored",
        f"     0 watchdog, {pkts_in // 100} multicast, 0 pause input",
        "     0 input packets with dribble condition detected",
        f"     {pkts_out} packets output, {pkts_out * 1400} bytes, 0 underruns",
        "     0 output errors, 0 collisions, 1 interface resets",
        "     0 unknown protocol drops",
        "     0 babbles, 0 late collision, 0 deferred",
        "     0 lost carrier, 0 no carrier, 0 pause output",
        "     0 output buffer failures, 0 output buffers swapped out",
    ]
    return lines


# ---------------------------------------------------------------- VLANs and trunks


def _switchports(me: Switch) -> list[Iface]:
    return [i for i in me.interfaces.values() if not i.routed and (i.physical or i.name.startswith("Port-channel"))]


def show_vlan_brief(node: SimNode) -> str:
    """``show vlan brief``: every VLAN (1, the configured ones, 1002-1005) with its access ports."""
    me = read_switch(node.runtime.name, node.text())
    ports: dict[int, list[str]] = {}
    for iface in _switchports(me):
        if iface.mode == "trunk" or iface.channel is not None:
            continue
        ports.setdefault(iface.access_vlan, []).append(short(iface.name))
    rows = ["", "VLAN Name                             Status    Ports",
            "---- -------------------------------- --------- -------------------------------"]
    table = {1: ("default", False), **me.vlans}
    for vlan in sorted(table):
        name, shut = table[vlan]
        members = ports.get(vlan, [])
        chunks = [", ".join(members[i:i + 4]) for i in range(0, len(members), 4)] or [""]
        rows.append(f"{vlan:<4} {name[:32]:<32} {'act/lshut' if shut else 'active':<9} {chunks[0]}".rstrip())
        rows += [f"{'':<48}{chunk}" for chunk in chunks[1:]]
    rows += [f"{vlan:<4} {name:<32} act/unsup " for vlan, name in DEFAULT_VLANS if vlan not in table]
    return "\n".join(rows) + "\n"


def _trunks(lab: Lab, me: Switch) -> list[Iface]:
    """The ports trunking right now: ``switchport mode trunk``, up, not bundled (their Po trunks instead)."""
    return [i for i in _switchports(me) if i.mode == "trunk" and i.channel is None and lab.link_up(i)]


def show_interfaces_trunk(node: SimNode) -> str:
    """``show interfaces trunk``: mode/encapsulation/status/native, allowed, allowed and active, forwarding."""
    lab = Lab(node)
    me = lab.switch(lab.me)
    assert me is not None
    trunks = _trunks(lab, me)
    if not trunks:
        return ""
    defined = {v for v in range(1, 4095) if me.vlan_defined(v)}
    out = ["", "Port        Mode             Encapsulation  Status        Native vlan"]
    out += [f"{short(t.name):<11} {'on':<16} {'802.1q':<14} {'trunking':<13} {t.native_vlan}" for t in trunks]
    sections = (("Vlans allowed on trunk", lambda t: t.allowed),
                ("Vlans allowed and active in management domain", lambda t: t.allowed & defined),
                ("Vlans in spanning tree forwarding state and not pruned", lambda t: t.allowed & defined))
    for title, vlans in sections:
        out += ["", f"Port        {title}"]
        for t in trunks:
            first, *more = _wrap(compress(vlans(t)))
            out += [f"{short(t.name):<11} {first}", *(f"{'':<12}{line}" for line in more)]
    return "\n".join(out) + "\n"


def _wrap(vlans: str, width: int = 68) -> list[str]:
    """A long VLAN list on several lines, broken after a comma, as IOS prints it."""
    lines, line = [], ""
    for item in vlans.split(","):
        piece = f"{line},{item}" if line else item
        if len(piece) > width and line:
            lines.append(line + ",")
            piece = item
        line = piece
    return [*lines, line]


# ---------------------------------------------------------------- spanning tree


def _cost(iface: Iface) -> int:
    if iface.speed in SPEEDS:
        return SPEEDS[iface.speed][2]
    hw = _hardware(iface.name)
    return hw[4] if hw else 4


Edge = tuple[str, int, str]  # (peer switch, path cost, local port)


def stp_roots(lab: Lab, vlan: int) -> tuple[str, dict[str, int], dict[str, tuple[int, str]], list[Edge]] | None:
    """(root switch, cost to it per switch, bridge id per switch, this node's links) of ``vlan`` among the site's
    switches reachable from this node over cables that carry it; None when this node does not run it."""
    me = lab.switch(lab.me)
    if me is None or not me.vlan_defined(vlan):
        return None
    names = [n for n in lab.site_peers() if (s := lab.switch(n)) is not None and not s.c9800 and s.vlan_defined(vlan)]
    if lab.me not in names:
        names.append(lab.me)
    graph: dict[str, list[Edge]] = {n: [] for n in names}
    for wire in lab.wires:
        if wire.a in graph and wire.b in graph:
            a, b = lab.switch(wire.a), lab.switch(wire.b)
            if a and b and a.carries(wire.a_port, vlan) and b.carries(wire.b_port, vlan):
                cost = max(_cost(a.interfaces[wire.a_port]), _cost(b.interfaces[wire.b_port]))  # the slower end
                graph[wire.a].append((wire.b, cost, wire.a_port))
                graph[wire.b].append((wire.a, cost, wire.b_port))
    # the component this node is in
    seen, todo = {lab.me}, [lab.me]
    while todo:
        for peer, _, _ in graph[todo.pop()]:
            if peer not in seen:
                seen.add(peer)
                todo.append(peer)
    ids: dict[str, tuple[int, str]] = {}
    for n in seen:
        s = lab.switch(n)
        assert s is not None
        ids[n] = (s.bridge_priority(vlan), base_mac(n))
    root = min(seen, key=lambda n: ids[n])
    dist = {root: 0}
    heap = [(0, root)]
    while heap:
        d, n = heapq.heappop(heap)
        if d > dist.get(n, 1 << 30):
            continue
        for peer, cost, _ in graph[n]:
            if peer in seen and d + cost < dist.get(peer, 1 << 30):
                dist[peer] = d + cost
                heapq.heappush(heap, (d + cost, peer))
    return root, dist, ids, graph[lab.me]


def show_spanning_tree_root(node: SimNode) -> str:
    lab = Lab(node)
    me = lab.switch(lab.me)
    assert me is not None
    out = ["                                        Root    Hello Max Fwd",
           "Vlan                   Root ID          Cost    Time  Age Dly  Root Port",
           "---------------- -------------------- --------- ----- --- ---  ------------"]
    for vlan in sorted(v for v in {1, *me.vlans} if me.vlan_defined(v)):
        found = stp_roots(lab, vlan)
        if found is None:
            continue
        root, dist, ids, edges = found
        cost = dist.get(lab.me, 0)
        port = ""
        if root != lab.me:
            candidates = [(ids[peer], _natural(local), local) for peer, c, local in edges
                          if peer in dist and dist[peer] + c == cost]
            port = short(min(candidates)[2]) if candidates else ""
        priority, mac = ids[root]
        out.append(f"{f'VLAN{vlan:04d}':<16} {priority:>5} {_dotted(mac)} {cost:>9} {2:>5} {20:>3} {15:>3}  {port}".rstrip())
    return "\n".join(out) + "\n"


def _natural(text: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]


# ---------------------------------------------------------------- HSRP / VRRP


def _fhrp_peers(lab: Lab, iface: Iface, kind: str, group: int) -> list[tuple[int, str, str]]:
    """(priority, interface address, node) of every powered-on core of the site running ``group`` on the same
    VLAN interface (not shut down), this node included when its own interface is up."""
    found = []
    for name in lab.site_peers():
        s = lab.switch(name)
        other = s.interfaces.get(iface.name) if s else None
        if other is None or other.shutdown:
            continue
        groups = other.standby if kind == "standby" else other.vrrp
        if group in groups:
            found.append((int(groups[group].get("priority", 100)), other.address, name))
    return sorted(found, key=lambda f: (f[0], tuple(int(x) for x in f[1].split(".")) if f[1] else ()), reverse=True)


def _fhrp_rows(node: SimNode, kind: str) -> list[tuple[Iface, int, dict[str, Any], str, str, str]]:
    """(interface, group, settings, state, active/master address, standby address) of this node's groups."""
    lab = Lab(node)
    me = lab.switch(lab.me)
    assert me is not None
    rows = []
    for iface in me.interfaces.values():
        groups = iface.standby if kind == "standby" else iface.vrrp
        for group, settings in sorted(groups.items()):
            if iface.shutdown:
                rows.append((iface, group, settings, "Init", "unknown", "unknown"))
                continue
            peers = _fhrp_peers(lab, iface, kind, group)
            rank = next((i for i, p in enumerate(peers) if p[2] == lab.me), 0)
            active = peers[0][1] if peers else "unknown"
            standby = peers[1][1] if len(peers) > 1 else "unknown"
            if kind == "standby":
                state = "Active" if rank == 0 else "Standby" if rank == 1 else "Listen"
                active, standby = ("local" if rank == 0 else active), ("local" if rank == 1 else standby)
            else:
                state = "Master" if rank == 0 else "Backup"
            rows.append((iface, group, settings, state, active, standby))
    return rows


def show_standby_brief(node: SimNode) -> str:
    rows = _fhrp_rows(node, "standby")
    if not rows:
        return ""
    out = ["                     P indicates configured to preempt.", "                     |",
           "Interface   Grp  Pri P State   Active          Standby         Virtual IP"]
    for iface, group, settings, state, active, standby in rows:
        preempt = "P" if settings.get("preempt") else " "
        out.append(f"{short(iface.name):<11} {group:<4} {settings.get('priority', 100):<3} {preempt} {state:<7} "
                   f"{active:<15} {standby:<15} {settings.get('ip') or 'unknown'}")
    return "\n".join(out) + "\n"


def show_vrrp_brief(node: SimNode) -> str:
    rows = _fhrp_rows(node, "vrrp")
    if not rows:
        return ""
    out = ["Interface          Grp Pri Time  Own Pre State   Master addr     Group addr"]
    for iface, group, settings, state, active, _ in rows:
        priority = int(settings.get("priority", 100))
        skew = (256 - priority) * 1000 // 256
        pre = "Y" if settings.get("preempt", True) else " "
        out.append(f"{short(iface.name):<18} {group:<3} {priority:<3} {3000 + skew:<5}     {pre}  {state:<7} "
                   f"{active:<15} {settings.get('ip') or 'unknown'}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- EtherChannel


def show_etherchannel_summary(node: SimNode) -> str:
    lab = Lab(node)
    me = lab.switch(lab.me)
    assert me is not None
    groups: dict[int, list[Iface]] = {}
    for iface in me.interfaces.values():
        if iface.channel is not None:
            groups.setdefault(iface.channel[0], []).append(iface)
    out = ["Flags:  D - down        P - bundled in port-channel", "        I - stand-alone s - suspended",
           "        H - Hot-standby (LACP only)", "        R - Layer3      S - Layer2",
           "        U - in use      f - failed to allocate aggregator", "",
           "        M - not in use, minimum links not met", "        u - unsuitable for bundling",
           "        w - waiting to be aggregated", "        d - default port", "",
           "        A - formed by Auto LAG", "", "",
           f"Number of channel-groups in use: {len(groups)}", f"Number of aggregators:           {len(groups)}", "",
           "Group  Port-channel  Protocol    Ports",
           "------+-------------+-----------+-----------------------------------------------"]
    for group, members in sorted(groups.items()):
        mode = members[0].channel[1] if members[0].channel else "on"
        protocol = "LACP" if mode in ("active", "passive") else "PAgP" if mode in ("desirable", "auto") else "-"
        po = me.interfaces.get(f"Port-channel{group}")
        bundled = [(m, lab.link_up(m) and not (po is not None and po.shutdown)) for m in members]
        layer = "R" if po is not None and po.routed else "S"
        state = "U" if any(ok for _, ok in bundled) else "D"
        ports = [f"{short(m.name)}({'P' if ok else 'D'})" for m, ok in bundled]
        first, rest = ports[:3], ports[3:]
        out.append(f"{group:<6} {f'Po{group}({layer}{state})':<15} {protocol:<9} " + "".join(f"{p:<15}" for p in first).rstrip())
        for i in range(0, len(rest), 3):
            out.append(" " * 33 + "".join(f"{p:<15}" for p in rest[i:i + 3]).rstrip())
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- facts


def stack_size(labels: dict[str, str]) -> int:
    """Switches in the stack: the ``netops-stack`` label (default 1)."""
    value = str(labels.get("netops-stack", "1"))
    return max(int(value), 1) if value.isdigit() else 1


def member_serial(node: SimNode, member: int) -> str:
    return node.serial("FOC") if member == 1 else f"FOC{digest('stack', node.runtime.name, member) % 10**8:08d}"


def show_inventory(node: SimNode) -> str:
    """``show inventory``: NAME/DESCR then PID/VID/SN blocks, as a Catalyst 9300/9200 stack or a 9800 prints them."""
    labels = node.runtime.labels
    model = labels.get("netops-model") or "C9300-48P"
    blocks: list[tuple[str, str, str, str, str]] = []
    if model.upper().startswith("C9800"):
        family = model.upper().removeprefix("C9800-").split("-")[0]
        descr = f"Cisco Catalyst 9800-{family} Wireless Controller"
        blocks.append(("Chassis", descr, model, "V02", node.serial("FCW")))
        blocks.append(("Power Supply Module 0", f"Cisco Catalyst 9800-{family} AC Power Supply", "C9800-AC-750W", "V01",
                       f"ART{digest('psu', node.runtime.name) % 10**8:08d}"))
        blocks.append(("Fan Tray", f"Cisco Catalyst 9800-{family} Fan Tray", "C9800-40-FAN", "V01",
                       f"DCH{digest('fan', node.runtime.name) % 10**8:08d}"))
    else:
        family = "c93xx" if model.upper().startswith("C93") else "c92xx"
        psu = "PWR-C1-715WAC-P" if family == "c93xx" else "PWR-C5-600WAC"
        blocks.append((f"{family} Stack", f"{family} Stack", model, "V02", node.serial("FOC")))
        for member in range(1, stack_size(labels) + 1):
            sn = member_serial(node, member)
            blocks.append((f"Switch {member}", model, model, "V02", sn))
            blocks.append((f"Switch {member} - Power Supply A", f"Switch {member} - Power Supply A", psu, "V01",
                           f"ART{digest('psu', node.runtime.name, member) % 10**8:08d}"))
            if family == "c93xx":
                blocks.append((f"Switch {member} FRU Uplink Module 1", "8x10G Uplink Module", "C9300-NM-8X", "V02",
                               f"FOC{digest('nm', node.runtime.name, member) % 10**8:08d}"))
    out = []
    for name, descr, pid, vid, sn in blocks:
        out += [f'NAME: "{name}", DESCR: "{descr}"', f"PID: {pid:<18}, VID: {vid:<5}, SN: {sn}", ""]
    return "\n".join(out)


def version_tail(node: SimNode, hostname: str, model: str) -> list[str]:
    """The stack table and the other members' blocks of ``show version`` (after the active switch's own lines)."""
    size = stack_size(node.runtime.labels)
    image = "C9800_IOSXE" if model.upper().startswith("C9800") else "CAT9K_IOSXE"
    ports = 65 if "48" in model else 41
    out = ["", "Switch Ports Model              SW Version        SW Image              Mode   ",
           "------ ----- -----              ----------        ----------            ----   "]
    for member in range(1, size + 1):
        out.append(f"{'*' if member == 1 else ' '}    {member} {ports:<5} {model:<18} {'17.09.04a':<17} {image:<21} INSTALL")
    for member in range(2, size + 1):
        mac = base_mac(node.runtime.name, 0x100 * member)
        out += ["", "", f"Switch {member:02d}", "---------",
                f"Switch uptime                      : {_uptime_words(node.uptime() - uptime_offset(node.runtime.name) % 3600)}",
                "", f"Base Ethernet MAC Address          : {_colon(mac)}",
                f"Model Number                       : {model}",
                f"System Serial Number               : {member_serial(node, member)}"]
    return out


def _uptime_words(seconds: int) -> str:
    return uptime_words(max(seconds, 60))


def _colon(mac: str) -> str:
    return ":".join(mac[i:i + 2] for i in range(0, 12, 2))
