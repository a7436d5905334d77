"""Snapshots against the lab: a change window that shuts an AP's switch port and takes a VLAN off a trunk gives
exactly those regressions; no change gives none; a device powered off is recorded as unreachable, not as
"everything down". Every test puts the devices back as they were."""

from __future__ import annotations

import json

import pytest
from lab_client import connect

pytestmark = pytest.mark.lab

# The change window runs on the shared lab (the real campus: APs cabled to access-switch ports, as docs/lab.md says)
# and puts both changes back in its finally; the other tests use the private lab of the small topology.
SWITCH, CONTROLLER, AP = "jmu-acc-1", "jmu-wlc-1", "jmu-ap-b1-f1-01"  # the AP hangs off jmu-acc-1 Gi1/0/41
AP_PORT = "GigabitEthernet1/0/41"
TRUNK = "GigabitEthernet1/0/42"  # the other AP's port, a trunk allowed 20,110,700,900


@pytest.fixture()
def env(sim_lab, tmp_path):
    lab_dir, state = sim_lab
    return state, lab_dir, {"NETOPS_LAB": "1", "NETOPS_LAB_DIR": str(lab_dir), "NETOPS_DATA_DIR": str(tmp_path / "data")}


@pytest.fixture()
def campus(lab, tmp_path):
    return lab, None, {"NETOPS_DATA_DIR": str(tmp_path / "data")}


def cli(netops_cli, env, *args):
    return netops_cli(*args, env=env[2])


def take(netops_cli, env, name: str, *scope: str) -> dict:
    rc, out, err = cli(netops_cli, env, "snapshot", "take", name, *scope, "--json", "--timeout", "20")
    assert rc == 0, err
    return json.loads(out)


def diff(netops_cli, env, a: str, b: str) -> tuple[int, dict]:
    rc, out, err = cli(netops_cli, env, "snapshot", "diff", a, b, "--json")
    assert rc in (0, 1), err
    return rc, json.loads(out)


def keys(changes: list[dict]) -> set[tuple[str, str, str]]:
    return {(c["host"], c["feature"], c["key"]) for c in changes}


def configure(state, host: str, lines: list[str]) -> None:
    conn = connect(state.node(host))
    try:
        conn.send_config_set(lines)
    finally:
        conn.disconnect()


