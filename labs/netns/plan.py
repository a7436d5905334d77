"""What the namespace tier builds, computed from the lab (no side effects).

Per campus (a site with ``core`` nodes, prefix = the core's name up to the first
``-``, e.g. ``jmu``):

- the FRR router ``<prefix>-wan``: one interface per addressed SVI of the first
  core switch's configuration (``v<VLAN>``), a ``dc`` link to the data-centre
  namespace holding the campus's authorised relayed DHCP servers, and ``wan``,
  the OSPF link between campuses;
- one Open vSwitch bridge per access switch (named after the node), its uplink
  trunk to the campus core bridge ``<prefix>-core``; on the campus's first
  access switch the ports the hosts use are rendered from its configuration,
  as the lab reads it (:mod:`labs.sim.cisco_xe.config`, never netops' parsers);
- a host per policy zone: wired on the first access port of that switch whose
  VLAN is in the zone, else a Wi-Fi client behind the AP bridge ``<prefix>-ap``
  on the switch's first AP port; the zone holding that port's native VLAN is
  the AP's own management host;
- ``inject``: a namespace on the switch's second AP port, a rogue device
  plugged into an AP trunk, for 802.1Q and double-tagged frames.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labs.sim.cisco_xe.config import Interfaces, Port, read_interfaces
from labs.state import LabState
from netops.inventory.clab import ClabTopology
from netops.policy.policy import Zone

WAN_NET = ipaddress.ip_network("10.255.10.0/30")  # the lab's inter-campus link (core configs' Tunnel10)
HOST_OFFSET = 100  # hosts take network + 100 in their VLAN's subnet
AP_SWITCH_PORT = "netops-switch-port"
AP_SWITCH = "netops-switch"


@dataclass
class RouterIface:
    name: str  # v110, dc, wan
    address: str  # 10.10.110.2/24
    vlan: int | None = None
    vrf: str | None = None  # None: global table


@dataclass
class DhcpScope:
    """A DHCP range served for one VLAN: by the router itself or relayed to ``server``."""

    vlan: int
    iface: str
    start: str
    end: str
    server: str  # the server identifier clients see
    relayed: bool


@dataclass
class RouterPlan:
    node: str  # jmu-wan
    site: str
    ns: str
    router_id: str
    ifaces: list[RouterIface]
    dhcp: list[DhcpScope]
    dc_ns: str
    dc_addresses: list[str]  # relayed DHCP servers, each /24 on the dc link


@dataclass
class PortPlan:
    """One OVS port: which switch port of which node it renders (``None``: not from a config)."""

    bridge: str
    name: str  # the OVS / veth name in the switch namespace
    peer_ns: str  # where the other end of the veth lives
    peer_name: str
    node: str | None = None
    switch_port: str | None = None
    mirror: bool = False  # core side of an uplink: same VLANs as the access switch's uplink
    vlan_mode: str = "access"
    tag: int | None = None
    trunks: list[int] = field(default_factory=list)
    up: bool = True


@dataclass
class HostPlan:
    name: str  # jmu-staff
    zone: str
    site: str
    ns: str
    vlan: int
    address: str  # 10.10.110.100/24
    gateway: str
    node: str  # the device it hangs off: its access switch, or the AP it is a client of
    port: str | None  # the switch port (None: a Wi-Fi client or the AP itself)
    attached: str  # human-readable: "jmu-acc-1 GigabitEthernet1/0/1" or "jmu-ap on ... (Wi-Fi client, VLAN 900)"


@dataclass
class InjectorPlan:
    site: str
    ns: str
    node: str
    switch_port: str


@dataclass
class NetnsPlan:
    lab_id: str
    switch_ns: str
    routers: list[RouterPlan]
    bridges: list[str]
    ports: list[PortPlan]
    hosts: list[HostPlan]
    injectors: list[InjectorPlan]
    notes: list[str] = field(default_factory=list)

    @property
    def namespaces(self) -> list[str]:
        names = [self.switch_ns] + [r.ns for r in self.routers] + [r.dc_ns for r in self.routers if r.dc_addresses]
        return names + [h.ns for h in self.hosts] + [i.ns for i in self.injectors]


def lab_id(lab_dir: Path) -> str:
    """A short id unique to the lab directory: the prefix of every namespace name."""
    return "nl" + hashlib.sha1(str(Path(lab_dir).resolve()).encode()).hexdigest()[:4]


def ovs_settings(port: Port) -> tuple[str, int | None, list[int], bool]:
    """(vlan_mode, tag, trunks, up) of an OVS port behaving like ``port`` (OVS: no trunks = every VLAN)."""
    up = not port.shutdown
    if port.mode == "trunk":
        native = port.native_vlan or 1
        return "native-untagged", native, [] if port.allowed is None else sorted(port.allowed | {native}), up
    if port.mode == "access":
        return "access", port.access_vlan or 1, [], up
    return "access", 4094, [], False  # routed / unknown: not a layer-2 port of any lab VLAN


def render(port_plan: PortPlan, port: Port | None) -> None:
    """Set ``port_plan``'s VLAN settings from the configured switch port (missing: shut)."""
    if port is None:
        port_plan.vlan_mode, port_plan.tag, port_plan.trunks, port_plan.up = "access", 4094, [], False
        return
    port_plan.vlan_mode, port_plan.tag, port_plan.trunks, port_plan.up = ovs_settings(port)


