"""``kill -9`` at random points of a check and of a poll leaves the database consistent and the next run correct."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NETOPS = REPO / ".venv" / "bin" / "netops"
KILLS = 2  # per command in CI; the long variant kills 25 times


def env_for(tmp: Path, **extra: str) -> dict[str, str]:
    (tmp / "netops.yaml").write_text("# the built-in configuration\n")
    return {**os.environ, "NETOPS_DATA_DIR": str(tmp / "data"), "NETOPS_LAB": "0", "NETOPS_CONFIG": str(tmp / "netops.yaml"), **extra}


def killed_at_random(args: list[str], env: dict[str, str], kills: int, seed: int, longest: float) -> int:
    """Start ``netops ARGS`` ``kills`` times, each killed with SIGKILL after a random delay; how many were killed."""
    rng, killed = random.Random(seed), 0
    for _ in range(kills):
        proc = subprocess.Popen([str(NETOPS), *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, longest))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait(timeout=60)
    return killed


def integrity(data: Path) -> str:
    with sqlite3.connect(data / "netops.db") as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def check_survives(tmp: Path, kills: int) -> None:
    env = env_for(tmp)
    args = ["check", "--configs", str(REPO / "labs" / "configs")]
    assert killed_at_random(args, env, kills, seed=17, longest=2.5) >= 1
    done = subprocess.run([str(NETOPS), *args, "--json"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr  # 1: findings; never "another check is running" or a traceback
    run = json.loads(done.stdout)
    assert integrity(tmp / "data") == "ok"
    report = subprocess.run([str(NETOPS), "policy", "report", "--json"], env=env, capture_output=True, text=True, timeout=60)
    assert report.returncode in (0, 1), report.stderr
    assert json.loads(report.stdout)["run"]["id"] == run["run"]["id"]  # the stored latest run is the complete one


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def poll_survives(tmp: Path, kills: int) -> None:
    inventory = tmp / "inventory"
    inventory.mkdir()
    port = closed_port()
    (inventory / "groups.yaml").write_text("platform_cisco_xe:\n  platform: cisco_xe\n")
    (inventory / "hosts.yaml").write_text("".join(
        f"sw-{i}:\n  hostname: 127.0.0.1\n  groups: [platform_cisco_xe]\n  data:\n    site: jammu\n    role: access\n"
        f"    snmp: {{version: 2c, community_env: NETOPS_TEST_COMMUNITY, port: {port}, timeout: 0.3, retries: 0}}\n"
        for i in range(20)))
    env = env_for(tmp, NETOPS_INVENTORY=str(inventory), NETOPS_TEST_COMMUNITY="public")
    assert killed_at_random(["poll", "--interval", "0.2", "--timeout", "1"], env, kills, seed=29, longest=3.0) >= 1
    done = subprocess.run([str(NETOPS), "poll", "--once", "--timeout", "1", "--json"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr  # every agent is silent: every device failed, and said so
    assert len(json.loads(done.stdout)) == 20
    assert integrity(tmp / "data") == "ok"


@pytest.mark.matrix("kill -9 during a run", "netops check and netops poll killed at random points, then run again")
def test_kill_9_leaves_check_and_poll_consistent(tmp_path: Path) -> None:
    (tmp_path / "check").mkdir()
    (tmp_path / "poll").mkdir()
    check_survives(tmp_path / "check", KILLS)
    poll_survives(tmp_path / "poll", KILLS)


@pytest.mark.long
@pytest.mark.matrix("kill -9 during a run", "netops check and netops poll killed at random points, then run again")
def test_kill_9_many_times(tmp_path: Path) -> None:
    (tmp_path / "check").mkdir()
    (tmp_path / "poll").mkdir()
    check_survives(tmp_path / "check", 25)
    poll_survives(tmp_path / "poll", 25)
