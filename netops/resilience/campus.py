"""The campus model: devices and links as a networkx multigraph, the gateways of each VLAN, and the
controllers each AP can join.

- Reachability is counted from the campus's core: a device is in service while
  some path over working links and devices joins it to a working device of
  role ``core`` of its own site.
- A VLAN's gateways (per site: VLAN 110 of Jammu is not Srinagar's) are the
  devices whose SVI for it holds a first-hop redundancy group (HSRP/VRRP); a
  VLAN with no such group on its site is routed by the addressed SVIs on
  devices that are not access switches, controllers or APs (an access switch's
  management SVI is no gateway).
- An AP joins its inventory ``controller`` first, then the backups its
  controller's configuration gives it (an :class:`~netops.model.ApJoin` naming
  the AP by name or base MAC, else the one of its inventory ``ap_group``, else
  the one for every AP; then the fallbacks for every AP), then the other
  members of its controller's cluster. A backup named by a
  controller outside the inventory is kept, unresolved (no chassis to fail).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from netops.inventory.clab import ClabTopology
from netops.inventory.hosts import HostInfo
from netops.model import ApJoin, ControllerRef, Neighbor, ParsedConfig, Svi, SwitchPort
from netops.resilience.links import Link, Ports, device_addresses, join_links, short_name

CORE = "core"
AP = "ap"
NOT_GATEWAY_ROLES = frozenset({"access", "wlc", AP})


@dataclass
class CampusInputs:
    """Everything the model is built from; only ``hosts`` and ``configs`` are required."""

    hosts: dict[str, HostInfo]
    configs: dict[str, ParsedConfig]
    neighbors: dict[str, list[Neighbor]] = field(default_factory=dict)
    topology: ClabTopology | None = None
    clients: Clients | None = None  # the last poll's clients; None: never polled


@dataclass(frozen=True)
class Clients:
    """Wi-Fi clients at the last poll: per AP, and per (controller or standalone AP, SSID)."""

    aps: dict[str, int]
    ssids: dict[tuple[str, str], int]


@dataclass(frozen=True)
class Gateway:
    """A device routing a VLAN: its SVI and the address clients use (the virtual one with FHRP)."""

    host: str
    vlan: int
    address: str | None
    svi: Svi


def _mac(text: str) -> str:
    return re.sub(r"[^0-9a-f]", "", text.lower())


def _resolve(ref: ControllerRef, hosts: dict[str, HostInfo], addresses: dict[str, str]) -> str | None:
    if ref.name:
        for candidate in (ref.name, short_name(ref.name)):
            if candidate in hosts:
                return candidate
    return addresses.get(ref.address or "")


class Campus:
    """The model of the campus (or of one site of it) built from :class:`CampusInputs`."""

    def __init__(self, inputs: CampusInputs):
        self.inputs = inputs
        self.hosts = inputs.hosts
        self.configs = inputs.configs
        self.clients = inputs.clients
        self.ports = Ports(inputs.configs)
        self.links, self.problems = join_links(inputs.hosts, inputs.configs, inputs.neighbors, inputs.topology, self.ports)
        self.graph: nx.MultiGraph = nx.MultiGraph()
        self.graph.add_nodes_from(self.hosts)
        for link in self.links:
            self.graph.add_edge(link.a.device, link.b.device, key=link.id, link=link)
        self.links_by_id = {link.id: link for link in self.links}
        self.cores = {name for name, h in self.hosts.items() if h.role == CORE}
        self.aps = {name for name, h in self.hosts.items() if h.role == AP}
        self.addresses = device_addresses(inputs.hosts, inputs.configs)
        self.gateways = self._gateways()
        self.ap_controllers, self.ap_unresolved = self._ap_controllers()
        self.ap_ssids = {ap: self._ssids(ap) for ap in self.aps}
        self.aps_of: dict[str, set[str]] = {}  # controller -> the APs that may join it
        for ap, order in self.ap_controllers.items():
            for controller in order:
                self.aps_of.setdefault(controller, set()).add(ap)
        self._dominators: dict[str, dict[str, list[str]]] | None = None
        self.in_service = self.reachable(set(), ())  # with nothing failed

    # -- building ---------------------------------------------------------------------------------

    def _gateways(self) -> dict[tuple[str, int], list[Gateway]]:
        """(site, VLAN) -> its gateways: a VLAN number means one broadcast domain within a site only."""
        with_fhrp: dict[tuple[str, int], list[Gateway]] = {}
        plain: dict[tuple[str, int], list[Gateway]] = {}
        for host, config in sorted(self.configs.items()):
            facts = self.hosts.get(host)
            if facts is None:
                continue
            for svi in config.svis:
                if svi.shutdown or not svi.address:
                    continue
                key = (facts.site, svi.vlan)
                if svi.fhrp:
                    with_fhrp.setdefault(key, []).append(Gateway(host, svi.vlan, svi.fhrp[0].address, svi))
                elif facts.role not in NOT_GATEWAY_ROLES:
                    plain.setdefault(key, []).append(Gateway(host, svi.vlan, svi.address.split("/")[0], svi))
        return {key: with_fhrp.get(key) or plain[key] for key in sorted(set(with_fhrp) | set(plain))}

    def joins_for(self, ap: str) -> list[ApJoin]:
        """The failover entries of the AP's controller that apply to it, in order: its own (by name or base MAC,
        else its inventory ``ap_group``'s, else the one for every AP), then the fallbacks for every AP."""
        facts = self.hosts[ap]
        config = self.configs.get(facts.controller or "")
        if config is None:
            return []
        mac = _mac(facts.base_mac or "")
        own = [j for j in config.ap_joins if not j.fallback]
        mine = (
            next((j for j in own if any(name == ap or (mac and _mac(name) == mac) for name in j.aps)), None)
            or next((j for j in own if facts.ap_group and j.group == facts.ap_group), None)
            or next((j for j in own if not j.aps and j.group is None), None)
        )
        return ([mine] if mine else []) + [j for j in config.ap_joins if j.fallback]

    def _ap_controllers(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        resolved: dict[str, list[str]] = {}
        unresolved: dict[str, list[str]] = {}
        for ap in sorted(self.aps):
            primary = self.hosts[ap].controller
            if not primary:
                continue
            order = [primary]
            for ref in (ref for join in self.joins_for(ap) for ref in join.controllers):
                name = _resolve(ref, self.hosts, self.addresses)
                if name is None:
                    unresolved.setdefault(ap, []).append(str(ref))
                elif name not in order:
                    order.append(name)
            for peer in self._cluster_peers(primary):
                if peer not in order:
                    order.append(peer)
            resolved[ap] = order
        return resolved, unresolved

    def _cluster_peers(self, controller: str) -> list[str]:
        """The other members of the controller's cluster (APs fail over to them); an SSO peer is the same device."""
        config = self.configs.get(controller)
        peers = [ref for ha in config.controller_ha if ha.mode == "cluster" for ref in ha.peers] if config else []
        return [name for ref in peers if (name := _resolve(ref, self.hosts, self.addresses)) is not None]

    def _ssids(self, ap: str) -> list[str]:
        source = self.hosts[ap].controller or ap
        config = self.configs.get(source)
        return sorted({w.ssid for w in config.wlans if w.enabled}) if config else []

    # -- questions --------------------------------------------------------------------------------

    def site_of(self, device: str) -> str:
        return self.hosts[device].site

    def infrastructure(self) -> list[str]:
        """Devices other than APs, sorted."""
        return sorted(name for name in self.hosts if name not in self.aps)

    def controllers(self) -> list[str]:
        """Devices APs join (their ``controller``), sorted."""
        return sorted({c for order in self.ap_controllers.values() for c in order[:1]})

    def served_by(self, controller: str) -> list[str]:
        """APs whose primary controller is ``controller``."""
        return sorted(ap for ap, order in self.ap_controllers.items() if order[0] == controller)

    def distance_to_core(self) -> dict[str, int]:
        """Hops from each device to the nearest core of its site (over every link)."""
        distance: dict[str, int] = {}
        for site in sorted({h.site for h in self.hosts.values()}):
            roots = [c for c in self.cores if self.site_of(c) == site]
            nodes = [n for n in self.graph if self.site_of(n) == site]
            hops = nx.multi_source_dijkstra_path_length(self.graph.subgraph(nodes), roots) if roots else {}
            distance.update({n: int(d) for n, d in hops.items()})
        return distance

    def neighbours(self, device: str) -> Iterable[tuple[str, Link]]:
        for _, other, data in self.graph.edges(device, data=True):
            yield other, data["link"]

    def upstream(self, device: str, distance: dict[str, int]) -> list[tuple[str, Link]]:
        """Links of ``device`` to devices nearer the core (``distance``: :meth:`distance_to_core`), APs excluded."""
        mine = distance.get(device)
        if mine is None:
            return []
        return sorted(
            ((other, link) for other, link in self.neighbours(device)
             if other not in self.aps and distance.get(other, mine) < mine),
            key=lambda pair: (pair[0], pair[1].id),
        )

    def port(self, device: str, name: str) -> SwitchPort | None:
        """The configuration of port ``name`` of ``device``: a port-channel member's is its Port-channel's."""
        found = self.ports.find(device, name) if name else None
        if found is not None and found.channel_group is not None:
            return self.ports.find(device, f"Port-channel{found.channel_group}") or found
        return found

    # -- reachability ------------------------------------------------------------------------------

    def reachable(self, down: set[str], cut: Iterable[Link]) -> set[str]:
        """Devices joined to a working core of their own site when ``down`` devices and ``cut`` links fail."""
        cut_keys = {link.id for link in cut}
        adjacency = self.graph.adj
        alive: set[str] = set()
        for site in sorted({h.site for h in self.hosts.values()}):
            seen = {c for c in self.cores if self.site_of(c) == site and c not in down}
            queue = deque(seen)
            while queue:
                node = queue.popleft()
                for other, edges in adjacency[node].items():
                    if other in seen or other in down or all(key in cut_keys for key in edges):
                        continue
                    seen.add(other)
                    queue.append(other)
            alive |= {n for n in seen if self.site_of(n) == site}
        return alive

    def lost_with(self, device: str) -> set[str]:
        """Devices in service now that lose their way to the core when ``device`` alone fails: those it dominates
        in the graph seen from their site's core (networkx's immediate dominators, one tree per site)."""
        if self._dominators is None:
            self._dominators = {}
            for site in sorted({h.site for h in self.hosts.values()}):
                self._dominators[site] = self._dominator_children(site)
        lost: set[str] = set()
        for site, children in self._dominators.items():
            stack = list(children.get(device, ()))
            while stack:
                node = stack.pop()
                if self.site_of(node) == site:
                    lost.add(node)
                stack.extend(children.get(node, ()))
        return lost

    def _dominator_children(self, site: str) -> dict[str, list[str]]:
        root = ("core of", site)  # a virtual node joined to the site's cores: no device name is a tuple
        directed = nx.DiGraph(self.graph.to_directed(as_view=True))
        directed.add_edges_from((root, c) for c in self.cores if self.site_of(c) == site)
        if not directed.has_node(root):
            return {}
        children: dict[str, list[str]] = {}
        for node, parent in nx.immediate_dominators(directed, root).items():
            if node != root and parent != root:
                children.setdefault(parent, []).append(node)
        return children