def interfaces(state: LabState, node: str) -> Interfaces:
    """The switch ports and SVIs of a lab node's running configuration, as the lab reads it."""
    runtime = state.node(node)
    assert runtime is not None
    return read_interfaces(Path(runtime.config_path).read_text(encoding="utf-8"))


def switch_ports(state: LabState, node: str) -> dict[str, Port]:
    return interfaces(state, node).ports


def _short(port: str) -> str:
    """GigabitEthernet1/0/41 -> g1-0-41."""
    return port[0].lower() + "".join(c if c.isdigit() else "-" for c in port if c.isdigit() or c == "/").strip("-")


def _zone_of(vlan: int, zones: dict[str, Zone]) -> str | None:
    return next((z.name for z in zones.values() if vlan in z.vlans), None)


def build_plan(
    lab_dir: Path,
    state: LabState,
    topology: ClabTopology,
    zones: dict[str, Zone],
    dhcp_servers: dict[str, dict[int, list[str]]],
) -> NetnsPlan:
    """The namespace tier for the running lab ``state`` (``dhcp_servers``: site -> VLAN -> authorised servers)."""
    lid = lab_id(lab_dir)
    plan = NetnsPlan(lab_id=lid, switch_ns=f"{lid}-sw", routers=[], bridges=[], ports=[], hosts=[], injectors=[])
    sites = sorted({n.site for n in topology.nodes if n.role == "core"})
    for index, site in enumerate(sites):
        _campus(plan, state, topology, zones, dhcp_servers.get(site, {}), site, index)
    return plan


