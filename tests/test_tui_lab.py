"""The dashboard against the running lab: real stores, real jobs, the real ``netops tui`` in tmux."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lab_client import connect
from tui_support import run, settle

from netops.services import facts
from netops.settings import Settings
from tui.app import NetopsApp, TuiOptions
from tui.data import NetopsSource
from tui.screens.confirm import ConfirmScreen
from tui.screens.device import DeviceScreen
from tui.screens.diff import DiffScreen

pytestmark = [pytest.mark.lab, pytest.mark.slow]
REPO = Path(__file__).resolve().parent.parent
POLICY = REPO / "policy" / "secretariat.yaml"
JOB_TIMEOUT = 300


@pytest.fixture(scope="module")
def data_dir(lab, tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("tui-data")


def lab_app(data_dir: Path, **options) -> NetopsApp:
    settings = Settings.resolve(data_dir=data_dir, policy=[POLICY])
    return NetopsApp(lambda: NetopsSource(settings), TuiOptions(**({"refresh": 0} | options)))


async def finished_job(app: NetopsApp, pilot, kind: str):
    await settle(pilot, lambda: app.jobs and app.jobs[-1].kind == kind and app.jobs[-1].finished is not None,
                 timeout=JOB_TIMEOUT)
    job = app.jobs[-1]
    assert job.finished is not None and job.error is None, job.log[-3:]
    return job


def test_dashboard_reads_what_the_cli_wrote_and_runs_poll_and_check(lab, data_dir, netops_cli):
    ssh_nodes = {n.name for n in lab.nodes if n.ssh_port}
    rc, out, err = netops_cli("--data-dir", str(data_dir), "backup", "--json", "--timeout", "20")
    assert rc in (0, 1), err
    cli_status = {d["host"]: d["status"] for d in json.loads(out)["devices"]}

    @run
    async def body():
        app = lab_app(data_dir)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, lambda: app.snapshot is not None, timeout=60)
            snap = app.snapshot
            assert "backup" not in snap.missing and "snmp" in snap.missing and "policy" in snap.missing
            shown = {d.name: d.backup_status for d in snap.devices if d.name in ssh_nodes}
            assert shown == cli_status  # the cron run and the dashboard agree
            await pilot.press("6", "o")
            poll = await finished_job(app, pilot, "poll")
            polled = {h: r.status for h, r in poll.results.items()}
            healthy = {n.name for n in lab.nodes if n.snmp_port and not n.faults}
            assert set(polled) == {d.name for d in snap.devices}  # all devices (APs come from their controllers)
            assert {h for h, s in polled.items() if s == "ok"} == set(polled) & healthy
            await pilot.press("3", "c")
            await finished_job(app, pilot, "check")
            await settle(pilot, lambda: "policy" not in app.snapshot.missing and "snmp" not in app.snapshot.missing,
                         timeout=60)
            snap = app.snapshot
            assert snap.findings and sum(d.findings for d in snap.devices) <= len([f for f in snap.findings if not f.waived])
            assert all(d.reachable for d in snap.devices if d.name in ssh_nodes)
            assert {a.name for a in snap.aps} == {n.name for n in lab.nodes if n.labels.get("netops-controller")}
            assert any(s.ssid.startswith("JKS-Staff") for s in snap.ssids) and snap.cabling
            findings = app.screen.query_one("#findings")
            assert findings.row_count > len(snap.findings)  # findings plus their group rows
        rc, out, _ = netops_cli("--data-dir", str(data_dir), "status", "--json")
        status = json.loads(out)
        up = sum(site["devices_up"] for site in status["sites"].values())
        assert up == sum(d.reachable is True for d in snap.devices if d.name in {n.name for n in lab.nodes})

    body()


def test_backup_of_a_tagged_device_then_diff_and_restore(lab, data_dir):
    host, marker = "jmu-acc-2", "netops-tui-change"
    conn = connect(lab.node(host))

    settings = Settings.resolve(data_dir=data_dir, policy=[POLICY])

    @run
    async def body():
        app = lab_app(data_dir)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, lambda: app.snapshot is not None, timeout=60)
            await pilot.press("2", "slash", *f"^{host}$", "enter", "space", "6", "b")
            job = await finished_job(app, pilot, "backup")
            assert set(job.results) == {host} and job.results[host].status in ("changed", "unchanged")
            began = datetime.now(timezone.utc)
            await pilot.press("f")  # the tagged device's facts, read over SSH and stored as `netops inventory facts` does
            job = await finished_job(app, pilot, "facts")
            assert set(job.results) == {host} and job.results[host].status == "ok", job.results[host].reason
            stored = facts.of_host(settings, host)
            assert stored is not None and stored.model and stored.version
            assert datetime.fromisoformat(stored.collected) >= began.replace(microsecond=0)
            conn.send_config_set(["interface GigabitEthernet1/0/5", f"description {marker}"])
            await pilot.press("b")
            job = await finished_job(app, pilot, "backup")
            assert job.results[host].status == "changed"
            conn.send_config_set(["interface GigabitEthernet1/0/5", f"no description {marker}"])
            await pilot.press("2", "enter")
            await settle(pilot, lambda: isinstance(app.screen, DeviceScreen) and app.screen.detail is not None)
            assert app.screen.host == host and len(app.screen.detail.revisions) >= 2
            await pilot.press("right_square_bracket", "right_square_bracket", "m", "down", "m", "d")
            await settle(pilot, lambda: isinstance(app.screen, DiffScreen) and "loading" not in app.screen_text())
            assert f"+ description {marker}" in app.screen_text()
            await pilot.press("escape", "up", "R")  # restore the newest revision: the change comes back
            await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen), timeout=120)
            assert f"description {marker}" in app.screen.question
            await pilot.press("y")
            job = await finished_job(app, pilot, "restore")
            assert job.results[host].status == "ok", job.results[host].reason
            assert "verified" in job.results[host].reason

    try:
        body()
        assert marker in conn.send_command("show running-config")
    finally:
        conn.send_config_set(["interface GigabitEthernet1/0/5", f"no description {marker}"])
        conn.disconnect()


def test_read_only_dashboard_refuses_every_job(lab, data_dir):
    @run
    async def body():
        app = lab_app(data_dir, read_only=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: app.snapshot is not None, timeout=60)
            await pilot.press("6", "b", "c", "o", "f", "3", "c", "5", "b")
            assert app.jobs == []

    body()


def test_resilience_view_agrees_with_the_cli(lab, data_dir, netops_cli):
    """The view's states and a what-if on a core switch are those of ``netops resilience`` on the same backups."""
    rc, out, err = netops_cli("--data-dir", str(data_dir), "resilience", "audit", "--site", "jammu", "--json")
    assert rc in (0, 1), err
    states = {d["device"]: d["state"] for d in json.loads(out)["devices"]}
    assert "jmu-core-1" in states
    rc, out, err = netops_cli("--data-dir", str(data_dir), "resilience", "whatif", "--fail", "jmu-core-1", "--site", "jammu", "--json")
    assert rc == 0, err
    expected = json.loads(out)

    @run
    async def body():
        app = lab_app(data_dir)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, lambda: app.snapshot is not None, timeout=60)
            await pilot.press("7")
            screen = app.screen
            await settle(pilot, lambda: screen.audit is not None or screen.error is not None, timeout=60)
            assert screen.error is None and screen.site == "jammu"
            table = screen.query_one("#resilience-devices")
            assert {k: table.cells(k)[2] for k in table.keys()} == states
            await pilot.press("f", *"jmu-core-1", "enter")
            await settle(pilot, lambda: screen.answer is not None, timeout=60)
            assert screen.answer.to_dict() == expected
            await pilot.press("f", "ctrl+u", *"jmu-core-9", "enter")
            await settle(pilot, lambda: "unknown device 'jmu-core-9'" in app.screen_text(), timeout=60)

    body()


