"""``kind: redundancy``: rules on the campus model of :mod:`netops.resilience`.

Each rule names one ``check`` in its ``options``:

| check | what must hold |
|---|---|
| ``uplinks`` | every selected device (``roles``, default access and wlc) has links to ``min_upstream`` (2) distinct devices nearer the core |
| ``first_hop`` | every VLAN of the ``zones`` (default: all) routed on the campus has a first-hop redundancy group on two devices or more, with the same virtual address, distinct priorities, preempt, and the VLAN trunked between them |
| ``stp_root`` | the spanning-tree root of each VLAN of the zones (lowest configured bridge priority) is a device of ``root_roles`` (core) |
| ``controller_failover`` | every controller has an HA peer (SSO pair or cluster), or every AP it serves has a backup controller on another chassis |
| ``trunk_vlans`` | both ends of every trunk between two devices allow the same VLANs and the same native VLAN |
| ``sources`` | topology, CDP/LLDP neighbours and the inventory's AP cabling agree, and name interfaces the configurations have |
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from netops.inventory.hosts import HostInfo
from netops.model import SwitchPort
from netops.policy.conditions import vlan_ranges
from netops.policy.findings import Detail, Finding, Notice
from netops.policy.policy import Policy, Rule
from netops.resilience.campus import Campus, Gateway

DEFAULT_STP_PRIORITY = 32768  # IEEE 802.1D/802.1w bridge priority when none is configured
CHECKS = ("uplinks", "first_hop", "stp_root", "controller_failover", "trunk_vlans", "sources")
OPTIONS: dict[str, Any] = {  # defaults of a redundancy rule's options
    "roles": ["access", "wlc"],
    "min_upstream": 2,
    "zones": None,  # None: every zone of the policy
    "root_roles": ["core"],
}


def trunk_vlans(port: SwitchPort) -> set[int]:
    if port.mode == "trunk":
        return set(port.allowed_vlans)
    return {port.access_vlan} if port.mode == "access" and port.access_vlan else set()


class Redundancy:
    """Evaluates one redundancy rule on the campus model."""

    def __init__(self, rule: Rule, policy: Policy, hosts: dict[str, HostInfo], campus: Campus):
        self.rule, self.policy, self.hosts, self.campus = rule, policy, hosts, campus
        self.options = OPTIONS | rule.options
        self.findings: list[Finding] = []
        self.notices: list[Notice] = []
        self.checked = 0
        self._carrying: dict[int, nx.Graph] = {}  # VLAN -> the links whose both ends carry it

    def _selected(self, host: str) -> bool:
        """A host the rule selects and whose configuration was read (one without is not judged, only noticed)."""
        facts = self.hosts.get(host)
        return facts is not None and host in self.campus.configs and all(c.matches(facts) for c in self.rule.host_match)

    def _finding(self, host: str, obj: str, *details: Detail, line: int | None = None) -> None:
        if not self._selected(host):
            return
        self.findings.append(Finding(
            rule=self.rule.id, title=self.rule.title, severity=self.rule.severity, host=host, site=self.hosts[host].site,
            object=obj, kind="redundancy", details=details, line=line,
        ))

    def _zone_vlans(self) -> set[int]:
        names = self.options["zones"] or list(self.policy.zones)
        return {v for name in names if name in self.policy.zones for v in self.policy.zones[name].vlans}

    def run(self) -> None:
        getattr(self, f"check_{self.rule.options['check']}")()

    # -- checks -----------------------------------------------------------------------------------

    def check_uplinks(self) -> None:
        distance = self.campus.distance_to_core()
        for device in self.campus.infrastructure():
            if self.hosts[device].role not in self.options["roles"] or not self._selected(device):
                continue
            self.checked += 1
            ups = self.campus.upstream(device, distance)
            if len({other for other, _ in ups}) >= self.options["min_upstream"]:
                continue
            have = ", ".join(f"{other} ({link.end(device).port or '?'})" for other, link in ups) or "none"
            expected = f"links to {self.options['min_upstream']} distinct upstream devices"
            actual = f"{len({o for o, _ in ups})}: {have}" if device in distance else "no path to a core switch in the model"
            self._finding(device, "uplinks", Detail("uplinks", expected, actual))

    def check_first_hop(self) -> None:
        wanted = self._zone_vlans()
        for (_, vlan), gateways in self.campus.gateways.items():
            if vlan not in wanted:
                continue
            self.checked += 1
            for gw in gateways:
                details = self._first_hop_problems(vlan, gateways, gw)
                if details:
                    self._finding(gw.host, f"Vlan{vlan}", *details, line=gw.svi.line)

    def _first_hop_problems(self, vlan: int, gateways: list[Gateway], gw: Gateway) -> list[Detail]:
        if not gw.svi.fhrp:
            return [Detail("first-hop redundancy", "HSRP or VRRP on two devices", "none: this SVI is the only gateway")]
        group = gw.svi.fhrp[0]
        peers = [g for g in gateways if g.host != gw.host and g.svi.fhrp]
        if not peers:
            return [Detail("first-hop redundancy", "the same group on a second device", f"{group.protocol} {group.group} on {gw.host} only")]
        problems = []
        addresses = {g.svi.fhrp[0].address for g in peers}
        if addresses != {group.address}:
            problems.append(Detail("virtual address", f"{group.address} on every gateway", ", ".join(
                f"{g.host} {g.svi.fhrp[0].address}" for g in peers)))
        clash = [g.host for g in peers if g.svi.fhrp[0].priority == group.priority]
        if clash:
            problems.append(Detail("priority", "distinct priorities", f"{group.priority}, the same as {', '.join(clash)}"))
        if not group.preempt:
            problems.append(Detail("preempt", "preempt enabled", "preempt off"))
        unreachable = [g.host for g in peers if not self._trunked(vlan, gw.host, g.host)]
        if unreachable:
            problems.append(Detail("trunk", f"VLAN {vlan} trunked to {', '.join(unreachable)}", "no path of links carrying it"))
        return problems

    def _trunked(self, vlan: int, a: str, b: str) -> bool:
        """A path of links from ``a`` to ``b`` whose both ends carry ``vlan``."""
        if vlan not in self._carrying:
            graph = nx.Graph()
            for link in self.campus.links:
                ports = [self.campus.port(end.device, end.port) for end in (link.a, link.b)]
                if all(p is not None and vlan in _carried(p) for p in ports):
                    graph.add_edge(link.a.device, link.b.device)
            self._carrying[vlan] = graph
        carrying = self._carrying[vlan]
        return a in carrying and b in carrying and nx.has_path(carrying, a, b)

    def check_stp_root(self) -> None:
        switches = [d for d in self.campus.infrastructure() if _is_switch(self.campus, d)]
        for site in sorted({self.hosts[d].site for d in switches}):
            members = [d for d in switches if self.hosts[d].site == site]
            roots = [d for d in members if self.hosts[d].role in self.options["root_roles"]]
            for vlan in sorted(self._zone_vlans()):
                carrying = [d for d in members if any(vlan in _carried(p) for p in self.campus.configs[d].ports)]
                if not carrying:
                    continue
                self.checked += 1
                priority = {d: self.campus.configs[d].stp_priorities.get(vlan, DEFAULT_STP_PRIORITY) for d in carrying}
                best = min(priority.values())
                winners = sorted(d for d in carrying if priority[d] == best)
                wrong = [d for d in winners if d not in roots]
                if best == DEFAULT_STP_PRIORITY and len(winners) > 1:
                    for core in roots:
                        self._finding(core, f"VLAN {vlan}", Detail("spanning-tree root", f"a {'/'.join(self.options['root_roles'])} switch",
                                      f"not set: every switch has priority {best}, the lowest bridge MAC wins"))
                elif wrong:
                    for d in wrong:
                        self._finding(d, f"VLAN {vlan}", Detail("spanning-tree root", f"a {'/'.join(self.options['root_roles'])} switch",
                                      f"{d} (priority {best}{', tied' if len(winners) > 1 else ''})"))

    def check_controller_failover(self) -> None:
        campus = self.campus
        controllers = sorted(set(campus.controllers()) | {d for d in campus.infrastructure() if self.hosts[d].role == "wlc"})
        for controller in controllers:
            config = campus.configs.get(controller)
            self.checked += 1
            if config is not None and any(ha.peers for ha in config.controller_ha):
                continue
            unverified: dict[str, list[str]] = {}
            for ap in campus.served_by(controller):
                order = campus.ap_controllers[ap]
                if len(order) > 1:
                    continue
                outside = campus.ap_unresolved.get(ap)
                if outside:
                    unverified.setdefault(", ".join(outside), []).append(ap)
                    continue
                joins = campus.joins_for(ap)
                said = "; ".join(j.source for j in joins) or "no AP failover configured"
                self._finding(controller, ap, Detail("backup controller", "an HA peer, or a backup controller on another chassis",
                                                     f"none ({said})"), line=joins[0].line if joins else None)
            for backup, aps in unverified.items():
                self.notices.append(Notice("unverified-backup", f"{controller}: {len(aps)} AP(s) fall back to {backup}, which is not "
                                           "in the inventory: netops cannot tell whether it is another chassis", host=controller,
                                           rule=self.rule.id))

    def check_trunk_vlans(self) -> None:
        for link in self.campus.links:
            ends = [(end, self.campus.port(end.device, end.port)) for end in (link.a, link.b)]
            if any(p is None or p.mode != "trunk" for _, p in ends):
                continue
            self.checked += 1
            (ea, pa), (eb, pb) = ends
            assert pa is not None and pb is not None
            for (e1, p1), (e2, p2) in (((ea, pa), (eb, pb)), ((eb, pb), (ea, pa))):
                details = []
                if set(p1.allowed_vlans) != set(p2.allowed_vlans):
                    missing, extra = set(p2.allowed_vlans) - set(p1.allowed_vlans), set(p1.allowed_vlans) - set(p2.allowed_vlans)
                    said = "; ".join(s for s in (missing and f"missing {vlan_ranges(missing)}", extra and f"extra {vlan_ranges(extra)}") if s)
                    details.append(Detail("allowed VLANs", f"as on {e2}: {vlan_ranges(set(p2.allowed_vlans))}",
                                          f"{vlan_ranges(set(p1.allowed_vlans))} ({said})"))
                if p1.native_vlan != p2.native_vlan:
                    details.append(Detail("native VLAN", f"as on {e2}: {p2.native_vlan or 1}", str(p1.native_vlan or 1)))
                if details:
                    self._finding(e1.device, p1.name, *details, line=p1.line)

    def check_sources(self) -> None:
        for problem in self.campus.problems:
            self.checked += 1
            self._finding(problem.host, problem.object, Detail(problem.kind, problem.expected, problem.actual))


def _carried(port: SwitchPort) -> set[int]:
    if port.shutdown:
        return set()
    return trunk_vlans(port) | ({port.native_vlan} if port.mode == "trunk" and port.native_vlan else set())


def _is_switch(campus: Campus, device: str) -> bool:
    config = campus.configs.get(device)
    return config is not None and campus.hosts[device].role not in ("wlc", "ap") and any(p.mode == "trunk" for p in config.ports)

