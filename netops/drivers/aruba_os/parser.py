"""Aruba AOS 8 (mobility controller / conductor) parser.

One WLAN per ``wlan virtual-ap``: its ``ssid-profile`` gives the ESSID and
security (``opmode``, see :mod:`netops.drivers.aruba_os.opmode`), ``hide-ssid``,
``ssid-enable``, and FT through a ``dot11r-profile``; the virtual AP gives the
VLAN (number, list, range, or a name defined by ``vlan NAME IDS``; default 1),
``deny-inter-user-traffic`` (isolation), ``vap-enable`` and ``allowed-band``.
Blocks end with ``!``; captures with their indentation stripped are accepted.

Controller redundancy (ArubaOS 8 User Guide, "AP failback / LMS preemption" and "Cluster
Configuration"): the AP system profile of each AP group (``ap-group NAME`` /
``ap-system-profile PROFILE``; the ``default`` group without one uses the profile named ``default``)
gives its APs their controllers, ``lms-ip`` first then ``bkup-lms-ip``: one entry per group, for
the APs of that group (the ``default`` group's applies to every AP). APs are assigned to groups on
the conductor, outside this configuration: the inventory's ``ap_group`` says which AP is in which. A cluster is ``lc-cluster group-profile NAME`` with ``controller A priority ...`` lines, joined
by ``lc-cluster group-membership NAME``; its peers are the members other than this controller's own
VLAN interface addresses.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from netops.drivers.aruba_os.opmode import OPMODES, resolve
from netops.model import ApJoin, ControllerHa, ControllerRef, ParsedConfig, ParseIssue, Wlan
from netops.parsing.tree import Node, bang_tree
from netops.parsing.vlans import parse_vlan_list, resolve_vlans

PLATFORM = "aruba_os"

HEADER = re.compile(
    r"^(wlan |aaa |interface |ap-group |ap-name |rf |ap |ids |netdestination6? |ip access-list |user-role |"
    r"lc-cluster |mgmt-server |airgroup|crypto |ntp |mgmt-user |cluster-profile |mesh |firewall|netservice |"
    r"time-range |esi |ipv6 access-list |vpn-dialer |web-server|voice |ifmap |upgrade-profile |lldp |"
    r"ip domain-lookup|router |spanning-tree|controller |gateway |dhcp )"
)
_BANDS = {"a": ["5"], "g": ["2.4"], "all": ["2.4", "5", "6"], "6ghz": ["6"], "a-6ghz": ["5", "6"], "g-6ghz": ["2.4", "6"]}
_SSID_IGNORED = re.compile(
    r"^(no )?(wpa-passphrase|wpa-hexkey|wepkey\d|weptxkey|dtim-period|max-clients|a-basic-rates|a-tx-rates|g-basic-rates|"
    r"g-tx-rates|a-beacon-rate|g-beacon-rate|ht-ssid-profile|he-ssid-profile|vht-ssid-profile|eht-ssid-profile|"
    r"hotspot-profile|advertise-ap-name|battery-boost|local-probe-req-thresh|max-tx-fail|edca-parameters-profile|"
    r"qbss-load-enable|deny-bcast|wmm|mcast-rate-opt|broadcast-filter|dot11k-profile|mbo-enable|"
    r"max-retries|rts-threshold|short-preamble|disable-probe-retry|ssid-profile-clone|auth-req-thresh|"
    r"eapol-rate-opt|deny-inter-user-bridging|okc-enable|multicast-rate|ageout|mu-|gtk-|"
    r"sae-|owe-|enforce-user-vlan|strict-svp|wpa-passphrase-encrypted|encrypted|"
    r"advertise-location|advertise-timing|enable-rrm|beacon-|probe-)"
)
_VAP_IGNORED = re.compile(
    r"^(no )?(aaa-profile|forward-mode|band-steering|steering-mode|broadcast-filter|dynamic-mcast-optimization|"
    r"dynamic-mcast-optimization-thresh|rap-operation|auth-failure-blacklist-time|blacklist|deny-time-range|"
    r"dot11k-profile|mobile-ip|multi-association|anyspot-profile|wmm-traffic-management-profile|"
    r"cellular-handoff-assist|strict-svp|vlan-mobility|broadcast-arp|openflow-enable|mcast-|fdb-update-on-assoc|"
    r"preserve-vlan|conversion-to-dhcp|rrm-|dot11r-|dot11v-|vap-clone|blacklist-time)"
)


@dataclass
class _Ssid:
    node: Node
    essid: str | None = None
    opmodes: list[str] = field(default_factory=lambda: ["opensystem"])
    transition: bool = True
    hidden: bool = False
    mfp_capable: bool = False
    mfp_required: bool = False
    enabled: bool = True
    dot11r_profile: str | None = None


@dataclass
class _Vap:
    node: Node
    name: str
    ssid_profile: str | None = None
    vlan: str = "1"
    vlan_node: Node | None = None
    isolation: bool = False
    enabled: bool = True
    bands: list[str] = field(default_factory=lambda: ["2.4", "5", "6"])


def tree(text: str) -> list[Node]:
    """The configuration's blocks (a header line, its lines up to ``!``), as ``kind: lines`` rules see them."""
    return bang_tree(text, HEADER)