def test_audit_view_client_lookup_and_privacy_against_the_lab(lab, data_dir, netops_cli):
    """The trail the CLI wrote, a live lookup on a lab controller (nothing of it written), the privacy report."""
    from labs.sim.snmp_agent import lab_stations
    from tui.screens.clients import ClientsScreen
    from tui.screens.privacy import PrivacyScreen
    from tui.widgets.virtual_table import VirtualTable

    rc, _, err = netops_cli("--data-dir", str(data_dir), "backup", "--host", "jmu-acc-1", "--timeout", "20")
    assert rc in (0, 1), err
    station = next(s for s in lab_stations(lab)["jmu-wlc-1"] if s.user)
    before = {p: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}

    @run
    async def body():
        app = lab_app(data_dir)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot, lambda: app.snapshot is not None, timeout=60)
            await pilot.press("8")
            trail = app.screen.query_one(VirtualTable)
            await settle(pilot, lambda: trail.row_count > 0, timeout=30)
            newest = [trail.cells(k) for k in trail.keys() if trail.cells(k)[3] == "backup"][0]
            assert newest[4] == "host=jmu-acc-1" and newest[5] in ("ok", "failed: 1 of 1 device(s) (jmu-acc-1)")
            assert "chain intact" in app.screen_text()
            await pilot.press("4", "l", *station.user, "enter")
            screen = app.screen
            assert isinstance(screen, ClientsScreen)
            await settle(pilot, lambda: screen.result is not None, timeout=60)
            live = screen.query_one("#clients-live", VirtualTable)
            rows = [live.cells(k) for k in live.keys()]
            assert (station.ap.name, station.ssid.ssid, str(station.ssid.vlan), f"{station.rssi} dBm") in [r[:4] for r in rows]
            assert any(r[5] == "jmu-wlc-1" and r[6] == station.mac.hex(":") for r in rows)
            await pilot.press("escape", "colon", *"privacy", "enter")
            assert isinstance(app.screen, PrivacyScreen)
            await settle(pilot, lambda: app.screen.report is not None, timeout=30)
            assert app.screen.report.data_dir == str(data_dir)

    body()
    written = [p for p in data_dir.rglob("*") if p.is_file() and before.get(p) != p.read_bytes()]
    for path in written:  # the lookup wrote nothing in clear (the audit trail and stores may have moved on)
        blob = path.read_bytes()
        assert station.user.encode() not in blob and station.mac.hex(":").encode() not in blob, path


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_netops_tui_in_tmux(lab, data_dir):
    """The real command in a real terminal: keys by ``send-keys``, screen by ``capture-pane``."""
    session = f"netops-tui-test-{os.getpid()}"
    env = {**os.environ, "NETOPS_DATA_DIR": str(data_dir), "TERM": "xterm-256color"}
    netops = REPO / ".venv" / "bin" / "netops"

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", *args], capture_output=True, text=True, env=env, check=True).stdout

    def screen_until(text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while True:
            shown = tmux("capture-pane", "-p", "-t", session)
            if text in shown or time.monotonic() > deadline:
                return shown
            time.sleep(0.2)

    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", f"{netops} tui --refresh 2; sleep 30")
    try:
        shown = screen_until("Srinagar")
        assert "Jammu" in shown and "1 Overview" in shown, shown
        tmux("send-keys", "-t", session, "2")
        screen_until("sort name")
        tmux("send-keys", "-t", session, "/")
        time.sleep(0.3)
        tmux("send-keys", "-t", session, "-l", "srn-acc")
        shown = screen_until("filter /srn-acc")
        assert "srn-acc-1" in shown and "jmu-acc-1" not in shown, shown
        tmux("send-keys", "-t", session, "Escape")  # separately: "Escape q" in one write reads as alt+q
        time.sleep(0.5)
        tmux("send-keys", "-t", session, "q")
        deadline = time.monotonic() + 20
        while tmux("display-message", "-p", "-t", session, "#{pane_current_command}").strip() != "sleep":
            assert time.monotonic() < deadline, "the dashboard did not exit on q"
            time.sleep(0.2)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
