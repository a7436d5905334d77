"""CDP and LLDP neighbour tables of the lab, read by real clients and parsed by ntc-templates' TextFSM
templates (the lab's output must parse as a real device's does)."""

from __future__ import annotations

import pytest
from lab_client import connect
from ntc_templates.parse import parse_output

from labs.sim.campus import wires
from labs.state import LabState

pytestmark = pytest.mark.lab


def show(lab: LabState, name: str, command: str) -> str:
    node = lab.node(name)
    assert node is not None
    conn = connect(node)
    try:
        return conn.send_command(command)
    finally:
        conn.disconnect()


def cdp(lab: LabState, name: str) -> dict[str, tuple[str, str]]:
    """local interface -> (neighbour, its port) as ntc-templates parses ``show cdp neighbors detail``."""
    rows = parse_output(platform="cisco_ios", command="show cdp neighbors detail", data=show(lab, name, "show cdp neighbors detail"))
    return {r["local_interface"]: (r["neighbor_name"], r["neighbor_interface"]) for r in rows}


def test_core_sees_its_downlinks_by_the_configs_names(lab: LabState):
    table = cdp(lab, "jmu-core-1")
    assert table == {
        "TenGigabitEthernet1/1/1": ("jmu-acc-1.jmu.secretariat.jk.gov.in", "TenGigabitEthernet1/1/1"),
        "TenGigabitEthernet1/1/2": ("jmu-acc-2.jmu.secretariat.jk.gov.in", "TenGigabitEthernet1/1/1"),
        "TenGigabitEthernet1/1/3": ("jmu-acc-3.jmu.secretariat.jk.gov.in", "TenGigabitEthernet1/1/1"),
        "TenGigabitEthernet1/1/4": ("jmu-acc-4.jmu.secretariat.jk.gov.in", "TenGigabitEthernet1/1/1"),
        "TenGigabitEthernet1/1/5": ("jmu-wlc-1.jmu.secretariat.jk.gov.in", "TenGigabitEthernet0/0/0"),
        "TenGigabitEthernet1/1/6": ("jmu-core-2.jmu.secretariat.jk.gov.in", "TenGigabitEthernet1/1/6"),
    }


def test_cdp_detail_fields_parse(lab: LabState):
    rows = parse_output(platform="cisco_ios", command="show cdp neighbors detail",
                        data=show(lab, "jmu-acc-1", "show cdp neighbors detail"))
    by_port = {r["local_interface"]: r for r in rows}
    core = by_port["TenGigabitEthernet1/1/1"]
    assert (core["mgmt_address"], core["platform"]) == ("10.10.255.1", "cisco C9300-48P")
    assert "Router Switch" in core["capabilities"] and "CAT9K_IOSXE" in core["neighbor_description"]
    ap = by_port["GigabitEthernet1/0/41"]
    assert (ap["neighbor_name"], ap["neighbor_interface"], ap["platform"], ap["mgmt_address"]) == (
        "jmu-ap-b1-f1-01", "GigabitEthernet0", "cisco C9120AXI-D", "10.10.20.11")


def test_lldp_sees_aruba_aps_and_the_configs_descriptions(lab: LabState):
    rows = parse_output(platform="cisco_ios", command="show lldp neighbors detail",
                        data=show(lab, "srn-acc-3", "show lldp neighbors detail"))
    table = {r["local_interface"]: r for r in rows}
    assert set(table) == {"Te1/1/1", "Te1/1/2", "Gi1/0/41", "Gi1/0/42"}  # both cores run LLDP
    assert table["Te1/1/1"]["neighbor_name"] == "srn-core-1.srn.secretariat.jk.gov.in"
    assert table["Te1/1/1"]["neighbor_interface"] == "DOWNLINK-srn-acc-3-Te1/1/1"
    assert table["Te1/1/1"]["mgmt_address"] == "10.20.255.1"
    assert table["Gi1/0/41"]["neighbor_name"] == "srn-ap-b2-f1-01"
    assert table["Gi1/0/41"]["neighbor_port_id"] == "eth0"
    assert table["Gi1/0/41"]["neighbor_description"].startswith("ArubaOS (MODEL: 515)")


def test_single_homed_switch_has_one_uplink_neighbour(lab: LabState):
    uplinks = {port: peer for port, peer in cdp(lab, "srn-acc-4").items() if port.startswith("TenGigabitEthernet")}
    assert uplinks == {"TenGigabitEthernet1/1/1": ("srn-core-1.srn.secretariat.jk.gov.in", "TenGigabitEthernet1/1/4")}
    assert "TenGigabitEthernet1/1/4" not in cdp(lab, "srn-core-2")


def test_aireos_cdp_parses_with_the_wlc_template(lab: LabState):
    rows = parse_output(platform="cisco_wlc_ssh", command="show cdp neighbors detail",
                        data=show(lab, "srn-wlc-aireos", "show cdp neighbors detail"))
    assert [(r["chassis_id"], r["local_interface"], r["neighbor_interface"], r["mgmt_address"]) for r in rows] == [
        ("srn-core-1.srn.secretariat.jk.gov.in", "TenGigabitEthernet0/0/1", "TenGigabitEthernet1/1/5", "10.20.255.1")]


def test_every_link_end_is_named_as_its_config_describes_it():
    """A switch port that faces another device carries a description naming that device (and not another)."""
    import re

    from labs import DEFAULT_TOPOLOGY
    from netops.inventory.clab import load_topology

    topology = load_topology(DEFAULT_TOPOLOGY)
    for wire in wires(topology):
        for node, port, peer in ((wire.a, wire.a_port, wire.b), (wire.b, wire.b_port, wire.a)):
            cfg = topology.node(node).startup_config
            if cfg is None or topology.node(node).platform != "cisco_xe":
                continue
            m = re.search(rf"^interface {re.escape(port)}\n description (.+)$", cfg.read_text(), re.M)
            assert m and peer in m.group(1), (node, port, peer)
