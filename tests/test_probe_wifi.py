"""``netops probe wifi`` on captures generated with scapy from the cases in
tests/data/probe/wifi/*.yaml (frames and the known answer), through the real CLI entry point."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml
from scapy.layers.dot11 import AKMSuite, Dot11, Dot11Beacon, Dot11Elt, Dot11EltDSSSet, Dot11EltRSN, Dot11ProbeResp, RadioTap, RSNCipherSuite
from scapy.packet import Packet, Raw
from scapy.utils import wrpcap

from netops.cli import main

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted((ROOT / "tests" / "data" / "probe" / "wifi").glob("*.yaml"))
PMF = {"disabled": (0, 0), "optional": (1, 0), "required": (1, 1)}


def frame(spec: dict) -> Packet:
    if "junk" in spec:
        return Raw(bytes.fromhex(spec["junk"]))
    privacy = spec.get("privacy", True)
    cap = "ESS+privacy" if privacy else "ESS"
    mgmt = Dot11ProbeResp(cap=cap) if spec.get("probe_response") else Dot11Beacon(cap=cap)
    subtype = 5 if spec.get("probe_response") else 8
    pkt = RadioTap() / Dot11(type=0, subtype=subtype, addr1="ff:ff:ff:ff:ff:ff", addr2=spec["bssid"], addr3=spec["bssid"]) / mgmt
    pkt = pkt / Dot11Elt(ID="SSID", info=spec["ssid"]) / Dot11EltDSSSet(channel=spec["channel"])
    if spec.get("akm"):
        mfpc, mfpr = PMF[spec.get("pmf", "disabled")]
        pkt = pkt / Dot11EltRSN(pairwise_cipher_suites=[RSNCipherSuite(cipher=c) for c in spec.get("ciphers", [4])],
                                akm_suites=[AKMSuite(suite=a) for a in spec["akm"]], mfp_capable=mfpc, mfp_required=mfpr)
    if spec.get("extra"):
        pkt = pkt / Raw(bytes.fromhex(spec["extra"]))
    return pkt


def evil_twin(tmp_path: Path) -> tuple[dict, Path]:
    """The evil-twin case and its capture."""
    spec = yaml.safe_load((ROOT / "tests" / "data" / "probe" / "wifi" / "evil_twin_wpa2.yaml").read_text())
    pcap = tmp_path / "air.pcap"
    wrpcap(str(pcap), [frame(f) for f in spec["frames"]])
    return spec, pcap


def waiving_policy(tmp_path: Path, spec: dict) -> Path:
    """The shipped policy plus a waiver for each of the case's findings (a known bench AP)."""
    policy = tmp_path / "policy.yaml"
    policy.write_text((ROOT / "policy" / "secretariat.yaml").read_text() + "".join(
        f"  - rule: {f['rule']}\n    host: \"{f['host']}\"\n    ssid: {f['object']}\n"
        "    reason: the IT bench AP, not an evil twin\n    expires: 2099-12-31\n" for f in spec["findings"]))
    return policy


class Result:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = code, stdout, stderr


@pytest.fixture
def netops(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path):
    """Run the real CLI entry point in-process (exit code, stdout, stderr), with a private data directory."""
    monkeypatch.setenv("NETOPS_BACKUP_DIR", str(tmp_path / "no-backups"))
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> Result:
        monkeypatch.setattr(sys, "argv", ["netops", "--data-dir", str(tmp_path), "--inventory", str(ROOT / "inventory"), *args])
        with pytest.raises(SystemExit) as exc:
            main()
        out = capsys.readouterr()
        return Result(int(exc.value.code or 0), out.out, out.err)

    return run


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_capture_gives_the_known_answer(case: Path, tmp_path: Path, netops) -> None:
    spec = yaml.safe_load(case.read_text())
    frames = [frame(f) for f in spec["frames"] for _ in range(f.get("count", 1))]
    pcap = tmp_path / "air.pcap"
    wrpcap(str(pcap), frames)
    proc = netops("probe", "wifi", "--pcap", str(pcap), "--json")
    assert proc.returncode == (1 if spec["findings"] else 0), proc.stderr
    out = json.loads(proc.stdout)
    assert len(out["networks"]) == spec["networks"]
    got = sorted((f["rule"], f["host"], f["object"], f["severity"]) for f in out["findings"])
    assert got == sorted((f["rule"], f["host"], f["object"], f["severity"]) for f in spec["findings"])
    assert all(f["source"] == "wifi" for f in out["findings"])
    assert len([n for n in out["notices"] if n["kind"] == "malformed-frame"]) == spec.get("notices", 0)
    counts = {(n["bssid"], n["ssid"]): n["frames"] for n in out["networks"]}
    for f in spec["frames"]:
        if "bssid" in f:
            assert counts[(f["bssid"], f["ssid"])] == f.get("count", 1)


def test_evil_twin_shows_in_netops_check_and_fails_cron(tmp_path: Path, netops) -> None:
    spec, pcap = evil_twin(tmp_path)
    assert netops("probe", "wifi", "--pcap", str(pcap)).returncode == 1
    configs = tmp_path / "configs"
    configs.mkdir()  # no configuration at all: only the probe's findings can fail the check
    proc = netops("check", "--backup-dir", str(configs), "--json")
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    twins = [f for f in out["findings"] if f["rule"] == "PROBE-WIFI-001"]
    assert [(f["host"], f["source"]) for f in twins] == [("de:ad:be:ef:00:01", "wifi")]
    ages = [n["message"] for n in out["notices"] if n["kind"] == "probe-findings"]
    assert len(ages) == 1 and "probe 'wifi'" in ages[0] and "min ago" in ages[0]


