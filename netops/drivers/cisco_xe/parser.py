"""Cisco IOS-XE parser: Catalyst 9800 WLANs, and switch ports and SVIs of any IOS-XE box.

9800 WLAN defaults follow Cisco's YANG model (Cisco-IOS-XE-wireless-wlan-cfg):
a new WLAN is WPA2 + 802.1X + AES (CCMP-128), PMF disabled, FT adaptive (not
counted as FT), broadcast SSID, every band, and shut down until ``no shutdown``.
The SSID → VLAN join is WLAN → ``wireless tag policy`` entry → ``wireless profile
policy`` → ``vlan`` (number, ``vlan N``/``name X`` name, or ``vlan group``); a
policy profile without ``vlan`` uses VLAN 1.

Redundancy (port-channel members, HSRP/VRRP, spanning-tree priorities, 9800 HA SSO and AP join
profiles) is read by :mod:`netops.drivers.cisco_xe.redundancy`, whose docstring cites the guides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from netops.drivers.cisco_xe.redundancy import ApJoins, FhrpGroups, rmi_pair, stp_priority
from netops.model import ParsedConfig, ParseIssue, Pmf, Svi, SwitchPort, Wlan
from netops.parsing.addresses import with_prefix
from netops.parsing.security import AKMS, CIPHERS, classify, ordered
from netops.parsing.tokens import is_number
from netops.parsing.tree import Node, ios_tree
from netops.parsing.vlans import ALL_VLANS, apply_allowed, parse_vlan_list, resolve_vlans, vlan_id

PLATFORM = "cisco_xe"

_AKM = {
    "dot1x": "dot1x", "psk": "psk", "sae": "sae", "owe": "owe", "dot1x-sha256": "dot1x-sha256",
    "psk-sha256": "psk-sha256", "suiteb": "suite-b", "suiteb192": "suite-b-192", "suiteb-192": "suite-b-192",
    "sae-ext-key": "sae-ext-key", "cckm": "cckm",
}
_CIPHER = {"aes": "ccmp-128", "ccmp128": "ccmp-128", "ccmp256": "ccmp-256", "gcmp128": "gcmp-128", "gcmp256": "gcmp-256", "tkip": "tkip"}
_BAND = {"24ghz": "2.4", "5ghz": "5", "6ghz": "6"}
_LEGACY_RADIO = {"dot11a": ["5"], "dot11bg": ["2.4"], "dot11g": ["2.4"], "dot11ag": ["2.4", "5"], "all": ["2.4", "5"]}
_PMF: dict[str, Pmf] = {"mandatory": "required", "required": "required", "optional": "optional"}
# WLAN commands that exist on the 9800 but do not feed the model.
_WLAN_IGNORED = {
    "aaa-override", "accounting-list", "assisted-roaming", "band-select", "bss-transition", "call-snoop",
    "ccx", "channel-scan", "chd", "client", "coverage-hole-detection", "device-classification", "dot11ax",
    "dot11be", "dtim", "exclusionlist", "fabric", "ip", "load-balance", "mac-filtering", "max-associated-clients",
    "mdns-sd", "media-stream", "mobility", "nac", "neighbor-list", "session-timeout", "universal-admin",
    "wifi-direct", "wmm", "hotspot", "captive-bypass-portal", "umbrella", "sae", "multicast",
}
# security sub-commands that are recognised but carry nothing the model holds
_SECURITY_IGNORED = re.compile(
    r"^(dot1x|web-auth|wpa psk|wpa akm psk set-key|wpa akm sae pwe|wpa akm sae-ext-key pwe|wpa transition-mode-wlan-id|"
    r"wpa akm dot1x-sha256 pwe|ft over-the-ds|ft reassociation-timeout|pmf association-comeback|pmf saquery-retry-time|"
    r"wpa gtk-randomize|wpa wpa2 mpsk|wpa mpsk|wpa akm psk set-key|tkip|splash-page-web-redir|"
    r"wpa ft|wpa akm easy-psk|wpa akm cckm|wpa psk-format|wpa psk-key)\b"
)
_SWITCHPORT_IGNORED = re.compile(
    r"^switchport (nonegotiate|port-security|voice|trunk encapsulation|trunk pruning|host|protected|block|priority|backup|autostate)\b"
)


@dataclass
class _WlanState:
    node: Node
    profile: str
    ssid: str
    enabled: bool = False
    wpa: bool = True
    wpa1: bool = False
    wpa2: bool = True
    wpa3: bool = False
    static_wep: bool = False
    akm: set[str] = field(default_factory=lambda: {"dot1x"})
    wpa2_ciphers: set[str] = field(default_factory=lambda: {"ccmp-128"})
    wpa1_ciphers: set[str] = field(default_factory=lambda: {"tkip"})
    pmf: Pmf = "disabled"
    ft: bool = False
    isolation: bool = False
    hidden: bool = False
    bands_on: set[str] = field(default_factory=set)
    bands_off: set[str] = field(default_factory=set)


def parse(text: str, host: str = "") -> ParsedConfig:
    result = ParsedConfig(host=host, platform=PLATFORM)
    tree = ios_tree(text)
    named: dict[str, list[int]] = {}  # VLAN names and VLAN groups
    wlans: list[_WlanState] = []
    policy_vlans: dict[str, tuple[Node, str] | None] = {}  # policy profile → its vlan line
    tag_entries: list[tuple[Node, str, str]] = []  # (line, wlan profile, policy profile)
    joins = ApJoins()
    rmi: list[tuple[Node, list[str]]] = []
    secondaries: dict[str, set[str]] = {}  # SVI name (lower case) -> its secondary addresses
    for node in tree:
        words = node.text.split()
        if words[0] in ("wlan", "wireless"):
            joins.wireless = True
        if words[:2] == ["spanning-tree", "vlan"] and len(words) >= 4:
            try:
                stp_priority(node, words, result.stp_priorities)
            except ValueError as exc:
                result.issues.append(node.issue(str(exc)))
        elif words[:2] == ["redun-management", "interface"]:
            rmi.append((node, words))
        elif words[:2] == ["ap", "profile"] and len(words) == 3:
            joins.profile(node, words[2], result.issues)
        elif words[:3] == ["wireless", "tag", "site"] and len(words) == 4:
            joins.site_tag(node, words[3])
        elif words[0] == "ap" and len(words) == 2:
            joins.ap(node, words[1], result.issues)
        elif words[:2] == ["vlan", "group"]:
            _vlan_group(node, words, result, named)
        elif words[0] == "vlan" and len(words) >= 2:
            _vlan(node, words, result, named)
        elif words[0] == "wlan":
            state = _wlan(node, result)
            if state is not None:
                wlans.append(state)
        elif words[:3] == ["wireless", "profile", "policy"]:
            _policy_profile(node, words, result, policy_vlans)
        elif words[:3] == ["wireless", "tag", "policy"]:
            _policy_tag(node, result, tag_entries)
        elif words[0] == "interface" and len(words) == 2:
            _interface(node, words[1], result, host, secondaries)
    for node, words in rmi:
        try:
            result.controller_ha.append(rmi_pair(node, words, secondaries))
        except ValueError as exc:
            result.issues.append(node.issue(str(exc)))
    result.ap_joins = joins.result()
    result.vlan_names = {name: ids[0] for name, ids in named.items() if len(ids) == 1}
    joined = _join_vlans(tag_entries, policy_vlans, named, result.issues)
    for state in wlans:
        result.wlans.append(_build_wlan(state, host, joined.get(state.profile, [])))
    result.issues.sort(key=lambda i: i.line)
    return result


def _vlan(node: Node, words: list[str], result: ParsedConfig, named: dict[str, list[int]]) -> None:
    try:
        ids = parse_vlan_list(words[1])
    except ValueError as exc:
        if words[1] in {"internal", "configuration", "access-map", "filter", "dot1q", "accounting"}:
            return
        result.issues.append(node.issue(str(exc)))
        return
    for child in node.children:
        cw = child.text.split(None, 1)
        if cw[0] == "name" and len(cw) == 2 and len(ids) == 1:
            named[cw[1].strip('"')] = ids
        elif cw[0] == "name":
            result.issues.append(child.issue("'name' needs one VLAN and one name"))


def _vlan_group(node: Node, words: list[str], result: ParsedConfig, named: dict[str, list[int]]) -> None:
    if len(words) != 5 or words[3] != "vlan-list":
        result.issues.append(node.issue("expected 'vlan group NAME vlan-list LIST'"))
        return
    try:
        named[words[2]] = parse_vlan_list(words[4])
    except ValueError as exc:
        result.issues.append(node.issue(str(exc)))


def _wlan(node: Node, result: ParsedConfig) -> _WlanState | None:
    try:
        words = node.words  # the SSID may be quoted
    except ValueError as exc:
        result.issues.append(node.issue(str(exc)))
        return None
    if len(words) != 4 or not words[2].isdigit():
        result.issues.append(node.issue("expected 'wlan PROFILE ID SSID'"))
        return None
    state = _WlanState(node=node, profile=words[1], ssid=words[3])
    for child in node.children:
        try:
            _wlan_line(state, child)
        except ValueError as exc:
            result.issues.append(child.issue(str(exc)))
    return state


def _wlan_line(state: _WlanState, child: Node) -> None:
    words = child.text.split()
    negated = words[0] == "no"
    if negated:
        words = words[1:]
    if not words:
        raise ValueError("empty command")
    cmd = " ".join(words)
    if cmd == "shutdown":
        state.enabled = negated
    elif cmd == "broadcast-ssid":
        state.hidden = negated
    elif words[0] == "peer-blocking":
        if not negated and words[1:] not in (["drop"], ["forward-unicast"], ["allow-private-group"]):
            raise ValueError("expected 'peer-blocking drop|forward-unicast'")
        state.isolation = not negated
    elif words[0] == "radio":
        _radio(state, words, negated)
    elif words[0] == "security":
        _security(state, words[1:], negated)
    elif words[0] in _WLAN_IGNORED:
        return
    else:
        raise ValueError("unrecognised WLAN command")


def _radio(state: _WlanState, words: list[str], negated: bool) -> None:
    if words[1:3] == ["policy", "dot11"] and len(words) == 4 and words[3] in _BAND:
        (state.bands_off if negated else state.bands_on).add(_BAND[words[3]])
    elif len(words) == 2 and words[1] in _LEGACY_RADIO:
        state.bands_on.update(_LEGACY_RADIO[words[1]])
    elif words[1:3] == ["policy", "dot11"] and len(words) > 4:
        return  # per-band sub-options (e.g. 24ghz dot11bg)
    else:
        raise ValueError("unrecognised radio policy")


def _security(state: _WlanState, words: list[str], negated: bool) -> None:
    cmd = " ".join(words)
    if not words:
        raise ValueError("incomplete security command")
    if cmd == "wpa":
        state.wpa = not negated
    elif cmd in ("wpa wpa1", "wpa wpa2", "wpa wpa3"):
        setattr(state, words[1], not negated)
    elif words[:3] in (["wpa", "wpa2", "ciphers"], ["wpa", "wpa1", "ciphers"]) and len(words) == 4:
        if words[3] not in _CIPHER:
            raise ValueError(f"unknown cipher {words[3]!r}")
        target = state.wpa2_ciphers if words[1] == "wpa2" else state.wpa1_ciphers
        (target.discard if negated else target.add)(_CIPHER[words[3]])
    elif words[:2] == ["wpa", "akm"] and len(words) == 3 and words[2] in _AKM:
        (state.akm.discard if negated else state.akm.add)(_AKM[words[2]])
    elif words[:3] == ["wpa", "akm", "ft"] and len(words) == 4 and words[3] in _AKM:
        (state.akm.discard if negated else state.akm.add)("ft-" + _AKM[words[3]])
    elif cmd == "ft":
        state.ft = not negated
    elif cmd == "ft adaptive":
        return  # adaptive FT is offered to some Apple clients only: not counted as FT
    elif words[0] == "pmf" and len(words) == 2 and words[1] in _PMF:
        state.pmf = "disabled" if negated else _PMF[words[1]]
    elif cmd == "pmf" and negated:
        state.pmf = "disabled"
    elif words[0] == "static-wep-key":
        state.static_wep = not negated
    elif _SECURITY_IGNORED.match(cmd):
        return
    else:
        raise ValueError("unrecognised security command")


def _policy_profile(node: Node, words: list[str], result: ParsedConfig, out: dict[str, tuple[Node, str] | None]) -> None:
    if len(words) != 4:
        result.issues.append(node.issue("expected 'wireless profile policy NAME'"))
        return
    vlan: tuple[Node, str] | None = None
    for child in node.children:
        cw = child.text.split()
        if cw[0] == "vlan":
            if len(cw) != 2:
                result.issues.append(child.issue("expected 'vlan NAME|ID'"))
            else:
                vlan = (child, cw[1])
    out[words[3]] = vlan


def _policy_tag(node: Node, result: ParsedConfig, out: list[tuple[Node, str, str]]) -> None:
    for child in node.children:
        cw = child.text.split()
        if cw[0] == "wlan":
            if len(cw) == 4 and cw[2] == "policy":
                out.append((child, cw[1], cw[3]))
            else:
                result.issues.append(child.issue("expected 'wlan WLAN-PROFILE policy POLICY-PROFILE'"))
        elif cw[0] not in ("description", "no"):
            result.issues.append(child.issue("unrecognised policy tag command"))


def _join_vlans(
    entries: list[tuple[Node, str, str]],
    profiles: dict[str, tuple[Node, str] | None],
    named: dict[str, list[int]],
    issues: list[ParseIssue],
) -> dict[str, list[int]]:
    joined: dict[str, set[int]] = {}
    bad: set[int] = set()  # vlan lines already reported
    for entry, wlan, policy in entries:
        if policy not in profiles:
            issues.append(entry.issue(f"policy profile {policy!r} is not defined"))
            continue
        vlan = profiles[policy]
        try:
            vlans = resolve_vlans(vlan[1], named) if vlan is not None else [1]
        except ValueError as exc:
            if vlan is not None and vlan[0].line not in bad:
                bad.add(vlan[0].line)
                issues.append(vlan[0].issue(str(exc)))
            continue
        joined.setdefault(wlan, set()).update(vlans)
    return {wlan: sorted(v) for wlan, v in joined.items()}


def _build_wlan(state: _WlanState, host: str, vlans: list[int]) -> Wlan:
    if not state.wpa:
        akm: list[str] = []
        ciphers = ["wep"] if state.static_wep else []
    else:
        akm = ordered(state.akm - {"cckm"}, AKMS)
        chosen = set(state.wpa2_ciphers) if (state.wpa2 or state.wpa3) else set()
        if state.wpa1:
            chosen |= state.wpa1_ciphers
        ciphers = ordered(chosen, CIPHERS)
    bands = state.bands_on or {"2.4", "5", "6"}
    return Wlan(
        host=host,
        platform=PLATFORM,
        profile=state.profile,
        ssid=state.ssid,
        enabled=state.enabled,
        security=classify(akm, state.pmf, wpa3=state.wpa3, wpa1=state.wpa and state.wpa1, wep=not state.wpa and state.static_wep),
        akm=akm,
        ciphers=ciphers,
        pmf=state.pmf,
        vlans=vlans,
        client_isolation=state.isolation,
        hidden=state.hidden,
        fast_transition=state.ft or any(a.startswith("ft-") for a in akm),
        bands=[b for b in ("2.4", "5", "6") if b in bands - state.bands_off],
        line=state.node.line,
    )


# --- switch ports and SVIs -------------------------------------------------

_ROUTED_NAMES = re.compile(r"^(Loopback|Tunnel|Null|BDI|Port-channel\d+\.\d+)", re.I)
_SVI_NAME = re.compile(r"^Vlan(\d{1,9})$", re.I)


def _interface(node: Node, name: str, result: ParsedConfig, host: str, secondaries: dict[str, set[str]]) -> None:
    svi = _SVI_NAME.match(name)
    if svi:
        result.svis.append(_svi(node, int(svi.group(1)), result.issues, host, secondaries.setdefault(name.lower(), set())))
    else:
        result.ports.append(_port(node, name, result.issues, host))


def _svi(node: Node, vlan: int, issues: list[ParseIssue], host: str, secondaries: set[str]) -> Svi:
    svi = Svi(host=host, vlan=vlan, line=node.line)
    fhrp = FhrpGroups()
    for child in node.children:
        words = child.text.split()
        try:
            if fhrp.line(child, words):
                continue
            if words[:2] == ["ip", "address"] and len(words) == 5 and words[4] == "secondary":
                secondaries.add(words[2])
            elif words[:2] == ["ip", "address"] and len(words) == 4:
                svi.address = with_prefix(words[2], words[3])
            elif words[:2] == ["ip", "address"] and words[2:3] == ["dhcp"]:
                svi.address = None
            elif words[:2] == ["ip", "address"] and words[-1] != "secondary":
                raise ValueError("expected 'ip address ADDRESS MASK'")
            elif words[:2] == ["vrf", "forwarding"] or words[:3] == ["ip", "vrf", "forwarding"]:
                if len(words) != (3 if words[0] == "vrf" else 4):
                    raise ValueError("expected 'vrf forwarding NAME'")
                svi.vrf = words[-1]
            elif words == ["shutdown"]:
                svi.shutdown = True
            elif words == ["no", "shutdown"]:
                svi.shutdown = False
        except ValueError as exc:
            issues.append(child.issue(str(exc)))
    svi.fhrp = fhrp.result()
    return svi


def _port(node: Node, name: str, issues: list[ParseIssue], host: str) -> SwitchPort:
    port = SwitchPort(host=host, name=name, line=node.line)
    mode: str | None = None
    access: int | None = None
    native: int | None = None
    allowed: set[int] | None = None  # None: IOS default, every VLAN
    routed = bool(_ROUTED_NAMES.match(name))
    for child in node.children:
        words = child.text.split()
        try:
            if words[0] == "description":
                port.description = child.text.split(None, 1)[1] if len(words) > 1 else ""
            elif words == ["shutdown"]:
                port.shutdown = True
            elif words == ["no", "shutdown"]:
                port.shutdown = False
            elif words == ["no", "switchport"] or words[:2] in (["vrf", "forwarding"], ["ip", "address"]):
                routed = True  # an IOS switchport carries neither a VRF nor an address
            elif words == ["switchport"]:
                routed = False
            elif words[:2] == ["switchport", "mode"]:
                if len(words) != 3 or words[2] not in ("access", "trunk", "dynamic", "private-vlan", "dot1q-tunnel"):
                    raise ValueError("expected 'switchport mode access|trunk'")
                mode = words[2]
            elif words[:3] == ["switchport", "access", "vlan"] and len(words) == 4:
                access = 0  # a malformed VLAN leaves the port without one, not on VLAN 1
                access = vlan_id(words[3])
            elif words[:4] == ["switchport", "trunk", "native", "vlan"] and len(words) == 5:
                native = vlan_id(words[4])
            elif words[:4] == ["switchport", "trunk", "allowed", "vlan"]:
                allowed = apply_allowed(set(ALL_VLANS) if allowed is None else allowed, words[4:])
            elif words[0] == "channel-group":  # Layer 2 Configuration Guide, "Configuring EtherChannels"
                if len(words) not in (2, 4) or not is_number(words[1]) or (len(words) == 4 and words[2] != "mode"):
                    raise ValueError("expected 'channel-group N mode active|passive|on|desirable|auto'")
                port.channel_group = int(words[1])
            elif words[0] == "switchport" and not _SWITCHPORT_IGNORED.match(child.text):
                raise ValueError("unrecognised switchport command")
        except ValueError as exc:
            issues.append(child.issue(str(exc)))
    if routed:
        port.mode = "routed"
    elif mode == "trunk":
        port.mode = "trunk"
        port.allowed_vlans = sorted(ALL_VLANS if allowed is None else allowed)
        port.native_vlan = native or 1
    elif mode == "access":
        port.mode = "access"
        port.access_vlan = 1 if access is None else (access or None)
    return port
