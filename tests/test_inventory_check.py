"""``netops inventory check``: the shipped inventory passes; each broken case is
reported with the right file, line and key, and exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from netops.inventory.check import check
from netops.inventory.clab import load_topology
from netops.inventory.files import InventoryFiles

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "data" / "inventory"
NETOPS = [sys.executable, "-m", "netops"]


def _cases() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "expected.json").is_file())


def lab_backups(root: Path) -> Path:
    """A backup directory holding the lab's startup configurations as ``<site>/<host>.cfg``."""
    for node in load_topology(ROOT / "labs" / "secretariat.clab.yml").nodes:
        if node.startup_config is not None:
            (root / node.site).mkdir(parents=True, exist_ok=True)
            (root / node.site / f"{node.name}.cfg").write_text(node.config_text())
    return root


def _errors(problems) -> list[tuple[str, int | None, str | None]]:
    return sorted((Path(p.file).name, p.line, p.key) for p in problems if p.severity == "error")


@pytest.mark.parametrize("case", _cases())
def test_case(case: str) -> None:
    directory = CASES / case
    expected = json.loads((directory / "expected.json").read_text())["errors"]
    problems = check(InventoryFiles.of(directory), backup_dir=directory / "backups")
    assert _errors(problems) == sorted((e["file"], e["line"], e["key"]) for e in expected)
    errors = [p for p in problems if p.severity == "error"]
    for want in expected:
        got = next(p for p in errors if (Path(p.file).name, p.line, p.key) == (want["file"], want["line"], want["key"]))
        assert want["message"] in got.message


def test_literal_secret_is_not_echoed() -> None:
    problems = check(InventoryFiles.of(CASES / "literal_secret"))
    assert problems and all("Chinar#Leaf" not in p.message for p in problems)


def test_shipped_inventory_has_no_problem(tmp_path: Path) -> None:
    """Against backups of the lab's configurations, every AP's switch port exists and is described AP-<name>."""
    problems = check(InventoryFiles.of(ROOT / "inventory"), lab_backups(tmp_path))
    assert [p.to_dict() for p in problems] == []


def test_unchecked_cabling_is_a_warning(tmp_path: Path) -> None:
    """Without backups the AP ports cannot be checked: one warning per switch, no error."""
    problems = check(InventoryFiles.of(ROOT / "inventory"), tmp_path / "no-backups")
    assert problems and {p.severity for p in problems} == {"warning"}
    assert all("not checked: no backup" in p.message for p in problems)


def test_switch_port_checked_against_the_backup(tmp_path: Path) -> None:
    """An AP port is checked against the switch's latest backup."""
    for name in ("hosts.yaml", "groups.yaml", "defaults.yaml"):
        (tmp_path / name).write_text((ROOT / "inventory" / name).read_text())
    hosts = tmp_path / "hosts.yaml"
    text = hosts.read_text()
    hosts.write_text(text.replace("switch_port: GigabitEthernet1/0/41", "switch_port: GigabitEthernet1/0/99", 1))
    line = next(i for i, text_line in enumerate(hosts.read_text().splitlines(), 1) if "GigabitEthernet1/0/99" in text_line)
    problems = check(InventoryFiles.of(tmp_path), lab_backups(tmp_path / "backups"))
    assert _errors(problems) == [("hosts.yaml", line, "jmu-ap-b1-f1-01.data.switch_port")]
    assert "backups/jammu/jmu-acc-1.cfg" in problems[0].message


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
    assert [(Path(p["file"]).name, p["line"], p["key"]) for p in report["problems"] if p["severity"] == "error"] == [
        ("hosts.yaml", 13, "jmu-ap-1.data.controller")]
    text = _run("--inventory", str(case), "inventory", "check", "--backup-dir", str(case / "backups"))
    assert text.returncode == 2
    assert f"{case}/hosts.yaml:13: jmu-ap-1.data.controller: unknown controller 'jmu-wlc-9'" in text.stderr


def test_commands_refuse_a_broken_inventory() -> None:
    """Every command that loads the inventory stops with file/line/key and exit 2."""
    result = _run("--inventory", str(CASES / "unknown_group"), "inventory", "list")
    assert result.returncode == 2
    assert "hosts.yaml:3: jmu-acc-1.groups[1]: unknown group 'role_acess'" in result.stderr
