"""``netops check`` / ``netops policy report`` end to end through the real entry point."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "data" / "policy"


def netops(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "netops", "--data-dir", str(data_dir), *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})


def check_args(case: str) -> list[str]:
    d = CASES / case
    return ["--inventory", str(d / "inventory"), "check", "--policy", str(d / "policy.yaml"), "--backup-dir", str(d / "configs")]


def runs(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "netops.db") as conn:
        return conn.execute("SELECT count(*) FROM check_runs").fetchone()[0]


@pytest.fixture(scope="module")
def campus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Check the campus case twice (JUnit to a file, JSON to stdout) and re-render the latest run as HTML."""
    data = tmp_path_factory.mktemp("data")
    junit = data / "report.xml"
    html = data / "report.html"
    out = {
        "junit_proc": netops(data, *check_args("campus"), "--format", "junit", "--output", str(junit), "--fail-on", "critical"),
        "json_proc": netops(data, *check_args("campus"), "--json"),
        "html_proc": netops(data, "policy", "report", "--format", "html", "--output", str(html)),
        "runs": runs(data),
    }
    out["junit"], out["html"] = junit.read_text(), html.read_text()
    return out


def test_findings_exit_1_and_every_run_is_stored(campus: dict) -> None:
    assert campus["junit_proc"].returncode == 1, campus["junit_proc"].stderr
    assert campus["json_proc"].returncode == 1
    assert campus["html_proc"].returncode == 0, campus["html_proc"].stderr
    assert campus["runs"] == 2  # two checks; the re-render added none


def test_json_report(campus: dict) -> None:
    report = json.loads(campus["json_proc"].stdout)
    assert set(report) == {"run", "summary", "findings", "notices", "rules"}
    keys = {(f["rule"], f["host"], f["object"]) for f in report["findings"]}
    assert ("SEG-001", "jmu-acc-1", "GigabitEthernet1/0/42") in keys
    finding = next(f for f in report["findings"] if f["rule"] == "WIFI-003")
    assert set(finding) >= {"rule", "host", "object", "severity", "message", "waived"}
    assert finding["message"] == "client_isolation: expected true; actual false"
    assert report["summary"]["active"] == sum(not f["waived"] for f in report["findings"])
    assert {"waiver-expired", "waiver-stale"} <= {n["kind"] for n in report["notices"]}


def test_junit_is_valid_xml_with_one_suite_per_rule(campus: dict) -> None:
    root = ET.fromstring(campus["junit"])
    assert root.tag == "testsuites"
    suites = {s.get("name").split()[0]: s for s in root.findall("testsuite")}
    assert set(suites) == {"WIFI-001", "WIFI-002", "WIFI-003", "WIFI-004", "VLAN-001", "SEG-001", "WIFI-010", "WIFI-011", "notices"}
    seg = suites["SEG-001"]
    assert seg.get("failures") == "4" and len(seg.findall("testcase/failure")) == 4
    clean = suites["WIFI-002"]
    assert clean.get("failures") == "0" and clean.find("testcase").get("name") == "8 objects compliant"
    failures = sum(int(s.get("failures")) for s in suites.values())
    assert root.get("failures") == str(failures)


def test_html_is_self_contained(campus: dict) -> None:
    html = campus["html"]
    assert html.startswith("<!DOCTYPE html>") and "</html>" in html
    assert not re.search(r"(?i)(https?:|//[a-z]|<script|<link|<img|src=|@import|url\()", html)
    assert "Jammu" in html and "GigabitEthernet1/0/42" in html and "extra 700 (iot)" in html


def test_fail_on_threshold(tmp_path: Path) -> None:
    proc = netops(tmp_path, *check_args("low-only"), "--fail-on", "medium")
    assert proc.returncode == 0, proc.stderr
    assert "WIFI-004" in proc.stdout and "srinagar: 1 low" in proc.stdout
    assert netops(tmp_path, *check_args("low-only"), "--fail-on", "low").returncode == 1


def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    args = check_args("low-only")
    args[4] = str(CASES / "lint" / "values.yaml")
    proc = netops(tmp_path, *args)
    assert proc.returncode == 2
    assert "values.yaml:9: rules[0].match.ssid: bad regex" in proc.stderr
    proc = netops(tmp_path, *check_args("low-only")[:5], "--backup-dir", str(tmp_path / "missing"))
    assert proc.returncode == 2 and "no such configuration directory" in proc.stderr
    old = netops(tmp_path, *check_args("low-only")[:5], "--configs", str(tmp_path / "missing"))
    assert old.returncode == 2 and "--configs is now --backup-dir" in old.stderr  # the old spelling still works
    assert netops(tmp_path, *check_args("low-only"), "--format", "pdf").returncode == 2
    proc = netops(tmp_path, *check_args("low-only"), "--live")
    assert proc.returncode == 2 and "--live and --backup-dir exclude each other" in proc.stderr
    assert not (tmp_path / "netops.db").exists() or runs(tmp_path) == 0
