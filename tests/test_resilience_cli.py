"""Bad input to ``netops resilience``: a clear error (exit 2, naming what is wrong) or a finding, never a traceback.

Each test runs the real entry point on a copy of the ``no-spof`` campus of ``tests/data/resilience`` (a redundant
campus with no finding) with one thing broken.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CAMPUS = ROOT / "tests" / "data" / "resilience" / "no-spof"


@pytest.fixture
def campus(tmp_path: Path) -> Path:
    """A writable copy of the no-spof campus."""
    target = tmp_path / "campus"
    shutil.copytree(CAMPUS, target)
    return target


def netops(case: Path, *args: str, topology: Path | None = None) -> subprocess.CompletedProcess[str]:
    data = case.parent / "data"
    data.mkdir(exist_ok=True)
    cmd = [sys.executable, "-m", "netops", "--inventory", str(case / "inventory"), "--data-dir", str(data), "resilience", *args,
           "--configs", str(case / "configs"), "--topology", str(topology or case / "topology.clab.yml")]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(data), "XDG_CONFIG_HOME": str(data / "xdg"), "COLUMNS": "200"}
    proc = subprocess.run(cmd, cwd=data, capture_output=True, text=True, timeout=120, env=env)
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    return proc


def findings(proc: subprocess.CompletedProcess[str]) -> dict[tuple[str, str, str], dict[str, Any]]:
    report = json.loads(proc.stdout)
    return {(f["rule"], f["host"], f["object"]): f for f in report["findings"]}


def test_the_unbroken_campus_is_clean(campus: Path) -> None:
    proc = netops(campus, "audit", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["single_points_of_failure"] == [] and findings(proc) == {}


def test_unknown_device_in_fail(campus: Path) -> None:
    proc = netops(campus, "whatif", "--fail", "jmu-core-9", "--json")
    assert proc.returncode == 2
    assert "jmu-core-9" in proc.stderr and "jmu-core-1" in proc.stderr  # the name, and the closest ones
    assert proc.stdout == ""


def test_unknown_device_beside_a_known_one(campus: Path) -> None:
    proc = netops(campus, "whatif", "--fail", "jmu-core-1", "--fail", "jmu-wlc-9", "--json")
    assert proc.returncode == 2 and "jmu-wlc-9" in proc.stderr


def test_unknown_link_in_fail_link(campus: Path) -> None:
    spec = "jmu-core-1:Te1/1/4-jmu-acc-1:Te1/1/1"  # both devices exist, no such cable
    proc = netops(campus, "whatif", "--fail-link", spec, "--json")
    assert proc.returncode == 2 and spec in proc.stderr


def test_malformed_link_in_fail_link(campus: Path) -> None:
    proc = netops(campus, "whatif", "--fail-link", "jmu-core-1-jmu-acc-1", "--json")
    assert proc.returncode == 2 and "jmu-core-1-jmu-acc-1" in proc.stderr


def test_nothing_to_fail(campus: Path) -> None:
    proc = netops(campus, "whatif", "--json")
    assert proc.returncode == 2 and "--fail" in proc.stderr


def test_unknown_site(campus: Path) -> None:
    for command in (["audit"], ["whatif", "--fail", "jmu-core-1"]):
        proc = netops(campus, *command, "--site", "leh", "--json")
        assert proc.returncode == 2, command
        assert "leh" in proc.stderr and "jammu" in proc.stderr  # the unknown site and the known ones


def test_topology_link_to_a_missing_node(campus: Path) -> None:
    topology = campus / "topology.clab.yml"
    lines = topology.read_text().splitlines()
    lines.append('    - endpoints: ["jmu-core-2:eth52", "jmu-acc-9:eth49"]')
    topology.write_text("\n".join(lines) + "\n")
    for command in (["audit"], ["whatif", "--fail", "jmu-core-1"]):
        proc = netops(campus, *command, "--json")
        assert proc.returncode == 2, command
        assert "jmu-acc-9" in proc.stderr
        assert re.search(rf"topology\.clab\.yml:{len(lines)}\b", proc.stderr), proc.stderr  # the file and the link's line


def test_topology_link_naming_a_missing_interface(campus: Path) -> None:
    """jmu-acc-1's second uplink drawn on TenGigabitEthernet1/1/9, which its configuration lacks: a RES-006
    finding on that port; the link still counts (both ends are real devices), so nothing else changes."""
    topology = campus / "topology.clab.yml"
    text = topology.read_text()
    broken = text.replace('netops-interfaces: "eth49=TenGigabitEthernet1/1/1 eth50=TenGigabitEthernet1/1/2"\n    jmu-acc-2',
                          'netops-interfaces: "eth49=TenGigabitEthernet1/1/1 eth50=TenGigabitEthernet1/1/9"\n    jmu-acc-2')
    assert broken != text
    topology.write_text(broken)
    proc = netops(campus, "audit", "--json")
    assert proc.returncode == 1, proc.stderr
    got = findings(proc)
    assert sorted(got) == [("RES-006", "jmu-acc-1", "TenGigabitEthernet1/1/9")]
    assert "TenGigabitEthernet1/1/9" in got[("RES-006", "jmu-acc-1", "TenGigabitEthernet1/1/9")]["message"]
    assert json.loads(proc.stdout)["single_points_of_failure"] == []
    # the link is named by its drawn port, and failing it is harmless (jmu-acc-1 keeps its other uplink)
    what = netops(campus, "whatif", "--fail-link", "jmu-core-2:Te1/1/1-jmu-acc-1:Te1/1/9", "--json")
    assert what.returncode == 0, what.stderr
    assert json.loads(what.stdout)["isolated"] == []


def test_hsrp_peer_without_the_svi(campus: Path) -> None:
    """jmu-core-2 lost ``interface Vlan110``: VLAN 110's HSRP group lives on jmu-core-1 only (RES-002, 'only'),
    and jmu-core-1 becomes VLAN 110's only gateway, so it is a single point of failure for that VLAN."""
    config = campus / "configs" / "jmu-core-2.cfg"
    text = config.read_text()
    block = re.search(r"^interface Vlan110\n(?: .*\n)*!\n", text, re.M)
    assert block is not None
    config.write_text(text.replace(block.group(0), ""))
    proc = netops(campus, "audit", "--json")
    assert proc.returncode == 1, proc.stderr
    got = findings(proc)
    assert sorted(got) == [("RES-002", "jmu-core-1", "Vlan110")]
    assert "only" in json.dumps(got[("RES-002", "jmu-core-1", "Vlan110")]["details"])
    points = json.loads(proc.stdout)["single_points_of_failure"]
    assert points == [{"device": "jmu-core-1", "scope": "campus", "impact": {
        "isolated": [], "vlans_without_gateway": [110], "aps_without_service": [], "ssids_affected": ["JKS-Staff"],
        "clients_affected": None}}]


def test_configuration_missing_for_a_device(campus: Path) -> None:
    """No configuration for jmu-acc-2: the audit still runs on what it has (a notice, no traceback)."""
    (campus / "configs" / "jmu-acc-2.cfg").unlink()
    proc = netops(campus, "audit", "--json")
    assert proc.returncode in (0, 1), proc.stderr
    json.loads(proc.stdout)
