"""Disaster recovery against a private lab of both campuses: the vault, full rebuilds of wiped and replaced
devices (a Catalyst switch, a 9800, an AireOS controller, AOS 8, Instant, OpenWrt), a campus drill, and the
inputs that must refuse before anything is pushed.

What a rebuilt device holds is compared with the lab's own original configuration file (read with the lab's
client, never netops' parsers), secrets included; only the self-signed certificate, which belongs to the old
device's key, is left to the device.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from pathlib import Path

import pyrage
import pytest
from conftest import start_lab
from lab_client import config_lines, connect, fetch_config

import labs
from labs import runner
from labs.state import load_state

pytestmark = pytest.mark.lab

BOOTSTRAP_USER = "dr-admin"
BOOTSTRAP_PASSWORD = "Boot-" + secrets.token_hex(6)
CERTIFICATE = re.compile(r"^crypto pki certificate chain |^ certificate |^  ")  # the chain, its header and its body


@pytest.fixture(scope="module")
def campus(tmp_path_factory: pytest.TempPathFactory, netops_cli):
    """A private lab of both campuses, backed up once without the vault (HEAD~1) and once with it (HEAD)."""
    root = tmp_path_factory.mktemp("dr")
    lab_dir = root / "lab"
    saved = {k: os.environ.get(k) for k in ("NETOPS_LAB_BOOTSTRAP_USERNAME", "NETOPS_LAB_BOOTSTRAP_PASSWORD")}
    os.environ.update(NETOPS_LAB_BOOTSTRAP_USERNAME=BOOTSTRAP_USER, NETOPS_LAB_BOOTSTRAP_PASSWORD=BOOTSTRAP_PASSWORD)
    try:
        state = start_lab(lab_dir, labs.DEFAULT_TOPOLOGY)
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
    env = {"NETOPS_LAB": "1", "NETOPS_LAB_DIR": str(lab_dir), "NETOPS_DATA_DIR": str(root / "data"),
           "NETOPS_CONFIG": str(root / "etc" / "netops.yaml"), "BOOT_PW": BOOTSTRAP_PASSWORD}

    def cli(*args: str, timeout: float = 300) -> tuple[int, str, str]:
        return netops_cli(*args, env=env, timeout=timeout)

    try:
        assert netops_cli("init", str(root / "etc"))[0] == 0  # before NETOPS_CONFIG names its file
        rc, out, err = cli("backup", "--json")
        assert rc == 0, err
        (root / "dr-kit").mkdir()
        rc, out, err = cli("vault", "init", "--identity-out", str(root / "dr-kit" / "identity.txt"))
        assert rc == 0, err
        rc, out, err = cli("backup", "--json")
        assert rc == 0, err
        yield {"cli": cli, "lab_dir": lab_dir, "identity": root / "dr-kit" / "identity.txt", "root": root, "state": state}
    finally:
        runner.down(lab_dir)


def node(campus, name: str):
    state = load_state(campus["lab_dir"])
    assert state is not None and state.node(name) is not None
    return state.node(name)


def device_config(campus, name: str) -> list[str]:
    n = node(campus, name)
    with connect(n) as conn:
        return config_lines(fetch_config(conn, n.platform))


def original(campus, name: str) -> list[str]:
    return config_lines(Path(node(campus, name).original_config_path).read_text())


def secret_values(campus, name: str) -> list[str]:
    """Secrets of the lab's original configuration of ``name`` (enable, SNMP community, user), read with a regex."""
    text = Path(node(campus, name).original_config_path).read_text()
    found = re.findall(r"^(?:enable secret \d|username \S+ privilege \d+ secret \d|snmp-server community) (\S+)", text, re.M)
    assert len(found) >= 2
    return found


def without_certificate(lines: list[str]) -> list[str]:
    """``lines`` without the PKI certificate chain (bound to the old device's key; the rebuilt one enrolls its own)
    and without OpenWrt's ``urandom_seed`` (a seed the system rewrites, absent from the lab's original file)."""
    out, inside = [], False
    for line in lines:
        if "option urandom_seed" in line:
            continue
        if line.startswith("crypto pki certificate chain "):
            inside = True
            continue
        if inside and line.startswith(" "):
            continue
        inside = False
        out.append(line)
    return out


