"""Pushes that fail, on the lab over real SSH: the connection drops after N configuration lines (``drop-after=N``),
the device refuses a line (``reject=WORDS``), the verification fails because the device silently ignored a line
(``ignore=WORDS``). Each: exit 1, the lines applied exactly as the device's running configuration shows them, the
line that failed and why, the lines not sent, the push in the audit trail with its partial outcome, and a plan whose
``--resume`` finishes the push or whose ``--rollback`` brings back the running configuration from before it.

The dropped connection runs in ``make test``; the refused and the ignored line (about 10 s each) in ``make reliability``,
with remediate's dropped push."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import TEST_TOPOLOGY
from lab_client import config_lines, connect

from labs import runner
from labs.state import LabState
from netops.audit.trail import read

pytestmark = pytest.mark.lab

HOST = "core1"
BREAK = ["hostname broken-core", "no interface GigabitEthernet1/0/3", "interface GigabitEthernet1/0/2",
         "description WRONG", "exit", "no vlan 110", "vlan 666", "name intruder"]
RESTORE = [  # what restoring core1 from BREAK pushes, in hier_config's order
    "no vlan 666", "hostname core1", "vlan 110", " name STAFF", " exit",
    "interface GigabitEthernet1/0/2", " no description WRONG", " description USER-PORT", " exit",
    "interface GigabitEthernet1/0/3", " description SPARE", " shutdown", " exit",
]
Cli = Callable[..., tuple[int, str, str]]


MATRIX = ("push fault during restore / remediate", "lab faults: connection dropped after N lines, line refused, line ignored")


@pytest.fixture(scope="module")
def repo(sim_lab, netops_cli, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """core1 as its startup configuration has it (the shared lab's other tests may have changed it), backed up once:
    the version every restore here goes back to."""
    lab_dir, state = sim_lab
    startup = config_lines((TEST_TOPOLOGY.parent / "configs" / f"{HOST}.cfg").read_text())
    conn = connect(state.node(HOST))
    conn.send_config_set(_undo(startup, running(state)))
    conn.disconnect()
    root = tmp_path_factory.mktemp("push-faults")
    rc, out, err = netops_cli("backup", "--host", HOST, "--timeout", "10", "--backup-dir", str(root / "repo"),
                              env={"NETOPS_LAB": "1", "NETOPS_LAB_DIR": str(lab_dir), "NETOPS_DATA_DIR": str(root / "data")})
    assert rc == 0, out + err
    return root / "repo"


@pytest.fixture()
def lab(sim_lab, repo, netops_cli, tmp_path) -> Iterator[tuple[Path, LabState, Path, Cli]]:
    """core1 broken as an operator would (restoring it pushes RESTORE), a fresh data directory, and netops on it."""
    lab_dir, state = sim_lab
    data = tmp_path / "data"
    env = {"NETOPS_LAB": "1", "NETOPS_LAB_DIR": str(lab_dir), "NETOPS_DATA_DIR": str(data), "NETOPS_REASON": ""}

    def cli(*args: str) -> tuple[int, str, str]:
        return netops_cli(*args, *(("--backup-dir", str(repo)) if args[0] == "restore" else ()), env=env)

    original = running(state)
    conn = connect(state.node(HOST))
    conn.send_config_set(BREAK)
    conn.disconnect()
    try:
        yield lab_dir, state, data, cli
    finally:
        runner.set_fault(lab_dir, HOST, None, clear=True)
        conn = connect(state.node(HOST))
        conn.send_config_set(_undo(original, running(state)))
        conn.disconnect()


def running(state: LabState) -> list[str]:
    conn = connect(state.node(HOST))
    try:
        return config_lines(conn.send_command("show running-config"))
    finally:
        conn.disconnect()


def _undo(original: list[str], now: list[str]) -> list[str]:
    """The lines that put core1 back as the session found it, whatever a failed test left."""
    from netops.drivers import get_driver

    return get_driver("cisco_xe").remediation("\n".join(now), "\n".join(original))


def restore(cli: Cli, *args: str) -> tuple[int, dict]:
    rc, out, err = cli(*args, "--yes", "--json", "--no-snapshot")
    assert out, err
    return rc, json.loads(out)


def audited(data: Path, action: str) -> dict:
    return next(r for r in reversed(read(data)) if r.action == action).__dict__


@pytest.mark.matrix(*MATRIX)
def test_connection_dropped_after_four_lines(lab) -> None:
    lab_dir, state, data, cli = lab
    before = running(state)
    runner.set_fault(lab_dir, HOST, "drop-after=4")
    rc, done = restore(cli, "restore", HOST)
    assert rc == 1 and not done["verified"]
    push = done["push"]
    assert done["commands"] == RESTORE
    assert push["applied"] == RESTORE[:4] and push["failed"] == RESTORE[4] and push["not_sent"] == RESTORE[5:]
    assert push["error"].startswith("connection lost")
    after = running(state)  # exactly the four lines took: hostname and VLAN 110 back, VLAN 666 gone; nothing else
    assert "hostname core1" in after and "vlan 110" in after and "vlan 666" not in after
    assert " description WRONG" in after and "interface GigabitEthernet1/0/3" not in after
    plan = done["recovery"]
    assert Path(plan["path"]).parent == data / "plans" and plan["read_back"]
    assert plan["applied"] == RESTORE[:4] and plan["rollback"] == ["no vlan 110", "hostname broken-core", "vlan 666", " name intruder", " exit"]
    record = audited(data, "restore")
    assert record["result"].startswith("failed: push stopped") and record["detail"]["commands"] == RESTORE[:4]
    assert record["detail"]["recovery_plan"] == plan["path"]

    runner.set_fault(lab_dir, HOST, None, clear=True)  # the link is back: undo the half-done push
    rc, back = restore(cli, "restore", "--rollback", plan["path"])
    assert rc == 0 and back["verified"] and back["push"]["applied"] == plan["rollback"]
    assert running(state) == before


@pytest.mark.long
@pytest.mark.matrix(*MATRIX)
def test_refused_line_then_resume(lab) -> None:
    lab_dir, state, data, cli = lab
    runner.set_fault(lab_dir, HOST, "reject=description USER-PORT")
    rc, done = restore(cli, "restore", HOST)
    assert rc == 1
    push = done["push"]
    assert push["applied"] == RESTORE[:7] and push["failed"] == " description USER-PORT" and push["not_sent"] == RESTORE[8:]
    assert push["error"] == "refused by the device: % Invalid input detected at '^' marker."
    after = running(state)
    assert "hostname core1" in after and " description WRONG" not in after and " description USER-PORT" not in after
    assert "interface GigabitEthernet1/0/3" not in after
    plan = done["recovery"]
    assert plan["finish"] == ["interface GigabitEthernet1/0/2", " description USER-PORT", " exit", *RESTORE[9:]]

    runner.set_fault(lab_dir, HOST, None, clear=True)  # the cause is mended: finish the push
    rc, resumed = restore(cli, "restore", "--resume", plan["path"])
    assert rc == 0 and resumed["verified"] and resumed["push"]["applied"] == plan["finish"]
    after = running(state)
    assert " description USER-PORT" in after and " shutdown" in after and "vlan 666" not in after
    assert audited(data, "restore.resume")["result"] == "ok"


@pytest.mark.long
@pytest.mark.matrix(*MATRIX)
def test_verification_fails_on_an_ignored_line(lab) -> None:
    lab_dir, state, data, cli = lab
    before = running(state)
    runner.set_fault(lab_dir, HOST, "ignore=shutdown")
    rc, done = restore(cli, "restore", HOST)
    assert rc == 1 and done["push"]["applied"] == RESTORE and done["push"]["error"] is None
    assert done["remaining"] == ["interface GigabitEthernet1/0/3", " shutdown", " exit"]
    plan = done["recovery"]
    assert plan["failed"] is None and plan["finish"] == done["remaining"]
    assert plan["reason"] == "verification failed: 3 command(s) still needed"
    rc, back = restore(cli, "restore", "--rollback", plan["path"])
    assert rc == 0 and back["verified"]
    assert running(state) == before


@pytest.mark.long
@pytest.mark.matrix(*MATRIX)
def test_remediate_dropped_then_rolled_back(lab) -> None:
    lab_dir, state, data, cli = lab
    before = running(state)
    runner.set_fault(lab_dir, HOST, "drop-after=3")
    rc, out, err = cli("remediate", "--host", HOST, "--yes", "--json", "--no-snapshot")
    assert rc == 1, err
    host = json.loads(out)["hosts"][0]
    push = host["push"]
    assert host["status"] == "failed" and push["error"].startswith("connection lost")
    assert push["applied"] == host["commands"][:3] and push["failed"] == host["commands"][3]
    assert push["not_sent"] == host["commands"][4:]
    changed = [line for line in running(state) if line not in before]
    assert changed and all(any(line.strip() == c.strip() for c in push["applied"]) for line in changed)
    plan = host["recovery"]
    assert audited(data, "remediate")["detail"]["recovery_plan"] == plan["path"]
    runner.set_fault(lab_dir, HOST, None, clear=True)
    rc, back = restore(cli, "remediate", "--rollback", plan["path"])
    assert rc == 0 and back["verified"]
    assert running(state) == before
