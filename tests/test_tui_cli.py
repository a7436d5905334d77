"""``netops tui`` as a command: bad input, the non-interactive modes, and lazy imports."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "args, message",
    [
        (["--refresh", "-1"], "--refresh: must be 0 or more seconds"),
        (["--snapshot", "out.png"], "out.png: --snapshot: the snapshot file must end in .svg or .txt"),
        (["--snapshot", "out.txt", "--size", "10x5"], "--size: 10x5 is too small"),
        (["--snapshot", "out.txt", "--size", "wide"], "--size: expected WIDTHxHEIGHT"),
    ],
)
def test_bad_input_exits_2(netops_cli, tmp_path, args, message):
    rc, out, err = netops_cli("--data-dir", str(tmp_path), "tui", *args)
    assert rc == 2 and message in err, err
    assert not (tmp_path / "out.txt").exists()


def test_snapshot_renders_the_overview_with_no_data_yet(netops_cli, tmp_path):
    out = tmp_path / "overview.txt"
    rc, _, err = netops_cli("--data-dir", str(tmp_path / "data"), "tui", "--snapshot", str(out), "--size", "100x30",
                            env={"NETOPS_LAB": "0"})
    assert rc == 0, err
    text = out.read_text()
    assert "Jammu" in text and "Srinagar" in text
    assert "no data yet" in text and "1 Overview" in text
    assert len(text.splitlines()) == 30 and max(len(line) for line in text.splitlines()) <= 100


def test_text_snapshot_on_stdout(netops_cli, tmp_path):
    """``--snapshot -``: the overview as text on stdout, for a cron mail."""
    rc, out, err = netops_cli("--data-dir", str(tmp_path / "data"), "tui", "--snapshot", "-", "--size", "90x25",
                              env={"NETOPS_LAB": "0"})
    assert rc == 0, err
    lines = out.splitlines()
    assert len(lines) == 25 and max(len(line) for line in lines) <= 90
    assert "1 Overview" in lines[0] and "Jammu" in out and "Srinagar" in out
    assert not (tmp_path / "-").exists()


def test_svg_snapshot(netops_cli, tmp_path):
    out = tmp_path / "overview.svg"
    rc, _, err = netops_cli("--data-dir", str(tmp_path / "data"), "tui", "--snapshot", str(out), env={"NETOPS_LAB": "0"})
    assert rc == 0, err
    assert out.read_text().lstrip().startswith("<svg")


def test_netops_never_imports_textual_or_the_dashboard():
    code = "import sys, netops.cli; bad = [m for m in ('textual', 'tui') if m in sys.modules]; print(bad); sys.exit(bool(bad))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
