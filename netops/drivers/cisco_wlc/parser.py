"""Cisco AireOS parser: WLANs from ``show run-config commands``.

The output is grouped by command, not by WLAN, and each WLAN command names
the WLAN id. A created WLAN starts as WPA2 + 802.1X + AES (CCMP-128), PMF
disabled, FT disabled, SSID broadcast, every radio, interface ``management``,
and disabled: it is enabled only by a ``wlan enable ID`` line. The VLAN comes
from the WLAN's interface (``interface create|vlan NAME VLAN``; VLAN 0 means
untagged) or interface group, plus the interfaces AP groups map it to
(``wlan apgroup interface-mapping add GROUP ID IFNAME``). A leading ``config``
is accepted.

Controller redundancy (Cisco Wireless Controller Configuration Guide 8.x, "Configuring Backup
Controllers (CLI)" and "High Availability", "Configuring High Availability (CLI)"):
``advanced backup-controller primary|secondary NAME IP`` (every AP: an entry naming no AP),
``ap primary-base|secondary-base|tertiary-base CONTROLLER AP [IP]`` (one entry per AP, primary
first), and an SSO pair from ``redundancy mode sso`` with ``interface address redundancy-management
A peer-redundancy-management B`` (the peer is B).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from netops.model import ApJoin, ControllerHa, ControllerRef, ParsedConfig, ParseIssue, Pmf, Wlan
from netops.parsing.security import AKMS, CIPHERS, classify, ordered
from netops.parsing.tokens import is_number, redact, split_words

PLATFORM = "cisco_wlc"

_AKM = {
    "802.1x": "dot1x", "psk": "psk", "sae": "sae", "owe": "owe", "802.1x-sha256": "dot1x-sha256",
    "psk-sha256": "psk-sha256", "suiteb": "suite-b", "suiteb192": "suite-b-192", "suiteb-192": "suite-b-192",
    "cckm": "cckm", "ft 802.1x": "ft-dot1x", "ft psk": "ft-psk", "ft sae": "ft-sae",
    "pmf 802.1x": "dot1x-sha256", "pmf psk": "psk-sha256",
}
_CIPHER = {"aes": "ccmp-128", "tkip": "tkip", "ccmp256": "ccmp-256", "gcmp128": "gcmp-128", "gcmp256": "gcmp-256"}
_RADIO = {"all": ["2.4", "5"], "802.11a": ["5"], "802.11bg": ["2.4"], "802.11g": ["2.4"], "802.11ag": ["2.4", "5"]}
_PMF: dict[str, Pmf] = {"required": "required", "optional": "optional", "disable": "disabled"}
_SWITCH = {"enable": True, "disable": False}
# WLAN commands that exist on AireOS but do not feed the model
_WLAN_IGNORED = {
    "aaa-override", "acl", "apgroup", "assisted-roaming", "avc", "band-select", "call-snoop", "ccx", "channel-scan",
    "chd", "custom-web", "dhcp_server", "dhcp_address-assignment", "diag-channel", "dtim", "exclusionlist", "flexconnect",
    "hotspot", "kts-cac", "learn-ipaddr-cswlan", "load-balance", "lobby-admin-access", "mac-filtering", "max-associated-clients",
    "mdns", "media-stream", "mfp", "mobility", "multicast", "nac", "passive-client", "profiling", "qos", "radius_server",
    "roamed-voice-client", "session-timeout", "usertimeout", "sip-cac", "static-ip", "uapsd", "user-idle-threshold", "user-idle-timeout",
    "wifidirect", "wmm", "wgb", "universal-admin", "url-acl", "mu-mimo", "opendns-profile", "fabric", "layer2",
}
_SECURITY_IGNORED = ("802.1X", "802.1x", "web-auth", "web-passthrough", "cconly", "ckip", "splash-page-web-redir",
                     "passpoint", "eap-params", "tkip", "wpa akm psk set-key", "wpa akm sae pwe", "wpa akm ft over-the-ds",
                     "wpa akm ft reassociation-timeout", "ft over-the-ds", "ft reassociation-timeout", "ft adaptive",
                     "pmf association-comeback", "pmf saquery-retrytimeout", "wpa gtk-random", "wpa osen",
                     "wpa akm psk set-key", "wpa wpa3 sae", "wpa akm sae anti-clogging", "wpa wpa2 cache")


@dataclass
class _WlanState:
    line: int
    profile: str
    ssid: str
    enabled: bool = False
    interface: str = "management"
    group_interfaces: list[str] = field(default_factory=list)  # AP group overrides
    wpa: bool = True
    wpa1: bool = False
    wpa2: bool = True
    wpa3: bool = False
    wep: bool = False  # static WEP or 802.1X dynamic WEP (layer 2 security "802.1X")
    akm: set[str] = field(default_factory=lambda: {"dot1x"})
    wpa2_ciphers: set[str] = field(default_factory=lambda: {"ccmp-128"})
    wpa1_ciphers: set[str] = field(default_factory=set)
    pmf: Pmf = "disabled"
    ft: bool = False
    isolation: bool = False
    hidden: bool = False
    bands: list[str] = field(default_factory=lambda: ["2.4", "5"])


@dataclass
class _Line:
    number: int
    text: str
    words: list[str]

    def issue(self, message: str) -> ParseIssue:
        return ParseIssue(line=self.number, text=redact(self.text), message=message)


def parse(text: str, host: str = "") -> ParsedConfig:
    result = ParsedConfig(host=host, platform=PLATFORM)
    wlans: dict[int, _WlanState] = {}
    interfaces: dict[str, int] = {}
    groups: dict[str, list[str]] = {}
    wlan_lines: list[_Line] = []
    ha = _Redundancy()
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("config "):
            stripped = stripped[len("config "):]
        if stripped.startswith(_REDUNDANCY):
            ha.line(_Line(number, stripped, stripped.split()), result.issues)
            continue
        if not stripped.startswith(("wlan ", "interface ")):
            continue
        try:
            line = _Line(number, stripped, split_words(stripped))
        except ValueError as exc:
            result.issues.append(ParseIssue(number, redact(stripped), str(exc)))
            continue
        if line.words[0] == "interface":
            _interface(line, interfaces, groups, result.issues)
            if line.words[1:3] == ["address", "management"] and len(line.words) > 3:
                result.addresses.append(line.words[3])
            elif line.words[1:3] == ["address", "dynamic-interface"] and len(line.words) > 4:
                result.addresses.append(line.words[4])
        elif line.words[1] == "create":
            _create(line, wlans, result.issues)
        else:
            wlan_lines.append(line)  # applied after every WLAN exists: output order varies by release
    for line in wlan_lines:
        _wlan_command(line, wlans, result.issues)
    result.controller_ha, result.ap_joins = ha.result()
    result.vlan_names = {name: vlan for name, vlan in interfaces.items() if vlan}
    for _, state in sorted(wlans.items()):
        result.wlans.append(_build(state, host, _vlans(state, interfaces, groups)))
    result.issues.sort(key=lambda i: i.line)
    return result


_REDUNDANCY = ("advanced backup-controller ", "ap primary-base ", "ap secondary-base ", "ap tertiary-base ",
               "redundancy mode ", "interface address redundancy-management ")
_RANKS = ("primary", "secondary", "tertiary")


def _ref(name: str, address: str | None) -> ControllerRef:
    """A controller by name and address; AireOS writes 0.0.0.0 for "no address"."""
    ip = str(ipaddress.IPv4Address(address)) if address is not None else None  # ValueError on anything else
    return ControllerRef(name=name, address=None if ip == "0.0.0.0" else ip)


class _Redundancy:
    """Backup controllers, per-AP primary/secondary/tertiary controllers and the SSO pair."""

    def __init__(self) -> None:
        self.backups: dict[str, ControllerRef] = {}
        self.backup_line: int | None = None
        self.per_ap: dict[str, tuple[int, dict[str, ControllerRef]]] = {}
        self.sso: int | None = None
        self.peer: ControllerRef | None = None

    def line(self, line: _Line, issues: list[ParseIssue]) -> None:
        w = line.words
        try:
            if w[:2] == ["advanced", "backup-controller"]:
                if len(w) not in (4, 5) or w[2] not in ("primary", "secondary"):
                    raise ValueError("expected 'advanced backup-controller primary|secondary NAME [IP]'")
                self.backups[w[2]] = _ref(w[3], w[4] if len(w) == 5 else None)
                self.backup_line = self.backup_line or line.number
            elif w[0] == "ap":
                if len(w) not in (4, 5):
                    raise ValueError(f"expected 'ap {w[1]} CONTROLLER AP [IP]'")
                _, ranks = self.per_ap.setdefault(w[3], (line.number, {}))
                ranks[w[1].removesuffix("-base")] = _ref(w[2], w[4] if len(w) == 5 else None)
            elif w[:2] == ["redundancy", "mode"]:
                self.sso = line.number if w[2:] == ["sso"] else None
            elif len(w) == 6 and w[4] == "peer-redundancy-management":
                self.peer = ControllerRef(address=str(ipaddress.IPv4Address(w[5])))
            else:
                raise ValueError("expected 'interface address redundancy-management A peer-redundancy-management B'")
        except ValueError as exc:
            issues.append(line.issue(str(exc)))

    def result(self) -> tuple[list[ControllerHa], list[ApJoin]]:
        pairs = [ControllerHa("sso", [self.peer], line=self.sso)] if self.sso is not None and self.peer is not None else []
        joins = []
        if self.backups:
            joins.append(ApJoin([self.backups[r] for r in _RANKS if r in self.backups], [],
                                "config advanced backup-controller", self.backup_line, fallback=True))
        for ap, (first, ranks) in self.per_ap.items():
            joins.append(ApJoin([ranks[r] for r in _RANKS if r in ranks], [ap], "config ap primary-base", first))
        return pairs, joins


def _interface(line: _Line, interfaces: dict[str, int], groups: dict[str, list[str]], issues: list[ParseIssue]) -> None:
    w = line.words
    if w[1] in ("create", "vlan") and len(w) == 4:
        if not is_number(w[3]) or int(w[3]) > 4094:
            issues.append(line.issue(f"{w[3]!r} is not a VLAN number (0-4094)"))
        else:
            interfaces[w[2]] = int(w[3])
    elif w[1:3] == ["group", "create"] and len(w) >= 4:
        groups.setdefault(w[3], [])
    elif w[1:4] == ["group", "interface", "add"] and len(w) == 6:
        groups.setdefault(w[4], []).append(w[5])
    elif w[1] in ("create", "vlan"):
        issues.append(line.issue(f"expected 'interface {w[1]} NAME VLAN'"))


def _create(line: _Line, wlans: dict[int, _WlanState], issues: list[ParseIssue]) -> None:
    w = line.words
    if len(w) not in (4, 5) or not is_number(w[2]):
        issues.append(line.issue("expected 'wlan create ID PROFILE [SSID]'"))
        return
    wlans[int(w[2])] = _WlanState(line=line.number, profile=w[3], ssid=w[4] if len(w) == 5 else w[3])


def _wlan_command(line: _Line, wlans: dict[int, _WlanState], issues: list[ParseIssue]) -> None:
    w = line.words[1:]
    if w[:3] == ["apgroup", "interface-mapping", "add"] and len(w) == 6 and is_number(w[4]):
        w = ["group-interface", w[4], w[5]]  # AP group GROUP serves WLAN ID on interface NAME
    if w[0] in _WLAN_IGNORED:
        return
    # the WLAN id is the last word, except for 'wlan interface ID NAME' and 'wlan radio ID BAND'
    id_at = 1 if w[0] in ("interface", "radio", "group-interface") else len(w) - 1
    if len(w) < 2 or not is_number(w[id_at]):
        issues.append(line.issue("expected a WLAN id"))
        return
    state = wlans.get(int(w[id_at]))
    if state is None:
        issues.append(line.issue(f"WLAN {w[id_at]} is not created in this config"))
        return
    args = w[:id_at] + w[id_at + 1:]
    try:
        _apply(state, args)
    except ValueError as exc:
        issues.append(line.issue(str(exc)))


def _apply(state: _WlanState, args: list[str]) -> None:
    cmd = " ".join(args)
    if cmd in ("enable", "disable"):
        state.enabled = cmd == "enable"
    elif args[0] == "interface" and len(args) == 2:
        state.interface = args[1]
    elif args[0] == "group-interface":
        state.group_interfaces.append(args[1])
    elif args[0] == "radio" and len(args) == 2 and args[1] in _RADIO:
        state.bands = list(_RADIO[args[1]])
    elif args[0] == "broadcast-ssid" and len(args) == 2 and args[1] in _SWITCH:
        state.hidden = not _SWITCH[args[1]]
    elif args[0] == "peer-blocking" and len(args) == 2 and args[1] in ("drop", "forward-upstream", "disable"):
        state.isolation = args[1] != "disable"
    elif args[0] == "security":
        _security(state, args[1:])
    else:
        raise ValueError("unrecognised WLAN command")


def _security(state: _WlanState, args: list[str]) -> None:
    cmd = " ".join(args)
    toggle = _SWITCH.get(args[-1]) if args else None
    body = " ".join(args[:-1])
    if body == "wpa" and toggle is not None:
        state.wpa = toggle
    elif body in ("wpa wpa1", "wpa wpa2", "wpa wpa3") and toggle is not None:
        setattr(state, args[1], toggle)
    elif args[:2] == ["wpa", "akm"] and body[len("wpa akm "):] in _AKM and toggle is not None:
        (state.akm.add if toggle else state.akm.discard)(_AKM[body[len("wpa akm "):]])
    elif args[:3] in (["wpa", "wpa2", "ciphers"], ["wpa", "wpa1", "ciphers"]) and len(args) == 5 and toggle is not None:
        if args[3] not in _CIPHER:
            raise ValueError(f"unknown cipher {args[3]!r}")
        target = state.wpa2_ciphers if args[1] == "wpa2" else state.wpa1_ciphers
        (target.add if toggle else target.discard)(_CIPHER[args[3]])
    elif args[0] == "pmf" and len(args) == 2 and args[1] in _PMF:
        state.pmf = _PMF[args[1]]
    elif body == "ft" and toggle is not None:
        state.ft = toggle
    elif args[:1] == ["static-wep-key"]:
        state.wep = args[1] != "disable" if len(args) > 1 else True
    elif body in ("802.1X", "802.1x") and toggle is not None:
        state.wep = toggle
    elif cmd.startswith(_SECURITY_IGNORED):
        return
    else:
        raise ValueError("unrecognised security command")


def _vlans(state: _WlanState, interfaces: dict[str, int], groups: dict[str, list[str]]) -> list[int]:
    """VLANs of the WLAN's interface (or interface group) and of its AP group mappings."""
    names = [n for i in [state.interface, *state.group_interfaces] for n in groups.get(i, [i])]
    return sorted({interfaces[n] for n in names if interfaces.get(n)})


def _build(state: _WlanState, host: str, vlans: list[int]) -> Wlan:
    if state.wpa:
        akm = ordered(state.akm - {"cckm"}, AKMS)
        chosen = set(state.wpa2_ciphers) if (state.wpa2 or state.wpa3) else set()
        if state.wpa1:
            chosen |= state.wpa1_ciphers or {"tkip"}
        ciphers = ordered(chosen, CIPHERS)
    else:
        akm, ciphers = [], (["wep"] if state.wep else [])
    return Wlan(
        host=host,
        platform=PLATFORM,
        profile=state.profile,
        ssid=state.ssid,
        enabled=state.enabled,
        security=classify(akm, state.pmf, wpa3=state.wpa3, wpa1=state.wpa and state.wpa1, wep=not state.wpa and state.wep),
        akm=akm,
        ciphers=ciphers,
        pmf=state.pmf,
        vlans=vlans,
        client_isolation=state.isolation,
        hidden=state.hidden,
        fast_transition=state.ft,
        bands=state.bands,
        line=state.line,
    )
