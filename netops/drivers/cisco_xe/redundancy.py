"""IOS-XE redundancy lines: first-hop redundancy on SVIs, spanning-tree priorities, Catalyst 9800 HA SSO
and AP join profiles.

Sources (Cisco configuration guides):
- HSRP: IOS-XE "First Hop Redundancy Protocols Configuration Guide", Configuring HSRP:
  ``standby version 2``, ``standby [G] ip [A [secondary]]``, ``standby [G] priority P``,
  ``standby [G] preempt [delay ...]``, ``standby [G] track OBJ [decrement N | shutdown]`` (and the older
  ``standby [G] track INTERFACE [N]``); group 0 when omitted; preempt is off unless configured.
- VRRP: the legacy ``vrrp G ip A``, ``vrrp G priority P``, ``vrrp G preempt``, ``vrrp G track OBJ``, and
  VRRPv3 (IOS-XE 16.x, "Configuring VRRPv3 Protocol Support"; ``fhrp version vrrp v3``): ``vrrp G
  address-family ipv4`` with ``address A primary``, ``priority``, ``preempt``, ``track``, ``shutdown``;
  VRRP preempts by default (``no vrrp G preempt`` / ``no preempt`` turn it off).
- Spanning tree: ``spanning-tree vlan LIST priority N`` and ``spanning-tree vlan LIST root primary|secondary``
  (Layer 2 Configuration Guide, "Configuring the Root Switch": 24576 and 28672).
- Catalyst 9800 SSO: "High Availability SSO Deployment Guide for Cisco Catalyst 9800 Series Wireless
  Controllers" (17.3) and the 17.x configuration guide's Redundancy Management Interface chapter:
  ``redun-management interface VlanX chassis 1 address A chassis 2 address B``. ``redundancy`` / ``mode sso``
  alone is the supervisor/stack setting of any Catalyst switch and makes no pair. ``chassis redundancy
  ha-interface ... local-ip ... remote-ip ...`` is an exec command kept outside the running configuration,
  so it is not read. Both chassis share one configuration, which cannot say which chassis is active: the
  active one's RMI address is the automatic secondary address of the RMI VLAN's SVI, and when that line is
  there the peer is the other chassis; otherwise both RMI addresses are listed.
- 9800 AP join: AP join profiles ``ap profile NAME`` with ``capwap backup primary NAME IP`` and ``capwap
  backup secondary NAME IP`` ("Catalyst 9800 Series Configuration Best Practices", primary/secondary/
  tertiary versus backup primary/backup secondary: there is no tertiary backup); site tags
  ``wireless tag site TAG`` / ``ap-profile NAME`` (default ``default-ap-profile``); APs mapped with
  ``ap MAC`` / ``site-tag TAG`` (the AP's Ethernet MAC, ``xxxx.xxxx.xxxx``); unmapped APs use
  ``default-site-tag``. Per-AP primary/secondary/tertiary controllers are stored on the AP, not here.
"""

from __future__ import annotations

import ipaddress
import re

from netops.model import ApJoin, ControllerHa, ControllerRef, Fhrp, ParseIssue
from netops.parsing.tree import Node
from netops.parsing.vlans import parse_vlan_list

ROOT_PRIORITY = {"primary": 24576, "secondary": 28672}
DEFAULT_SITE_TAG, DEFAULT_AP_PROFILE = "default-site-tag", "default-ap-profile"
_MAC = re.compile(r"^([0-9a-f]{4})\.([0-9a-f]{4})\.([0-9a-f]{4})$", re.I)


def _address(text: str) -> str:
    return str(ipaddress.IPv4Address(text))  # ValueError on anything else


