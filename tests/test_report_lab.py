"""The daily report of a day on the lab: a device down for part of it, a configuration changed between two
backups, a check before and after the day started. The JSON report must tell exactly that."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from lab_client import connect

from labs import runner
from labs.state import LabState

pytestmark = [pytest.mark.lab, pytest.mark.slow]
ZONE = ZoneInfo("Asia/Kolkata")
DOWN_NODE, CHANGED_NODE = "srn-acc-3", "jmu-acc-2"
FIX = ["interface GigabitEthernet1/0/42", "switchport trunk allowed vlan 20,110"]  # VLAN-001 resolved on this port
BREAK = ["interface GigabitEthernet1/0/41", "switchport trunk native vlan 1"]  # VLAN-001 new on this one


def test_a_day_on_the_lab(lab: LabState, netops_cli, tmp_path: Path) -> None:
    lab_dir = Path(os.environ["NETOPS_LAB_DIR"])  # set by the lab fixture
    data, config = tmp_path / "data", tmp_path / "netops.yaml"
    env = {"NETOPS_DATA_DIR": str(data), "NETOPS_CONFIG": str(config)}
    config.write_text("schedule:\n  report: {at: \"00:00\"}\n")

    def run(*args: str) -> tuple[int, str, str]:
        return netops_cli(*args, env=env)

    assert run("backup", "--host", f"{CHANGED_NODE},{DOWN_NODE}")[0] == 0
    assert run("check", "--json")[0] == 1  # the day before: run 1 (the lab carries violations)
    # the report day starts at the next minute: everything below happens inside it
    boundary = (dt.datetime.now(ZONE) + dt.timedelta(minutes=1)).replace(second=0, microsecond=0)
    config.write_text(f"schedule:\n  report: {{at: \"{boundary:%H:%M}\"}}\n")
    time.sleep(max(0.0, (boundary - dt.datetime.now(ZONE)).total_seconds()) + 1)

    polls = ["poll", "--once", "--host", f"{DOWN_NODE},jmu-acc-1", "--timeout", "3", "--json"]
    assert run(*polls)[0] == 0
    node = lab.node(CHANGED_NODE)
    runner.set_fault(lab_dir, DOWN_NODE, "hang")
    try:
        went_down = dt.datetime.now(ZONE)
        assert run(*polls)[0] == 1 and run(*polls)[0] == 1
    finally:
        runner.set_fault(lab_dir, DOWN_NODE, None, clear=True)
    assert run(*polls)[0] == 0
    back = dt.datetime.now(ZONE)

    conn = connect(node)
    try:
        conn.send_config_set(FIX + BREAK)
        assert run("backup", "--host", CHANGED_NODE)[0] == 0
        assert run("check", "--json")[0] == 1  # run 2, inside the day
    finally:
        conn.send_config_set(["interface GigabitEthernet1/0/42", "switchport trunk allowed vlan 1,20,110,700,900",
                              "interface GigabitEthernet1/0/41", "switchport trunk native vlan 20"])
        conn.disconnect()

    tomorrow = (boundary + dt.timedelta(days=1)).date().isoformat()  # the day that started at the boundary
    code, out, err = run("report", "daily", "--date", tomorrow, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["period"]["start"] == boundary.isoformat(timespec="seconds") and report["period"]["partial"]

    srinagar = report["sites"]["srinagar"]["availability"]
    [down] = [d for d in srinagar["down"] if d["host"] == DOWN_NODE]
    start, end = dt.datetime.fromisoformat(down["from"]), dt.datetime.fromisoformat(down["to"])
    assert went_down - dt.timedelta(seconds=5) <= start <= back and start < end <= back + dt.timedelta(seconds=5)
    assert srinagar["devices_percent"] is not None and srinagar["devices_percent"] < 100.0
    assert report["sites"]["jammu"]["availability"]["devices_percent"] == 100.0  # jmu-acc-1 answered every poll

    [change] = [c for c in report["config_changes"] if c["host"] == CHANGED_NODE and not c["first"]]
    assert "+ switchport trunk allowed vlan 20,110" in change["diff"] and "- switchport trunk native vlan 20" in change["diff"]
    assert "secret" not in change["diff"].replace("<removed by netops>", "")

    findings = report["findings"]
    assert findings["previous_run"] is not None and findings["run"]["id"] > findings["previous_run"]["id"]
    keyed = {(f["rule"], f["host"], f["object"]) for f in findings["new"]}
    resolved = {(f["rule"], f["host"], f["object"]) for f in findings["resolved"]}
    assert ("VLAN-001", CHANGED_NODE, "GigabitEthernet1/0/41") in keyed
    assert ("VLAN-001", CHANGED_NODE, "GigabitEthernet1/0/42") in resolved
    assert [a["state"] for a in report["alerts"] if a["host"] == DOWN_NODE] == ["raised", "cleared"]
