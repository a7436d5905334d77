"""Probe plans: where active probes send from, as which address, and what they may try to reach.

A plan has *vantages* (one per zone and VLAN: an interface, untagged or with an
802.1Q tag, a source address and the VLAN's gateway), *targets* (addresses of
each zone to try from the other zones) and *trunks* (switch ports to inject
tagged and double-tagged frames into). Probes send to nothing outside it.

Plans come from a YAML file (``probes.plan`` / ``--plan``, checked against
``netops/defaults/schemas/probe-plan.schema.json``) or are derived for one site
from the inventory and the latest backups: a tagged vantage on ``--interface``
per zone VLAN that has an SVI, the SVIs and authorised DHCP servers as targets.
The lab writes a plan for its namespace tier and goes through the same code.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from netops import defaults
from netops.errors import InputError, InputErrors, unknown
from netops.inventory.hosts import HostInfo
from netops.model import ParsedConfig, Svi
from netops.parsing.ifnames import find_named
from netops.policy.policy import Zone
from netops.yamlfile import YamlMap, load
from netops.yamlschema import Errors, validate

DEFAULT_MAX_FRAMES = 4000
SOURCE_FROM_END = 3  # derived vantages use the subnet's third-last address (…253 in a /24), checked free first


@dataclass(frozen=True)
class Vantage:
    """Where probe frames leave from: one VLAN of one zone."""

    name: str
    site: str
    zone: str
    vlan: int
    interface: str
    address: str  # source address with prefix length: 10.10.110.250/24
    gateway: str | None = None
    tagged: bool = False  # add an 802.1Q tag with ``vlan`` (the interface is on a trunk port)
    netns: str | None = None
    owned: bool = False  # the address is configured on the interface: no ARP check, no ARP answers
    device: str = ""  # what the frames enter: findings are charged to it
    attached: str = ""  # human-readable place: "jmu-acc-1 GigabitEthernet1/0/1"

    @property
    def ip(self) -> str:
        return str(ipaddress.ip_interface(self.address).ip)

    @property
    def network(self) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
        return ipaddress.ip_interface(self.address).network

    @property
    def tags(self) -> tuple[int, ...]:
        return (self.vlan,) if self.tagged else ()

    @property
    def where(self) -> str:
        """How a finding names the place: the attachment, else the interface (and namespace)."""
        if self.attached:
            return self.attached
        tag = f", 802.1Q tag {self.vlan}" if self.tagged else ""
        return f"{self.interface}{' in ' + self.netns if self.netns else ''}{tag}"


@dataclass(frozen=True)
class Target:
    """An address of a zone that segregation probes try to reach."""

    name: str
    site: str
    zone: str
    vlan: int
    address: str  # with prefix length

    @property
    def ip(self) -> str:
        return str(ipaddress.ip_interface(self.address).ip)

    @property
    def network(self) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
        return ipaddress.ip_interface(self.address).network


@dataclass(frozen=True)
class Trunk:
    """A trunk port to inject 802.1Q-tagged and double-tagged frames into."""

    name: str
    site: str
    interface: str
    device: str  # the switch
    port: str  # its port the interface is plugged into
    native_vlan: int
    carried: tuple[int, ...]  # VLANs the port is configured to carry (native included)
    netns: str | None = None

    def vantage(self, vlan: int) -> Vantage:
        """A tagged vantage on this port (DHCP discovers into one VLAN); it owns no address."""
        return Vantage(f"{self.name}-v{vlan}", self.site, "", vlan, self.interface, "0.0.0.0/32", tagged=True,
                       netns=self.netns, owned=True, device=self.device, attached=f"{self.device} {self.port}, 802.1Q tag {vlan}")


@dataclass(frozen=True)
class ProbePlan:
    source: str  # the plan file, or how the plan was derived
    vantages: tuple[Vantage, ...] = ()
    targets: tuple[Target, ...] = ()
    trunks: tuple[Trunk, ...] = ()
    max_frames: int = DEFAULT_MAX_FRAMES
    notes: tuple[str, ...] = field(default=(), compare=False)  # what a derivation skipped, and why

    @property
    def sites(self) -> list[str]:
        return sorted({v.site for v in self.vantages} | {t.site for t in self.trunks})

    def addresses(self) -> set[str]:
        """Every address a frame of this plan may be sent to (broadcasts aside)."""
        out = {t.ip for t in self.targets}
        out |= {v.gateway for v in self.vantages if v.gateway}
        return out

    def select(self, names: Iterable[str]) -> ProbePlan:
        """The plan narrowed to the named vantages and trunks (unknown names are an input error)."""
        wanted = set(names)
        known = {v.name for v in self.vantages} | {t.name for t in self.trunks} | {v.netns for v in self.vantages if v.netns}
        unknown_names = sorted(wanted - known)
        if unknown_names:
            raise unknown("vantage", unknown_names[0], [v.name for v in self.vantages] + [t.name for t in self.trunks],
                          key="--vantage")
        return replace(self, vantages=tuple(v for v in self.vantages if v.name in wanted or v.netns in wanted),
                       trunks=tuple(t for t in self.trunks if t.name in wanted))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@cache
def schema() -> dict[str, Any]:
    return json.loads(defaults.path("schemas", "probe-plan.schema.json").read_text(encoding="utf-8"))


def _interface(errors: Errors, path: list[Any], value: str) -> None:
    try:
        ipaddress.ip_interface(value)
    except ValueError:
        errors.add(path, f"{value!r} is not an address with a prefix length (10.10.110.250/24)")


def load_plan(path: Path, zones: dict[str, Zone], configs: dict[str, ParsedConfig] | None = None) -> ProbePlan:
    """A plan file, validated (file, line and key of every error); trunks without ``native_vlan`` /
    ``carried`` take them from their switch's parsed configuration in ``configs``."""
    doc = load(path)
    errors = Errors(str(path), doc)
    errors += validate(doc if doc is not None else YamlMap(), str(path), schema())
    if errors:
        raise InputErrors(errors.sorted())
    if not isinstance(doc, dict):  # an empty file (the schema has refused every other type)
        raise InputError("an empty plan: give vantages, targets and trunks", file=path, line=1)
    base = dict(doc.get("defaults") or {})
    vantages, targets, trunks = [], [], []
    for section in ("vantages", "targets", "trunks"):
        names: set[str] = set()
        for i, raw in enumerate(doc.get(section) or []):
            where = [section, i]
            if raw["name"] in names:
                errors.add(where + ["name"], f"duplicate name {raw['name']!r} in {section}")
            names.add(raw["name"])
            if section != "trunks":
                _interface(errors, where + ["address"], str(raw["address"]))
                if raw["zone"] not in zones:
                    errors.add(where + ["zone"], f"zone {raw['zone']!r} is not a zone of the policy ({', '.join(sorted(zones))})")
            if section != "targets" and not (raw.get("interface") or base.get("interface")):
                errors.add(where, "no interface (set it here or in defaults.interface)")
    if errors:
        raise InputErrors(errors.sorted())
    for raw in doc.get("vantages") or []:
        vantages.append(Vantage(
            name=raw["name"], site=raw.get("site", base.get("site", "")), zone=raw["zone"], vlan=raw["vlan"],
            interface=raw.get("interface", base.get("interface")), address=str(raw["address"]), gateway=raw.get("gateway"),
            tagged=raw.get("tagged", base.get("tagged", False)), netns=raw.get("netns", base.get("netns")),
            owned=raw.get("owned", False), device=raw.get("device", raw["name"]), attached=raw.get("attached", ""),
        ))
    for raw in doc.get("targets") or []:
        targets.append(Target(raw["name"], raw.get("site", base.get("site", "")), raw["zone"], raw["vlan"], str(raw["address"])))
    for i, raw in enumerate(doc.get("trunks") or []):
        native, carried = raw.get("native_vlan"), raw.get("carried")
        if native is None or carried is None:
            port = _port(configs or {}, raw["device"], raw["port"])
            if port is None:
                errors.add(["trunks", i, "port"], f"no backup of {raw['device']} with a port {raw['port']}: give native_vlan and carried")
                continue
            native = native if native is not None else port[0]
            carried = carried if carried is not None else sorted(port[1])
        if carried == "all":
            carried = range(1, 4095)
        trunks.append(Trunk(raw["name"], raw.get("site", base.get("site", "")), raw.get("interface", base.get("interface")),
                            raw["device"], raw["port"], native, tuple(sorted(set(carried) | {native})),
                            raw.get("netns", base.get("netns"))))
    if errors:
        raise InputErrors(errors.sorted())
    return ProbePlan(str(path), tuple(vantages), tuple(targets), tuple(trunks), doc.get("max_frames", DEFAULT_MAX_FRAMES))


