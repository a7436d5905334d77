"""``netops lab up/status/down``: the session lab, refusals, scale, and a clean teardown."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest
import yaml
from conftest import TEST_TOPOLOGY, free_base_address
from lab_client import connect
from nornir import InitNornir
from nornir_netmiko.tasks import netmiko_send_command

from labs.processes import alive
from labs.state import load_state
from netops.drivers import get_driver

pytestmark = pytest.mark.lab

NODE_KEYS = {"name", "platform", "role", "site", "host", "ssh_port", "snmp_port", "username", "password", "enable_secret",
             "snmp_community", "snmp_v3_user", "snmp_v3_auth_key", "snmp_v3_priv_key", "faults", "up",
             "bootstrap_username", "bootstrap_password", "wiped", "replaced", "host_key_fingerprint", "host_key_public",
             "original_config_path", "factory_config_path"}
PRIVILEGED = {"cisco_xe", "aruba_os"}  # platforms that need `enable` before showing the configuration


def test_status_json_lists_every_node_up(lab, netops_cli):
    rc, out, err = netops_cli("lab", "status", "--json")
    assert rc == 0, err
    data = json.loads(out)
    assert [n["name"] for n in data["nodes"]] == [n.name for n in lab.nodes]
    for node in data["nodes"]:
        assert set(node) == NODE_KEYS
        assert node["up"] is True, node["name"]
        assert node["host"].startswith("127.")


def test_nornir_netmiko_on_every_ssh_node(lab, tmp_path):
    hosts = {
        n.name: {
            "hostname": n.host, "port": n.ssh_port, "username": n.username, "password": n.password,
            "platform": get_driver(n.platform).netmiko_device_type,
            "data": {"platform": n.platform},
            "connection_options": {"netmiko": {"extras": {"secret": n.enable_secret}}},
        }
        for n in lab.nodes if n.ssh_port
    }
    (tmp_path / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    nr = InitNornir(runner={"plugin": "threaded", "options": {"num_workers": 20}},
                    inventory={"plugin": "SimpleInventory", "options": {"host_file": str(tmp_path / "hosts.yaml")}},
                    logging={"enabled": False})

    def backup(task):
        platform = task.host.data["platform"]
        command = get_driver(platform).backup.commands[0]
        return task.run(netmiko_send_command, command_string=command, enable=platform in PRIVILEGED).result

    results = nr.run(task=backup)
    nr.close_connections()
    assert not results.failed, {h: r.exception for h, r in results.items() if r.failed}
    assert set(results) == set(hosts)
    for name, result in results.items():
        text = result[0].result
        assert len(text.splitlines()) >= 5, name
        assert "Invalid input" not in text and "Incorrect usage" not in text


def test_a_second_lab_in_the_same_dir_is_refused(lab, netops_cli):
    rc, out, err = netops_cli("lab", "up", str(TEST_TOPOLOGY), "--base-address", "127.250.0.1")
    assert rc == 2
    assert "already running" in err


def test_status_without_a_lab_exits_1(tmp_path, netops_cli):
    rc, out, err = netops_cli("--lab-dir", str(tmp_path / "none"), "lab", "status")
    assert rc == 1
    assert "no lab is running" in err


@pytest.mark.parametrize("mutation, key", [
    (lambda t: t.replace("        netops-platform: openwrt\n", ""), "topology.nodes.owrt1.labels"),
    (lambda t: t.replace("        netops-role: core\n", "        netops-role: core\n        netops-fault: melt\n"),
     "topology.nodes.core1.labels.netops-fault"),
])
def test_invalid_topology_exits_2_naming_file_line_key(tmp_path, netops_cli, mutation, key):
    bad = TEST_TOPOLOGY.parent / f"bad-{uuid.uuid4().hex[:8]}.clab.yml"  # next to the configs it names
    bad.write_text(mutation(TEST_TOPOLOGY.read_text()))
    try:
        lab_dir = tmp_path / "lab"
        rc, out, err = netops_cli("--lab-dir", str(lab_dir), "lab", "up", str(bad))
    finally:
        bad.unlink()
    assert rc == 2
    assert f"{bad.name}:" in err and key in err
    assert not lab_dir.exists()  # nothing half-written


def test_scale_faults_and_down_leaves_nothing(tmp_path, netops_cli):
    lab_dir = tmp_path / "lab"
    env = {"NETOPS_LAB_DIR": str(lab_dir)}
    rc, out, err = netops_cli("lab", "up", str(TEST_TOPOLOGY), "--scale", "20", "--fault", "core1=truncate",
                              "--fault", "iap1=slow=2", "--base-address", free_base_address(), "--json", env=env)
    assert rc == 0, err
    nodes = {n["name"]: n for n in json.loads(out)["nodes"]}
    assert len(nodes) == 7 + 20
    assert nodes["core1"]["faults"] == ["truncate"] and nodes["iap1"]["faults"] == ["slow=2"]
    assert nodes["scale-acc-0020"]["platform"] == "cisco_xe"
    state = load_state(lab_dir)
    conn = connect(state.node("scale-acc-0020"))
    config = conn.send_command("show running-config")
    conn.disconnect()
    assert config.count("\ninterface GigabitEthernet1/0/") == 48
    assert 7000 < len(config) < 10000
    pids = state.pids
    assert pids and all(alive(p) for p in pids)

    rc, out, err = netops_cli("lab", "down", env=env)
    assert rc == 0, err
    assert not lab_dir.exists()
    assert not [p for p in pids if alive(p)]
    assert not _processes_mentioning(str(lab_dir))
    rc, out, err = netops_cli("lab", "down", env=env)
    assert rc == 0 and "no lab" in out


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return [p for p in found if p != os.getpid()]
