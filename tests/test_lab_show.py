"""The lab's answers to the facts and state show commands (issue 17), read by netmiko over SSH and parsed with
ntc-templates' TextFSM templates where one exists (the lab must print what real devices print), checked against what
the lab's configuration and state imply; ``show interfaces trunk`` (no template) is read with a small reader here."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab_client import connect
from ntc_templates.parse import parse_output

import labs
from labs import runner
from labs.sim.device import RUNNING, SimNode, base_mac
from labs.sim.platforms import PLATFORMS, SESSIONS
from labs.state import LabState, NodeRuntime
from netops.inventory.clab import load_topology

pytestmark = pytest.mark.lab

JMU_B1_APS = ["jmu-ap-b1-f1-01", "jmu-ap-b1-f1-02", "jmu-ap-b1-f2-01", "jmu-ap-b1-f2-02"]


class Sessions:
    """One SSH session per node for the whole module: ``show(node, command)``; ``configure(node, *lines)``."""

    def __init__(self, lab: LabState) -> None:
        self.lab = lab
        self.open: dict[str, Any] = {}

    def conn(self, name: str) -> Any:
        if name not in self.open:
            node = self.lab.node(name)
            assert node is not None
            self.open[name] = connect(node)
        return self.open[name]

    def __call__(self, name: str, command: str) -> str:
        return self.conn(name).send_command(command)

    def configure(self, name: str, *lines: str) -> None:
        self.conn(name).send_config_set(list(lines))

    def forget(self, name: str) -> None:
        """Close the session to ``name`` (before powering it off: the fault ends its sessions)."""
        conn = self.open.pop(name, None)
        if conn is not None:
            conn.disconnect()


@pytest.fixture(scope="module")
def show(lab: LabState) -> Iterator[Sessions]:
    sessions = Sessions(lab)
    yield sessions
    for conn in sessions.open.values():
        conn.disconnect()


def parsed(platform: str, command: str, output: str) -> list[dict]:
    return parse_output(platform=platform, command=command, data=output)


def dotted(mac: str) -> str:
    return f"{mac[0:4]}.{mac[4:8]}.{mac[8:12]}"


def trunk_sections(output: str) -> dict[str, dict[str, str]]:
    """``show interfaces trunk``: section title -> port -> the rest of its line (continuations joined)."""
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    last = ""
    for line in output.splitlines():
        if line.startswith("Port "):
            current = sections.setdefault(line[4:].strip(), {})
        elif current is not None and line.startswith(" ") and line.strip() and last:
            current[last] += line.strip()
        elif current is not None and line.strip():
            port, rest = line.split(None, 1)
            current[port], last = rest.strip(), port
    return sections


# ---------------------------------------------------------------- every command answers on every configuration

COMMANDS = {
    "cisco_xe": ["show version", "show inventory", "show interfaces", "show vlan brief", "show interfaces trunk",
                 "show spanning-tree root", "show standby brief", "show vrrp brief", "show etherchannel summary"],
    "cisco_wlc": ["show sysinfo", "show inventory", "show ap summary"],
    "aruba_os": ["show version", "show inventory", "show ap database long", "show vlan"],
    "aruba_instant": ["show version", "show aps"],
    "openwrt": ["cat /etc/openwrt_release", "ubus call system board", "ubus call system info"],
}
ERRORS = ("% Invalid", "% Parse error", "Incorrect usage", "not found", "can't open")


def offline(name: str, platform: str, text: str, labels: dict[str, str], folder: Path) -> Any:
    """A privileged CLI session on a node that runs alone (no lab around it: no neighbours, no joined APs)."""
    folder.mkdir()
    (folder / RUNNING).write_text(text)
    runtime = NodeRuntime(name=name, platform=platform, role="", site="", host="127.0.0.1", ssh_port=None, snmp_port=None,
                          username="u", password="p", enable_secret="s", snmp_community="c", snmp_v3_user="v",
                          snmp_v3_auth_key="a" * 8, snmp_v3_priv_key="b" * 8, config_path=str(folder / RUNNING), labels=labels)
    cli = SESSIONS[platform](SimNode(runtime, folder, SESSIONS[platform]))
    cli.privileged = True  # type: ignore[attr-defined]
    return cli


@pytest.mark.parametrize("variant", ["startup", "factory"])
def test_every_command_answers_on_every_lab_node(variant: str, tmp_path: Path):
    """Each node of the lab's topology answers each command of its platform, from its startup configuration and
    from its factory default (a wiped node), without a lab around it (no neighbours, no joined APs)."""
    for node in load_topology(labs.DEFAULT_TOPOLOGY).nodes:
        if node.platform not in COMMANDS:
            continue
        text = node.config_text()
        if variant == "factory":
            text = PLATFORMS[node.platform].factory(text, node.labels)
        cli = offline(node.name, node.platform, text, node.labels, tmp_path / f"{node.name}-{variant}")
        for command in COMMANDS[node.platform]:
            reply = cli.handle(command).text
            assert reply.strip() or command in ("show vrrp brief", "show standby brief", "show interfaces trunk"), (node.name, command)
            assert not any(e in reply for e in ERRORS), (node.name, variant, command, reply[:200])


def test_a_stack_label_adds_members_to_version_and_inventory(tmp_path: Path):
    """``netops-stack: 3``: three switches in ``show version`` (serials, models, MACs) and in ``show inventory``."""
    cli = offline("stack", "cisco_xe", (labs.LABS_DIR / "configs" / "jmu-core-1.cfg").read_text(),
                  {"netops-model": "C9300-48P", "netops-stack": "3"}, tmp_path / "stack")
    version = parsed("cisco_ios", "show version", cli.handle("show version").text)[0]
    assert version["hardware"] == ["C9300-48P"] * 3 and len(set(version["serial"])) == len(set(version["mac_address"])) == 3
    inventory = parsed("cisco_ios", "show inventory", cli.handle("show inventory").text)
    members = {r["name"]: r["sn"] for r in inventory if re.fullmatch(r"Switch \d", r["name"])}
    assert list(members) == ["Switch 1", "Switch 2", "Switch 3"] and list(members.values()) == version["serial"]


# ---------------------------------------------------------------- IOS-XE switches: state


def test_show_interfaces_parses_status_speed_and_errors(show):
    rows = {r["interface"]: r for r in parsed("cisco_ios", "show interfaces", show("jmu-acc-1", "show interfaces"))}
    uplink = rows["TenGigabitEthernet1/1/1"]
    assert (uplink["link_status"], uplink["protocol_status"]) == ("up", "up (connected)")
    assert (uplink["duplex"], uplink["speed"], uplink["bandwidth"]) == ("Full-duplex", "10Gb/s", "10000000 Kbit")
    assert uplink["description"] == "UPLINK-jmu-core-1-Te1/1/1" and uplink["input_errors"].isdigit()
    unused = rows["GigabitEthernet1/0/43"]  # "shutdown" in the configuration
    assert (unused["link_status"], unused["protocol_status"]) == ("administratively down", "down (disabled)")
    assert rows["Vlan10"]["ip_address"] == "10.10.0.11" and rows["Vlan1"]["link_status"] == "administratively down"
    assert rows["GigabitEthernet1/0/1"]["speed"] == "1000Mb/s" and rows["GigabitEthernet1/0/1"]["output_errors"] == "0"


def test_errors_grow_on_the_ports_the_lab_labels_faulty(show):
    """``netops-if-errors: TenGigabitEthernet1/1/1`` on srn-core-1: its input errors grow (2/s, as over SNMP); a
    clean port's stay put."""
    def errors() -> tuple[int, int]:
        rows = {r["interface"]: r for r in parsed("cisco_ios", "show interfaces", show("srn-core-1", "show interfaces"))}
        return int(rows["TenGigabitEthernet1/1/1"]["input_errors"]), int(rows["TenGigabitEthernet1/1/2"]["input_errors"])

    first = errors()
    time.sleep(1.1)
    second = errors()
    assert second[0] >= first[0] + 2 and second[1] == first[1]