def test_a_dry_run_drill_checks_readiness_and_wipes_nothing(campus) -> None:
    rc, _, err = campus["cli"]("dr", "drill", "--site", "srinagar", "--identity", str(campus["identity"]))
    assert rc == 2 and "--i-understand-this-wipes-production" in err
    rc, out, err = campus["cli"]("dr", "drill", "--site", "srinagar", "--identity", str(campus["identity"]),
                                 "--i-understand-this-wipes-production", "--json")
    report = json.loads(out)
    assert rc == 0, err
    assert report["mode"] == "dry-run" and report["ok"] and report["devices_total"] >= 5
    assert all(d["ready"] and d["secrets"] > 0 and d["rpo_seconds"] is not None for d in report["devices"])
    assert not any(n.wiped for n in load_state(campus["lab_dir"]).nodes if n.site == "srinagar")
    assert all(Path(f).is_file() for f in report["evidence"])


def test_the_jammu_drill_rebuilds_and_verifies_every_device(campus) -> None:
    rc, out, err = campus["cli"]("dr", "drill", "--site", "jammu", "--lab", "--identity", str(campus["identity"]), "--json")
    report = json.loads(out)
    assert rc == 0, [d["reason"] for d in report["devices"] if not d["verified"]]
    assert report["mode"] == "lab" and report["devices_verified"] == report["devices_total"] >= 8
    assert report["rto_seconds"] >= max(d["rto_seconds"] for d in report["devices"]) > 0
    wiped = {n.name for n in load_state(campus["lab_dir"]).nodes if n.wiped}
    assert {d["host"] for d in report["devices"]} <= wiped
    html = Path(next(f for f in report["evidence"] if f.endswith(".html"))).read_text()
    assert "restored and verified" in html and "jmu-core-1" in html
    for name in ("jmu-core-1", "jmu-wlc-1", "jmu-owrt-guesthouse"):
        assert without_certificate(device_config(campus, name)) == without_certificate(original(campus, name)), name
    evidence = Path(next(f for f in report["evidence"] if f.endswith(".json"))).read_text()
    for secret in secret_values(campus, "jmu-core-1"):
        assert secret not in evidence and secret not in html and secret not in out


@pytest.mark.parametrize("name", [pytest.param("srn-wlc-aireos", marks=pytest.mark.long), "srn-wlc-aruba", "srn-iap-annex"])
@pytest.mark.matrix("wiped controller rebuilt", "lab wipe, then netops restore --full with the vault's secrets")
def test_a_wiped_controller_is_rebuilt_with_its_secrets(campus, name: str) -> None:
    assert runner.wipe(campus["lab_dir"], name).wiped
    assert device_config(campus, name) != original(campus, name)
    rc, out, err = campus["cli"]("restore", name, "--full", "--identity", str(campus["identity"]), "--yes", "--json")
    plan = json.loads(out)
    assert rc == 0 and plan["verified"] and plan["secrets_verified"] and plan["secrets"] > 0, (plan, err)
    assert device_config(campus, name) == original(campus, name)


def test_a_replaced_switch_needs_its_new_key_trusted_and_the_bootstrap_login(campus) -> None:
    cli, identity, name = campus["cli"], str(campus["identity"]), "jmu-acc-2"
    new = runner.wipe(campus["lab_dir"], name, replace=True)
    rc, _, err = cli("restore", name, "--full", "--identity", identity, "--yes")
    assert rc != 0 and new.host_key_fingerprint in err and f"netops inventory trust {name}" in err
    rc, _, err = cli("inventory", "trust", name, "--fingerprint", "SHA256:" + "A" * 43)
    assert rc == 2
    rc, out, err = cli("inventory", "trust", name, "--fingerprint", new.host_key_fingerprint)
    assert rc == 0, err
    rc, out, err = cli("restore", name, "--full", "--identity", identity, "--yes")
    assert rc != 0 and "authentication failed" in err  # the lab's login does not exist on new hardware yet
    rc, out, err = cli("restore", name, "--full", "--identity", identity, "--yes", "--json", "--bootstrap-username",
                       BOOTSTRAP_USER, "--bootstrap-password-env", "BOOT_PW")
    plan = json.loads(out)
    assert rc == 0 and plan["verified"] and plan["secrets_verified"], (plan, err)
    assert BOOTSTRAP_PASSWORD not in out + err
    assert without_certificate(device_config(campus, name)) == without_certificate(original(campus, name))
    assert cli("backup", "--host", name)[0] == 0  # the inventory's login works again
    log = (campus["root"] / "data" / "hostkeys.log").read_text()
    assert name in log and new.host_key_fingerprint in log


