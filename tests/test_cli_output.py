"""What netops prints off a terminal (cron mail, *.err files): data verbatim, errors on one line each."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENV = {"PATH": "/usr/bin:/bin", "COLUMNS": "200"}


def netops(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "netops", "--data-dir", str(tmp_path / "data"), *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env={**ENV, "HOME": str(tmp_path)})


@pytest.mark.parametrize(("args", "says"), [
    (["reprot"], "No such command 'reprot' (see netops -h)"),
    (["backup", "--sitee", "jammu"], "No such option: --sitee"),
    (["wifi", "audit"], "(see netops wifi -h)"),
    (["poll", "--once", "--workers", "0"], "--workers and --timeout must be positive"),
    (["--config", "nope.yaml", "config", "show"], "nope.yaml"),
])
def test_errors_are_one_line_each(tmp_path: Path, args: list[str], says: str) -> None:
    proc = netops(tmp_path, *args)
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), proc.stderr
    assert says in proc.stderr and proc.stdout == ""


def test_data_is_printed_verbatim(tmp_path: Path) -> None:
    """Rich must not read markup or emoji codes in data: ``:cd:`` in a MAC once became an emoji."""
    model = "[bold]C9300[/bold] ae:cd:ae:ab:5f:ce :thumbs_up:"
    hosts = tmp_path / "hosts.yaml"
    hosts.write_text(f'sw1:\n  hostname: 192.0.2.1\n  platform: cisco_xe\n  data: {{site: jammu, role: access, model: "{model}"}}\n')
    proc = netops(tmp_path, "--inventory", str(hosts), "inventory", "list")
    assert proc.returncode == 0, proc.stderr
    assert model in proc.stdout and proc.stderr == ""
    checked = netops(tmp_path, "--inventory", str(hosts), "inventory", "check")
    assert not any(line.strip() == "" for line in checked.stderr.splitlines()), checked.stderr