def _campus(plan: NetnsPlan, state: LabState, topology: ClabTopology, zones: dict[str, Zone],
            servers: dict[int, list[str]], site: str, index: int) -> None:
    lid = plan.lab_id
    core = sorted(n.name for n in topology.nodes if n.site == site and n.role == "core")[0]
    prefix = core.split("-")[0]
    svis = [s for s in interfaces(state, core).svis if s.address and not s.shutdown]
    router = RouterPlan(node=f"{prefix}-wan", site=site, ns=f"{lid}-{prefix}-wan", router_id=f"10.255.255.{index + 1}",
                        ifaces=[], dhcp=[], dc_ns=f"{lid}-{prefix}-dc", dc_addresses=[])
    core_bridge = f"{prefix}-core"
    plan.bridges.append(core_bridge)
    subnets: dict[int, ipaddress.IPv4Interface | ipaddress.IPv6Interface] = {}
    for svi in svis:
        address = svi.address
        assert address  # svis holds addressed SVIs only
        iface = ipaddress.ip_interface(address)
        subnets[svi.vlan] = iface
        name = f"v{svi.vlan}"
        router.ifaces.append(RouterIface(name, address, svi.vlan, svi.vrf))
        plan.ports.append(PortPlan(core_bridge, f"{prefix}r{svi.vlan}", router.ns, name, tag=svi.vlan))
        allowed = servers.get(svi.vlan, [])
        if not allowed:
            continue
        hosts = list(iface.network.hosts())
        start, end = str(hosts[len(hosts) // 2]), str(hosts[len(hosts) // 2 + 49])
        if str(iface.ip) in allowed:
            router.dhcp.append(DhcpScope(svi.vlan, name, start, end, str(iface.ip), relayed=False))
        else:
            router.dhcp.append(DhcpScope(svi.vlan, name, start, end, allowed[0], relayed=True))
            if allowed[0] not in router.dc_addresses:
                router.dc_addresses.append(allowed[0])
    if router.dc_addresses:
        dc_net = ipaddress.ip_interface(f"{router.dc_addresses[0]}/24").network
        gateway = next(h for h in dc_net.hosts() if str(h) not in router.dc_addresses)
        router.ifaces.append(RouterIface("dc", f"{gateway}/24"))
    wan = list(WAN_NET.hosts())[index] if index < 2 else None
    if wan is not None:
        router.ifaces.append(RouterIface("wan", f"{wan}/{WAN_NET.prefixlen}"))
    plan.routers.append(router)

    access = sorted(n.name for n in topology.nodes if n.site == site and n.role == "access")
    ap_ports: dict[tuple[str, str], str] = {}  # (switch, port) -> AP node
    for n in topology.nodes:
        if n.role == "ap" and n.labels.get(AP_SWITCH) and n.labels.get(AP_SWITCH_PORT):
            ap_ports.setdefault((n.labels[AP_SWITCH], n.labels[AP_SWITCH_PORT]), n.name)
    for number, switch in enumerate(access, start=1):
        plan.bridges.append(switch)
        ports = switch_ports(state, switch)
        uplink = next((p for p in ports.values() if p.mode == "trunk" and (switch, p.name) not in ap_ports), None)
        if uplink is None:
            plan.notes.append(f"{switch}: no uplink trunk in its configuration; bridge left unconnected")
            continue
        tag = f"{prefix}{number}"
        up = PortPlan(switch, f"{tag}-{_short(uplink.name)}", plan.switch_ns, f"{tag}-core", node=switch, switch_port=uplink.name)
        render(up, uplink)
        core_side = PortPlan(core_bridge, f"{tag}-core", plan.switch_ns, up.name, node=switch, switch_port=uplink.name, mirror=True)
        render(core_side, uplink)
        plan.ports += [up, core_side]
        if number == 1:
            _hosts(plan, zones, subnets, router, ports, switch, tag, ap_ports, site, prefix)


def _hosts(plan: NetnsPlan, zones: dict[str, Zone], subnets: dict[int, ipaddress.IPv4Interface | ipaddress.IPv6Interface], router: RouterPlan,
           ports: dict[str, Port], switch: str, tag: str, ap_ports: dict[tuple[str, str], str], site: str, prefix: str) -> None:
    lid = plan.lab_id
    active = [p for p in ports.values() if not p.shutdown]
    trunks = [p for p in active if p.mode == "trunk" and (switch, p.name) in ap_ports]
    ap_port = trunks[0] if trunks else None
    wifi: list[tuple[str, int]] = []
    for zone in zones.values():
        port = next((p for p in active if p.mode == "access" and p.access_vlan in zone.vlans and p.access_vlan in subnets), None)
        ns = f"{lid}-{prefix}-{zone.name}"
        if port is not None:
            vlan = port.access_vlan
            assert vlan is not None
            pp = PortPlan(switch, f"{tag}-{_short(port.name)}", ns, "eth0", node=switch, switch_port=port.name)
            render(pp, port)
            plan.ports.append(pp)
            attached, node, port_name = f"{switch} {port.name}", switch, port.name
        else:
            vlan = next((v for v in sorted(zone.vlans) if v in subnets), None)
            if vlan is None or ap_port is None:
                plan.notes.append(f"{site}: zone {zone.name} has no access port on {switch} and no AP/SVI to attach a host to")
                continue
            wifi.append((ns, vlan))
            own = ap_port.native_vlan == vlan
            attached = f"{prefix}-ap on {switch} {ap_port.name} ({'AP management' if own else 'Wi-Fi client'}, VLAN {vlan})"
            node, port_name = ap_ports[(switch, ap_port.name)], None
        subnet = subnets[vlan]
        address = f"{subnet.network.network_address + HOST_OFFSET}/{subnet.network.prefixlen}"
        plan.hosts.append(HostPlan(f"{prefix}-{zone.name}", zone.name, site, ns, vlan, address, str(subnet.ip), node, port_name, attached))
    if ap_port is not None and wifi:
        ap = f"{prefix}-ap"
        plan.bridges.append(ap)
        up = PortPlan(switch, f"{tag}-{_short(ap_port.name)}", plan.switch_ns, f"{ap}-up", node=switch, switch_port=ap_port.name)
        render(up, ap_port)
        native = ap_port.native_vlan or 1
        ap_up = PortPlan(ap, f"{ap}-up", plan.switch_ns, up.name, vlan_mode="native-untagged", tag=native,
                         trunks=sorted({v for _, v in wifi} | {native}))
        plan.ports += [up, ap_up]
        for ns, vlan in wifi:
            plan.ports.append(PortPlan(ap, f"{ap}-{vlan}", ns, "eth0", tag=vlan))
    if len(trunks) > 1:
        rogue = trunks[1]
        ns = f"{lid}-{prefix}-inject"
        pp = PortPlan(switch, f"{tag}-{_short(rogue.name)}", ns, "eth0", node=switch, switch_port=rogue.name)
        render(pp, rogue)
        plan.ports.append(pp)
        plan.injectors.append(InjectorPlan(site, ns, switch, rogue.name))


def probe_plan(plan: NetnsPlan) -> dict[str, Any]:
    """The netops probe plan of the tier (``netops probe`` in lab mode): every zone host is a vantage and a
    target; every injector is a trunk, with the VLANs its port carries as the lab rendered them."""
    vantages = [{"name": h.name, "site": h.site, "zone": h.zone, "vlan": h.vlan, "interface": "eth0", "netns": h.ns,
                 "address": h.address, "gateway": h.gateway, "owned": True, "device": h.node, "attached": h.attached}
                for h in plan.hosts]
    targets = [{"name": h.name, "site": h.site, "zone": h.zone, "vlan": h.vlan, "address": h.address} for h in plan.hosts]
    trunks = []
    for injector in plan.injectors:
        port = next(p for p in plan.ports if p.peer_ns == injector.ns)
        native = port.tag or 1
        carried: Any = "all" if port.vlan_mode != "access" and not port.trunks else sorted(set(port.trunks) | {native})
        trunks.append({"name": injector.ns.split("-", 1)[1], "site": injector.site, "interface": "eth0", "netns": injector.ns,
                       "device": injector.node, "port": injector.switch_port, "native_vlan": native,
                       "carried": carried if port.up else []})
    return {"vantages": vantages, "targets": targets, "trunks": trunks}