def parse(text: str, host: str = "") -> ParsedConfig:
    result = ParsedConfig(host=host, platform=PLATFORM)
    named: dict[str, list[int]] = {}
    ssids: dict[str, _Ssid] = {}
    vaps: list[_Vap] = []
    dot11r: dict[str, bool] = {}
    ha = _Redundancy()
    for node in bang_tree(text, HEADER):
        if ha.node(node, result.issues) or node.text.split()[0] not in ("wlan", "vlan"):
            continue
        try:
            words = node.words
        except ValueError as exc:
            result.issues.append(node.issue(str(exc)))
            continue
        if words[:2] == ["wlan", "ssid-profile"] and len(words) == 3:
            ssids[words[2]] = _ssid_profile(node, result.issues)
        elif words[:2] == ["wlan", "virtual-ap"] and len(words) == 3:
            vaps.append(_virtual_ap(node, words[2], result.issues))
        elif words[:2] == ["wlan", "dot11r-profile"] and len(words) == 3:
            dot11r[words[2]] = any(c.text == "dot11r" for c in node.children)
        elif words[0] == "vlan" and len(words) == 3:
            try:
                named[words[1]] = parse_vlan_list(words[2])
            except ValueError as exc:
                result.issues.append(node.issue(str(exc)))
        elif words[0] == "vlan" and len(words) == 2:
            try:
                parse_vlan_list(words[1])
            except ValueError as exc:
                result.issues.append(node.issue(str(exc)))
    result.vlan_names = {name: ids[0] for name, ids in named.items() if len(ids) == 1}
    result.controller_ha, result.ap_joins = ha.result()
    result.addresses = sorted(ha.own)
    for vap in vaps:
        wlan = _build(vap, ssids, dot11r, named, host, result.issues)
        if wlan is not None:
            result.wlans.append(wlan)
    result.issues.sort(key=lambda i: i.line)
    return result


_BLOCKS = (["ap", "system-profile"], ["lc-cluster", "group-profile"], ["lc-cluster", "group-membership"], ["interface", "vlan"])


class _Redundancy:
    """AP system profiles, the default AP group's choice, cluster profiles and membership."""

    def __init__(self) -> None:
        self.system: dict[str, tuple[Node, list[ControllerRef]]] = {}
        self.groups: dict[str, str] = {"default": "default"}  # AP group -> its AP system profile
        self.clusters: dict[str, list[str]] = {}
        self.membership: tuple[Node, str] | None = None
        self.own: set[str] = set()

    def node(self, node: Node, issues: list[ParseIssue]) -> bool:
        """Read ``node`` when it is a redundancy block; whether it was one."""
        head = node.text.split()[:2]
        if head not in _BLOCKS and head[:1] != ["ap-group"]:
            return False
        try:
            words = node.words
            if head == ["ap", "system-profile"] and len(words) == 3:
                self.system[words[2]] = (node, self._lms(node))
            elif head[0] == "ap-group" and len(words) == 2:
                for child in node.children:
                    cw = child.words
                    if cw[0] == "ap-system-profile" and len(cw) == 2:
                        self.groups[words[1]] = cw[1]
            elif head == ["lc-cluster", "group-profile"] and len(words) == 3:
                self.clusters[words[2]] = [c.words[1] for c in node.children if c.words[0] == "controller" and len(c.words) > 1]
            elif head == ["lc-cluster", "group-membership"] and len(words) == 3:
                self.membership = (node, words[2])
            elif head == ["interface", "vlan"]:
                self.own.update(c.words[2] for c in node.children if c.words[:2] == ["ip", "address"] and len(c.words) >= 3)
        except (ValueError, IndexError) as exc:
            issues.append(node.issue(str(exc) or "unreadable line"))
        return True

    @staticmethod
    def _lms(node: Node) -> list[ControllerRef]:
        found: dict[str, str] = {}
        for child in node.children:
            words = child.words
            if words[0] in ("lms-ip", "bkup-lms-ip") and len(words) == 2 and words[1] != "0.0.0.0":
                found[words[0]] = str(ipaddress.IPv4Address(words[1]))
        return [ControllerRef(address=found[k]) for k in ("lms-ip", "bkup-lms-ip") if k in found]

    def result(self) -> tuple[list[ControllerHa], list[ApJoin]]:
        pairs = []
        if self.membership is not None and self.membership[1] in self.clusters:
            node, name = self.membership
            peers = [ControllerRef(address=a) for a in self.clusters[name] if a not in self.own]
            pairs.append(ControllerHa("cluster", peers, line=node.line))
        joins = []
        for group, name in self.groups.items():
            profile = self.system.get(name)
            if profile is not None:
                joins.append(ApJoin(list(profile[1]), [], f"ap system-profile {name} (ap-group {group})", profile[0].line,
                                    group=None if group == "default" else group))
        return pairs, joins


