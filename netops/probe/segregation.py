"""``netops probe segregation``: from a vantage in every zone, and by injecting
802.1Q-tagged and double-tagged frames into trunk ports, send ARP, ICMP and UDP
probes towards the other zones' targets of the plan, and compare what answered
with what the policy's zones require.

A target is *reachable* when any probe got its answer: an ARP reply (same
layer-2 segment), an ICMP echo reply, or the ICMP port-unreachable the target's
kernel sends for the UDP probe. Trunk tests use ARP probes (sender address
0.0.0.0, RFC 5227), so they never teach anyone a wrong address.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

from scapy.layers.inet import ICMP, IP, UDP, IPerror
from scapy.layers.l2 import ARP, Dot1Q, Ether
from scapy.packet import Packet

from netops.policy.findings import Detail, Finding, Notice
from netops.policy.policy import Policy
from netops.probe.facts import isolated_zones
from netops.probe.frames import Wire
from netops.probe.plan import ProbePlan, Target, Trunk, Vantage
from netops.probe.rules import RULES

SOURCE = "segregation"
BROADCAST = "ff:ff:ff:ff:ff:ff"
UNRESOLVED = "00:00:00:00:00:00"  # a dry run's destination for frames that would follow an ARP answer
UDP_PORT = 33434  # traceroute's: nothing listens, the target answers port-unreachable
TAGGED, DOUBLE = "trunk 802.1Q", "trunk double-tag"

WireFor = Callable[[Vantage | Trunk], Wire]


@dataclass
class Cell:
    """One (source, target zone) probe outcome on one campus."""

    site: str
    source: str  # a zone, or TAGGED / DOUBLE
    target: str  # a zone
    reachable: bool
    required: str  # "blocked" or "allowed"
    evidence: list[str] = field(default_factory=list)
    why: str = ""  # why it must be blocked

    @property
    def leak(self) -> bool:
        return self.reachable and self.required == "blocked"


@dataclass
class SegregationResult:
    cells: list[Cell]
    findings: list[Finding]
    notices: list[Notice]
    scopes: list[str]  # the sites probed: a newer run replaces these findings

    def to_dict(self) -> dict[str, Any]:
        return {
            "cells": [asdict(c) | {"leak": c.leak} for c in self.cells],
            "findings": [f.to_dict() for f in self.findings],
            "notices": [n.to_dict() for n in self.notices],
        }


def scope(site: str) -> str:
    return f"{SOURCE}:{site}"


@dataclass
class _Probe:
    target: Target
    label: str  # arp / icmp / udp / tagged / double
    frame: Packet | None = None
    answer: str | None = None


def _arp(mac: str, psrc: str, pdst: str, tags: tuple[int, ...] = ()) -> Packet:
    frame: Packet = Ether(dst=BROADCAST, src=mac)
    for tag in tags:
        frame = frame / Dot1Q(vlan=tag)
    return frame / ARP(op=1, hwsrc=mac, psrc=psrc, pdst=pdst)


def _tagged(head: Packet, tags: tuple[int, ...]) -> Packet:
    frame = head
    for tag in tags:
        frame = frame / Dot1Q(vlan=tag)
    return frame


def _arp_mac(replies: list[Packet], asked: str) -> str | None:
    return next((r[ARP].hwsrc for r in replies if r.haslayer(ARP) and r[ARP].op == 2 and r[ARP].psrc == asked), None)


def _arp_answer(replies: list[Packet], asked: str, by: str) -> str | None:
    for reply in replies:
        arp = reply.getlayer(ARP)
        if arp is not None and arp.op == 2 and arp.psrc == asked and arp.pdst == by:
            tag = reply.getlayer(Dot1Q)
            return f"ARP reply from {asked} ({arp.hwsrc})" + (f" tagged VLAN {tag.vlan}" if tag is not None else "")
    return None


def address_in_use(vantage: Vantage, wire: Wire, wait: float) -> str | None:
    """The MAC answering for the vantage's source address (RFC 5227 ARP probe), None when it is free."""
    replies = wire.exchange([_arp(wire.mac, "0.0.0.0", vantage.ip, vantage.tags)], wait)
    return _arp_mac(replies, vantage.ip)


