"""Probe and lab commands refuse clearly (exit 2, nothing sent or started) without the privileges they need or
without a probe plan; a dry run needs neither privilege nor a device, and lists every frame."""

from __future__ import annotations

import json
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


PLAN = """\
vantages:
  - {name: staff, site: jammu, zone: staff, vlan: 110, interface: lo, tagged: true, address: 10.10.110.250/24, gateway: 10.10.110.1}
  - {name: guest, site: jammu, zone: guest, vlan: 900, interface: lo, tagged: true, address: 10.10.90.250/23, gateway: 10.10.90.1}
targets:
  - {name: guest-gw, site: jammu, zone: guest, vlan: 900, address: 10.10.90.1/23}
  - {name: staff-gw, site: jammu, zone: staff, vlan: 110, address: 10.10.110.1/24}
trunks:
  - {name: ap-port, site: jammu, interface: lo, device: jmu-acc-1, port: Gi1/0/42, native_vlan: 20, carried: [20, 110, 900]}
"""


@pytest.fixture(autouse=True)
def no_lab_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """These commands target a campus, not the session's lab (whose fixture exports NETOPS_LAB=1)."""
    for name in ("NETOPS_LAB", "NETOPS_PROBE_PLAN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    return path


@pytest.mark.parametrize("args", [
    ("lab", "up", "--netns"),
    ("probe", "segregation", "--plan", "PLAN"),
    ("probe", "dhcp", "--vlan", "900", "--plan", "PLAN"),
])
def test_without_privileges_is_exit_2_and_starts_nothing(args, monkeypatch, capsys, tmp_path: Path, plan: Path) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setattr("netops.probe.privileges.effective_capabilities", lambda: 0)
    lab_dir = tmp_path / "lab"
    args = tuple(str(plan) if a == "PLAN" else a for a in args)
    code, err = run(monkeypatch, capsys, "--lab-dir", str(lab_dir), "--data-dir", str(tmp_path), *args)
    assert code == 2
    assert "needs root" in err
    assert not lab_dir.exists() and not (tmp_path / "netops.db").exists()


def test_cap_net_raw_is_enough_without_namespaces(monkeypatch, capsys, tmp_path: Path, plan: Path) -> None:
    """A plan without namespaces needs only CAP_NET_RAW: the privilege check passes (the send then finds no
    usable frames' answers on lo; the point is that it is not refused)."""
    from netops.probe.privileges import CAP_NET_RAW, require_raw

    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setattr("netops.probe.privileges.effective_capabilities", lambda: 1 << CAP_NET_RAW)
    require_raw("netops probe segregation", netns=False)
    with pytest.raises(Exception, match="needs root"):
        require_raw("netops probe segregation", netns=True)


def test_no_plan_is_exit_2(monkeypatch, capsys, tmp_path: Path) -> None:
    code, err = run(monkeypatch, capsys, "--lab-dir", str(tmp_path / "lab"), "--data-dir", str(tmp_path), "probe", "segregation")
    assert code == 2
    assert "no probe plan" in err and "--plan" in err and "netops lab up --netns" in err


def test_dry_run_lists_every_frame_and_sends_nothing(monkeypatch, capsys, tmp_path: Path, plan: Path) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setattr("netops.probe.privileges.effective_capabilities", lambda: 0)
    code, out = run_out(monkeypatch, capsys, "--data-dir", str(tmp_path), "probe", "segregation", "--plan", str(plan),
                        "--dry-run", "--json")
    assert code == 0
    report = json.loads(out)
    frames = report["frames"]
    assert report["run"]["id"] is None and report["findings"] == []
    # from each vantage: ARP for the gateway and both targets, then ICMP + UDP to the other zone's target
    assert sum("ARP who has 10.10.110.1" in f for f in frames) >= 1
    assert any("802.1Q" in f or "Dot1Q" in f for f in frames)
    assert any("ICMP" in f and "10.10.90.1" in f for f in frames)
    # the trunk: a tagged ARP probe into every target VLAN, double-tagged for those other than the native VLAN
    trunk = [f for f in frames if f.startswith("lo:") and "0.0.0.0" in f]
    assert len(trunk) == 4
    assert not (tmp_path / "netops.db").exists() or "check_runs" not in (tmp_path / "netops.db").read_bytes().decode(errors="ignore")


def run_out(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["netops", *args])
    with pytest.raises(SystemExit) as exc:
        main()
    return int(exc.value.code or 0), capsys.readouterr().out
