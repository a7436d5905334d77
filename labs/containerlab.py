"""The containerlab engine: deploy real containers, then read back the inventory containerlab writes.

``containerlab deploy -t FILE`` creates the lab directory ``clab-<name>`` next
to the topology file, holding ``nornir-simple-inventory.yml``: one entry per
node with ``hostname`` (management address), ``username``, ``password`` and
``platform``. netops maps it onto the topology's labels into the same
:class:`labs.state.LabState` the local engine writes.
"""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

import yaml

from labs.sim.credentials import LabCredentials
from labs.sim.platforms import has_ssh
from labs.state import LabState, NodeRuntime, save_state
from netops.errors import LabError
from netops.inventory.clab import ClabTopology

INVENTORY = "nornir-simple-inventory.yml"
SSH_PORT = 22
SNMP_PORT = 161


def lab_directory(topology: ClabTopology) -> Path:
    return topology.path.parent / f"clab-{topology.name}"


def deploy(topology: ClabTopology, lab_dir: Path) -> LabState:
    _run(["containerlab", "deploy", "-t", str(topology.path)])
    state = read_inventory(topology, lab_directory(topology) / INVENTORY)
    save_state(lab_dir, state)
    return state


def destroy(state: LabState) -> None:
    _run(["containerlab", "destroy", "-t", state.topology, "--cleanup"])


def read_inventory(topology: ClabTopology, path: Path) -> LabState:
    """The lab state described by containerlab's nornir inventory of ``topology``."""
    try:
        hosts = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise LabError(f"containerlab wrote no inventory at {path}") from None
    fallback = LabCredentials.from_env()
    nodes = []
    for node in topology.nodes:
        entry = hosts.get(node.name)
        if entry is None:
            raise LabError(f"{path}: node {node.name!r} of {topology.path.name} is missing")
        password = str(entry.get("password") or fallback.password)
        nodes.append(
            NodeRuntime(
                name=node.name, platform=node.platform, role=node.role, site=node.site,
                host=str(entry["hostname"]),
                ssh_port=SSH_PORT if has_ssh(node.platform) else None,
                snmp_port=SNMP_PORT,
                username=str(entry.get("username") or fallback.username),
                password=password,
                enable_secret=password,
                snmp_community=fallback.snmp_community,
                snmp_v3_user=fallback.snmp_v3_user,
                snmp_v3_auth_key=fallback.snmp_v3_auth_key,
                snmp_v3_priv_key=fallback.snmp_v3_priv_key,
                config_path=str(node.startup_config or ""),
                labels=dict(node.labels),
                faults=[],
            )
        )
    return LabState(
        name=topology.name, topology=str(topology.path), engine="containerlab",
        started=datetime.now(timezone.utc).isoformat(timespec="seconds"), pids=[], nodes=nodes,
    )


def _run(argv: list[str]) -> None:
    result = subprocess.run(argv, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-5:])
        raise LabError(f"{' '.join(argv[:2])} failed (exit {result.returncode})\n{tail}")