def _probe_from_vantage(source: Vantage, wire: Wire, targets: list[Target], wait: float, dry: bool) -> list[_Probe]:
    """ARP the gateway and every target, then ICMP and UDP to each (direct if ARP answered, else via the gateway)."""
    me, mac, tags = source.ip, wire.mac, source.tags
    arps = [_Probe(t, "arp", _arp(mac, me, t.ip, tags)) for t in targets]
    asks = ([_arp(mac, me, source.gateway, tags)] if source.gateway else []) + [p.frame for p in arps if p.frame is not None]
    first = wire.exchange(asks, wait)
    gateway = UNRESOLVED if dry else (_arp_mac(first, source.gateway) if source.gateway else None)
    for probe in arps:
        probe.answer = _arp_answer(first, probe.target.ip, me)
    ident = secrets.randbits(16)  # new each run: a stateful firewall must not pass it as part of an earlier flow
    port = 32768 + secrets.randbits(14)
    layer3: list[_Probe] = []
    for index, probe in enumerate(arps):
        target = probe.target
        local = ipaddress.ip_address(target.ip) in source.network
        dst = (UNRESOLVED if dry else _arp_mac(first, target.ip)) if local else gateway
        if dst is None:
            continue
        head = _tagged(Ether(dst=dst, src=mac), tags) / IP(src=me, dst=target.ip)
        layer3.append(_Probe(target, "icmp", head / ICMP(type=8, id=ident, seq=index)))
        layer3.append(_Probe(target, "udp", head / UDP(sport=port + index, dport=UDP_PORT)))
    second = wire.exchange([p.frame for p in layer3 if p.frame is not None], wait) if layer3 else []
    for probe in layer3:
        probe.answer = _l3_answer(second, probe, ident)
    return arps + layer3


def _l3_answer(replies: list[Packet], probe: _Probe, ident: int) -> str | None:
    assert probe.frame is not None
    dst, sport = probe.target.ip, probe.frame[UDP].sport if probe.label == "udp" else None
    for reply in replies:
        ip, icmp = reply.getlayer(IP), reply.getlayer(ICMP)
        if ip is None or icmp is None or ip.src != dst:
            continue
        if probe.label == "icmp" and icmp.type == 0 and icmp.id == ident and icmp.seq == probe.frame[ICMP].seq:
            return f"ICMP echo reply from {dst}"
        inner = reply.getlayer(IPerror)
        if probe.label == "udp" and icmp.type == 3 and inner is not None and inner.haslayer(UDP) and inner[UDP].sport == sport:
            return f"ICMP port unreachable from {dst} (UDP {UDP_PORT} arrived)"
    return None


def _probe_from_trunk(trunk: Trunk, wire: Wire, targets: list[Target], wait: float) -> list[_Probe]:
    """Tagged ARP probes into each target's VLAN, then, in a burst of their own (an answer looks the same),
    double-tagged ones (outer = native VLAN) for VLANs other than the native one."""
    tagged = [_Probe(t, "tagged", _arp(wire.mac, "0.0.0.0", t.ip, (t.vlan,))) for t in targets]
    double = [_Probe(t, "double", _arp(wire.mac, "0.0.0.0", t.ip, (trunk.native_vlan, t.vlan)))
              for t in targets if t.vlan != trunk.native_vlan]
    for burst in (tagged, double):
        replies = wire.exchange([p.frame for p in burst if p.frame is not None], wait) if burst else []
        for probe in burst:
            probe.answer = _arp_answer(replies, probe.target.ip, "0.0.0.0")
    return tagged + double


