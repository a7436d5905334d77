"""Restore against a private lab: break a device, restore it, verify it matches the backup."""

from __future__ import annotations

import json

import pytest
from lab_client import connect

pytestmark = pytest.mark.lab

CASES = {
    "core1": [
        "hostname broken-core",
        "no interface GigabitEthernet1/0/3",
        "interface GigabitEthernet1/0/2",
        "description WRONG",
        "exit",
        "no vlan 110",
        "vlan 666",
        "name intruder",
    ],
    "aruba-md": [
        'wlan virtual-ap "STAFF"',
        "vlan 1",
        "no deny-inter-user-traffic",
        "exit",
    ],
}


@pytest.fixture()
def env(sim_lab, tmp_path):
    lab_dir, state = sim_lab
    return state, tmp_path, {"NETOPS_LAB": "1", "NETOPS_LAB_DIR": str(lab_dir), "NETOPS_DATA_DIR": str(tmp_path / "data")}


def cli(netops_cli, env, *args):
    state, tmp, variables = env
    return netops_cli(*args, "--backup-dir", str(tmp / "repo"), env=variables)


@pytest.mark.parametrize("host", sorted(CASES))
def test_restore_brings_a_broken_device_back(netops_cli, env, host: str) -> None:
    state, tmp, _ = env
    rc, out, err = cli(netops_cli, env, "backup", "--host", host, "--json", "--timeout", "10")
    assert rc == 0, out + err
    stored = (tmp / "repo" / f"{state.node(host).site}/{host}.cfg").read_text()

    conn = connect(state.node(host))
    conn.send_config_set(CASES[host])
    conn.disconnect()

    rc, out, err = cli(netops_cli, env, "restore", host, "--dry-run", "--json")
    plan = json.loads(out)
    assert rc == 0 and plan["commands"] and not plan["pushed"], err
    assert all("<removed by netops>" not in c for c in plan["commands"])

    rc, out, err = cli(netops_cli, env, "restore", host, "--json")  # no --yes, no TTY: refused
    assert rc == 2 and "--yes" in err

    rc, out, err = cli(netops_cli, env, "restore", host, "--yes", "--json")
    done = json.loads(out)
    assert rc == 0, err
    assert done["pushed"] and done["verified"] and done["remaining"] == []

    rc, out, err = cli(netops_cli, env, "backup", "--host", host, "--json", "--timeout", "10")
    assert rc == 0 and json.loads(out)["devices"][0]["status"] == "unchanged", out
    assert (tmp / "repo" / f"{state.node(host).site}/{host}.cfg").read_text() == stored


def test_restore_lists_redacted_lines_as_manual(netops_cli, env) -> None:
    state, tmp, _ = env
    host = "core1"
    rc, _, err = cli(netops_cli, env, "backup", "--host", host, "--timeout", "10")
    assert rc == 0, err
    conn = connect(state.node(host))
    secret_lines = [line for line in conn.send_command("show running-config").splitlines() if line.startswith(("username", "enable secret"))]
    assert secret_lines
    conn.send_config_set([f"no {secret_lines[0]}"])
    conn.disconnect()
    try:
        rc, out, err = cli(netops_cli, env, "restore", host, "--dry-run", "--json")
        plan = json.loads(out)
        assert rc == 0
        assert any(secret_lines[0].split(" secret")[0].split(" password")[0] in m for m in plan["manual"])
        assert all("<removed by netops>" not in c for c in plan["commands"])
    finally:
        conn = connect(state.node(host))
        conn.send_config_set([secret_lines[0]])
        conn.disconnect()


def test_restore_of_unknown_host_is_bad_input(netops_cli, env) -> None:
    rc, out, err = cli(netops_cli, env, "restore", "no-such-host", "--dry-run")
    assert rc == 2 and "error:" in err


def test_restore_aireos_line_set(lab, netops_cli, tmp_path) -> None:
    """AireOS on the shared lab: the restore itself puts the controller back."""
    host, data, repo = "srn-wlc-aireos", str(tmp_path / "data"), str(tmp_path / "repo")
    rc, _, err = netops_cli("--data-dir", data, "backup", "--host", host, "--backup-dir", repo)
    assert rc == 0, err
    node = lab.node(host)
    conn = connect(node)
    conn.send_config_set(["config wlan disable 2", "config wlan disable 1", "config wlan interface 1 guest", "config wlan enable 1"])
    conn.disconnect()
    try:
        rc, out, err = netops_cli("--data-dir", data, "restore", host, "--yes", "--json", "--backup-dir", repo)
        done = json.loads(out)
        assert rc == 0, err
        # the controller refuses changes to an enabled WLAN: disabled around the change
        assert done["commands"] == ["config wlan disable 1", "config wlan interface 1 staff", "config wlan enable 2",
                                    "config wlan enable 1"]
        assert done["verified"] and done["remaining"] == []
    finally:
        conn = connect(node)
        conn.send_config_set(["config wlan disable 1", "config wlan interface 1 staff", "config wlan enable 1", "config wlan enable 2"])
        conn.disconnect()


AP_DAMAGE = {
    # Instant stages changes until ``commit apply``; the restored file is the stored one, line for line
    "srn-iap-annex": (lambda conn: (conn.send_config_set(["wlan ssid-profile JKS-Guest", "vlan 1", "no deny-inter-user-traffic", "exit"]),
                                    conn.send_command("commit apply")), True),
    # OpenWrt: an option changed, one removed, a list entry added, then committed. ``uci set`` of a
    # removed option appends it to its section, on a real device as here: same lines, new order
    "jmu-owrt-guesthouse": (lambda conn: [conn.send_command(c) for c in (
        "uci set wireless.guest_2g.isolate=0", "uci delete wireless.guest_5g.isolate",
        "uci add_list network.@bridge-vlan[2].ports=lan2:t", "uci commit")], False),
}


@pytest.mark.parametrize("host", sorted(AP_DAMAGE))
def test_restore_standalone_access_points(lab, netops_cli, tmp_path, host: str) -> None:
    """Standalone APs on the shared lab: Instant (hierarchy, ``commit apply``) and OpenWrt (``uci``)."""
    damage, same_order = AP_DAMAGE[host]
    data, repo = str(tmp_path / "data"), str(tmp_path / "repo")
    rc, _, err = netops_cli("--data-dir", data, "backup", "--host", host, "--backup-dir", repo)
    assert rc == 0, err
    node = lab.node(host)
    path = tmp_path / "repo" / node.site / f"{host}.cfg"
    stored = path.read_text()
    conn = connect(node)
    damage(conn)
    conn.disconnect()
    rc, out, err = netops_cli("--data-dir", data, "restore", host, "--yes", "--json", "--backup-dir", repo)
    done = json.loads(out)
    assert rc == 0, err
    assert done["pushed"] and done["verified"] and done["remaining"] == [], done
    assert all("<removed by netops>" not in c for c in done["commands"])
    rc, out, err = netops_cli("--data-dir", data, "backup", "--host", host, "--backup-dir", repo, "--json")
    assert rc == 0, out
    if same_order:
        assert json.loads(out)["devices"][0]["status"] == "unchanged" and path.read_text() == stored
    else:
        assert sorted(path.read_text().splitlines()) == sorted(stored.splitlines())