def test_show_vlan_brief_lists_access_ports(show):
    rows = {r["vlan_id"]: r for r in parsed("cisco_ios", "show vlan", show("jmu-acc-1", "show vlan brief"))}
    assert rows["700"]["vlan_name"] == "iot-vlan"
    assert rows["700"]["interfaces"] == [f"Gi1/0/{n}" for n in range(33, 39)]
    assert "Gi1/0/41" not in sum((r["interfaces"] for r in rows.values()), [])  # trunks are not listed
    assert {"1", "10", "20", "110", "111", "700", "900", "999", "1002"} <= set(rows)


def test_show_interfaces_trunk_has_the_four_sections(show):
    sections = trunk_sections(show("jmu-acc-1", "show interfaces trunk"))
    mode = sections["Mode             Encapsulation  Status        Native vlan"]
    assert mode["Te1/1/1"].split() == ["on", "802.1q", "trunking", "999"]
    assert mode["Gi1/0/41"].split() == ["on", "802.1q", "trunking", "20"]
    assert sections["Vlans allowed on trunk"]["Gi1/0/41"] == "20,110,700,900"
    assert sections["Vlans allowed and active in management domain"]["Te1/1/1"] == "10,20,110-111,700,900"
    assert set(sections["Vlans in spanning tree forwarding state and not pruned"]) == {"Gi1/0/41", "Gi1/0/42", "Te1/1/1", "Te1/1/2"}


