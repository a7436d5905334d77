"""Read a containerlab topology file into lab nodes.

netops metadata rides on containerlab labels, so any topology can carry it:

| label | meaning |
|---|---|
| ``netops-platform`` | netops platform (``cisco_xe``, ``cisco_wlc``, ``aruba_os``, ``cisco_ap``, ...) |
| ``netops-role`` | ``core``, ``access``, ``wlc`` or ``ap`` |
| ``netops-site`` | ``jammu`` or ``srinagar`` |
| ``netops-model`` | hardware model shown by ``show version`` / sysDescr |
| ``netops-controller`` | (APs) the controller the AP joins |
| ``netops-switch`` / ``netops-switch-port`` | (APs) where the AP is cabled |
| ``netops-fault`` | comma-separated fault switches of the local lab |
| ``netops-if-errors`` | comma-separated interfaces whose SNMP error counters grow |
| ``netops-ap-status`` | (APs) ``down``: the controller reports the AP down |
| ``netops-login-privilege`` | (IOS-XE) privilege level of the lab login: ``15`` lands in privileged EXEC, as an AAA-authorized privilege-15 account does; default ``1`` (``enable`` needed) |

Labels merge like containerlab's: ``topology.defaults`` < ``topology.kinds.<kind>``
< the node's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netops.errors import InputError
from netops.yamlfile import YamlMap, load

PLATFORM_LABEL = "netops-platform"


@dataclass
class LabLink:
    a_node: str
    a_iface: str
    b_node: str
    b_iface: str


@dataclass
class LabNode:
    name: str
    kind: str
    platform: str
    labels: dict[str, str] = field(default_factory=dict)
    startup_config: Path | None = None
    image: str | None = None
    line: int = 0

    @property
    def role(self) -> str:
        return self.labels.get("netops-role", "")

    @property
    def site(self) -> str:
        return self.labels.get("netops-site", "")

    @property
    def faults(self) -> list[str]:
        raw = self.labels.get("netops-fault", "")
        return [f.strip() for f in raw.split(",") if f.strip()]

    def config_text(self) -> str:
        if self.startup_config is None:
            return ""
        return self.startup_config.read_text(encoding="utf-8")


@dataclass
class Topology:
    name: str
    path: Path
    nodes: list[LabNode]
    links: list[LabLink]

    def node(self, name: str) -> LabNode:
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(name)


def _labels(section: Any) -> dict[str, str]:
    if not isinstance(section, dict):
        return {}
    labels = section.get("labels") or {}
    return {str(k): str(v) for k, v in labels.items()}


def load_topology(path: str | Path) -> Topology:
    """Load and validate a containerlab topology file."""
    path = Path(path)
    doc = load(path)
    if not isinstance(doc, YamlMap) or "topology" not in doc:
        raise InputError("not a containerlab topology (no 'topology' key)", file=path, line=1, key="topology")
    name = str(doc.get("name") or path.stem.split(".")[0])
    topo = doc["topology"]
    defaults = topo.get("defaults") or {}
    kinds = topo.get("kinds") or {}
    raw_nodes = topo.get("nodes") or {}
    if not isinstance(raw_nodes, YamlMap) or not raw_nodes:
        raise InputError("topology has no nodes", file=path, line=topo.where("nodes"), key="topology.nodes")
    nodes: list[LabNode] = []
    for node_name, spec in raw_nodes.items():
        spec = spec or {}
        line = raw_nodes.where(node_name)
        kind = str(spec.get("kind") or defaults.get("kind") or "")
        labels = _labels(defaults) | _labels(kinds.get(kind)) | _labels(spec)
        platform = labels.get(PLATFORM_LABEL)
        if not platform:
            raise InputError(
                f"node has no '{PLATFORM_LABEL}' label", file=path, line=line, key=f"topology.nodes.{node_name}.labels"
            )
        cfg = spec.get("startup-config")
        nodes.append(
            LabNode(
                name=str(node_name),
                kind=kind,
                platform=platform,
                labels=labels,
                startup_config=(path.parent / cfg).resolve() if cfg else None,
                image=spec.get("image") or (kinds.get(kind) or {}).get("image"),
                line=line,
            )
        )
        if nodes[-1].startup_config and not nodes[-1].startup_config.is_file():
            raise InputError(
                f"startup-config {cfg} not found", file=path, line=spec.where("startup-config"),
                key=f"topology.nodes.{node_name}.startup-config",
            )
    names = {n.name for n in nodes}
    links: list[LabLink] = []
    raw_links = topo.get("links") or []
    for i, link in enumerate(raw_links):
        endpoints = (link or {}).get("endpoints") or []
        if len(endpoints) != 2 or not all(isinstance(e, str) and ":" in e for e in endpoints):
            raise InputError("a link needs two 'node:interface' endpoints", file=path, line=raw_links.where(i), key=f"topology.links[{i}]")
        (a, ai), (b, bi) = (e.split(":", 1) for e in endpoints)
        for end in (a, b):
            if end not in names:
                raise InputError(f"link endpoint names unknown node {end!r}", file=path, line=raw_links.where(i), key=f"topology.links[{i}]")
        links.append(LabLink(a, ai, b, bi))
    return Topology(name=name, path=path.resolve(), nodes=nodes, links=links)
