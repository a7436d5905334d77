"""Physical links from three sources, joined, and where the sources disagree.

1. a containerlab topology's ``links:`` (Linux ``ethN`` names are mapped to the
   device's own with the node label ``netops-interfaces: "eth49=Te1/1/1 ..."``),
2. the CDP / LLDP neighbour tables the backup stores beside each configuration,
3. the inventory's AP cabling (``switch``, ``switch_port``).

What a device's neighbour table shows now wins over the topology (the intended
design), which wins over the inventory's cabling; each disagreement is a
:class:`Problem`. Port names are those of the device's configuration
(``Te1/1/1`` and ``TenGigabitEthernet1/1/1`` are one port).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from netops.inventory.clab import ClabTopology
from netops.inventory.hosts import HostInfo
from netops.model import Neighbor, ParsedConfig, SwitchPort
from netops.parsing.ifnames import abbreviate, find_named, same_interface

INTERFACES_LABEL = "netops-interfaces"
OBSERVED = ("cdp", "lldp")  # sources that show the link as it is now
TOPOLOGY = "topology"
CABLING = "cabling"
_TRUST = {"cdp": 0, "lldp": 0, TOPOLOGY: 1, CABLING: 2}
_NUMBER = re.compile(r"^[A-Za-z-]*\s*")  # an interface name without its kind: "1/1/1"


@dataclass(frozen=True, order=True)
class End:
    """One end of a link: a device and its port (``""`` when the source does not say, e.g. an AP's side)."""

    device: str
    port: str = ""

    def __str__(self) -> str:
        return f"{self.device}:{self.port}" if self.port else self.device


@dataclass
class Link:
    """A cable between two devices, with every source that shows it."""

    a: End
    b: End
    sources: set[str] = field(default_factory=set)
    line: int | None = None  # the topology file's line, when the topology has it

    @property
    def id(self) -> str:
        return f"{self.a}-{self.b}"

    def other(self, device: str) -> End:
        return self.b if self.a.device == device else self.a

    def end(self, device: str) -> End:
        return self.a if self.a.device == device else self.b

    def to_dict(self) -> dict[str, object]:
        return {"link": self.id, "a": str(self.a), "b": str(self.b), "sources": sorted(self.sources)}


@dataclass(frozen=True)
class Problem:
    """Inputs that disagree or cannot be used: becomes a finding of the ``sources`` redundancy check."""

    kind: str  # link-mismatch, link-not-seen, unknown-interface, ap-cabling, unknown-controller
    host: str
    object: str
    expected: str
    actual: str
    line: int | None = None


def short_name(device_id: str) -> str:
    """A neighbour's announced name without its domain (``jmu-acc-1.jmu.example`` -> ``jmu-acc-1``)."""
    return device_id.strip().split(".", 1)[0].lower()


def device_addresses(hosts: dict[str, HostInfo], configs: dict[str, ParsedConfig]) -> dict[str, str]:
    """Management and SVI addresses -> device (neighbours and AP profiles name devices by address)."""
    found: dict[str, str] = {}
    for name, facts in hosts.items():
        if facts.address:
            found.setdefault(facts.address, name)
    for name, config in configs.items():
        for address in [*(svi.address.split("/")[0] for svi in config.svis if svi.address), *config.addresses]:
            found.setdefault(address, name)
    return found


class Ports:
    """The configured ports of every device, found by any spelling of their name (``Te1/1/1``)."""

    def __init__(self, configs: dict[str, ParsedConfig]):
        self._by_number: dict[str, dict[str, list[SwitchPort]]] = {}
        for device, config in configs.items():
            table: dict[str, list[SwitchPort]] = {}
            for port in config.ports:
                table.setdefault(_number(port.name), []).append(port)
            self._by_number[device] = table

    def has_ports(self, device: str) -> bool:
        return bool(self._by_number.get(device))

    def find(self, device: str, name: str) -> SwitchPort | None:
        candidates = self._by_number.get(device, {}).get(_number(name), [])
        return find_named(candidates, name) if candidates else None


def _number(name: str) -> str:
    return _NUMBER.sub("", name.strip())


class _Resolver:
    """Maps what neighbours and topologies call a device and a port to inventory names and configured ports."""

    def __init__(self, hosts: dict[str, HostInfo], configs: dict[str, ParsedConfig], ports: Ports):
        self.hosts, self.configs, self.ports = hosts, configs, ports
        self._names = {name.lower(): name for name in hosts}
        self._addresses = device_addresses(hosts, configs)

    def device(self, announced: str, address: str | None = None) -> str | None:
        found = self._names.get(announced.strip().lower()) or self._names.get(short_name(announced))
        return found or (self._addresses.get(address) if address else None)

    def port(self, device: str, port: str) -> tuple[str, bool]:
        """The configured name of ``port`` and whether the configuration has it (True when nothing to check)."""
        if not port or not self.ports.has_ports(device):
            return port, True
        found = self.ports.find(device, port)
        return (found.name, True) if found is not None else (port, False)


@dataclass
class _Candidate:
    a: End
    b: End
    source: str
    line: int | None = None


def _topology(topology: ClabTopology, resolver: _Resolver) -> Iterable[_Candidate]:
    nodes = {n.name: n for n in topology.nodes}
    for link in topology.links:
        ends = []
        for node, iface in ((link.a_node, link.a_iface), (link.b_node, link.b_iface)):
            mapping = dict(item.split("=", 1) for item in nodes[node].labels.get(INTERFACES_LABEL, "").split() if "=" in item)
            ends.append(End(node, mapping.get(iface, iface)))
        yield _Candidate(ends[0], ends[1], TOPOLOGY, link.line)


def _neighbours(neighbors: dict[str, list[Neighbor]], resolver: _Resolver) -> Iterable[_Candidate]:
    for host, table in neighbors.items():
        for entry in table:
            other = resolver.device(entry.device, entry.address)
            if other is not None and other != host:
                yield _Candidate(End(host, entry.local_port), End(other, entry.port), entry.protocol)


def _cabling(hosts: dict[str, HostInfo]) -> Iterable[_Candidate]:
    for name, facts in hosts.items():
        if facts.switch and facts.switch_port:
            yield _Candidate(End(facts.switch, facts.switch_port), End(name), CABLING)


def same_end(x: End, y: End) -> bool:
    return x.device == y.device and (not x.port or not y.port or same_interface(x.port, y.port))


def _describe(source: str) -> str:
    return {"cabling": "the inventory's AP cabling", TOPOLOGY: "the topology"}.get(source, f"{source.upper()} neighbours")


def join_links(
    hosts: dict[str, HostInfo],
    configs: dict[str, ParsedConfig],
    neighbors: dict[str, list[Neighbor]],
    topology: ClabTopology | None,
    ports: Ports,
) -> tuple[list[Link], list[Problem]]:
    """The campus's links between inventory devices, and the sources' disagreements."""
    resolver = _Resolver(hosts, configs, ports)
    problems: list[Problem] = []
    candidates = [*_neighbours(neighbors, resolver), *(_topology(topology, resolver) if topology else ()), *_cabling(hosts)]
    candidates.sort(key=lambda c: _TRUST[c.source])
    links: list[Link] = []
    by_pair: dict[frozenset[str], list[Link]] = {}
    by_port: dict[tuple[str, str], Link] = {}
    by_device: dict[str, list[Link]] = {}
    seen_unknown: set[End] = set()
    for cand in candidates:
        if cand.a.device not in hosts or cand.b.device not in hosts:
            continue
        ends = []
        for end in (cand.a, cand.b):
            port, known = resolver.port(end.device, end.port)
            if not known and end not in seen_unknown:
                seen_unknown.add(end)
                problems.append(Problem("unknown-interface", end.device, end.port, f"an interface of {end.device}",
                                        f"{_describe(cand.source)} name(s) {end.port}, which its configuration lacks", cand.line))
            ends.append(End(end.device, port))
        a, b = ends
        pair = by_pair.setdefault(frozenset((a.device, b.device)), [])
        existing = next((lk for lk in pair if (same_end(lk.a, a) and same_end(lk.b, b)) or (same_end(lk.a, b) and same_end(lk.b, a))), None)
        if existing is not None:
            existing.sources.add(cand.source)
            if existing.line is None:
                existing.line = cand.line
            _fill_ports(existing, a, b, by_port)
            continue
        moved = next(((end, other) for end, other in ((a, b), (b, a)) if not end.port and by_device.get(end.device)), None)
        if moved is not None:  # a source that does not name the device's port, which a trusted one shows elsewhere
            end, other = moved
            held = by_device[end.device][0]
            problems.append(Problem(
                "ap-cabling" if cand.source == CABLING else "link-mismatch", other.device, other.port or str(other),
                f"{end.device} ({_describe(cand.source)})",
                f"{end.device} is on {held.other(end.device)} ({', '.join(_describe(s) for s in sorted(held.sources))})", cand.line,
            ))
            continue
        clash = next(((by_port[_key(end)], end) for end in (a, b) if end.port and _key(end) in by_port), None)
        if clash is not None:
            used, mine = clash
            problems.append(Problem(
                "ap-cabling" if cand.source == CABLING else "link-mismatch", mine.device, mine.port,
                f"{used.other(mine.device)} ({', '.join(_describe(s) for s in sorted(used.sources))})",
                f"{cand.b if mine == a else cand.a} ({_describe(cand.source)})", cand.line,
            ))
            continue
        link = Link(a, b, {cand.source}, cand.line)
        links.append(link)
        pair.append(link)
        for end in (a, b):
            by_device.setdefault(end.device, []).append(link)
        by_port.update({_key(end): link for end in (a, b) if end.port})
    problems += _not_seen(links, neighbors)
    return links, problems


def _key(end: End) -> tuple[str, str]:
    """One spelling per port: ``TenGigabitEthernet1/1/1`` and ``Te1/1/1`` share a key."""
    return end.device, abbreviate(end.port).lower()


def _fill_ports(link: Link, a: End, b: End, by_port: dict[tuple[str, str], Link]) -> None:
    """A source that names a port the link's first source left open (an AP's side) completes it."""
    for new in (a, b):
        for attr in ("a", "b"):
            old: End = getattr(link, attr)
            if old.device == new.device and not old.port and new.port:
                setattr(link, attr, new)
                by_port[_key(new)] = link


def _not_seen(links: list[Link], neighbors: dict[str, list[Neighbor]]) -> list[Problem]:
    """Links the topology or cabling claims between two devices whose neighbour tables both miss them (a device
    without a table, such as an AP or an OpenWrt box without lldpd, may simply not announce itself)."""
    problems = []
    for link in links:
        if link.sources & set(OBSERVED) or not all(neighbors.get(end.device) for end in (link.a, link.b)):
            continue
        end = link.a
        problems.append(Problem(
            "link-not-seen", end.device, end.port or str(end),
            f"a neighbour {link.other(end.device)} ({', '.join(_describe(s) for s in sorted(link.sources))})",
            "not in its CDP/LLDP neighbour table (link down or miscabled)", link.line,
        ))
    return problems