def test_spanning_tree_root_is_the_lowest_priority_core(show):
    core = dotted(base_mac("jmu-core-1"))
    rows = {r["vlan_id"]: r for r in parsed("cisco_ios", "show spanning-tree root", show("jmu-acc-1", "show spanning-tree root"))}
    assert (rows["VLAN0010"]["priority"], rows["VLAN0010"]["root_id"]) == ("24586", core)  # 24576 + VLAN 10
    assert (rows["VLAN0010"]["root_cost"], rows["VLAN0010"]["root_port"]) == ("2", "Te1/1/1")
    own = parsed("cisco_ios", "show spanning-tree root", show("jmu-core-1", "show spanning-tree root"))
    assert {(r["vlan_id"], r["root_id"], r["root_cost"], r["root_port"]) for r in own if r["vlan_id"] == "VLAN0110"} == {
        ("VLAN0110", core, "0", "")}


def test_hsrp_active_is_the_higher_priority_core(show):
    one = {r["interface"]: r for r in parsed("cisco_ios", "show standby brief", show("jmu-core-1", "show standby brief"))}
    two = {r["interface"]: r for r in parsed("cisco_ios", "show standby brief", show("jmu-core-2", "show standby brief"))}
    assert set(one) == set(two) == {"Vl10", "Vl20", "Vl110", "Vl111", "Vl700", "Vl900"}
    assert (one["Vl10"]["state"], one["Vl10"]["priority"], one["Vl10"]["active"], one["Vl10"]["virtual_ip_address"]) == (
        "Active", "110", "local", "10.10.0.1")
    assert (two["Vl10"]["state"], two["Vl10"]["active"], two["Vl10"]["standby"]) == ("Standby", "10.10.0.2", "local")
    assert show("jmu-core-1", "show vrrp brief").strip() == ""  # no VRRP in the lab's configurations


