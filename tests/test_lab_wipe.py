"""The disaster-recovery faults of the lab: ``wipe`` and ``replace``, observed with real clients.

A wiped node comes back with its model's factory-default configuration and still takes the lab's
credentials; a replaced one also presents a new SSH host key and takes only the bootstrap credentials
until a configuration that defines the lab's login is pushed to it. Every SSH platform must then accept
its whole original configuration, pasted as an admin would (``lab_client.push_config``: the lab's own
files, never netops' parsers), and print it back line for line, secrets included.

The tests run their own lab of the real topology (they wipe devices other lab tests read).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
import time
from pathlib import Path

import pytest
from conftest import TEST_TOPOLOGY, start_lab
from lab_client import (
    bootstrap_params,
    config_lines,
    connect,
    fetch_config,
    host_key_fingerprint,
    netmiko_params,
    push_config,
)
from netmiko import ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException, ReadTimeout

import labs
from labs import runner
from labs.state import load_state

pytestmark = pytest.mark.lab

BOOTSTRAP_USER = "dr-bootstrap"
# one node of every SSH platform and model family; what shows that its configuration is the factory default
NODES = {
    "jmu-acc-1": "hostname Switch",  # Catalyst 9200
    "jmu-core-1": "hostname Switch",  # Catalyst 9300, routing, VRFs, IPsec, BGP
    "jmu-wlc-1": "hostname WLC",  # Catalyst 9800-40
    "srn-wlc-aireos": "snmp community create public",  # AireOS 5520 (no sysname: "(Cisco Controller) >")
    "srn-wlc-aruba": 'hostname "Aruba7210"',  # ArubaOS 8
    "srn-iap-annex": "name SetMeUp-",  # Aruba Instant
    "jmu-owrt-guesthouse": "option hostname 'OpenWrt'",  # OpenWrt
}
REPLACED = ["jmu-acc-2", "jmu-wlc-2", "srn-wlc-aireos", "srn-wlc-aruba", "srn-iap-annex", "jmu-owrt-guesthouse"]
# CI wipes and replaces one node of each platform once; the other nodes and the slowest platforms' replacements
# run in `make reliability` (the `long` marker)
LONG_WIPE = {"jmu-core-1", "jmu-wlc-1"}
LONG_REPLACE = {"jmu-wlc-2", "srn-wlc-aireos", "jmu-owrt-guesthouse"}


def params(names, long: set[str]) -> list:
    return [pytest.param(n, marks=pytest.mark.long) if n in long else n for n in names]


@pytest.fixture(scope="module")
def dr_lab(tmp_path_factory: pytest.TempPathFactory):
    """A private lab of labs/secretariat.clab.yml with bootstrap credentials from the environment."""
    lab_dir = tmp_path_factory.mktemp("drlab") / "run"
    env = {"NETOPS_LAB_BOOTSTRAP_USERNAME": BOOTSTRAP_USER, "NETOPS_LAB_BOOTSTRAP_PASSWORD": "Boot-" + secrets.token_hex(6)}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        state = start_lab(lab_dir, labs.DEFAULT_TOPOLOGY)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    try:
        yield lab_dir, state
    finally:
        runner.down(lab_dir)


def node_of(lab_dir: Path, name: str):
    state = load_state(lab_dir)
    assert state is not None
    node = state.node(name)
    assert node is not None
    return node


def aireos_login(node, username: str, password: str) -> str:
    """What an AireOS controller answers to one in-session login (paramiko, no retries)."""
    import paramiko

    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(node.host, node.ssh_port, username=username, password=password, timeout=10,
                   allow_agent=False, look_for_keys=False)
    try:
        shell = client.invoke_shell()
        shell.settimeout(10)
        text = ""
        for answer in (username, password):
            while not text.rstrip().endswith(("User:", "Password:")):
                text += shell.recv(4096).decode()
            shell.send(answer + "\n")
            if answer == password:
                break
            text = ""
        text = ""
        while not re.search(r"(User: ?|\) ?>)\s*$", text):
            text += shell.recv(4096).decode()
        return text
    finally:
        client.close()


def test_every_node_has_its_original_and_factory_configurations(dr_lab):
    lab_dir, state = dr_lab
    for node in state.nodes:
        original = Path(node.original_config_path)
        if node.ssh_port is None:
            assert not node.factory_config_path  # controller-managed APs have no CLI to wipe
            continue
        assert original.read_text() == Path(node.config_path).read_text()  # the startup config lab up laid out
        factory = Path(node.factory_config_path).read_text()
        assert factory.strip() and factory != original.read_text()
        assert node.host_key_fingerprint.startswith("SHA256:") and not node.wiped and not node.replaced
        assert node.bootstrap_username == BOOTSTRAP_USER and node.bootstrap_password.startswith("Boot-")
    switch = Path(state.node("jmu-acc-1").factory_config_path).read_text()
    assert switch.startswith("version 17.9\n") and switch.endswith("\nend\n")
    assert "interface GigabitEthernet1/0/48\n!\n" in switch and "switch 1 provision c9200-48p" in switch  # its hardware
    assert "username" not in switch and "enable secret" not in switch and "snmp-server" not in switch
    controller = Path(state.node("jmu-wlc-1").factory_config_path).read_text()
    assert "hostname WLC" in controller and "wireless profile policy default-policy-profile" in controller
    assert "interface TenGigabitEthernet0/0/3\n negotiation auto\n" in controller
    aireos = Path(state.node("srn-wlc-aireos").factory_config_path).read_text()
    assert not re.search(r"^(sysname|wlan create|mgmtuser) ", aireos, re.M)
    openwrt = Path(state.node("jmu-owrt-guesthouse").factory_config_path).read_text()
    assert "package snmpd" not in openwrt and "option ssid 'OpenWrt'" in openwrt


@pytest.mark.parametrize("name", params(NODES, LONG_WIPE))
@pytest.mark.matrix("wiped device", "lab wipe of a node of each platform: factory default, then the original back")
def test_wipe_shows_the_factory_default_and_takes_the_original_back(dr_lab, name):
    lab_dir, _ = dr_lab
    node = runner.wipe(lab_dir, name)
    assert node.wiped and not node.replaced and node.generation == 1
    factory = Path(node.factory_config_path).read_text()
    original = Path(node.original_config_path).read_text()
    conn = connect(node)  # a wiped node still takes the lab's credentials
    try:
        shown = fetch_config(conn, node.platform)
        assert config_lines(shown) == config_lines(factory)
        assert NODES[name] in shown
        push_config(conn, node.platform, original)
        assert config_lines(fetch_config(conn, node.platform)) == config_lines(original)  # secrets included
    finally:
        conn.disconnect()
    startup = (Path(node.config_path).parent / "startup-config").read_text()
    assert config_lines(startup) == config_lines(original)  # saved
    assert node_of(lab_dir, name).wiped  # rebuilt, but still a node that was wiped


def test_wipe_is_a_reload(dr_lab):
    lab_dir, _ = dr_lab
    node = node_of(lab_dir, "srn-core-2")
    conn = connect(node)
    assert "uptime is 0 minutes" not in conn.send_command("show version")
    wiped = runner.wipe(lab_dir, "srn-core-2")
    with pytest.raises((OSError, EOFError, ReadTimeout, ValueError)):  # the reload ended the open session
        conn.send_command("show clock", read_timeout=5)
    conn.disconnect()
    conn = connect(wiped)
    try:
        assert conn.find_prompt() == "Switch#" or conn.find_prompt() == "Switch>"
        assert "Switch uptime is 0 minutes" in conn.send_command("show version")
    finally:
        conn.disconnect()
    assert wiped.booted_at > time.time() - 60


@pytest.mark.parametrize("name", params(REPLACED, LONG_REPLACE))
@pytest.mark.matrix("replaced device", "lab replace: a new host key and the bootstrap login until configured")
def test_replace_new_host_key_bootstrap_login_until_configured(dr_lab, name):
    lab_dir, state = dr_lab
    before = host_key_fingerprint(node_of(lab_dir, name))
    node = runner.wipe(lab_dir, name, replace=True)
    assert node.replaced and node.wiped
    assert host_key_fingerprint(node) == node.host_key_fingerprint != before
    assert node.host_key_fingerprint != state.node("srn-acc-1").host_key_fingerprint  # not the lab's shared key
    assert node.host_key_public.startswith("ssh-ed25519 ") and Path(node.host_key_path).stat().st_mode & 0o077 == 0

    if node.platform == "cisco_wlc":  # the controller asks User:/Password: itself, and says no
        assert "Login incorrect." in aireos_login(node, node.username, node.password)
        assert "Login incorrect." not in aireos_login(node, node.bootstrap_username, node.bootstrap_password)
    else:
        with pytest.raises(NetmikoAuthenticationException):  # the lab's account is unknown
            ConnectHandler(**netmiko_params(node, conn_timeout=5, auth_timeout=5))
    original = Path(node.original_config_path).read_text()
    pushed = original
    if node.platform == "openwrt":  # users live outside UCI: the lab reads rpcd's login list (uci lists packages A-Z)
        rpcd = f"package rpcd\n\nconfig login\n\toption username '{node.username}'\n\toption password '$p$root'\n\n"
        pushed = original.replace("package snmpd\n", rpcd + "package snmpd\n")
    conn = ConnectHandler(**bootstrap_params(node))
    try:
        if not conn.check_enable_mode():
            conn.enable()  # AOS 8: the bootstrap password is the enable secret until one is configured
        assert config_lines(fetch_config(conn, node.platform)) == config_lines(Path(node.factory_config_path).read_text())
        push_config(conn, node.platform, pushed)
    finally:
        conn.disconnect()
    conn = connect(node)  # the configuration defines the lab's login now (local user or AAA login)
    try:
        assert config_lines(fetch_config(conn, node.platform)) == config_lines(pushed)
    finally:
        conn.disconnect()


def test_replaced_switch_with_a_local_user_and_enable_secret(dr_lab):
    """IOS-XE: ``username <lab user> ...`` lets the lab's account in; ``enable`` takes the bootstrap password
    until ``enable secret`` is configured, then the lab's secret."""
    lab_dir, _ = dr_lab
    node = runner.wipe(lab_dir, "srn-acc-3", replace=True)
    conn = ConnectHandler(**bootstrap_params(node))
    assert conn.find_prompt() == "Switch#"  # the Day 0 account is a privilege-15 one
    conn.send_config_set([f"username {node.username} privilege 15 secret 0 {node.password}"], cmd_verify=False)
    conn.disconnect()
    with pytest.raises((ValueError, ReadTimeout)):  # the lab's enable secret is not configured yet
        connect(node)
    conn = ConnectHandler(**netmiko_params(node, secret=node.bootstrap_password))
    conn.enable()
    conn.send_config_set([f"enable secret 0 {node.enable_secret}"], cmd_verify=False)
    conn.disconnect()
    conn = connect(node)
    try:
        assert conn.check_enable_mode()
        assert f"username {node.username} privilege 15 secret 0" in conn.send_command("show running-config")
    finally:
        conn.disconnect()