def _priority(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 255:
        raise ValueError(f"{text!r} is not a priority (0-255)")
    return int(text)


class FhrpGroups:
    """The HSRP and VRRP groups of one SVI, in order of first appearance."""

    def __init__(self) -> None:
        self.groups: dict[tuple[str, int], Fhrp] = {}
        self.shut: set[tuple[str, int]] = set()

    def _group(self, protocol: str, number: str, line: int) -> Fhrp:
        if not number.isdigit():
            raise ValueError(f"{number!r} is not a group number")
        key = (protocol, int(number))
        if key not in self.groups:
            self.groups[key] = Fhrp("hsrp" if protocol == "hsrp" else "vrrp", int(number), preempt=protocol == "vrrp", line=line)
        return self.groups[key]

    def line(self, node: Node, words: list[str]) -> bool:
        """Apply one SVI line; whether it was an HSRP/VRRP line."""
        negated = words[0] == "no"
        body = words[1:] if negated else words
        if not body or body[0] not in ("standby", "vrrp"):
            return False
        if body[0] == "standby":
            self._hsrp(node, body[1:], negated)
        elif body[2:3] == ["address-family"]:
            if body[3:] == ["ipv4"] and not negated:
                self._vrrp3(node, body[1])  # ipv6 groups carry no IPv4 gateway
        elif len(body) >= 3:
            self._vrrp(node, body[1], body[2:], negated)
        return True

    def _hsrp(self, node: Node, rest: list[str], negated: bool) -> None:
        number = rest[0] if rest and rest[0].isdigit() else "0"
        args = rest[1:] if rest and rest[0].isdigit() else rest
        if not args or args[0] not in ("ip", "priority", "preempt", "track"):
            return  # version, timers, name, authentication, mac-address, ipv6, ...: nothing the model holds
        group = self._group("hsrp", number, node.line)
        self._common(group, args, negated, secondary_ok=True)

    def _vrrp(self, node: Node, number: str, args: list[str], negated: bool) -> None:
        if args[0] not in ("ip", "priority", "preempt", "track", "shutdown"):
            return
        group = self._group("vrrp", number, node.line)
        if args[0] == "shutdown":
            (self.shut.discard if negated else self.shut.add)(("vrrp", group.group))
            return
        self._common(group, args, negated, secondary_ok=True)

    def _vrrp3(self, node: Node, number: str) -> None:
        group = self._group("vrrp", number, node.line)
        for child in node.children:
            words = child.text.split()
            negated = words[0] == "no"
            args = words[1:] if negated else words
            try:
                if args and args[0] == "address" and len(args) >= 2:
                    if args[2:] in ([], ["primary"]):
                        group.address = _address(args[1])
                elif args == ["shutdown"]:
                    (self.shut.discard if negated else self.shut.add)(("vrrp", group.group))
                elif args and args[0] in ("priority", "preempt", "track"):
                    self._common(group, args, negated, secondary_ok=False)
            except ValueError as exc:
                raise ValueError(f"line {child.line}: {exc}") from None

    @staticmethod
    def _common(group: Fhrp, args: list[str], negated: bool, secondary_ok: bool) -> None:
        if args[0] == "ip" and not negated:
            if len(args) >= 2 and args[2:] in ([], ["secondary"]) and (args[2:] == [] or secondary_ok):
                if args[2:] == []:
                    group.address = _address(args[1])
            elif len(args) != 1:  # 'standby 1 ip' alone learns the address from the active router
                raise ValueError("expected 'ip ADDRESS [secondary]'")
        elif args[0] == "priority" and not negated:
            if len(args) != 2:
                raise ValueError("expected 'priority N'")
            group.priority = _priority(args[1])
        elif args[0] == "preempt":
            group.preempt = not negated
        elif args[0] == "track" and not negated:
            if len(args) < 2:
                raise ValueError("expected 'track OBJECT'")
            group.tracks.append(args[1])

    def result(self) -> list[Fhrp]:
        return [g for key, g in self.groups.items() if key not in self.shut]


def stp_priority(node: Node, words: list[str], priorities: dict[int, int]) -> None:
    """``spanning-tree vlan LIST priority N`` / ``... root primary|secondary [diameter D]``."""
    if len(words) >= 5 and words[3] == "priority":
        if len(words) != 5 or not words[4].isdigit() or int(words[4]) > 61440 or int(words[4]) % 4096:
            raise ValueError("expected 'spanning-tree vlan LIST priority N' (N a multiple of 4096)")
        value = int(words[4])
    elif len(words) >= 5 and words[3] == "root" and words[4] in ROOT_PRIORITY:
        value = ROOT_PRIORITY[words[4]]
    else:
        return  # hello-time, forward-time, max-age, ...
    for vlan in parse_vlan_list(words[2]):
        priorities[vlan] = value


def rmi_pair(node: Node, words: list[str], svi_secondaries: dict[str, set[str]]) -> ControllerHa:
    """``redun-management interface VlanX chassis 1 address A chassis 2 address B``."""
    rest = words[2:]
    if rest[:1] and rest[0].lower() == "vlan" and len(rest) > 1:  # typed as 'vlan 100', stored as 'Vlan100'
        rest = [f"Vlan{rest[1]}", *rest[2:]]
    if len(rest) != 9 or rest[1::2] != ["chassis", "address", "chassis", "address"]:
        raise ValueError("expected 'redun-management interface VlanN chassis 1 address A chassis 2 address B'")
    members = [ControllerRef(name=f"chassis {rest[2]}", address=_address(rest[4])),
               ControllerRef(name=f"chassis {rest[6]}", address=_address(rest[8]))]
    own = svi_secondaries.get(rest[0].lower(), set())
    others = [m for m in members if m.address not in own]
    return ControllerHa("sso", others if len(others) == 1 else members, line=node.line)


def normal_mac(text: str) -> str | None:
    """``0cd0.f894.46e8`` -> ``0c:d0:f8:94:46:e8`` (the inventory's base MAC form); None if not a MAC."""
    match = _MAC.match(text)
    if not match:
        return None
    digits = "".join(match.groups()).lower()
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2))


