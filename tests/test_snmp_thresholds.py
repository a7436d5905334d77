"""Thresholds YAML: the shipped file loads; bad files name file, line and key (exit code 2)."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from netops.errors import InputError
from netops.settings import Settings
from netops.snmp.thresholds import Thresholds, load_thresholds

DATA = Path(__file__).parent / "data" / "snmp" / "thresholds"
EXPECTED = yaml.safe_load((DATA / "expected.yaml").read_text())


def test_shipped_file_matches_its_documented_values() -> None:
    shipped = Settings.resolve(env={}).thresholds
    raw = yaml.safe_load(shipped.read_text())
    th = load_thresholds(shipped)
    assert th.cpu.percent == raw["cpu"]["percent"]
    assert th.device_down.after_polls == raw["device_down"]["after_polls"]
    assert th.interface_errors.per_second == raw["interface_errors"]["per_second"]


def test_partial_file_keeps_defaults(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("cpu:\n  percent: 70\n")
    th = load_thresholds(path)
    assert th.cpu.percent == 70.0
    assert th.memory == Thresholds().memory


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_points_at_line_and_key(name: str) -> None:
    want = EXPECTED[name]
    with pytest.raises(InputError) as err:
        load_thresholds(DATA / name)
    assert err.value.file == str(DATA / name)
    assert err.value.line == want["line"]
    assert err.value.key == want["key"]
    assert want["message"] in err.value.message


def test_cli_exit_code_2_on_bad_thresholds(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "netops", "--data-dir", str(tmp_path), "poll", "--once",
         "--thresholds", str(DATA / "unknown-key.yaml")],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert "unknown-key.yaml:5: interface_errors.per_sec" in proc.stderr
    assert not (tmp_path / "netops.db").exists()  # nothing half-written