def _port(configs: dict[str, ParsedConfig], device: str, name: str) -> tuple[int, set[int]] | None:
    """(native VLAN, carried VLANs) of a switch port in a parsed configuration."""
    config = configs.get(device)
    port = find_named(config.ports, name) if config else None
    if port is None:
        return None
    if port.mode == "access":
        return port.access_vlan or 1, {port.access_vlan or 1}
    native = port.native_vlan or 1
    return native, set(port.allowed_vlans) | {native}


def derive(site: str, interface: str, zones: dict[str, Zone], hosts: dict[str, HostInfo],
           configs: dict[str, ParsedConfig]) -> ProbePlan:
    """The plan for a laptop on a trunk port of ``site`` (``interface``): a tagged vantage per zone VLAN that
    has an SVI in the site's backups, the SVIs and the authorised DHCP servers as targets."""
    if site not in {h.site for h in hosts.values()}:
        raise unknown("site", site, {h.site for h in hosts.values()}, key="--site")
    svis = _site_svis(site, hosts, configs)
    notes: list[str] = []
    vantages, targets = [], []
    for zone in zones.values():
        for vlan in sorted(zone.vlans):
            svi = svis.get(vlan)
            if svi is None:
                notes.append(f"{site}: VLAN {vlan} (zone {zone.name}) has no SVI with an address in the backups: not probed")
                continue
            address = svi[1].address
            assert address  # _site_svis keeps addressed SVIs only
            iface = ipaddress.ip_interface(address)
            hosts_in = iface.network.num_addresses
            if hosts_in < 8:
                notes.append(f"{site}: VLAN {vlan} is a /{iface.network.prefixlen}: no free address to probe from")
                continue
            source = iface.network.broadcast_address - SOURCE_FROM_END
            vantages.append(Vantage(f"{site}-{zone.name}-v{vlan}", site, zone.name, vlan, interface,
                                    f"{source}/{iface.network.prefixlen}", str(iface.ip), tagged=True, device=interface))
            targets.append(Target(f"{svi[0]} Vlan{vlan}", site, zone.name, vlan, address))
    servers = next((h.dhcp_servers for h in hosts.values() if h.site == site and h.dhcp_servers), {})
    networks = {vlan: ipaddress.ip_interface(svi.address).network for vlan, (_, svi) in svis.items() if svi.address}
    seen = {t.ip for t in targets}
    for server in sorted({a for addresses in servers.values() for a in addresses}):
        server_vlan = next((v for v, net in networks.items() if ipaddress.ip_address(server) in net), None)
        server_zone = next((z.name for z in zones.values() if server_vlan in z.vlans), None) if server_vlan else None
        if server_vlan is None or server_zone is None or server in seen:
            continue
        targets.append(Target(f"dhcp {server}", site, server_zone, server_vlan, f"{server}/{networks[server_vlan].prefixlen}"))
    if not vantages:
        raise InputError(f"no zone VLAN of {site} has an SVI with an address in the latest backups: run `netops backup`, "
                         "or write a probe plan (--plan)", key="--site")
    return ProbePlan(f"derived for {site} on {interface}", tuple(vantages), tuple(targets), (), notes=tuple(notes))


def _site_svis(site: str, hosts: dict[str, HostInfo], configs: dict[str, ParsedConfig]) -> dict[int, tuple[str, Svi]]:
    """VLAN -> (host, SVI) of the site's addressed SVIs, core switches first."""
    order = sorted((h for h in hosts.values() if h.site == site and h.name in configs),
                   key=lambda h: (h.role != "core", h.name))
    out: dict[int, tuple[str, Svi]] = {}
    for host in order:
        for svi in configs[host.name].svis:
            if svi.address and not svi.shutdown:
                out.setdefault(svi.vlan, (host.name, svi))
    return out
