"""Backups against the lab: real netmiko sessions, real git, real SQLite.

Every fault switch of the lab leaves the previous good copy untouched and gives
a clear reason; unchanged devices make no commit; secrets never reach the repo.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import time
from pathlib import Path

import pytest
from lab_client import connect

from labs import runner
from netops.backup.fetch import FetchOptions
from netops.backup.lock import run_lock
from netops.backup.run import BackupOptions, run_backup
from netops.inventory import Filters, open_nornir
from netops.results import Status
from netops.settings import Settings

pytestmark = pytest.mark.lab
ROOT = Path(__file__).resolve().parent
SECRETS = [
    e["value"]
    for platform in __import__("yaml").safe_load((ROOT / "data" / "secrets" / "secret.yaml").read_text()).values()
    for e in platform["secrets"]
]
FAULT_NODE = "srn-acc-4"


@pytest.fixture(scope="module")
def store(lab, tmp_path_factory, netops_cli):
    """A private data dir and repository holding one full backup of the lab."""
    base = tmp_path_factory.mktemp("backup")
    data, repo = base / "data", base / "repo"
    rc, out, err = backup(netops_cli, data, repo, "--timeout", "10", "--processes", "2")
    assert rc in (0, 1), err
    return data, repo, json.loads(out)


def backup(netops_cli, data: Path, repo: Path, *args: str) -> tuple[int, str, str]:
    return netops_cli("--data-dir", str(data), "backup", "--backup-dir", str(repo), "--json", *args)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def by_host(report: dict) -> dict[str, dict]:
    return {d["host"]: d for d in report["devices"]}


def test_first_run_stores_every_ssh_node(lab, store) -> None:
    data, repo, report = store
    ssh_nodes = {n.name for n in lab.nodes if n.ssh_port}
    results = by_host(report)
    assert set(results) == ssh_nodes  # controller-managed APs are not SSH targets
    ok = {h for h, r in results.items() if r["status"] == "changed"}
    assert len(ok) >= len(ssh_nodes) - 1, {h: r["reason"] for h, r in results.items() if h not in ok}
    for host in ok:
        node = lab.node(host)
        path = repo / f"{node.site}/{host}.cfg"
        assert path.is_file()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(repo.stat().st_mode) == 0o700
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"
    assert report["commit"] == git(repo, "rev-parse", "HEAD").strip()


def test_no_secret_or_volatile_line_in_the_repository(lab, store) -> None:
    _, repo, _ = store
    lab_secrets = [v for n in lab.nodes for v in (n.password, n.enable_secret, n.snmp_community, n.snmp_v3_auth_key, n.snmp_v3_priv_key)]
    text = "\n".join(p.read_text() for p in repo.glob("*/*.cfg"))
    history = git(repo, "log", "-p", "--all")
    for secret in SECRETS + lab_secrets:
        assert secret not in text and secret not in history, secret
    assert "Current configuration :" not in text
    assert "! Last configuration change" not in text
    assert "<removed by netops>" in text


def test_second_run_changes_nothing_and_makes_no_commit(store, netops_cli) -> None:
    data, repo, first = store
    head = git(repo, "rev-parse", "HEAD")
    rc, out, err = backup(netops_cli, data, repo)
    report = json.loads(out)
    stored = {h for h, r in by_host(first).items() if r["status"] == "changed"}
    assert {h for h, r in by_host(report).items() if r["status"] == "unchanged"} == stored
    assert report["commit"] is None
    assert git(repo, "rev-parse", "HEAD") == head


def test_change_is_committed_with_history_show_and_diff(lab, store, netops_cli) -> None:
    data, repo, _ = store
    host = "jmu-acc-2"
    node = lab.node(host)
    conn = connect(node)
    try:
        head = git(repo, "rev-parse", "HEAD")
        conn.send_config_set(["interface GigabitEthernet1/0/5", "description netops-test-change"])
        rc, out, err = netops_cli("--data-dir", str(data), "backup", "drift", host, "--backup-dir", str(repo), "--json")
        [drifted] = json.loads(out)["devices"]  # the running configuration against the last backup; nothing stored
        assert rc == 1 and drifted["status"] == "changed" and "+ description netops-test-change" in drifted["diff"], err
        assert git(repo, "rev-parse", "HEAD") == head and "netops-test-change" not in (repo / "jammu" / f"{host}.cfg").read_text()
        rc, out, err = backup(netops_cli, data, repo, "--host", host)
    finally:
        conn.send_config_set(["interface GigabitEthernet1/0/5", "no description netops-test-change"])
        conn.disconnect()
    report = json.loads(out)
    assert rc == 0 and by_host(report)[host]["status"] == "changed"
    message = git(repo, "log", "-1", "--format=%B")
    assert host in message and "changed: jmu-acc-2 (jammu/jmu-acc-2.cfg)" in message
    rc, out, _ = netops_cli("--data-dir", str(data), "backup", "history", host, "--backup-dir", str(repo), "--json")
    versions = json.loads(out)["versions"]
    assert rc == 0 and len(versions) == 2
    rc, out, _ = netops_cli("--data-dir", str(data), "backup", "diff", host, "--backup-dir", str(repo))
    assert rc == 0 and "+ description netops-test-change" in out and "\x1b[" not in out
    rc, out, _ = netops_cli("backup", "show", host, "--rev", versions[1]["short"], "--backup-dir", str(repo))
    assert rc == 0 and "netops-test-change" not in out and out.rstrip().endswith("end")
    rc, out, _ = netops_cli("--data-dir", str(data), "backup", "grep", "description netops-test-(change|other)", "--backup-dir",
                            str(repo), "--json")
    assert rc == 0 and [(m["host"], m["text"]) for m in json.loads(out)["matches"]] == [(host, " description netops-test-change")]
    rc, out, _ = netops_cli("--data-dir", str(data), "backup", "grep", "netops-test-change", "--rev", versions[1]["short"],
                            "--backup-dir", str(repo), "--json")
    assert rc == 1 and json.loads(out)["matches"] == []  # not in the version before the change


@pytest.mark.parametrize(
    "fault, reason",
    [
        ("auth-fail", "authentication failed"),
        pytest.param("slow=8", "no complete reply within 3s", marks=pytest.mark.long),  # hang covers the deadline in CI
        ("hang", "within 3s"),
        ("disconnect", "connection lost: the device closed the session"),
        ("truncate", "incomplete"),
    ],
)
@pytest.mark.matrix("device fault during a backup", "lab faults: auth failure, 8 s replies, hang, disconnect mid-output, truncated output")
def test_fault_keeps_the_previous_copy(lab, store, netops_cli, fault: str, reason: str) -> None:
    data, repo, _ = store
    path = repo / f"{lab.node(FAULT_NODE).site}/{FAULT_NODE}.cfg"
    before = (path.read_bytes(), path.stat().st_mtime_ns, git(repo, "rev-parse", "HEAD"))
    lab_dir = Path(os.environ["NETOPS_LAB_DIR"])
    runner.set_fault(lab_dir, FAULT_NODE, fault)
    try:
        started = time.monotonic()
        rc, out, err = backup(netops_cli, data, repo, "--host", FAULT_NODE, "--host", "srn-acc-3", "--timeout", "3")
        elapsed = time.monotonic() - started
    finally:
        runner.set_fault(lab_dir, FAULT_NODE, None, clear=True)
    report = by_host(json.loads(out))
    assert rc == 1, err
    assert report[FAULT_NODE]["status"] == "failed"
    assert reason in report[FAULT_NODE]["reason"]
    assert report["srn-acc-3"]["status"] == "unchanged"
    assert report["srn-acc-3"]["elapsed"] < 3  # a failing device does not slow the others
    assert (path.read_bytes(), path.stat().st_mtime_ns, git(repo, "rev-parse", "HEAD")) == before
    assert elapsed < 40
    rc, out, _ = netops_cli("--data-dir", str(data), "backup", "status", "--json")
    status = {d["host"]: d for d in json.loads(out)["devices"]}
    assert status[FAULT_NODE]["last_status"] == "failed" and reason in status[FAULT_NODE]["last_reason"]
    assert status[FAULT_NODE]["last_success"] is not None


def test_shrink_guard_keeps_the_bigger_copy(lab, store, netops_cli, tmp_path) -> None:
    data, repo, _ = store
    host = "srn-acc-2"
    path = repo / f"srinagar/{host}.cfg"
    good = path.read_text()
    # pretend the stored copy was three times larger: the real fetch now looks like a loss of two thirds
    bloated = good.replace("\nend\n", "\n" + good * 2 + "end\n")
    path.write_text(bloated)
    try:
        rc, out, _ = backup(netops_cli, data, repo, "--host", host)
        result = by_host(json.loads(out))[host]
        assert rc == 1 and result["status"] == "failed" and "shrank by" in result["reason"]
        assert path.read_text() == bloated
        rc, out, _ = backup(netops_cli, data, repo, "--host", host, "--max-shrink", "1")
        assert rc == 0 and by_host(json.loads(out))[host]["status"] == "changed"
        assert path.read_text() == good
    finally:
        path.write_text(good)


def test_lock_stops_an_overlapping_run(store, netops_cli) -> None:
    data, repo, _ = store
    with run_lock(data, "test holder"):
        rc, out, err = backup(netops_cli, data, repo, "--host", "jmu-acc-1")
    assert rc == 1
    assert "another backup or restore is running (test holder" in err
    assert out == ""


def test_status_flags_stale_devices(store, netops_cli) -> None:
    data, _, _ = store
    rc, out, _ = netops_cli("--data-dir", str(data), "backup", "status", "--json", "--max-age", "1d")
    report = json.loads(out)
    assert report["devices"] and all(d["last_success"] for d in report["devices"] if not d["stale"])
    time.sleep(1.1)
    rc2, out2, _ = netops_cli("--data-dir", str(data), "backup", "status", "--json", "--max-age", "1s")
    assert rc2 == 1 and set(json.loads(out2)["stale"]) == {d["host"] for d in report["devices"]}


@pytest.mark.parametrize(
    "args",
    [
        ("backup", "status", "--max-age", "3 days"),
        ("backup", "--host", "no-such-host"),
        ("backup", "history", "no-such-host"),
        ("backup", "show", "jmu-acc-1", "--rev", "--output=/tmp/x"),
    ],
)
def test_bad_input_exits_2(store, netops_cli, args) -> None:
    data, repo, _ = store
    extra = ("--backup-dir", str(repo)) if args[1] in ("history", "show") else ()
    rc, out, err = netops_cli("--data-dir", str(data), *args, *extra)
    assert rc == 2, (out, err)
    assert "error:" in err


def test_enable_only_where_the_login_lands_unprivileged(lab, tmp_path) -> None:
    """jmu-wlc-1's login lands in privileged mode (privilege 15), so netops never
    sends ``enable`` there and a wrong enable secret does not matter; jmu-acc-1's
    lands in user mode, and the refused secret is reported at once, not after a timeout."""
    nr = open_nornir(Settings.resolve(), Filters.of(hosts=["jmu-wlc-1", "jmu-acc-1"]))
    for host in nr.inventory.hosts.values():
        host.get_connection_parameters("netmiko").extras["secret"] = "not-the-enable-secret"
    started = time.monotonic()
    report = run_backup(nr, tmp_path / "repo", tmp_path / "data", BackupOptions(fetch=FetchOptions(timeout=20)))
    results = {r.host: r for r in report.results}
    assert results["jmu-wlc-1"].status is Status.CHANGED
    assert results["jmu-acc-1"].status is Status.FAILED
    assert results["jmu-acc-1"].reason == "enable failed: the device refused the enable secret"
    assert time.monotonic() - started < 15
    assert not (tmp_path / "repo" / "jammu" / "jmu-acc-1.cfg").exists()
