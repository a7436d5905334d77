"""``netops probe wifi``: what the air advertises (beacons, probe responses from a
pcap or a live monitor-mode capture) judged against the inventory and the policy.

- evil twin: one of the secretariat's SSIDs from a BSSID no inventory AP declares;
- downgrade: one of its SSIDs advertised with security the policy's WLAN rules
  reject (the observed network evaluated as a :class:`netops.model.Wlan`);
- hidden SSIDs and open networks, whoever runs them.

An SSID is the secretariat's when the latest backups serve it, an inventory AP
declares BSSIDs for it, or a policy rule selects it by name.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from scapy.error import Scapy_Exception
from scapy.packet import Packet
from scapy.sendrecv import sniff
from scapy.utils import PcapReader

from netops.errors import InputError
from netops.model import Wlan
from netops.policy.findings import Detail, Finding, Notice
from netops.policy.policy import Policy
from netops.probe.dot11 import Network
from netops.probe.facts import policy_claims
from netops.probe.rules import RULES

SOURCE = "wifi"
AIR_FIELDS = {"security", "pmf", "ciphers", "akm", "ssid", "hidden"}  # what a beacon tells


@dataclass
class AirFacts:
    ours: set[str]  # the secretariat's SSIDs
    bssids: dict[str, str]  # BSSID -> inventory AP
    site: str = ""  # the campus where the frames were captured (the findings' site)
    origin: str = ""  # the capture file or interface


def scope(site: str) -> str:
    return f"{SOURCE}:{site}"


def read_pcap(path: Path) -> Iterator[Packet]:
    """Frames of a pcap / pcapng file; an unreadable file is an input error naming it."""
    try:
        reader = PcapReader(str(path))
    except (OSError, Scapy_Exception, EOFError, ValueError) as exc:
        raise InputError(f"cannot read capture: {exc}", file=path, key="--pcap") from None
    with reader:
        try:
            yield from reader
        except (Scapy_Exception, EOFError, ValueError, OSError) as exc:  # truncated tail: keep what was read
            raise InputError(f"capture is corrupt after some frames: {exc}", file=path, key="--pcap") from None


def capture(iface: str, seconds: float) -> list[Packet]:
    """A live capture on a monitor-mode interface (passive: nothing is sent)."""
    try:
        return list(sniff(iface=iface, timeout=seconds, store=True))
    except (OSError, Scapy_Exception) as exc:
        raise InputError(f"cannot capture on {iface}: {exc}", key="--iface") from None


def _wlan(net: Network) -> Wlan:
    return Wlan(host=net.bssid, platform="air", profile=net.ssid, ssid=net.ssid, enabled=True, security=net.security,  # type: ignore[arg-type]
                akm=net.akm, ciphers=net.ciphers, pmf=net.pmf, hidden=net.hidden)  # type: ignore[arg-type]


def _downgrades(net: Network, policy: Policy, where: str, facts: AirFacts) -> list[Finding]:
    """Failures of the policy's WLAN rules that a beacon can show (security, PMF, ciphers, AKM)."""
    wlan, findings = _wlan(net), []
    for rule in policy.rules:
        if rule.kind != "wlan" or rule.host_match or any(c.key not in AIR_FIELDS for c in rule.match):
            continue
        if not all(c.matches(wlan) for c in rule.match):
            continue
        details = [d for c in rule.require if c.key in AIR_FIELDS - {"ssid"} and (d := c.require(wlan))]
        details += [d for c in rule.forbid if c.key in AIR_FIELDS - {"ssid"} and (d := c.forbid(wlan))]
        if details:
            shown = tuple(dataclasses.replace(d, actual=f"{d.actual} (advertised by {where})") for d in details)
            findings.append(_seen(Finding(rule=rule.id, title=f"Downgrade on the air: {rule.title}", severity=rule.severity,
                                          host=net.bssid, site=facts.site, object=net.ssid, kind="wlan", details=shown,
                                          source=SOURCE), facts))
    return findings


def assess(networks: list[Network], policy: Policy, facts: AirFacts) -> tuple[list[Finding], list[Notice]]:
    findings: list[Finding] = []
    notices: list[Notice] = []
    for net in networks:
        ap = facts.bssids.get(net.bssid)
        where = f"BSSID {net.bssid} channel {net.channel or '?'}" + (f", inventory AP {ap}" if ap else ", unknown to the inventory")
        ours = not net.hidden and (net.ssid in facts.ours or policy_claims(policy, net.ssid))
        if ours and ap is None:
            findings.append(_finding("PROBE-WIFI-001", net, facts, Detail("bssid", "a BSSID of an inventory AP", f"{where}, {net.security}")))
        if ours:
            findings += _downgrades(net, policy, where, facts)
        if net.hidden:
            findings.append(_finding("PROBE-WIFI-003", net, facts, Detail("ssid", "broadcast", f"hidden ({where})")))
        if net.security == "open":
            findings.append(_finding("PROBE-WIFI-004", net, facts, Detail("security", "encrypted (WPA2/WPA3/OWE)", f"open ({where})")))
        for note in net.notes:
            notices.append(Notice("malformed-frame", f"{net.bssid} {net.ssid or '(hidden)'}: {note}"))
    return findings, notices


def _finding(rule: str, net: Network, facts: AirFacts, detail: Detail) -> Finding:
    title, severity, _ = RULES[rule]
    return _seen(Finding(rule=rule, title=title, severity=severity, host=net.bssid, site=facts.site, object=net.ssid or "(hidden)",
                         kind="wlan", details=(detail,), source=SOURCE), facts)


def _seen(finding: Finding, facts: AirFacts) -> Finding:
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    return dataclasses.replace(finding, scope=scope(facts.site), observed=now, origin=facts.origin)