def run_segregation(plan: ProbePlan, policy: Policy, wire_for: WireFor, wait: float = 1.0, dry: bool = False) -> SegregationResult:
    """Probe every site of the plan; cells per (source, target zone), leaks as findings (unwaived)."""
    isolated = isolated_zones(policy)
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    vantages = [v for v in plan.vantages if v.zone in policy.zones]
    targets = [t for t in plan.targets if t.zone in policy.zones]
    notices = [Notice("probe-zone", f"zone {z} has no vantage in the plan: not probed from") for z in policy.zones
               if not any(v.zone == z for v in vantages)]
    jobs: list[tuple[Vantage | None, Trunk | None, Future[list[_Probe]]]] = []  # a vantage's or a trunk's probes
    with ThreadPoolExecutor(max_workers=8) as pool:
        for source in vantages:
            wire = wire_for(source)
            if not source.owned and not dry:
                holder = address_in_use(source, wire, wait)
                if holder is not None:
                    notices.append(Notice("probe-address-in-use", f"{source.name}: source address {source.ip} answers from {holder}: "
                                          "not probed from there (choose a free address in the plan)", host=source.device))
                    continue
            mine = [t for t in targets if t.site == source.site and t.ip != source.ip]
            jobs.append((source, None, pool.submit(_probe_from_vantage, source, wire, mine, wait, dry)))
        for trunk in plan.trunks:
            mine = [t for t in targets if t.site == trunk.site]
            jobs.append((None, trunk, pool.submit(_probe_from_trunk, trunk, wire_for(trunk), mine, wait)))
    cells: list[Cell] = []
    findings: list[Finding] = []
    for job_vantage, job_trunk, future in jobs:
        probes: list[_Probe] = future.result()
        by_target: dict[tuple[str, str], list[_Probe]] = {}
        for probe in probes:
            kind = "host" if job_vantage else probe.label
            by_target.setdefault((probe.target.name, kind), []).append(probe)
        for (_, kind), group in by_target.items():
            target = group[0].target
            evidence = [p.answer for p in group if p.answer]
            if job_vantage is not None:
                cell = _host_cell(job_vantage, target, evidence, isolated)
            else:
                assert job_trunk is not None  # a job without a vantage is a trunk's
                cell = _trunk_cell(job_trunk, kind, target, evidence)
            cells.append(cell)
            if cell.leak:
                findings.append(_finding(cell, job_vantage, job_trunk, target, now))
    cells.sort(key=lambda c: (c.site, c.source, c.target))
    return SegregationResult(cells, findings, notices, [scope(s) for s in plan.sites])


def _host_cell(source: Vantage, target: Target, evidence: list[str], isolated: set[str]) -> Cell:
    walled = sorted({source.zone, target.zone} & isolated) if source.zone != target.zone else []
    why = f"zone {', '.join(walled)} is isolated" if walled else ""
    return Cell(source.site, source.zone, target.zone, bool(evidence), "blocked" if walled else "allowed", evidence, why)


def _trunk_cell(trunk: Trunk, kind: str, target: Target, evidence: list[str]) -> Cell:
    where = f"{trunk.device} {trunk.port}"
    if kind == "double":  # a hop only when the inner VLAN is one the port may not reach with a single tag
        hop = target.vlan not in trunk.carried
        return Cell(trunk.site, DOUBLE, target.zone, bool(evidence), "blocked" if hop else "allowed", evidence,
                    f"outer tag {trunk.native_vlan} (native) must not deliver inner VLAN {target.vlan}, not configured on {where}" if hop else "")
    required = "allowed" if target.vlan in trunk.carried else "blocked"
    why = "" if required == "allowed" else f"VLAN {target.vlan} is not configured on {where}"
    return Cell(trunk.site, TAGGED, target.zone, bool(evidence), required, evidence, why)


def _finding(cell: Cell, source: Vantage | None, trunk: Trunk | None, target: Target, now: str) -> Finding:
    if source is not None:
        rule, host, obj = "PROBE-SEG-001", source.device, f"{source.zone} -> {target.zone}"
        origin = f"{source.name} ({source.address}, {source.where})"
        sent_from = f"{source.interface}" + (f" in {source.netns}" if source.netns else "")
    else:
        assert trunk is not None
        rule = "PROBE-SEG-003" if cell.source == DOUBLE else "PROBE-SEG-002"
        host, obj = trunk.device, f"{trunk.port} -> {target.zone}"
        origin = f"{cell.source} frames on {trunk.device} {trunk.port}"
        sent_from = f"{trunk.interface}" + (f" in {trunk.netns}" if trunk.netns else "")
    title, severity, _ = RULES[rule]
    actual = f"reachable from {origin} to {target.name} {target.ip} (VLAN {target.vlan}): " + "; ".join(cell.evidence)
    return Finding(rule=rule, title=title, severity=severity, host=host, site=cell.site, object=obj, kind="segregation",
                   details=(Detail("reachability", f"blocked ({cell.why})", actual),), source=SOURCE,
                   scope=scope(cell.site), observed=now, origin=sent_from)
