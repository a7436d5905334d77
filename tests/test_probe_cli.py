"""Probe and lab commands refuse clearly (exit 2, nothing started) without root or without a namespace tier."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from netops.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["netops", *args])
    with pytest.raises(SystemExit) as exc:
        main()
    return int(exc.value.code or 0), capsys.readouterr().err


@pytest.mark.parametrize("args", [
    ("lab", "up", "--netns"),
    ("probe", "segregation"),
    ("probe", "dhcp", "--vlan", "900"),
])
def test_not_root_is_exit_2_and_starts_nothing(args, monkeypatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    lab_dir = tmp_path / "lab"
    code, err = run(monkeypatch, capsys, "--lab-dir", str(lab_dir), "--data-dir", str(tmp_path), *args)
    assert code == 2
    assert "needs root" in err
    assert not lab_dir.exists()


def test_probe_without_a_tier_is_exit_2(monkeypatch, capsys, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("the tier check comes after the root check")
    code, err = run(monkeypatch, capsys, "--lab-dir", str(tmp_path / "lab"), "--data-dir", str(tmp_path), "probe", "segregation")
    assert code == 2
    assert "netops lab up --netns" in err
