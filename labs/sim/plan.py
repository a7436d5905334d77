"""Turn a ``lab up`` request into the lab's nodes: addresses, ports, credentials, configs, faults."""

from __future__ import annotations

import ipaddress
import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from labs.sim.credentials import LabCredentials
from labs.sim.device import FACTORY, ORIGINAL, RUNNING, STARTUP
from labs.sim.faults import ACTIONS, check_fault, merge_fault, node_faults, split_actions
from labs.sim.platforms import PLATFORMS, SESSIONS, has_ssh
from labs.sim.scale import scale_names, scale_node
from labs.state import LabState, NodeRuntime
from netops.errors import InputError
from netops.inventory.clab import ClabTopology, load_topology

REQUEST_FILE = "request.json"  # lab up → supervisor (owner-only, deleted once read)
PLAN_FILE = "plan.json"  # supervisor → workers, until state.json is written
HOST_KEY = "ssh_host_key"
NODES_DIR = "nodes"
PID_FILE = "supervisor.pid"
LOG_FILE = "supervisor.log"
LOOPBACK = ipaddress.ip_network("127.0.0.0/8")


@dataclass
class LabRequest:
    """What ``netops lab up`` asked for."""

    topology: str
    base_address: str = "127.20.0.1"
    ssh_port: int = 10022
    snmp_port: int = 10161
    scale: int = 0
    scale_privilege: int = 15  # login privilege of the generated switches (1: enable needed)
    faults: dict[str, list[str]] = field(default_factory=dict)  # node → extra fault switches
    credentials: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def write_private_json(path: Path, data: Any) -> None:
    """Write JSON atomically, readable by the owner only."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2)
    os.replace(tmp, path)


def load_plan(lab_dir: Path) -> LabState:
    raw = json.loads((lab_dir / PLAN_FILE).read_text(encoding="utf-8"))
    raw["nodes"] = [NodeRuntime(**n) for n in raw["nodes"]]
    return LabState(**raw)


def check_base_address(base: str) -> ipaddress.IPv4Address:
    try:
        address = ipaddress.IPv4Address(base)
    except ValueError:
        raise InputError(f"not an IPv4 address: {base!r}", key="--base-address") from None
    if address not in LOOPBACK:
        raise InputError(f"{base} is outside 127.0.0.0/8: the lab only binds loopback addresses", key="--base-address")
    return address


def addresses(base: ipaddress.IPv4Address) -> Iterator[str]:
    """``base`` and the addresses after it, skipping .0 and .255, never leaving 127.0.0.0/8."""
    address = base
    while address in LOOPBACK:
        if address.packed[3] not in (0, 255):
            yield str(address)
        address += 1
    raise InputError("the lab ran out of 127.x addresses", key="--base-address")


def check_faults(topology: ClabTopology, extra: dict[str, list[str]]) -> None:
    """Raise InputError naming the file, line and key of the first bad fault switch."""
    for node in topology.nodes:
        key = f"topology.nodes.{node.name}.labels.netops-fault"
        for spec in node_faults(node.labels):
            try:
                check_fault(spec)
            except ValueError as exc:
                raise InputError(str(exc), file=topology.path, line=node.line, key=key) from None
            if spec.strip() in ACTIONS and not has_ssh(node.platform):
                raise InputError(f"{spec.strip()}: {node.name} has no simulated CLI", file=topology.path, line=node.line, key=key)
    platforms = {n.name: n.platform for n in topology.nodes}
    for name, specs in extra.items():
        if name not in platforms and not name.startswith("scale-acc-"):
            raise InputError(f"no node named {name!r} in {topology.path.name}", key="--fault")
        for spec in specs:
            try:
                check_fault(spec)
            except ValueError as exc:
                raise InputError(str(exc), key="--fault") from None
            if spec.strip() in ACTIONS and name in platforms and not has_ssh(platforms[name]):
                raise InputError(f"{spec.strip()}: {name} has no simulated CLI", key="--fault")


def build(request: LabRequest, lab_dir: Path) -> tuple[LabState, ClabTopology]:
    """Lay out the lab directory and return its state (no pids yet) and full topology."""
    topology = load_topology(request.topology)
    check_faults(topology, request.faults)
    if request.scale:
        scale_dir = lab_dir / "scale"
        scale_dir.mkdir(exist_ok=True)
        topology.nodes += [scale_node(name, i, scale_dir, request.scale_privilege) for i, name in enumerate(scale_names(request.scale), 1)]
    creds = LabCredentials(**request.credentials)
    nodes: list[NodeRuntime] = []
    for node, host in zip(topology.nodes, addresses(check_base_address(request.base_address))):
        node_dir = lab_dir / NODES_DIR / node.name
        node_dir.mkdir(parents=True, exist_ok=True)
        text = node.config_text()
        session = SESSIONS.get(node.platform)
        if session is not None and text:
            text = session.normalize(text)  # as the device itself prints it
        (node_dir / ORIGINAL).write_text(text, encoding="utf-8")
        factory = ""
        if session is not None:
            factory = session.normalize(PLATFORMS[node.platform].factory(text, dict(node.labels)))
            (node_dir / FACTORY).write_text(factory, encoding="utf-8")
        faults = [check_fault(f) for f in node_faults(node.labels)]
        for spec in request.faults.get(node.name, []):
            faults = merge_fault(faults, check_fault(spec))
        faults, actions = split_actions(faults)
        wiped = bool(actions) and session is not None
        (node_dir / STARTUP).write_text(factory if wiped else text, encoding="utf-8")
        (node_dir / RUNNING).write_text(factory if wiped else text, encoding="utf-8")
        nodes.append(
            NodeRuntime(
                name=node.name,
                platform=node.platform,
                role=node.role,
                site=node.site,
                host=host,
                ssh_port=request.ssh_port if has_ssh(node.platform) else None,
                snmp_port=request.snmp_port,
                config_path=str(node_dir / RUNNING),
                labels=dict(node.labels),
                faults=faults,
                original_config_path=str(node_dir / ORIGINAL),
                factory_config_path=str(node_dir / FACTORY) if session is not None else "",
                wiped=wiped,
                replaced=wiped and "replace" in actions,  # its host key: the supervisor makes it
                booted_at=time.time() if wiped else 0.0,
                **creds.to_dict(),
            )
        )
    state = LabState(
        name=topology.name,
        topology=str(topology.path),
        engine="local",
        started=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        pids=[],
        nodes=nodes,
    )
    return state, topology
