"""The lab's own view of its campus cabling: the topology's links with each end named as the device names it,
and which nodes a powered-off (``down``) node cuts off from the core of their site.

A link endpoint is a Linux name (``eth49``); a node's ``netops-interfaces`` label maps it to the device's own
interface (``eth49=TenGigabitEthernet1/1/1``, space separated); an endpoint it does not map is used as written.
This is the lab's reading, deliberately independent of netops' own (the resilience audit reads the same label).

Physics of the campus: a node passes traffic only while some path over the topology's links, through nodes
that are not down, reaches a ``core`` node of its own site. A node that never had such a path (no links, a
``--scale`` switch) is never cut off; a site whose cores are all down is cut off entirely.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import networkx as nx

from netops.errors import NetopsError
from netops.inventory.clab import ClabTopology, load_topology

INTERFACES_LABEL = "netops-interfaces"


def interface_names(labels: Mapping[str, str]) -> dict[str, str]:
    """``{"eth49": "TenGigabitEthernet1/1/1", ...}`` from a node's ``netops-interfaces`` label."""
    names: dict[str, str] = {}
    for item in str(labels.get(INTERFACES_LABEL, "")).split():
        linux, sep, own = item.partition("=")
        if sep and own:
            names[linux] = own
    return names


@dataclass(frozen=True)
class Wire:
    """One cable: each end as its device names the port."""

    a: str
    a_port: str
    b: str
    b_port: str

    def seen_from(self, node: str) -> tuple[str, str, str] | None:
        """(local port, peer, peer port) from ``node``'s side; None if the wire does not touch it."""
        if node == self.a:
            return self.a_port, self.b, self.b_port
        if node == self.b:
            return self.b_port, self.a, self.a_port
        return None


def wires(topology: ClabTopology) -> tuple[Wire, ...]:
    names = {n.name: interface_names(n.labels) for n in topology.nodes}
    return tuple(
        Wire(link.a_node, names[link.a_node].get(link.a_iface, link.a_iface),
             link.b_node, names[link.b_node].get(link.b_iface, link.b_iface))
        for link in topology.links
    )


@lru_cache(maxsize=4)
def topology_wires(path: str) -> tuple[Wire, ...]:
    """The wires of the topology file a running lab was built from (none when it cannot be read)."""
    try:
        return wires(load_topology(path))
    except (OSError, NetopsError):
        return ()


def cut_off(nodes: Mapping[str, tuple[str, str]], cabling: Iterable[Wire], down: set[str]) -> set[str]:
    """The nodes (not down themselves) that reached a core of their site over ``cabling`` and no longer do
    without the ``down`` nodes. ``nodes``: name -> (role, site)."""
    if not down:
        return set()
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((w.a, w.b) for w in cabling if w.a in nodes and w.b in nodes)
    alive = graph.subgraph(n for n in graph if n not in down)
    cut: set[str] = set()
    for site in {site for _, site in nodes.values() if site}:
        cores = [n for n, (role, s) in nodes.items() if role == "core" and s == site]
        wired: set[str] = set().union(*(nx.node_connected_component(graph, c) for c in cores))
        reached: set[str] = set().union(*(nx.node_connected_component(alive, c) for c in cores if c not in down))
        cut |= {n for n in wired - reached if nodes[n][1] == site and n not in down}
    return cut