def test_facts_of_a_switch_and_a_9800(show):
    version = parsed("cisco_ios", "show version", show("jmu-core-1", "show version"))[0]
    assert (version["version"], version["hostname"], version["hardware"]) == ("17.9.4a", "jmu-core-1", ["C9300-48P"])
    assert version["mac_address"] == [":".join(base_mac("jmu-core-1")[i:i + 2] for i in range(0, 12, 2))]
    inventory = parsed("cisco_ios", "show inventory", show("jmu-core-1", "show inventory"))
    assert inventory[0]["pid"] == "C9300-48P" and inventory[0]["sn"] == version["serial"][0]
    assert [r["name"] for r in inventory][:2] == ["c93xx Stack", "Switch 1"]
    wlc = parsed("cisco_ios", "show inventory", show("jmu-wlc-1", "show inventory"))
    assert (wlc[0]["name"], wlc[0]["pid"]) == ("Chassis", "C9800-40-K9")


def test_9800_lists_its_joined_aps_and_a_switch_has_no_ap_summary(show):
    rows = parsed("cisco_ios", "show ap summary", show("jmu-wlc-1", "show ap summary"))
    assert [(r["ap_name"], r["ap_model"], r["ip_address"], r["state"]) for r in rows] == [
        (name, "C9120AXI-D", f"10.10.20.{11 + i}", "Registered") for i, name in enumerate(JMU_B1_APS)]
    assert "% Invalid input detected at '^' marker." in show("jmu-acc-1", "show ap summary")


# ---------------------------------------------------------------- AireOS, AOS 8, Instant, OpenWrt: facts


def test_aireos_sysinfo_inventory_and_aps(show):
    sysinfo = parsed("cisco_wlc_ssh", "show sysinfo", show("srn-wlc-aireos", "show sysinfo"))[0]
    assert (sysinfo["product_version"], sysinfo["system_name"], sysinfo["ip_address"]) == (
        "8.10.196.0", "srn-wlc-aireos", "10.20.0.21")
    assert re.fullmatch(r"\d+ days \d+ hrs \d+ mins \d+ secs", sysinfo["system_up_time"])
    inventory = parsed("cisco_wlc_ssh", "show inventory", show("srn-wlc-aireos", "show inventory"))[0]
    assert (inventory["name"], inventory["pid"]) == ("Chassis", "AIR-CT5520-K9") and inventory["sn"].startswith("FCH")
    aps = parsed("cisco_wlc_ssh", "show ap summary", show("srn-wlc-aireos", "show ap summary"))
    assert [(r["ap_name"], r["ap_model"], r["location"]) for r in aps][:2] == [
        ("srn-ap-b1-f1-01", "AIR-AP2802I-D-K9", "Srinagar Civil Secretariat, Block B1, Floor 1"),
        ("srn-ap-b1-f1-02", "AIR-AP2802I-D-K9", "Srinagar Civil Secretariat, Block B1, Floor 1")]
    assert len(aps) == 4


def test_aruba_controller_version_inventory_aps_and_vlans(show):
    version = show("srn-wlc-aruba", "show version")
    assert "ArubaOS (MODEL: Aruba7210), Version 8.10.0.12" in version and "Switch uptime is " in version
    inventory = parsed("aruba_os", "show inventory", show("srn-wlc-aruba", "show inventory"))[0]
    assert inventory["sc_model"] == "Aruba7210-US" and inventory["system_serial"].startswith("CV")
    aps = parsed("aruba_os", "show ap database long", show("srn-wlc-aruba", "show ap database long"))
    assert [(r["ap_name"], r["group"], r["ap_model"], r["status"].split()[0], r["primary"]) for r in aps] == [
        (f"srn-ap-b2-f{f}-0{n}", "SRN-B2", "515", "Up", "10.20.0.22") for f in (1, 2) for n in (1, 2)]
    vlans = show("srn-wlc-aruba", "show vlan")
    assert re.search(r"^110\s+staff-vlan\s+GE0/0/0\s", vlans, re.M) and re.search(r"^1\s+Default\s+GE0/0/1-0/0/3\s", vlans, re.M)


