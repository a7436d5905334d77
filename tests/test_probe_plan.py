"""The namespace tier's plan (no root needed): what ``netops lab up --netns`` would
build from the lab topology, the switches' configurations (read by the lab, never by
netops' parsers), the policy's zones and the inventory's DHCP servers; expected
output in tests/data/probe/plan/. And the netops probe plan the tier writes, read
back by netops."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

import labs
from labs.cli import netns_inputs
from labs.netns.build import nft_rules
from labs.netns.frr import frr_conf
from labs.netns.plan import build_plan, lab_id, ovs_settings
from labs.sim.cisco_xe.config import Port
from labs.state import LabState, NodeRuntime
from netops.inventory.clab import load_topology
from netops.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "probe" / "plan"


def _state(lab_dir: Path) -> LabState:
    """A lab state whose running configurations are the topology's startup configs."""
    topology = load_topology(labs.DEFAULT_TOPOLOGY)
    nodes = [NodeRuntime(name=n.name, platform=n.platform, role=n.role, site=n.site, host="127.0.0.1", ssh_port=None,
                         snmp_port=None, username="u", password="p", enable_secret="e", snmp_community="c", snmp_v3_user="v",
                         snmp_v3_auth_key="a", snmp_v3_priv_key="k", config_path=str(n.startup_config or ""))
             for n in topology.nodes]
    return LabState(name="t", topology=str(topology.path), engine="local", started="", pids=[], nodes=nodes)


@pytest.fixture(scope="module")
def plan():
    lab_dir = Path("/nonexistent/lab")
    zones, dhcp = netns_inputs(Settings.resolve(env={}, lab=False))
    return build_plan(lab_dir, _state(lab_dir), load_topology(labs.DEFAULT_TOPOLOGY), zones, dhcp)


def test_plan_matches_expected(plan) -> None:
    expected = json.loads((DATA / "secretariat.json").read_text())
    got = asdict(plan)
    assert got["hosts"] == expected["hosts"]
    assert got["injectors"] == expected["injectors"]
    assert [(r["node"], r["ifaces"], r["dhcp"], r["dc_addresses"]) for r in got["routers"]] == [
        (r["node"], r["ifaces"], r["dhcp"], r["dc_addresses"]) for r in expected["routers"]]
    ports = {p["name"]: p for p in got["ports"]}
    for name, want in expected["ports"].items():
        assert {k: ports[name][k] for k in want} == want, name
    assert plan.notes == []


def test_namespace_names_carry_the_lab_id(plan) -> None:
    assert plan.lab_id == lab_id(Path("/nonexistent/lab")) != lab_id(Path("/other/lab"))
    assert all(ns.startswith(plan.lab_id + "-") for ns in plan.namespaces)
    assert len(set(plan.namespaces)) == len(plan.namespaces)
    assert all(len(p.name) <= 15 and len(p.peer_name) <= 15 for p in plan.ports)  # Linux interface names


@pytest.mark.parametrize("port,expected", [
    (Port("Gi1/0/1", mode="access", access_vlan=110), ("access", 110, [], True)),
    (Port("Gi1/0/2", mode="access", access_vlan=900, shutdown=True), ("access", 900, [], False)),
    (Port("Gi1/0/41", mode="trunk", native_vlan=20, allowed={110, 700, 900}), ("native-untagged", 20, [20, 110, 700, 900], True)),
    (Port("Te1/1/1", mode="trunk", allowed={10, 20}), ("native-untagged", 1, [1, 10, 20], True)),
    (Port("Te1/1/2", mode="trunk"), ("native-untagged", 1, [], True)),  # no allowed list: every VLAN
    (Port("Gi1/0/47", mode="routed"), ("access", 4094, [], False)),
])
def test_switch_port_renders_to_ovs(port: Port, expected: tuple) -> None:
    assert ovs_settings(port) == expected


def test_router_forwards_only_within_a_vrf(plan) -> None:
    rules = nft_rules(plan.routers[0])
    assert 'iifname { "v10", "v20", "v110", "v111", "dc", "wan" } oifname { "v10", "v20", "v110", "v111", "dc", "wan" } accept' in rules
    assert 'iifname { "v900" } oifname { "v900" } accept' in rules
    assert "policy drop" in rules
    assert 'iifname "v900" ip daddr { 10.10.90.2, 255.255.255.255 } accept' in rules


def test_frr_config_keeps_isolated_subnets_out_of_ospf(plan) -> None:
    conf = frr_conf(plan.routers[0])
    assert "hostname jmu-wan" in conf and " ip ospf dead-interval 4" in conf
    assert " network 10.10.110.0/24 area 0" in conf
    assert "10.10.90.0/23 area" not in conf and "10.10.70.0/24 area" not in conf


def test_the_tier_writes_a_probe_plan_netops_reads(plan, tmp_path: Path) -> None:
    import yaml

    from labs.netns.plan import probe_plan
    from netops.probe.plan import load_plan
    from netops.services.check import policy

    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(probe_plan(plan)))
    zones = policy(Settings.resolve(env={}, lab=False)).zones
    loaded = load_plan(path, zones)
    staff = next(v for v in loaded.vantages if v.name == "jmu-staff")
    assert (staff.zone, staff.vlan, staff.netns, staff.owned, staff.tagged) == ("staff", 110, f"{plan.lab_id}-jmu-staff", True, False)
    assert staff.ip == "10.10.110.100" and staff.gateway == "10.10.110.2" and staff.device == "jmu-acc-1"
    assert {t.name for t in loaded.targets} == {h.name for h in plan.hosts}
    trunk = next(t for t in loaded.trunks if t.site == "jammu")
    injector = next(i for i in plan.injectors if i.site == "jammu")
    assert (trunk.device, trunk.port, trunk.native_vlan) == (injector.node, injector.switch_port, 20)
    assert set(trunk.carried) == {20, 110, 700, 900}  # jmu-acc-1 Gi1/0/42: native 20, allowed 110,700,900
    assert loaded.addresses() >= {"10.10.90.100", "10.10.110.2"}
