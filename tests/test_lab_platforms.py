"""AireOS, Aruba AOS 8, Aruba Instant and OpenWrt simulations through real netmiko sessions."""

from __future__ import annotations

from pathlib import Path

import paramiko
import pytest
from lab_client import connect, netmiko_params
from netmiko import ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException

pytestmark = pytest.mark.lab


def node(sim_lab, name):
    return sim_lab[1].node(name)


def startup(runtime) -> str:
    return (Path(runtime.config_path).parent / "startup-config").read_text()


# -- Cisco AireOS -------------------------------------------------------------

def test_aireos_in_session_login_show_and_config(sim_lab):
    wlc = node(sim_lab, "aireos")
    conn = connect(wlc)
    try:
        assert conn.find_prompt() == "(aireos) >"
        config = conn.send_command("show run-config commands")
        assert "wlan create 3 JKS-Staff JKS-Staff" in config.splitlines()
        assert "wlan enable 3" in config.splitlines()
        conn.send_config_set(["config wlan create 5 LAB-Five LAB-Five", "config wlan interface 5 staff",
                              "config wlan disable 3", "config wlan disable 4", "config wlan interface 4 staff",
                              "config wlan enable 4"])
        lines = conn.send_command("show run-config commands").splitlines()
        assert "wlan enable 3" not in lines
        creates = [ln for ln in lines if ln.startswith("wlan create")]
        assert creates == ["wlan create 3 JKS-Staff JKS-Staff", "wlan create 4 JKS-Guest JKS-Guest", "wlan create 5 LAB-Five LAB-Five"]
        assert "wlan interface 4 staff" in lines and "wlan interface 4 guest" not in lines
        assert "Incorrect usage" in conn.send_command("show nonsense")
        assert "wlan create 5" not in startup(wlc)
        conn.save_config()
        assert "wlan create 5 LAB-Five LAB-Five" in startup(wlc)
    finally:
        conn.disconnect()


def test_aireos_wrong_password_fails_in_session(sim_lab):
    """The SSH login itself succeeds; the controller refuses in its own User:/Password: dialogue."""
    wlc = node(sim_lab, "aireos")
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(wlc.host, wlc.ssh_port, wlc.username, "anything", look_for_keys=False, allow_agent=False)
    try:
        chan = client.invoke_shell()
        chan.settimeout(5)
        assert b"User:" in _read_until(chan, b"User: ")
        for _ in range(3):
            chan.send(f"{wlc.username}\n")
            _read_until(chan, b"Password:")
            chan.send("wrong\n")
            assert b"Login incorrect" in _read_until(chan, b"Login incorrect")
        assert _read_rest(chan).count(b"(aireos) >") == 0
        assert chan.exit_status_ready() or chan.closed
    finally:
        client.close()


def _read_rest(chan) -> bytes:
    data = b""
    while chunk := chan.recv(4096):
        data += chunk
    return data


def _read_until(chan, marker: bytes) -> bytes:
    data = b""
    while marker not in data:
        data += chan.recv(4096)
    return data


# -- Aruba AOS 8 ----------------------------------------------------------------

def test_aruba_os_modes_config_and_write_memory(sim_lab):
    md = node(sim_lab, "aruba-md")
    conn = connect(md)
    try:
        assert conn.find_prompt() == "(aruba-md) #"
        running = conn.send_command("show running-config")
        assert running.splitlines()[0] == "Building Configuration..."
        assert '   essid "JKS-Staff"' in running
        conn.send_config_set(['wlan ssid-profile "LAB-SSID"', 'essid "LAB"', "opmode wpa3-sae-aes",
                              'wlan virtual-ap "STAFF"', "vlan 120"])
        assert conn.find_prompt() == '(aruba-md) (Virtual AP profile "STAFF") #'
        conn.send_command("end", expect_string=r"#")
        after = conn.send_command("show running-config")
        assert 'wlan ssid-profile "LAB-SSID"\n   essid "LAB"\n   opmode wpa3-sae-aes\n!' in after
        assert "   vlan 120" in after and "   vlan 110" not in after
        assert "Configuration Saved" in conn.send_command("write memory")
        assert 'wlan ssid-profile "LAB-SSID"' in startup(md)
    finally:
        conn.disconnect()


def test_aruba_os_wrong_password_refused(sim_lab):
    md = node(sim_lab, "aruba-md")
    with pytest.raises(NetmikoAuthenticationException):
        ConnectHandler(**netmiko_params(md, password="bad"))


# -- Aruba Instant -----------------------------------------------------------

def test_instant_prompt_and_commit_apply(sim_lab):
    iap = node(sim_lab, "iap1")
    conn = connect(iap)
    try:
        assert conn.find_prompt() == "iap1#"
        conn.send_config_set(["wlan ssid-profile LAB-IAP", "essid LAB-IAP", "opmode wpa3-sae-aes", "vlan 130"],
                             exit_config_mode=False)
        assert conn.find_prompt() == 'iap1 (SSID Profile "LAB-IAP") #'
        assert "LAB-IAP" not in conn.send_command("show running-config")  # staged, not applied
        conn.send_command("commit apply", expect_string=r"#")
        running = conn.send_command("show running-config")
        assert "wlan ssid-profile LAB-IAP\n essid LAB-IAP\n opmode wpa3-sae-aes\n vlan 130" in running
        assert "wlan ssid-profile LAB-IAP" in startup(iap)
    finally:
        conn.disconnect()


# -- OpenWrt ---------------------------------------------------------------------

def test_openwrt_uci_export_set_commit(sim_lab):
    ap = node(sim_lab, "owrt1")
    conn = connect(ap)
    try:
        assert conn.find_prompt() == "root@owrt1:~#"
        export = conn.send_command("uci export")
        assert "package wireless" in export and "\toption ssid 'JKS-Staff'" in export
        assert conn.send_command("uci get wireless.staff.encryption") == "sae"
        conn.send_command("uci set wireless.staff.ssid='LAB-WRT'")
        assert conn.send_command("uci get wireless.@wifi-iface[0].ssid") == "LAB-WRT"
        assert "JKS-Staff" in conn.send_command("cat /etc/config/wireless")  # not committed yet
        conn.send_command("uci commit wireless")
        assert "\toption ssid 'LAB-WRT'" in conn.send_command("cat /etc/config/wireless")
        assert "option ssid 'LAB-WRT'" in startup(ap)
        assert "not found" in conn.send_command("frobnicate")
    finally:
        conn.disconnect()


def test_openwrt_wrong_password_refused(sim_lab):
    ap = node(sim_lab, "owrt1")
    with pytest.raises(NetmikoAuthenticationException):
        ConnectHandler(**netmiko_params(ap, password="bad"))


def test_aireos_refuses_changes_to_an_enabled_wlan(sim_lab):
    wlc = node(sim_lab, "aireos")
    conn = connect(wlc)
    try:
        conn.send_config_set(["config wlan enable 4"])
        refused = conn.send_config_set(["config wlan session-timeout 4 7200"])
        assert "Request failed: WLAN 4 is enabled" in refused
        assert "wlan session-timeout 4 7200" not in conn.send_command("show run-config commands").splitlines()
        conn.send_config_set(["config wlan disable 4", "config wlan session-timeout 4 7200", "config wlan enable 4"])
        lines = conn.send_command("show run-config commands").splitlines()
        assert "wlan session-timeout 4 7200" in lines and "wlan enable 4" in lines
    finally:
        conn.disconnect()
