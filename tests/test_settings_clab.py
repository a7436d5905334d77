"""Where settings come from (flag > environment > netops.yaml > built-in) and containerlab topologies read as
inventories: the command-line behaviour with bad input is in test_wheel.py; these test the pieces directly."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from netops.errors import InputError
from netops.inventory.clab import load_topology, simple_inventory
from netops.settings import Settings

REPO = Path(__file__).resolve().parent.parent
NETOPS = REPO / ".venv" / "bin" / "netops"
MINI = REPO / "tests" / "data" / "lab" / "mini.clab.yml"
NO_ENV: dict[str, str] = {}


def test_flag_beats_environment_beats_file(tmp_path: Path) -> None:
    config = tmp_path / "netops.yaml"
    config.write_text("inventory: site-inventory\ndata_dir: data\n")
    from_file = Settings.resolve(env=NO_ENV, config=config)
    assert from_file.inventory == tmp_path / "site-inventory"  # relative to the file, not the current directory
    assert str(from_file.origins["inventory"]) == f"file {config}:1"
    assert from_file.backup_dir == tmp_path / "data" / "backups"
    env = {"NETOPS_INVENTORY": str(tmp_path / "env-inventory")}
    assert Settings.resolve(env=env, config=config).inventory == tmp_path / "env-inventory"
    flagged = Settings.resolve(env=env, config=config, inventory=tmp_path / "flag-inventory")
    assert flagged.inventory == tmp_path / "flag-inventory" and str(flagged.origins["inventory"]) == "flag --inventory"


def test_a_misspelt_setting_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="inventory_dir"):
        Settings.resolve(env=NO_ENV, inventory_dir="x")


def test_topology_to_inventory() -> None:
    topology = load_topology(MINI)
    inventory = simple_inventory(topology)
    assert set(inventory["hosts"]) == {n.name for n in topology.nodes}
    core = inventory["hosts"]["core1"]
    assert {"site_jammu", "role_core", "platform_cisco_xe"} <= set(core["groups"])
    assert core["hostname"] == "clab-mini-core1"  # containerlab's container name without a mgmt-ipv4
    assert set(inventory["groups"]) >= set(core["groups"])


@pytest.mark.parametrize(("text", "line", "key"), [
    ("name: t\ntopology: [a]\n", 2, "topology"),
    ("name: t\ntopology:\n  nodes:\n    sw1: just-a-string\n", 4, "topology.nodes.sw1"),
    ("name: t\ntopology:\n  nodes:\n    sw1: {kind: linux, labels: {netops-platform: openwrt}}\n  links: {a: b}\n",
     5, "topology.links"),
    ("name: t\ntopology:\n  nodes:\n    sw1: {kind: linux, labels: {netops-platform: openwrt}}\n  links:\n    - sw1:eth1\n",
     6, "topology.links[0]"),
    ("name: t\ntopology:\n  nodes:\n    sw1: {kind: linux}\n", 4, "topology.nodes.sw1.labels"),
])
def test_bad_topology_names_line_and_key(tmp_path: Path, text: str, line: int, key: str) -> None:
    path = tmp_path / "t.clab.yml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_topology(path)
    assert (caught.value.line, caught.value.key) == (line, key), str(caught.value)


def test_import_command_writes_a_loadable_inventory(tmp_path: Path) -> None:
    out = tmp_path / "inventory"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    run = subprocess.run([str(NETOPS), "inventory", "import", "--from-clab", str(MINI), "-o", str(out), "--json"],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert sorted(Path(p).name for p in json.loads(run.stdout)["files"]) == ["defaults.yaml", "groups.yaml", "hosts.yaml"]
    hosts = yaml.safe_load((out / "hosts.yaml").read_text())
    assert "core1" in hosts and not any("password" in str(h) for h in hosts.values())  # never a secret in the file
    listed = subprocess.run([str(NETOPS), "--inventory", str(out), "inventory", "list", "--json"],
                            capture_output=True, text=True, env=env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert {h["name"] for h in json.loads(listed.stdout)} == set(hosts)
    again = subprocess.run([str(NETOPS), "inventory", "import", "--from-clab", str(MINI), "-o", str(out)],
                           capture_output=True, text=True, env=env, cwd=tmp_path)
    assert again.returncode == 2 and "--force" in again.stderr