@pytest.mark.parametrize("content", [b"", b"this is not a capture file\n", b"\xd4\xc3\xb2\xa1\x02\x00"], ids=["empty", "text", "truncated-header"])
def test_unreadable_capture_is_exit_2(content: bytes, tmp_path: Path, netops) -> None:
    pcap = tmp_path / "bad.pcap"
    pcap.write_bytes(content)
    proc = netops("probe", "wifi", "--pcap", str(pcap))
    assert proc.returncode == 2
    assert "bad.pcap" in proc.stderr and "capture" in proc.stderr


def test_missing_capture_and_no_source_are_exit_2(tmp_path: Path, netops) -> None:
    assert netops("probe", "wifi", "--pcap", str(tmp_path / "nope.pcap")).returncode == 2
    proc = netops("probe", "wifi")
    assert proc.returncode == 2 and "--pcap" in proc.stderr


def test_a_policy_waiver_covers_a_probe_finding(tmp_path: Path, netops) -> None:
    """A waiver naming a probe rule (here an "evil twin" that is a known bench AP) waives its
    finding in the probe's own run and in ``netops check``, is not reported stale, and neither
    fails cron; without the waiver both do."""
    spec, pcap = evil_twin(tmp_path)
    assert netops("probe", "wifi", "--pcap", str(pcap)).returncode == 1
    policy = waiving_policy(tmp_path, spec)  # the probe's own rule and the policy's WIFI-001 seen on the air
    proc = netops("probe", "wifi", "--pcap", str(pcap), "--policy", str(policy), "--json")
    assert proc.returncode == 0, proc.stdout
    assert all(f["waived"] and "bench AP" in f["waiver"] for f in json.loads(proc.stdout)["findings"])
    configs = tmp_path / "configs"
    configs.mkdir()
    proc = netops("check", "--backup-dir", str(configs), "--policy", str(policy), "--json")
    out = json.loads(proc.stdout)
    twin = spec["findings"][0]
    found = [f for f in out["findings"] if f["rule"] == "PROBE-WIFI-001"]
    assert [(f["host"], f["waived"]) for f in found] == [(twin["host"], True)]
    assert not [n for n in out["notices"] if n["kind"] == "waiver-stale" and n["host"] == twin["host"]]
    assert proc.returncode == 0, proc.stdout
    proc = netops("check", "--backup-dir", str(configs), "--json")  # the shipped policy has no such waiver
    assert proc.returncode == 1
    assert not any(f["waived"] for f in json.loads(proc.stdout)["findings"] if f["rule"] == "PROBE-WIFI-001")


def test_site_of_the_capture(tmp_path: Path, netops) -> None:
    """``--site`` names the campus where the frames were captured: the findings carry it, so
    the dashboard and ``netops check`` file them under that campus; an unknown site is exit 2."""
    spec, pcap = evil_twin(tmp_path)
    proc = netops("probe", "wifi", "--pcap", str(pcap), "--site", "srinagar", "--json")
    assert proc.returncode == 1
    findings = json.loads(proc.stdout)["findings"]
    assert findings and {f["site"] for f in findings} == {"srinagar"}
    proc = netops("probe", "wifi", "--pcap", str(pcap), "--site", "leh")
    assert proc.returncode == 2 and "--site" in proc.stderr and "leh" in proc.stderr and "jammu" in proc.stderr


def test_the_dashboard_shows_the_stored_check_run(tmp_path: Path, netops) -> None:
    """What the dashboard shows is the latest check run as stored (waivers applied once, by the check); a probe run
    after it is counted as pending, and a broken policy file hides no finding (the waivers section reports it)."""
    from netops.services.state import State
    from netops.settings import Settings

    spec, pcap = evil_twin(tmp_path)
    policy = waiving_policy(tmp_path, spec)
    configs = tmp_path / "configs"
    configs.mkdir()
    assert netops("probe", "wifi", "--pcap", str(pcap)).returncode == 1
    checked = json.loads(netops("check", "--backup-dir", str(configs), "--policy", str(policy), "--json").stdout)
    state = State(Settings.resolve(env={}, inventory=ROOT / "inventory", data_dir=tmp_path, lab=False, policy=[policy]))
    snap = state.snapshot()
    assert snap.check_run == checked["run"]["id"] and snap.newer_probes == 0
    assert [f.to_dict() for f in snap.findings] == checked["findings"]
    twins = [f for f in snap.findings if f.rule == "PROBE-WIFI-001"]
    assert [f.waived for f in twins] == [True]
    assert netops("probe", "wifi", "--pcap", str(pcap)).returncode == 1
    assert state.snapshot().newer_probes == 1  # counted by the next check, not merged behind its back
    policy.write_text("rules: [\n")  # broken YAML
    snap = state.snapshot()
    assert [f.waived for f in snap.findings if f.rule == "PROBE-WIFI-001"] == [True]
    assert "policy.yaml" in snap.missing["waivers"]