def test_change_window_regressions(netops_cli, campus, tmp_path) -> None:
    state, repo = campus[0], str(tmp_path / "repo")
    rc, _, err = cli(netops_cli, campus, "backup", "--host", SWITCH, "--backup-dir", repo, "--timeout", "20")
    assert rc == 0, err
    before = take(netops_cli, campus, "before", "--site", "jammu")
    switch, controller = before["devices"][SWITCH], before["devices"][CONTROLLER]
    assert switch["reachable"] == {"ssh": True, "snmp": True} and controller["reachable"] == {"ssh": True, "snmp": True}
    assert controller["features"]["aps"][AP]["state"] == "up"
    assert switch["features"]["interfaces"][AP_PORT]["oper"] == "up"
    assert 900 in switch["features"]["trunks"][TRUNK]["vlans"]
    [neighbor] = [k for k in switch["features"]["neighbors"] if k.startswith(f"{AP_PORT} ")]
    assert neighbor.split(" ", 1)[1].split(".")[0] == AP  # the switch sees the AP on that port
    assert AP in before["skipped"]  # no agent of its own: its state is its controller's

    configure(state, SWITCH, [f"interface {AP_PORT}", "shutdown", "exit",
                              f"interface {TRUNK}", "switchport trunk allowed vlan remove 900", "exit"])
    try:
        take(netops_cli, campus, "after", "--site", "jammu")
        rc, result = diff(netops_cli, campus, "before", "after")
        assert rc == 1
        assert keys(result["regressions"]) == {
            (SWITCH, "interfaces", AP_PORT),  # down
            (SWITCH, "neighbors", neighbor),  # lost
            (CONTROLLER, "aps", AP),  # not joined
            (SWITCH, "trunks", TRUNK),  # no longer carries VLAN 900
        }, result["regressions"]
        messages = {c["feature"]: c["message"] for c in result["regressions"]}
        assert "down" in messages["interfaces"] and "neighbour lost" in messages["neighbors"]
        assert "not joined" in messages["aps"] and "no longer carries VLAN 900" in messages["trunks"]
        # the shut port's own trunk went with it: listed once, as the port's regression
        assert (SWITCH, "trunks", AP_PORT) in keys(result["changes"])
        rc, out, _ = cli(netops_cli, campus, "snapshot", "diff", "before", "after")
        assert rc == 1 and out.count("REGRESSION") == 4

        # the rollback: restore snapshots the switch and its APs' controller before and after, and diffs them
        rc, out, err = cli(netops_cli, campus, "restore", SWITCH, "--yes", "--json", "--backup-dir", repo)
        assert rc == 0, err
        done = json.loads(out)
        assert done["verified"] and done["state"]["problems"] == [] and done["state"]["regressions"] == []
        assert done["state"]["before"].startswith(f"restore-{SWITCH}-") and done["state"]["after"].endswith("-after")
        assert {(SWITCH, "interfaces", AP_PORT), (SWITCH, "trunks", TRUNK), (CONTROLLER, "aps", AP)} <= keys(done["state"]["changes"])
        rc, out, err = cli(netops_cli, campus, "snapshot", "list", "--json")
        origins = {s["name"]: s["origin"] for s in json.loads(out)["snapshots"]}
        assert origins[done["state"]["before"]] == origins[done["state"]["after"]] == f"restore {SWITCH}"
    finally:
        configure(state, SWITCH, [f"interface {AP_PORT}", "no shutdown", "exit",  # (a no-op after the restore)
                                  f"interface {TRUNK}", "switchport trunk allowed vlan add 900", "exit"])
    take(netops_cli, campus, "back", "--site", "jammu")
    rc, result = diff(netops_cli, campus, "before", "back")
    assert rc == 0 and result["regressions"] == [], result["regressions"]


def only_counters(changes: list[dict]) -> bool:
    """Whether every change is an interface's error counters moving (the lab's counters run, as real ones do)."""
    return all(c["feature"] == "interfaces" and c["message"].split(" ")[0] in ("in_errors", "out_errors") for c in changes)


def test_no_change_no_regression(netops_cli, env) -> None:
    first, second = take(netops_cli, env, "one"), take(netops_cli, env, "two")
    assert set(first["devices"]) == set(second["devices"])
    rc, result = diff(netops_cli, env, "one", "two")
    assert rc == 0 and result["regressions"] == [] and only_counters(result["changes"]), result["changes"]
    rc, out, err = cli(netops_cli, env, "snapshot", "list", "--json")
    assert rc == 0, err
    listed = {s["name"]: s for s in json.loads(out)["snapshots"]}
    assert listed["one"]["origin"] == "manual" and listed["one"]["unreachable"] == 0
    assert listed["one"]["devices"] == len(first["devices"]) and listed["one"]["scope"] == "all devices"


def test_unreachable_device_is_recorded_as_such(netops_cli, env) -> None:
    host = "owrt1"
    take(netops_cli, env, "up")
    rc, _, err = cli(netops_cli, env, "lab", "fault", host, "down")
    assert rc == 0, err
    try:
        down = take(netops_cli, env, "down")
    finally:
        cli(netops_cli, env, "lab", "fault", host, "--clear")
    record = down["devices"][host]
    assert record["features"] == {} and not any(record["reachable"].values())
    assert all(record["reasons"].get(t) for t in record["reachable"])
    rc, result = diff(netops_cli, env, "up", "down")
    assert rc == 1
    assert [(c["host"], c["feature"], c["key"]) for c in result["regressions"]] == [(host, "device", "reachable")]
    assert "unreachable" in result["regressions"][0]["message"]
