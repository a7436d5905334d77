"""Aruba Instant AP (virtual controller) parser: one WLAN per ``wlan ssid-profile``.

Each profile carries everything: ``essid``, ``opmode`` (same values and
transition rules as AOS 8, see :mod:`netops.drivers.aruba_os.opmode`),
``enable``/``disable-ssid``, ``vlan`` (absent: the AP's untagged VLAN, shown
as no VLAN), ``hide-ssid``, ``deny-inter-user-traffic`` (isolation),
``dot11r`` (FT), ``mfp-capable``/``mfp-required`` and ``rf-band``.
"""

from __future__ import annotations

import re

from netops.drivers.aruba_os.opmode import OPMODES, resolve
from netops.model import ParsedConfig, ParseIssue, Wlan
from netops.parsing.tree import Node, ios_tree
from netops.parsing.vlans import resolve_vlans

PLATFORM = "aruba_instant"

_BANDS = {"2.4": "2.4", "5.0": "5", "5": "5", "6.0": "6", "6": "6"}
_IGNORED = re.compile(
    r"^(no )?(index|type|wpa-passphrase|wpa-passphrase-encrypted|max-authentication-failures|captive-portal|dtim-period|"
    r"broadcast-filter|dmo-channel-utilization-threshold|local-probe-req-thresh|max-clients-threshold|"
    r"[ag]-(max|min)-tx-rate|[ag]-basic-rates|[ag]-tx-rates|inactivity-timeout|auth-server|radius-|set-role|blacklist|"
    r"dot11k|dot11v|multicast-rate-optimization|okc|enforce-dhcp|mac-authentication|l2-auth-failthrough|wmm|"
    r"out-of-service|explicit-ageout-client|utf8|zone|air-time-limit|bandwidth-limit|per-user-bandwidth-limit|"
    r"high-efficiency|advertise-ap-name|auth-survivability|server-load-balancing|termination|"
    r"external-server|accounting|leap-use-session-key|deny-local-routing|max-retries|"
    r"very-high-throughput|high-throughput|strict-svp|g-beacon-rate|a-beacon-rate|band-steering|"
    r"content-filtering|cluster-security|mbo|owe-|sae-|enable-rrm|mdid|ft-over-ds|extended-ssid|"
    r"gw-profile|roaming|enforce-user-vlan|dynamic-multicast-optimization|airtime|wispr)"
)


def parse(text: str, host: str = "") -> ParsedConfig:
    result = ParsedConfig(host=host, platform=PLATFORM)
    for node in ios_tree(text):
        if node.text.split()[:2] != ["wlan", "ssid-profile"]:
            continue
        try:
            words = node.words
            if len(words) != 3:
                raise ValueError("expected 'wlan ssid-profile NAME'")
        except ValueError as exc:
            result.issues.append(node.issue(str(exc)))
            continue
        wlan = _profile(node, words[2], host, result.issues)
        if wlan is not None:
            result.wlans.append(wlan)
    result.issues.sort(key=lambda i: i.line)
    return result


def _profile(node: Node, name: str, host: str, issues: list[ParseIssue]) -> Wlan | None:
    essid: str | None = None
    opmodes: list[str] | None = ["opensystem"]
    transition = True
    enabled, hidden, isolation, ft = True, False, False, False
    mfp_capable = mfp_required = False
    vlans: list[int] = []
    bands = ["2.4", "5", "6"]
    for child in node.children:
        try:
            words = child.words
            cmd = " ".join(words)
            if words[0] == "essid" and len(words) == 2:
                essid = words[1]
            elif words[0] == "opmode" and len(words) >= 2:
                modes = [m for m in re.split(r"[,\s]+", " ".join(words[1:])) if m]
                unknown = [m for m in modes if m not in OPMODES]
                opmodes = None if unknown else modes
                if unknown:
                    raise ValueError(f"unknown opmode {unknown[0]!r}")
            elif cmd in ("opmode-transition-disable", "no opmode-transition", "opmode-transition"):
                transition = cmd == "opmode-transition"
            elif cmd in ("enable", "disable-ssid", "no disable-ssid"):
                enabled = cmd != "disable-ssid"
            elif cmd in ("hide-ssid", "no hide-ssid"):
                hidden = cmd == "hide-ssid"
            elif cmd in ("deny-inter-user-traffic", "deny-intra-vlan-traffic", "client-isolation"):
                isolation = True
            elif cmd in ("dot11r", "no dot11r"):
                ft = cmd == "dot11r"
            elif cmd in ("mfp-capable", "no mfp-capable"):
                mfp_capable = cmd == "mfp-capable"
            elif cmd in ("mfp-required", "no mfp-required"):
                mfp_required = cmd == "mfp-required"
            elif words[0] == "vlan" and len(words) == 2:
                vlans = resolve_vlans(words[1], {})
            elif words[0] == "rf-band" and len(words) == 2:
                bands = _bands(words[1])
            elif not _IGNORED.match(child.text):
                raise ValueError("unrecognised ssid-profile command")
        except ValueError as exc:
            issues.append(child.issue(str(exc)))
    if essid is None:
        issues.append(node.issue("ssid-profile has no essid"))
    if opmodes is None:
        return None  # the opmode line is already an issue
    sec = resolve(opmodes, transition=transition, mfp_capable=mfp_capable, mfp_required=mfp_required)
    return Wlan(
        host=host,
        platform=PLATFORM,
        profile=name,
        ssid=essid or "",
        enabled=enabled,
        security=sec.security,
        akm=sec.akm,
        ciphers=sec.ciphers,
        pmf=sec.pmf,
        vlans=vlans,
        client_isolation=isolation,
        hidden=hidden,
        fast_transition=ft,
        bands=bands,
        line=node.line,
    )


def _bands(value: str) -> list[str]:
    if value == "all":
        return ["2.4", "5", "6"]
    if value == "none":
        return []
    parts = [p for p in re.split(r"[,+]", value) if p]
    if not parts or any(p not in _BANDS for p in parts):
        raise ValueError(f"unknown rf-band {value!r}")
    chosen = {_BANDS[p] for p in parts}
    return [b for b in ("2.4", "5", "6") if b in chosen]
