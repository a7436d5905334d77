"""``netops remediate`` against a private lab of both campuses: jmu-acc-3 is weak on purpose (a vty without an
access-class, ``ip http server``, a desk port without PortFast). A dry run changes nothing; remediate pushes the
fixes through restore's push path, re-checks the live configuration to zero findings of the fixed rules, and
reports the fix that needs a secret as manual, never pushed."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import start_lab
from lab_client import connect

import labs
from labs import runner
from labs.state import LabState

pytestmark = pytest.mark.lab

HOST = "jmu-acc-3"
FIXED = ("HARD-IOS-003", "HARD-IOS-006", "HARD-IOS-015")  # the weak spots of labs/configs/jmu-acc-3.cfg


@pytest.fixture(scope="module")
def campus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, LabState]]:
    lab_dir = tmp_path_factory.mktemp("remediate") / "run"
    state = start_lab(lab_dir, labs.DEFAULT_TOPOLOGY)
    try:
        yield lab_dir, state
    finally:
        runner.down(lab_dir)


def _running(state: LabState, host: str = HOST) -> str:
    conn = connect(state.node(host))
    try:
        return conn.send_command("show running-config")
    finally:
        conn.disconnect()


def test_remediate_fixes_the_weak_switch_and_leaves_secrets_to_a_human(campus, netops_cli, tmp_path: Path) -> None:
    lab_dir, state = campus
    env = {"NETOPS_LAB": "1", "NETOPS_LAB_DIR": str(lab_dir), "NETOPS_DATA_DIR": str(tmp_path / "data"), "NETOPS_REASON": ""}

    def cli(*args: str) -> tuple[int, str, str]:
        return netops_cli(*args, env=env)

    def findings() -> list[dict]:
        rc, out, err = cli("check", "--live", "--no-probes", "--json")
        assert rc in (0, 1), err
        return [f for f in json.loads(out)["findings"] if f["host"] == HOST and f["kind"] == "lines"]

    before = findings()
    assert {f["rule"] for f in before} >= set(FIXED), before
    http = next(f for f in before if f["rule"] == "HARD-IOS-006")
    assert http["object"] == "(top level)" and http["fix"] == ["no ip http server"] and http["line"]
    vty = next(f for f in before if f["rule"] == "HARD-IOS-003")
    assert vty["object"] == "line vty 5 15" and vty["fix"] == ["line vty 5 15", " access-class MGMT-ACCESS in vrf-also", " exit"]

    original = _running(state)
    rc, out, err = cli("remediate", "--host", HOST, "--dry-run", "--json")
    assert rc == 0, err
    plan = json.loads(out)["hosts"][0]
    assert plan["status"] == "planned" and "no ip http server" in plan["commands"]
    assert any("secret <new secret>" in m for m in plan["manual"])  # HARD-IOS-007 needs a secret: manual
    assert not any("secret" in c or "<removed" in c for c in plan["commands"])
    assert _running(state) == original  # the dry run changed nothing

    rc, out, err = cli("remediate", "--host", HOST, *(a for r in FIXED for a in ("--rule", r)), "--yes", "--json",
                       "--reason", "CHG-16 hardening")
    assert rc == 0, out + err
    done = json.loads(out)["hosts"][0]
    assert done["status"] == "fixed" and done["pushed"] and done["remaining"] == [], done
    assert {f["rule"] for f in done["findings"]} == set(FIXED)
    after = findings()
    assert not {f["rule"] for f in after} & set(FIXED), after
    assert any(f["rule"] == "HARD-IOS-007" for f in after)  # the manual one stays for a human
    running = _running(state)
    assert "no ip http server" in running and "\nip http server" not in running

    rc, out, err = cli("audit", "log", "--json")
    assert rc == 0, err
    records = [r for r in json.loads(out)["records"] if r["action"] == "remediate"]
    assert [r["result"] for r in records][-1] == "ok" and records[-1]["reason"] == "CHG-16 hardening"
    assert records[-1]["detail"]["commands"] == done["commands"]


def test_without_a_terminal_and_without_yes_remediate_only_plans(campus, netops_cli, tmp_path: Path) -> None:
    lab_dir, state = campus
    env = {"NETOPS_LAB": "1", "NETOPS_LAB_DIR": str(lab_dir), "NETOPS_DATA_DIR": str(tmp_path / "data")}
    before = _running(state, "srn-acc-1")
    rc, out, err = netops_cli("remediate", "--host", "srn-acc-1", env=env, input="")
    assert rc == 0, err
    assert "planning only (--dry-run)" in err and "nothing pushed" in out
    assert _running(state, "srn-acc-1") == before
    rc, _, err = netops_cli("remediate", "--rule", "NO-SUCH-RULE", env=env | {"NETOPS_DATA_DIR": str(tmp_path / "d2")})
    assert rc == 2 and "NO-SUCH-RULE" in err
    assert os.environ.get("NETOPS_LAB_DIR") != str(lab_dir)  # the private lab never leaks into other tests