def test_bad_inputs_refuse_before_anything_is_pushed(campus, tmp_path: Path) -> None:
    cli, name = campus["cli"], "jmu-acc-3"
    runner.wipe(campus["lab_dir"], name)
    wiped = device_config(campus, name)
    not_a_key = tmp_path / "notes.txt"
    not_a_key.write_text("not an identity\n")
    other = tmp_path / "other.txt"
    other.write_text(str(pyrage.x25519.Identity.generate()) + "\n")  # a key the vault was never encrypted to
    history = json.loads(cli("backup", "history", name, "--json")[1])
    before_vault = history["versions"][-1]["commit"]  # the first backup, made before `vault init`
    for args, says in ((["--identity", str(not_a_key)], str(not_a_key)),
                       (["--identity", str(other)], "age1"),
                       (["--identity", str(tmp_path / "missing.txt")], "missing.txt"),
                       (["--identity", str(campus["identity"]), "--rev", before_vault], "no vault entry"),
                       (["--bootstrap-username", "x", "--identity", str(campus["identity"])], "--bootstrap-password-env")):
        rc, _, err = cli("restore", name, "--full", "--yes", *args)
        assert rc == 2 and says in err, (args, err)
    assert device_config(campus, name) == wiped  # nothing half-pushed
    rc, _, err = cli("restore", name, "--identity", str(campus["identity"]), "--yes")
    assert rc == 2 and "--identity goes with --full" in err


def test_export_writes_the_whole_configuration_privately(campus, tmp_path: Path) -> None:
    out = tmp_path / "jmu-core-2.cfg"
    rc, _, err = campus["cli"]("restore", "jmu-core-2", "--full", "--identity", str(campus["identity"]), "--export", str(out))
    assert rc == 0, err
    assert out.stat().st_mode & 0o777 == 0o600
    text = out.read_text()
    assert "<removed by netops>" not in text and all(v in text for v in secret_values(campus, "jmu-core-2"))


def test_the_dashboard_backups_view_shows_the_vault_and_the_newest_drill(tmp_path: Path) -> None:
    import asyncio
    from datetime import timedelta

    from tui_support import FIXTURE, NOW, fixture_app, settle

    raw = json.loads(FIXTURE.read_text())
    drill = {"site": "jammu", "mode": "lab", "finished": (NOW - timedelta(hours=2)).isoformat(), "ok": True, "devices": 9,
             "verified": 9, "rto_seconds": 7.2, "evidence": "/srv/netops/data/dr/drill-jammu.json"}
    raw["dr"] = {"vault_on": True, "stored": 17, "devices": 18, "flagged": 1, "drills": [
        drill, drill | {"site": "srinagar", "mode": "dry-run", "ok": False, "verified": 0, "rto_seconds": None}]}
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(raw))

    async def body() -> None:
        app = fixture_app(path)
        async with app.run_test(size=(180, 48)) as pilot:
            await settle(pilot, lambda: app.snapshot is not None)
            await pilot.press("5")
            await settle(pilot, lambda: "vault:" in app.screen_text())
            text = app.screen_text()
            assert ("vault: 17 of 18 devices' secrets stored, 1 flagged (netops vault status) · drill jammu 2h ago: "
                    "9/9 verified, RTO 7.2s · drill srinagar 2h ago: dry run") in text, text

    asyncio.run(body())
