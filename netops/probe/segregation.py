"""``netops probe segregation``: from a host in every zone, and by injecting
802.1Q-tagged and double-tagged frames into an AP trunk port, send ARP, ICMP and
UDP probes towards every other zone of the campus, and compare what answered
with what the policy's zones require.

A target is *reachable* when any probe got its answer: an ARP reply (same
layer-2 segment), an ICMP echo reply, or the ICMP port-unreachable the target's
kernel sends for the UDP probe.
"""

from __future__ import annotations

import ipaddress
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

from scapy.layers.inet import ICMP, IP, UDP, IPerror
from scapy.layers.l2 import ARP, Dot1Q, Ether
from scapy.packet import Packet

from labs.netns.plan import HostPlan, InjectorPlan, PortPlan
from labs.netns.state import NetnsState
from netops.policy.findings import Detail, Finding, Notice
from netops.policy.policy import Policy
from netops.probe.facts import isolated_zones
from netops.probe.frames import exchange, mac_of
from netops.probe.netns import inside
from netops.probe.rules import RULES

SOURCE = "segregation"
BROADCAST = "ff:ff:ff:ff:ff:ff"
IFACE = "eth0"
UDP_PORT = 33434  # traceroute's: nothing listens, the target answers port-unreachable
TAGGED, DOUBLE = "trunk 802.1Q", "trunk double-tag"


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "cells": [asdict(c) | {"leak": c.leak} for c in self.cells],
            "findings": [f.to_dict() for f in self.findings],
            "notices": [n.to_dict() for n in self.notices],
        }


@dataclass
class _Probe:
    target: HostPlan
    label: str  # arp / icmp / udp / tagged / double
    frame: Packet | None = None
    answer: str | None = None


def _net(host: HostPlan) -> ipaddress.IPv4Network:
    return ipaddress.ip_interface(host.address).network  # type: ignore[return-value]


def _ip(host: HostPlan) -> str:
    return str(ipaddress.ip_interface(host.address).ip)


def _arp(mac: str, psrc: str, pdst: str, tags: tuple[int, ...] = ()) -> Packet:
    frame: Packet = Ether(dst=BROADCAST, src=mac)
    for tag in tags:
        frame = frame / Dot1Q(vlan=tag)
    return frame / ARP(op=1, hwsrc=mac, psrc=psrc, pdst=pdst)


def _arp_answer(replies: list[Packet], asked: str, by: str) -> str | None:
    for reply in replies:
        arp = reply.getlayer(ARP)
        if arp is not None and arp.op == 2 and arp.psrc == asked and arp.pdst == by:
            tag = reply.getlayer(Dot1Q)
            return f"ARP reply from {asked} ({arp.hwsrc})" + (f" tagged VLAN {tag.vlan}" if tag is not None else "")
    return None


def _probe_from_host(source: HostPlan, targets: list[HostPlan], wait: float) -> list[_Probe]:
    """ARP the gateway and every target, then ICMP and UDP to each (direct if ARP answered, else via the gateway)."""
    me = _ip(source)
    with inside(source.ns):
        mac = mac_of(IFACE)
        arps = [_Probe(t, "arp", _arp(mac, me, _ip(t))) for t in targets]
        first = exchange(IFACE, [_arp(mac, me, source.gateway)] + [p.frame for p in arps], wait)
        gateway = next((r[ARP].hwsrc for r in first if r.haslayer(ARP) and r[ARP].op == 2 and r[ARP].psrc == source.gateway), None)
        for probe in arps:
            probe.answer = _arp_answer(first, _ip(probe.target), me)
        ident = zlib.crc32(source.ns.encode()) & 0xFFFF
        layer3: list[_Probe] = []
        for index, probe in enumerate(arps):
            target = probe.target
            direct = next((r[ARP].hwsrc for r in first if r.haslayer(ARP) and r[ARP].op == 2 and r[ARP].psrc == _ip(target)), None)
            dst = direct or (gateway if ipaddress.ip_address(_ip(target)) not in _net(source) else None)
            if dst is None:
                continue
            head = Ether(dst=dst, src=mac) / IP(src=me, dst=_ip(target))
            layer3.append(_Probe(target, "icmp", head / ICMP(type=8, id=ident, seq=index)))
            layer3.append(_Probe(target, "udp", head / UDP(sport=40000 + index, dport=UDP_PORT)))
        second = exchange(IFACE, [p.frame for p in layer3], wait)
    for probe in layer3:
        probe.answer = _l3_answer(second, probe, ident)
    return arps + layer3


def _l3_answer(replies: list[Packet], probe: _Probe, ident: int) -> str | None:
    assert probe.frame is not None
    dst, sport = _ip(probe.target), probe.frame[UDP].sport if probe.label == "udp" else None
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


