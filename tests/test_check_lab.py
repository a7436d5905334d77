"""``netops check --live`` against the lab: real SSH fetches through the backup feature's fetch task."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from labs.state import LabState

pytestmark = [pytest.mark.lab, pytest.mark.slow]

LAB_VIOLATIONS = {  # deliberate violations of the lab configs (docs/inventory.md)
    ("WIFI-001", "jmu-wlc-2", "JKS-Staff"),
    ("VLAN-001", "jmu-acc-2", "GigabitEthernet1/0/42"),
    ("SEG-001", "srn-core-2", "Vlan900"),
}


def test_live_check_matches_the_running_configs(lab: LabState, netops_cli, tmp_path: Path) -> None:
    code, out, err = netops_cli("check", "--live", "--json")
    assert code == 1, err
    live = json.loads(out)
    assert live["run"]["configs"] == "live"
    fetched_failed = {n["host"] for n in live["notices"] if n["kind"] == "fetch-failed"}

    # the same devices' running configurations, read from the lab's mirror files
    configs = tmp_path / "configs"
    configs.mkdir()
    for node in lab.nodes:
        if node.ssh_port is not None and node.name not in fetched_failed:
            shutil.copy(node.config_path, configs / f"{node.name}.cfg")
    code, out, err = netops_cli("check", "--backup-dir", str(configs), "--json")
    assert code == 1, err
    offline = json.loads(out)

    def keyed(report: dict) -> set[tuple[str, str, str, str]]:
        return {(f["rule"], f["host"], f["object"], f["message"]) for f in report["findings"]}

    assert keyed(live) == keyed(offline)
    assert LAB_VIOLATIONS <= {k[:3] for k in keyed(live)}
    assert live["summary"]["hosts"] == offline["summary"]["hosts"] > 10