class ApJoins:
    """AP join profiles, site tags and AP-to-tag mappings, joined at the end."""

    def __init__(self) -> None:
        self.profiles: dict[str, tuple[Node, list[ControllerRef]]] = {}
        self.site_tags: dict[str, str] = {}  # site tag -> AP join profile
        self.aps: list[tuple[str, str]] = []  # (normalised MAC, site tag)
        self.wireless = False  # a 9800: AP join profiles apply (set by the parser on any wireless line)

    def profile(self, node: Node, name: str, issues: list[ParseIssue]) -> None:
        backups: dict[str, ControllerRef] = {}
        for child in node.children:
            words = child.text.split()
            if words[:2] != ["capwap", "backup"]:
                continue
            if len(words) not in (4, 5) or words[2] not in ("primary", "secondary"):
                issues.append(child.issue("expected 'capwap backup primary|secondary NAME [ADDRESS]'"))
                continue
            try:
                backups[words[2]] = ControllerRef(name=words[3], address=_address(words[4]) if len(words) == 5 else None)
            except ValueError as exc:
                issues.append(child.issue(str(exc)))
        self.profiles[name] = (node, [backups[k] for k in ("primary", "secondary") if k in backups])

    def site_tag(self, node: Node, name: str) -> None:
        profile = next((c.text.split()[1] for c in node.children if c.text.split()[0] == "ap-profile" and len(c.text.split()) == 2),
                       DEFAULT_AP_PROFILE)
        self.site_tags[name] = profile

    def ap(self, node: Node, mac: str, issues: list[ParseIssue]) -> None:
        normal = normal_mac(mac)
        if normal is None:
            return  # 'ap profile', 'ap dot11', ...: other 'ap' commands
        for child in node.children:
            words = child.text.split()
            if words[0] == "site-tag" and len(words) == 2:
                self.aps.append((normal, words[1]))

    def result(self) -> list[ApJoin]:
        if not (self.wireless or self.profiles or self.site_tags or self.aps):
            return []
        default = self.site_tags.get(DEFAULT_SITE_TAG, DEFAULT_AP_PROFILE)
        named: dict[str, list[str]] = {}
        for mac, tag in self.aps:
            profile = self.site_tags.get(tag, DEFAULT_AP_PROFILE)
            if profile != default:
                named.setdefault(profile, []).append(mac)
        joins = []
        for profile in [default, *sorted(named)]:
            node, backups = self.profiles.get(profile, (None, []))
            joins.append(ApJoin(list(backups), sorted(set(named.get(profile, []))), f"ap profile {profile}",
                                node.line if node is not None else None))
        return joins