def test_instant_version_and_aps(show):
    assert "ArubaOS (MODEL: 505), Version 8.10.0.12" in show("srn-iap-annex", "show version")
    aps = show("srn-iap-annex", "show aps")
    assert aps.strip().startswith("1 Access Points") and re.search(r"^srn-iap-annex\*\s+10\.20\.20\.51\s+access", aps, re.M)


def test_openwrt_release_and_board(show):
    release = dict(re.findall(r"^(\w+)='([^']*)'$", show("jmu-owrt-guesthouse", "cat /etc/openwrt_release"), re.M))
    assert (release["DISTRIB_ID"], release["DISTRIB_RELEASE"]) == ("OpenWrt", "23.05.5")
    board = json.loads(show("jmu-owrt-guesthouse", "ubus call system board"))
    assert (board["model"], board["hostname"], board["release"]["version"]) == ("GL.iNet GL-MT6000", "jmu-owrt-guesthouse", "23.05.5")
    info = json.loads(show("jmu-owrt-guesthouse", "ubus call system info"))
    assert isinstance(info["uptime"], int) and info["uptime"] > 86400  # lab devices have been up 1 to 60 days


# ---------------------------------------------------------------- what changes show at once


def test_an_ap_leaves_its_controller_when_its_switch_port_is_shut(show):
    """Shut jmu-acc-1 Gi1/0/41 (jmu-ap-b1-f1-01's cable): the AP leaves jmu-wlc-1's summary; back after no shutdown."""
    def joined() -> list[str]:
        return [r["ap_name"] for r in parsed("cisco_ios", "show ap summary", show("jmu-wlc-1", "show ap summary"))]

    show.configure("jmu-acc-1", "interface GigabitEthernet1/0/41", "shutdown")
    try:
        assert joined() == JMU_B1_APS[1:]
    finally:
        show.configure("jmu-acc-1", "interface GigabitEthernet1/0/41", "no shutdown")
    assert joined() == JMU_B1_APS
    assert "interface GigabitEthernet1/0/41\n description AP-jmu-ap-b1-f1-01\n switchport trunk native vlan 20\n" in show(
        "jmu-acc-1", "show running-config")  # left as found


def test_a_powered_off_ap_leaves_its_controller(lab: LabState, show):
    lab_dir = Path(os.environ["NETOPS_LAB_DIR"])
    runner.set_fault(lab_dir, "srn-ap-b1-f2-02", "down")
    try:
        names = [r["ap_name"] for r in parsed("cisco_wlc_ssh", "show ap summary", show("srn-wlc-aireos", "show ap summary"))]
        assert "srn-ap-b1-f2-02" not in names and len(names) == 3
    finally:
        runner.set_fault(lab_dir, "srn-ap-b1-f2-02", None, clear=True)
    assert len(parsed("cisco_wlc_ssh", "show ap summary", show("srn-wlc-aireos", "show ap summary"))) == 4


def test_a_powered_off_core_moves_the_root_and_hsrp(lab: LabState, show):
    """jmu-core-1 down: jmu-core-2 becomes HSRP Active and the spanning-tree root (28672 + VLAN), jmu-acc-1 reaches
    it over Te1/1/2, and jmu-core-2's link to jmu-core-1 goes down (and stops trunking)."""
    lab_dir = Path(os.environ["NETOPS_LAB_DIR"])
    show.forget("jmu-core-1")
    runner.set_fault(lab_dir, "jmu-core-1", "down")
    try:
        hsrp = {r["interface"]: r for r in parsed("cisco_ios", "show standby brief", show("jmu-core-2", "show standby brief"))}
        assert (hsrp["Vl110"]["state"], hsrp["Vl110"]["active"], hsrp["Vl110"]["standby"]) == ("Active", "local", "unknown")
        stp = {r["vlan_id"]: r for r in parsed("cisco_ios", "show spanning-tree root", show("jmu-acc-1", "show spanning-tree root"))}
        assert (stp["VLAN0110"]["priority"], stp["VLAN0110"]["root_id"], stp["VLAN0110"]["root_port"]) == (
            str(28672 + 110), dotted(base_mac("jmu-core-2")), "Te1/1/2")
        link = parsed("cisco_ios", "show interfaces", show("jmu-core-2", "show interfaces TenGigabitEthernet1/1/6"))[0]
        assert (link["link_status"], link["protocol_status"]) == ("down", "down (notconnect)")
        assert "Te1/1/6" not in trunk_sections(show("jmu-core-2", "show interfaces trunk"))["Vlans allowed on trunk"]
    finally:
        runner.set_fault(lab_dir, "jmu-core-1", None, clear=True)
    hsrp = {r["interface"]: r for r in parsed("cisco_ios", "show standby brief", show("jmu-core-2", "show standby brief"))}
    assert hsrp["Vl110"]["state"] == "Standby"


