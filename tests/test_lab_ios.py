"""The simulated IOS-XE CLI seen through real netmiko and napalm clients."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lab_client import connect, netmiko_params
from napalm import get_network_driver
from netmiko import ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def core(sim_lab):
    lab_dir, state = sim_lab
    return state.node("core1")


@pytest.fixture
def conn(core):
    c = connect(core)
    yield c
    c.disconnect()


def test_show_commands_with_abbreviations_and_filters(conn, core):
    version = conn.send_command("sh ver")
    assert re.search(r"^core1 uptime is \d+ weeks?", version, re.M)
    assert "cisco C9300-48P (X86) processor" in version
    brief = conn.send_command("sh ip int br")
    assert re.search(r"^Vlan20\s+10\.20\.0\.1\s+YES", brief, re.M)
    assert re.search(r"^GigabitEthernet1/0/3\s+unassigned.*administratively down", brief, re.M)
    interfaces = conn.send_command("show running-config | include ^interface")
    assert interfaces.splitlines() == [
        "interface GigabitEthernet1/0/1", "interface GigabitEthernet1/0/2", "interface GigabitEthernet1/0/3", "interface Vlan20"]
    section = conn.send_command("show run | section ^vlan 110")
    assert section.splitlines() == ["vlan 110", " name STAFF"]
    begin = conn.send_command("show running-config | begin ^line vty")
    assert begin.splitlines()[0] == "line vty 0 4" and begin.splitlines()[-1] == "end"
    assert "Invalid input" in conn.send_command("show bogus-thing")
    assert "Default domain is secretariat.gov.in" in conn.send_command("show hosts")


def test_running_config_is_the_startup_config(conn, core):
    running = conn.send_command("show running-config")
    lines = running.splitlines()
    assert lines[0] == "Building configuration..."
    size = int(re.match(r"Current configuration : (\d+) bytes", lines[2]).group(1))
    body = running.split("\n", 3)[3] + "\n"
    assert len(body.encode()) == size
    assert lines[-1] == "end"
    assert body == Path(core.config_path).read_text()


def test_paging_until_terminal_length_0(conn):
    conn.send_command("terminal length 10")
    first = conn.send_command_timing("show running-config", strip_prompt=False)
    assert "--More--" in first
    assert not first.rstrip().endswith("core1#")
    rest = ""
    for _ in range(20):
        rest += conn.send_command_timing(" ", strip_prompt=False, strip_command=False)
        if rest.rstrip().endswith("core1#"):
            break
    assert rest.rstrip().endswith("core1#")
    assert "\nend" in rest
    conn.send_command("terminal length 0")
    assert "--More--" not in conn.send_command("show running-config")


def test_config_change_edits_the_tree_and_write_memory_persists(conn, core):
    node_dir = Path(core.config_path).parent
    conn.send_config_set([
        "int gi1/0/2",
        "description CHANGED BY TEST",
        "sw acc vlan 110",
        "vlan 130",
        "name LAB-NEW",
        "interface Vlan20",
        "no description",
        "ip address 10.20.0.2 255.255.255.0",
    ])
    port = conn.send_command("show running-config | section GigabitEthernet1/0/2$")
    assert port.splitlines() == [
        "interface GigabitEthernet1/0/2", " description CHANGED BY TEST", " switchport access vlan 110", " switchport mode access"]
    assert conn.send_command("show run | section ^vlan 130").splitlines() == ["vlan 130", " name LAB-NEW"]
    svi = conn.send_command("show run | section ^interface Vlan20")
    assert svi.splitlines() == ["interface Vlan20", " ip address 10.20.0.2 255.255.255.0"]
    assert "vlan 130" in Path(core.config_path).read_text()  # the running config is mirrored
    assert "vlan 130" not in conn.send_command("show startup-config")
    conn.save_config()
    assert "vlan 130" in (node_dir / "startup-config").read_text()
    assert "vlan 130" in conn.send_command("show startup-config")
    conn.send_config_set(["no vlan 130"])
    assert "vlan 130" not in conn.send_command("show running-config")


def test_remediation_brings_a_wiped_section_back(conn, core):
    """What restore does: remove config, send the missing lines back, compare."""
    before = conn.send_command("show running-config").split("\n", 3)[3]
    conn.send_config_set(["no vlan 20", "interface GigabitEthernet1/0/1", "no switchport trunk allowed vlan", "no description"])
    wiped = conn.send_command("show running-config")
    assert "vlan 20\n" not in wiped and "UPLINK-WLC9800" not in wiped
    conn.send_config_set([
        "vlan 20", "  name AP-MGMT", "interface GigabitEthernet1/0/1", "  description UPLINK-WLC9800",
        "  switchport trunk allowed vlan 20,110",
    ])
    after = conn.send_command("show running-config").split("\n", 3)[3]
    assert after == before


def test_copy_running_config_asks_for_the_destination(conn, core):
    out = conn.send_command("copy running-config startup-config", expect_string=r"Destination filename")
    assert "[startup-config]?" in out
    assert "[OK]" in conn.send_command_timing("\n")


def test_wrong_password_is_refused(core):
    with pytest.raises(NetmikoAuthenticationException):
        ConnectHandler(**netmiko_params(core, password="wrong-" + core.password))


def test_wrong_enable_secret_is_refused(core):
    conn = ConnectHandler(**netmiko_params(core, secret="wrong"))
    try:
        assert conn.find_prompt() == "core1>"
        conn.write_channel("enable\n")
        assert "Password:" in conn.read_until_pattern("Password:")
        for _ in range(2):
            conn.write_channel("wrong\n")
            assert "Password:" in conn.read_until_pattern("Password:")
        conn.write_channel("still-wrong\n")
        assert "% Bad secrets" in conn.read_until_pattern(r"core1>")
        assert not conn.check_enable_mode()
    finally:
        conn.disconnect()


def test_napalm_ios_getters(core):
    driver = get_network_driver("ios")(core.host, core.username, core.password,
                                       optional_args={"port": core.ssh_port, "secret": core.enable_secret})
    driver.open()
    try:
        facts = driver.get_facts()
        assert facts["hostname"] == "core1"
        assert facts["fqdn"] == "core1.secretariat.gov.in"
        assert facts["model"] == core.labels["netops-model"]
        assert facts["uptime"] > 86400
        assert facts["serial_number"].startswith("FOC")
        assert facts["interface_list"][:2] == ["GigabitEthernet1/0/1", "GigabitEthernet1/0/2"]
        interfaces = driver.get_interfaces()
        assert interfaces["GigabitEthernet1/0/3"]["is_enabled"] is False
        assert interfaces["GigabitEthernet1/0/2"]["description"] in ("USER-PORT", "CHANGED BY TEST")
        assert interfaces["GigabitEthernet1/0/1"]["speed"] == 1000.0
        config = driver.get_config()
        assert config["running"].rstrip().endswith("end") and "hostname core1" in config["running"]
        assert "hostname core1" in config["startup"]
    finally:
        driver.close()
