"""The audit trail against the private lab of tests that change devices: a backup, a restore dry run and a real restore are recorded with the
OS user, the reason and the commands, never a secret; ``netops audit verify`` passes, then names an edited record."""

from __future__ import annotations

import json
import os
import pwd
from pathlib import Path

import pytest
from lab_client import connect

pytestmark = pytest.mark.lab

HOST = "core1"


def test_runs_and_changes_are_recorded_and_verified(sim_lab, netops_cli, tmp_path: Path) -> None:
    lab_dir, state = sim_lab  # the restore leaves core1 as it was (verified)
    data = tmp_path / "data"
    env = {"NETOPS_LAB": "1", "NETOPS_LAB_DIR": str(lab_dir), "NETOPS_DATA_DIR": str(data), "NETOPS_REASON": ""}

    def cli(*args: str, **extra: str) -> tuple[int, str, str]:
        return netops_cli(*args, env=env | extra)

    rc, out, err = cli("backup", "--host", HOST, "--backup-dir", str(tmp_path / "repo"), "--timeout", "10")
    assert rc == 0, out + err
    node = state.node(HOST)
    conn = connect(node)
    running = conn.send_command("show running-config")
    secret_line = next(line for line in running.splitlines() if line.startswith("enable secret"))
    conn.send_config_set(["interface GigabitEthernet1/0/2", "description WRONG", "exit", f"no {secret_line}"])
    conn.disconnect()
    try:
        rc, out, err = cli("restore", HOST, "--dry-run", "--json", "--backup-dir", str(tmp_path / "repo"),
                           NETOPS_REASON="INC-77 looking")
        assert rc == 0, err
        planned = json.loads(out)
        assert planned["manual"], planned  # the secret line netops never stored
    finally:
        conn = connect(node)
        conn.send_config_set([secret_line])
        conn.disconnect()
    rc, out, err = cli("restore", HOST, "--yes", "--json", "--reason", "CHG-1234 put core1 back",
                       "--backup-dir", str(tmp_path / "repo"))
    assert rc == 0, err
    pushed = json.loads(out)["commands"]
    assert pushed

    rc, out, err = cli("audit", "log", "--json")
    assert rc == 0, err
    records = json.loads(out)["records"]
    user = pwd.getpwuid(os.geteuid()).pw_name
    assert [(r["action"], r["target"], r["result"]) for r in records] == [
        ("backup", f"host={HOST}", "ok"), ("restore", HOST, "dry run"), ("restore", HOST, "ok")]
    assert all(r["user"] == user and r["pid"] for r in records)
    backup, dry, real = records
    assert backup["detail"]["changed"] == 1 and backup["detail"]["commit"]
    assert dry["reason"] == "INC-77 looking" and dry["detail"]["commands"] == planned["commands"]
    assert dry["detail"]["manual"] and "enable secret ********" in dry["detail"]["manual"][0]
    assert real["reason"] == "CHG-1234 put core1 back" and real["detail"]["commands"] == pushed
    assert real["detail"]["verified"] is True

    log_text = (data / "audit" / "audit.log").read_text()
    secrets = {node.password, node.enable_secret, secret_line.split()[-1]} - {None, ""}
    assert secrets and not any(s in log_text for s in secrets)

    rc, out, err = cli("audit", "log", "--host", HOST, "--action", "restore")
    assert rc == 0 and "CHG-1234" in out and user in out and "backup" not in out, out + err
    rc, out, err = cli("audit", "verify")
    assert rc == 0 and "intact: 3 record(s)" in out, out + err

    lines = log_text.splitlines()
    lines[1] = lines[1].replace("INC-77 looking", "INC-78 looking")
    (data / "audit" / "audit.log").write_text("\n".join(lines) + "\n")
    rc, out, err = cli("audit", "verify")
    assert rc == 1 and "record 2" in out and "line 2" in out and "edited" in out, out + err
    rc, out, err = cli("audit", "verify", "--json")
    assert rc == 1 and json.loads(out)["problems"][0] | {"message": ""} == {
        "what": "edited", "seq": 2, "line": 2, "message": ""}