def test_a_trunk_change_shows_at_once(show):
    show.configure("jmu-acc-1", "interface TenGigabitEthernet1/1/1", "switchport trunk allowed vlan remove 700")
    try:
        sections = trunk_sections(show("jmu-acc-1", "show interfaces trunk"))
        assert sections["Vlans allowed on trunk"]["Te1/1/1"] == "10,20,110-111,900"
        assert sections["Vlans allowed and active in management domain"]["Te1/1/2"] == "10,20,110-111,700,900"
    finally:
        show.configure("jmu-acc-1", "interface TenGigabitEthernet1/1/1", "switchport trunk allowed vlan add 700")
    assert trunk_sections(show("jmu-acc-1", "show interfaces trunk"))["Vlans allowed on trunk"]["Te1/1/1"] == "10,20,110-111,700,900"


def test_port_channel_and_vrrp_from_the_configuration(sim_lab):
    """On the private lab's core1: an LACP channel of Gi1/0/2 and Gi1/0/3 (shut down in its configuration) is up with
    one member bundled and the other down, both bundled after no shutdown; a VRRP group on an SVI is Master (the
    only router); all undone afterwards."""
    _, state = sim_lab
    node = state.node("core1")
    assert node is not None
    conn = connect(node)

    def channels() -> list[tuple]:
        rows = parsed("cisco_ios", "show etherchannel summary", conn.send_command("show etherchannel summary"))
        return [(r["bundle_name"], r["bundle_status"], r["bundle_protocol"], r["member_interface"], r["member_interface_status"])
                for r in rows]

    try:
        before = conn.send_command("show running-config")
        conn.send_config_set(["interface GigabitEthernet1/0/2", "channel-group 1 mode active",
                              "interface GigabitEthernet1/0/3", "channel-group 1 mode active",
                              "interface Vlan20", "vrrp 20 ip 10.20.0.254", "vrrp 20 priority 120"])
        assert channels() == [("Po1", "SU", "LACP", ["Gi1/0/2", "Gi1/0/3"], ["P", "D"])]
        conn.send_config_set(["interface GigabitEthernet1/0/3", "no shutdown"])
        assert channels() == [("Po1", "SU", "LACP", ["Gi1/0/2", "Gi1/0/3"], ["P", "P"])]
        vrrp = parsed("cisco_ios", "show vrrp brief", conn.send_command("show vrrp brief"))
        assert [(r["interface"], r["group"], r["priority"], r["state"], r["virtual_ip_address"]) for r in vrrp] == [
            ("Vl20", "20", "120", "Master", "10.20.0.254")]
        conn.send_config_set(["interface GigabitEthernet1/0/2", "no channel-group 1 mode active",
                              "interface GigabitEthernet1/0/3", "no channel-group 1 mode active", "shutdown",
                              "interface Vlan20", "no vrrp 20 ip 10.20.0.254", "no vrrp 20 priority 120"])
        assert conn.send_command("show running-config") == before
        assert channels() == [] and conn.send_command("show vrrp brief").strip() == ""
    finally:
        conn.disconnect()
