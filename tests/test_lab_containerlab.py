"""Reading back the nornir inventory containerlab writes (a recorded example), and engine choice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from labs import containerlab, runner
from netops.errors import InputError, LabError
from netops.inventory.clab import load_topology

DATA = Path(__file__).parent / "data" / "lab"


@pytest.fixture
def topology(tmp_path):
    """The mini topology next to a recorded ``clab-mini`` lab directory."""
    shutil.copytree(DATA, tmp_path / "lab")
    return load_topology(tmp_path / "lab" / "mini.clab.yml")


def test_inventory_read_back_into_lab_state(topology):
    assert containerlab.lab_directory(topology) == topology.path.parent / "clab-mini"
    state = containerlab.read_inventory(topology, containerlab.lab_directory(topology) / containerlab.INVENTORY)
    assert state.engine == "containerlab" and state.name == "mini"
    core = state.node("core1")
    assert (core.host, core.ssh_port, core.snmp_port, core.username, core.password) == ("172.20.20.2", 22, 161, "admin", "admin")
    assert core.platform == "cisco_xe" and core.role == "core" and core.labels["netops-model"] == "C9300-48P"
    assert state.node("owrt1").username == "root" and state.node("owrt1").platform == "openwrt"
    assert state.node("ap1").ssh_port is None  # a controller-managed AP has no CLI
    assert [n.name for n in state.nodes] == [n.name for n in topology.nodes]


def test_missing_node_in_inventory_is_an_error(topology, tmp_path):
    inventory = tmp_path / "inv.yml"
    text = (containerlab.lab_directory(topology) / containerlab.INVENTORY).read_text()
    inventory.write_text(text.split("\nap1:")[0])
    with pytest.raises(LabError, match="'ap1'"):
        containerlab.read_inventory(topology, inventory)


def test_engine_auto_is_local_without_containerlab_and_docker(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert runner.pick_engine("auto") == "local"
    for tool in ("containerlab", "docker"):
        exe = tmp_path / tool
        exe.write_text("#!/bin/sh\nexit 0\n")
        exe.chmod(0o755)
    assert runner.pick_engine("auto") == "containerlab"
    with pytest.raises(InputError):
        runner.pick_engine("vagrant")