def test_wipes_in_parallel(dr_lab):
    lab_dir, _ = dr_lab
    names = ["jmu-acc-3", "jmu-acc-4", "srn-acc-4", "jmu-core-2"]
    errors: list[BaseException] = []

    def one(name: str) -> None:
        try:
            runner.wipe(lab_dir, name)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for name in names:
        node = node_of(lab_dir, name)
        assert node.wiped and node.generation >= 1
        assert json.loads((Path(node.config_path).parent / "generation").read_text()) == node.generation
        assert "hostname Switch" in Path(node.config_path).read_text()


def test_cli_wipe_replace_status_and_clear(dr_lab, netops_cli):
    lab_dir, state = dr_lab
    env = {"NETOPS_LAB_DIR": str(lab_dir)}
    rc, out, err = netops_cli("lab", "fault", "srn-acc-2", "wipe", env=env)
    assert rc == 0 and out.startswith("srn-acc-2: wiped: factory-default configuration"), err
    rc, out, err = netops_cli("lab", "fault", "srn-acc-2", "slow=0.1", env=env)
    assert rc == 0 and "slow=0.1" in out
    rc, out, err = netops_cli("lab", "fault", "srn-acc-2", env=env)
    assert rc == 0 and out.startswith("srn-acc-2: wiped; faults slow=0.1") and "wipe, replace" in out
    rc, out, err = netops_cli("lab", "fault", "srn-acc-2", "--clear", env=env)  # switches only
    assert rc == 0 and "none" in out
    rc, out, err = netops_cli("lab", "fault", "srn-acc-2", "--clear", "wipe", env=env)
    assert rc == 2 and "wipe is an action, not a switch" in err
    assert node_of(lab_dir, "srn-acc-2").wiped

    rc, out, err = netops_cli("lab", "fault", "srn-acc-1", "replace", "--json", env=env)
    assert rc == 0, err
    replaced = json.loads(out)
    assert replaced["replaced"] and replaced["wiped"] and replaced["host_key_fingerprint"].startswith("SHA256:")
    rc, out, err = netops_cli("lab", "status", "--json", env=env)
    nodes = {n["name"]: n for n in json.loads(out)["nodes"]}
    assert nodes["srn-acc-1"]["replaced"] and nodes["srn-acc-1"]["host_key_fingerprint"] == replaced["host_key_fingerprint"]
    assert nodes["srn-acc-1"]["bootstrap_username"] == BOOTSTRAP_USER and nodes["srn-acc-1"]["bootstrap_password"]
    assert nodes["srn-acc-2"]["wiped"] and not nodes["srn-acc-2"]["replaced"]
    assert Path(nodes["srn-acc-1"]["original_config_path"]).read_text().startswith("!\n")
    assert host_key_fingerprint(node_of(lab_dir, "srn-acc-1")) == replaced["host_key_fingerprint"]
    rc, out, err = netops_cli("lab", "status", env=env | {"COLUMNS": "200"})
    assert re.search(r"srn-acc-1 .*replaced", out) and re.search(r"srn-acc-2 .*wiped", out)
    assert f"bootstrap username {BOOTSTRAP_USER}" in " ".join(out.split())

    rc, out, err = netops_cli("lab", "fault", "jmu-ap-b1-f1-01", "wipe", env=env)
    assert rc == 2 and "has no simulated CLI" in err
    rc, out, err = netops_cli("lab", "fault", "--help", env=env)
    assert "wipe" in out and "replace" in out and "bootstrap" in out
    for pid in load_state(lab_dir).pids:  # the bootstrap password never rides on a command line
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        assert state.nodes[0].bootstrap_password.encode() not in cmdline


def test_lab_up_with_nodes_already_wiped_or_replaced(tmp_path):
    lab_dir = tmp_path / "run"
    state = start_lab(lab_dir, TEST_TOPOLOGY, faults={"core1": ["replace"], "owrt1": ["wipe"]})
    try:
        core, owrt, aireos = state.node("core1"), state.node("owrt1"), state.node("aireos")
        assert core.replaced and core.wiped and owrt.wiped and not owrt.replaced and not aireos.wiped
        assert host_key_fingerprint(core) == core.host_key_fingerprint != aireos.host_key_fingerprint
        assert "hostname Switch" in Path(core.config_path).read_text()
        conn = ConnectHandler(**bootstrap_params(core))
        assert conn.find_prompt() == "Switch#"
        conn.disconnect()
        conn = connect(owrt)
        assert conn.find_prompt() == "root@OpenWrt:~#"
        conn.disconnect()
    finally:
        runner.down(lab_dir)