def _probe_from_trunk(injector: InjectorPlan, native: int, targets: list[HostPlan], wait: float) -> list[_Probe]:
    """Tagged ARP into each target's VLAN; double-tagged (outer = native VLAN) for VLANs other than the native one."""
    probes: list[_Probe] = []
    with inside(injector.ns):
        mac = mac_of(IFACE)
        for target in targets:
            net = _net(target)
            probes.append(_Probe(target, "tagged", _arp(mac, str(net.network_address + 201), _ip(target), (target.vlan,))))
            if target.vlan != native:
                probes.append(_Probe(target, "double", _arp(mac, str(net.network_address + 202), _ip(target), (native, target.vlan))))
        replies = exchange(IFACE, [p.frame for p in probes], wait)
    for probe in probes:
        assert probe.frame is not None
        probe.answer = _arp_answer(replies, _ip(probe.target), probe.frame[ARP].psrc)
    return probes


def trunk_vlans(tier: NetnsState, injector: InjectorPlan) -> tuple[int, set[int]]:
    """(native VLAN, VLANs the port forwards) of an injector's switch port as rendered now."""
    port: PortPlan = next(p for p in tier.plan.ports if p.peer_ns == injector.ns)
    if not port.up:
        return port.tag or 1, set()
    vlans = set(port.trunks) | {port.tag or 1} if port.vlan_mode != "access" else {port.tag or 1}
    return port.tag or 1, vlans


def run_segregation(tier: NetnsState, policy: Policy, wait: float = 1.0) -> SegregationResult:
    """Probe every campus of the lab's namespace tier; cells per (source, target zone), leaks as findings."""
    isolated = isolated_zones(policy)
    hosts = [h for h in tier.plan.hosts if h.zone in policy.zones]
    notices = [Notice("probe-zone", f"zone {z} has no host in the lab: not probed") for z in policy.zones
               if not any(h.zone == z for h in hosts)]
    jobs = []
    with ThreadPoolExecutor(max_workers=8) as pool:
        for source in hosts:
            targets = [t for t in hosts if t.site == source.site and t is not source]
            jobs.append((source, None, pool.submit(_probe_from_host, source, targets, wait)))
        for injector in tier.plan.injectors:
            native, _ = trunk_vlans(tier, injector)
            targets = [t for t in hosts if t.site == injector.site]
            jobs.append((None, injector, pool.submit(_probe_from_trunk, injector, native, targets, wait)))
    cells: list[Cell] = []
    findings: list[Finding] = []
    for source, injector, future in jobs:
        probes: list[_Probe] = future.result()
        by_target: dict[tuple[str, str], list[_Probe]] = {}
        for probe in probes:
            kind = "host" if source else probe.label
            by_target.setdefault((probe.target.name, kind), []).append(probe)
        for (_, kind), group in by_target.items():
            target = group[0].target
            evidence = [p.answer for p in group if p.answer]
            if source is not None:
                cell = _host_cell(source, target, evidence, isolated)
            else:
                assert injector is not None
                cell = _trunk_cell(tier, injector, kind, target, evidence)
            cells.append(cell)
            if cell.leak:
                findings.append(_finding(cell, source, injector, target))
    cells.sort(key=lambda c: (c.site, c.source, c.target))
    return SegregationResult(cells, findings, notices)


def _host_cell(source: HostPlan, target: HostPlan, evidence: list[str], isolated: set[str]) -> Cell:
    walled = sorted({source.zone, target.zone} & isolated) if source.zone != target.zone else []
    why = f"zone {', '.join(walled)} is isolated" if walled else ""
    return Cell(source.site, source.zone, target.zone, bool(evidence), "blocked" if walled else "allowed", evidence, why)


def _trunk_cell(tier: NetnsState, injector: InjectorPlan, kind: str, target: HostPlan, evidence: list[str]) -> Cell:
    native, carried = trunk_vlans(tier, injector)
    where = f"{injector.node} {injector.switch_port}"
    if kind == "double":  # a hop only when the inner VLAN is one the port may not reach with a single tag
        hop = target.vlan not in carried
        return Cell(injector.site, DOUBLE, target.zone, bool(evidence), "blocked" if hop else "allowed", evidence,
                    f"outer tag {native} (native) must not deliver inner VLAN {target.vlan}, not configured on {where}" if hop else "")
    required = "allowed" if target.vlan in carried else "blocked"
    why = "" if required == "allowed" else f"VLAN {target.vlan} is not configured on {where}"
    return Cell(injector.site, TAGGED, target.zone, bool(evidence), required, evidence, why)


def _finding(cell: Cell, source: HostPlan | None, injector: InjectorPlan | None, target: HostPlan) -> Finding:
    if source is not None:
        rule, host, obj = "PROBE-SEG-001", source.node, f"{source.zone} -> {target.zone}"
        origin = f"{source.name} ({source.address}, {source.attached})"
    else:
        assert injector is not None
        rule = "PROBE-SEG-003" if cell.source == DOUBLE else "PROBE-SEG-002"
        host, obj = injector.node, f"{injector.switch_port} -> {target.zone}"
        origin = f"{cell.source} frames on {injector.node} {injector.switch_port}"
    title, severity, _ = RULES[rule]
    actual = f"reachable from {origin} to {target.name} {_ip(target)} (VLAN {target.vlan}): " + "; ".join(cell.evidence)
    return Finding(rule=rule, title=title, severity=severity, host=host, site=cell.site, object=obj, kind="segregation",
                   details=[Detail("reachability", f"blocked ({cell.why})", actual)], source=SOURCE)