def _ssid_profile(node: Node, issues: list[ParseIssue]) -> _Ssid:
    ssid = _Ssid(node=node)
    for child in node.children:
        try:
            words = child.words
        except ValueError as exc:
            issues.append(child.issue(str(exc)))
            continue
        cmd = " ".join(words)
        if words[0] == "essid" and len(words) == 2:
            ssid.essid = words[1]
        elif words[0] == "opmode" and len(words) >= 2:
            modes = [m for m in re.split(r"[,\s]+", " ".join(words[1:])) if m]
            unknown = [m for m in modes if m not in OPMODES]
            if unknown:
                issues.append(child.issue(f"unknown opmode {unknown[0]!r}"))
                ssid.opmodes = []
            else:
                ssid.opmodes = modes
        elif cmd in ("opmode-transition", "no opmode-transition", "opmode-transition-disable"):
            ssid.transition = cmd == "opmode-transition"
        elif cmd in ("hide-ssid", "no hide-ssid"):
            ssid.hidden = cmd == "hide-ssid"
        elif cmd in ("mfp-capable", "no mfp-capable"):
            ssid.mfp_capable = cmd == "mfp-capable"
        elif cmd in ("mfp-required", "no mfp-required"):
            ssid.mfp_required = cmd == "mfp-required"
        elif cmd in ("ssid-enable", "no ssid-enable"):
            ssid.enabled = cmd == "ssid-enable"
        elif words[0] == "dot11r-profile" and len(words) == 2:
            ssid.dot11r_profile = words[1]
        elif not _SSID_IGNORED.match(child.text):
            issues.append(child.issue("unrecognised ssid-profile command"))
    return ssid


def _virtual_ap(node: Node, name: str, issues: list[ParseIssue]) -> _Vap:
    vap = _Vap(node=node, name=name)
    for child in node.children:
        try:
            words = child.words
        except ValueError as exc:
            issues.append(child.issue(str(exc)))
            continue
        cmd = " ".join(words)
        if words[0] == "ssid-profile" and len(words) == 2:
            vap.ssid_profile = words[1]
        elif words[0] == "vlan" and len(words) >= 2:
            vap.vlan, vap.vlan_node = " ".join(words[1:]), child
        elif cmd in ("deny-inter-user-traffic", "no deny-inter-user-traffic"):
            vap.isolation = cmd == "deny-inter-user-traffic"
        elif cmd in ("vap-enable", "no vap-enable"):
            vap.enabled = cmd == "vap-enable"
        elif words[0] == "allowed-band" and len(words) == 2 and words[1] in _BANDS:
            vap.bands = list(_BANDS[words[1]])
        elif not _VAP_IGNORED.match(child.text):
            issues.append(child.issue("unrecognised virtual-ap command"))
    return vap


def _build(
    vap: _Vap,
    ssids: dict[str, _Ssid],
    dot11r: dict[str, bool],
    named: dict[str, list[int]],
    host: str,
    issues: list[ParseIssue],
) -> Wlan | None:
    ssid = ssids.get(vap.ssid_profile or "")
    if ssid is None:
        issues.append(vap.node.issue(f"ssid-profile {vap.ssid_profile!r} is not defined"))
        return None
    if ssid.essid is None:
        issues.append(ssid.node.issue("ssid-profile has no essid"))
    if not ssid.opmodes:
        return None  # its opmode line is already an issue
    sec = resolve(ssid.opmodes, transition=ssid.transition, mfp_capable=ssid.mfp_capable, mfp_required=ssid.mfp_required)
    try:
        vlans = resolve_vlans(vap.vlan, named)
    except ValueError as exc:
        issues.append((vap.vlan_node or vap.node).issue(str(exc)))
        vlans = []
    return Wlan(
        host=host,
        platform=PLATFORM,
        profile=vap.name,
        ssid=ssid.essid or "",
        enabled=vap.enabled and ssid.enabled,
        security=sec.security,
        akm=sec.akm,
        ciphers=sec.ciphers,
        pmf=sec.pmf,
        vlans=vlans,
        client_isolation=vap.isolation,
        hidden=ssid.hidden,
        fast_transition=dot11r.get(ssid.dot11r_profile or "", False),
        bands=vap.bands,
        line=vap.node.line,
    )
