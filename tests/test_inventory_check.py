"""``netops inventory check``: the shipped inventory passes; each broken case is
reported with the right file, line and key, and exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from netops.inventory.check import check

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "data" / "inventory"
NETOPS = [sys.executable, "-m", "netops"]


def _cases() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "expected.json").is_file())


def _errors(problems) -> list[tuple[str, int | None, str | None]]:
    return sorted((Path(p.file).name, p.line, p.key) for p in problems if p.severity == "error")


@pytest.mark.parametrize("case", _cases())
def test_case(case: str) -> None:
    directory = CASES / case
    expected = json.loads((directory / "expected.json").read_text())["errors"]
    problems = check(directory, backup_dir=directory / "backups", lab_dir=None)
    assert _errors(problems) == sorted((e["file"], e["line"], e["key"]) for e in expected)
    errors = [p for p in problems if p.severity == "error"]
    for want in expected:
        got = next(p for p in errors if (Path(p.file).name, p.line, p.key) == (want["file"], want["line"], want["key"]))
        assert want["message"] in got.message


def test_literal_secret_is_not_echoed() -> None:
    problems = check(CASES / "literal_secret", backup_dir=None, lab_dir=None)
    assert problems and all("Chinar#Leaf" not in p.message for p in problems)


def test_shipped_inventory_has_no_problem() -> None:
    """Against the lab startup configs, every AP's switch port exists and is described AP-<name>."""
    problems = check(ROOT / "inventory", backup_dir=None, lab_dir=None)
    assert [p.to_dict() for p in problems] == []


def test_switch_port_checked_against_lab_startup_config(tmp_path: Path) -> None:
    """Without a backup, an AP port is checked against the switch's lab startup config."""
    for name in ("hosts.yaml", "groups.yaml", "defaults.yaml"):
        (tmp_path / name).write_text((ROOT / "inventory" / name).read_text())
    hosts = tmp_path / "hosts.yaml"
    text = hosts.read_text()
    hosts.write_text(text.replace("switch_port: GigabitEthernet1/0/41", "switch_port: GigabitEthernet1/0/99", 1))
    line = next(i for i, l in enumerate(hosts.read_text().splitlines(), 1) if "GigabitEthernet1/0/99" in l)
    problems = check(tmp_path, backup_dir=None, lab_dir=None)
    assert _errors(problems) == [("hosts.yaml", line, "jmu-ap-b1-f1-01.data.switch_port")]
    assert "labs/configs/jmu-acc-1.cfg" in problems[0].message


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NETOPS, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_cli_exit_codes_and_json() -> None:
    ok = _run("--inventory", "inventory", "inventory", "check", "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["ok"] is True
    case = CASES / "unknown_controller"
    bad = _run("--inventory", str(case), "inventory", "check", "--backup-dir", str(case / "backups"), "--json")
    assert bad.returncode == 2
    report = json.loads(bad.stdout)
    assert report["ok"] is False
    assert [(Path(p["file"]).name, p["line"], p["key"]) for p in report["problems"]] == [("hosts.yaml", 13, "jmu-ap-1.data.controller")]
    text = _run("--inventory", str(case), "inventory", "check", "--backup-dir", str(case / "backups"))
    assert text.returncode == 2
    assert f"{case}/hosts.yaml:13: jmu-ap-1.data.controller: unknown controller 'jmu-wlc-9'" in text.stderr


def test_commands_refuse_a_broken_inventory() -> None:
    """Every command that loads the inventory stops with file/line/key and exit 2."""
    result = _run("--inventory", str(CASES / "unknown_group"), "inventory", "list")
    assert result.returncode == 2
    assert "hosts.yaml:3: jmu-acc-1.groups[1]: unknown group 'role_acess'" in result.stderr
