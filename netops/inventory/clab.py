"""Read a containerlab topology file: its nodes, their netops labels, and its links.

Used by ``netops inventory import --from-clab`` (a SimpleInventory from a
user's own topology) and by the lab, which runs topologies. netops metadata
rides on containerlab labels, so any topology can carry it:

| label | meaning |
|---|---|
| ``netops-platform`` | netops platform (``cisco_xe``, ``cisco_wlc``, ``aruba_os``, ``cisco_ap``, ...) |
| ``netops-role`` | ``core``, ``access``, ``wlc`` or ``ap`` |
| ``netops-site`` | ``jammu`` or ``srinagar`` |
| ``netops-model`` | hardware model shown by ``show version`` / sysDescr |
| ``netops-controller`` | (APs) the controller the AP joins |
| ``netops-switch`` / ``netops-switch-port`` | (APs) where the AP is cabled |
| ``netops-building`` / ``netops-floor`` | where the device is |

The lab reads more labels of its own (faults, error counters; see docs/lab.md).
Without ``netops-platform``, a node's platform is the netops platform whose
driver declares its containerlab kind as an alias (``cisco_cat9kv`` is
``cisco_xe``). Labels merge like containerlab's: ``topology.defaults`` <
``topology.kinds.<kind>`` < the node's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netops.drivers import all_drivers, platform_of
from netops.errors import InputError
from netops.yamlfile import YamlList, YamlMap, load

PLATFORM_LABEL = "netops-platform"


@dataclass
class ClabLink:
    a_node: str
    a_iface: str
    b_node: str
    b_iface: str
    line: int | None = None  # where the link is written in the topology file


@dataclass
class ClabNode:
    name: str
    kind: str
    platform: str
    labels: dict[str, str] = field(default_factory=dict)
    startup_config: Path | None = None
    image: str | None = None
    line: int = 0
    mgmt_ipv4: str | None = None  # the node's fixed management address, when the topology sets one

    @property
    def role(self) -> str:
        return self.labels.get("netops-role", "")

    @property
    def site(self) -> str:
        return self.labels.get("netops-site", "")

    def config_text(self) -> str:
        if self.startup_config is None:
            return ""
        return self.startup_config.read_text(encoding="utf-8")


@dataclass
class ClabTopology:
    name: str
    path: Path
    nodes: list[ClabNode]
    links: list[ClabLink]

    def node(self, name: str) -> ClabNode:
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(name)


def _labels(section: Any, path: Path, key: str) -> dict[str, str]:
    if not isinstance(section, dict):
        return {}
    labels = section.get("labels") or {}
    if not isinstance(labels, dict):
        line = section.where("labels") if isinstance(section, YamlMap) else None
        raise InputError(f"labels must be a mapping, got {type(labels).__name__}", file=path, line=line, key=f"{key}.labels")
    return {str(k): str(v) for k, v in labels.items()}


def _mapping(value: Any, path: Path, line: int | None, key: str) -> YamlMap:
    if not isinstance(value, YamlMap):
        raise InputError(f"expected a mapping, got {type(value).__name__}", file=path, line=line, key=key)
    return value


def load_topology(path: str | Path) -> ClabTopology:
    """Load and validate a containerlab topology file."""
    path = Path(path)
    doc = load(path)
    if not isinstance(doc, YamlMap) or "topology" not in doc:
        raise InputError("not a containerlab topology (no 'topology' key)", file=path, line=1, key="topology")
    name = str(doc.get("name") or path.stem.split(".")[0])
    topo = _mapping(doc["topology"], path, doc.where("topology"), "topology")
    defaults = _mapping(topo.get("defaults") or YamlMap(), path, topo.where("defaults"), "topology.defaults")
    kinds = _mapping(topo.get("kinds") or YamlMap(), path, topo.where("kinds"), "topology.kinds")
    raw_nodes = topo.get("nodes") or {}
    if not isinstance(raw_nodes, YamlMap) or not raw_nodes:
        raise InputError("topology has no nodes", file=path, line=topo.where("nodes"), key="topology.nodes")
    nodes: list[ClabNode] = []
    for node_name, spec in raw_nodes.items():
        line = raw_nodes.where(node_name)
        spec = _mapping(spec or YamlMap(), path, line, f"topology.nodes.{node_name}")  # None: a node without settings
        kind = str(spec.get("kind") or defaults.get("kind") or "")
        labels = (_labels(defaults, path, "topology.defaults") | _labels(kinds.get(kind), path, f"topology.kinds.{kind}")
                  | _labels(spec, path, f"topology.nodes.{node_name}"))
        platform = labels.get(PLATFORM_LABEL) or platform_of(kind)
        if platform not in all_drivers() and not labels.get(PLATFORM_LABEL):
            raise InputError(
                f"node has no '{PLATFORM_LABEL}' label and its kind {kind!r} is no netops platform",
                file=path, line=line, key=f"topology.nodes.{node_name}.labels",
            )
        cfg = spec.get("startup-config")
        if cfg is not None and not isinstance(cfg, str):
            raise InputError("startup-config must be a file name", file=path, line=spec.where("startup-config"),
                             key=f"topology.nodes.{node_name}.startup-config")
        kind_spec = kinds.get(kind)
        nodes.append(
            ClabNode(
                name=str(node_name),
                kind=kind,
                platform=platform,
                labels=labels,
                startup_config=(path.parent / cfg).resolve() if cfg else None,
                image=spec.get("image") or (kind_spec.get("image") if isinstance(kind_spec, dict) else None),
                line=line,
                mgmt_ipv4=str(spec["mgmt-ipv4"]) if spec.get("mgmt-ipv4") else None,
            )
        )
        if nodes[-1].startup_config and not nodes[-1].startup_config.is_file():
            raise InputError(
                f"startup-config {cfg} not found", file=path, line=spec.where("startup-config"),
                key=f"topology.nodes.{node_name}.startup-config",
            )
    names = {n.name for n in nodes}
    links: list[ClabLink] = []
    raw_links = topo.get("links") or YamlList()
    if not isinstance(raw_links, YamlList):
        raise InputError("links must be a list", file=path, line=topo.where("links"), key="topology.links")
    for i, link in enumerate(raw_links):
        endpoints = _mapping(link or YamlMap(), path, raw_links.where(i), f"topology.links[{i}]").get("endpoints") or []
        if not isinstance(endpoints, list) or len(endpoints) != 2 or not all(isinstance(e, str) and ":" in e for e in endpoints):
            raise InputError("a link needs two 'node:interface' endpoints", file=path, line=raw_links.where(i), key=f"topology.links[{i}]")
        (a, ai), (b, bi) = (e.split(":", 1) for e in endpoints)
        for end in (a, b):
            if end not in names:
                raise InputError(f"link endpoint names unknown node {end!r}", file=path, line=raw_links.where(i), key=f"topology.links[{i}]")
        links.append(ClabLink(a, ai, b, bi, raw_links.where(i)))
    return ClabTopology(name=name, path=path.resolve(), nodes=nodes, links=links)


LABEL_DATA = {  # topology label -> host data key of the inventory
    "netops-model": "model",
    "netops-controller": "controller",
    "netops-switch": "switch",
    "netops-switch-port": "switch_port",
    "netops-building": "building",
    "netops-floor": "floor",
}
DEFAULTS = {  # what every imported host gets: environment variable NAMES, never secrets
    "data": {
        "credentials": {"username": "NETOPS_USERNAME", "password": "NETOPS_PASSWORD", "secret": "NETOPS_ENABLE_SECRET"},
        "snmp": {"version": 3, "user_env": "NETOPS_SNMP_USER", "auth_protocol": "SHA", "auth_key_env": "NETOPS_SNMP_AUTH_KEY",
                 "priv_protocol": "AES", "priv_key_env": "NETOPS_SNMP_PRIV_KEY"},
    }
}


def simple_inventory(topology: ClabTopology) -> dict[str, dict[str, Any]]:
    """A Nornir SimpleInventory of the topology's nodes: ``{"hosts": …, "groups": …, "defaults": …}``.

    A node's management address is its ``mgmt-ipv4``, else the name containerlab
    gives it in ``/etc/hosts`` (``clab-<lab>-<node>``). Site, role and platform
    become ``site_*``, ``role_*`` and ``platform_*`` groups; a node with a
    ``netops-controller`` label and no netops driver is a controller-managed AP.
    """
    drivers = all_drivers()
    hosts: dict[str, Any] = {}
    groups: dict[str, Any] = {}
    for node in topology.nodes:
        names = []
        if node.site:
            names.append(f"site_{node.site}")
            groups[f"site_{node.site}"] = {"data": {"site": node.site}}
        if node.role:
            names.append(f"role_{node.role}")
            groups[f"role_{node.role}"] = {"data": {"role": node.role}}
        names.append(f"platform_{node.platform}")
        driver = drivers.get(node.platform)
        if driver is not None:
            options = {"netmiko": {"platform": driver.netmiko_device_type}} if driver.netmiko_device_type else {}
            if driver.napalm_driver:
                options["napalm"] = {"platform": driver.napalm_driver}
            groups[f"platform_{node.platform}"] = {"platform": node.platform, **({"connection_options": options} if options else {})}
        else:
            groups[f"platform_{node.platform}"] = {"platform": node.platform, "data": {"managed_by": "controller"}}
        data: dict[str, Any] = {key: node.labels[label] for label, key in LABEL_DATA.items() if node.labels.get(label)}
        if "floor" in data and str(data["floor"]).isdigit():
            data["floor"] = int(data["floor"])
        entry: dict[str, Any] = {"hostname": node.mgmt_ipv4 or f"clab-{topology.name}-{node.name}", "groups": names}
        if data:
            entry["data"] = data
        hosts[node.name] = entry
    return {"hosts": hosts, "groups": dict(sorted(groups.items())), "defaults": DEFAULTS}
