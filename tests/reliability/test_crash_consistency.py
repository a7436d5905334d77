"""``kill -9`` at random points of a check, a poll, a backup and a restore leaves every store consistent and the
next run correct.

Check and poll: the database. Backup and restore, on a private lab with the vault on: the backup repository
(``git fsck``, no leftover temporary or lock file, the next backup leaves it clean), the vault (every entry has
its fingerprint and decrypts with the DR key), the database (``integrity_check``, ``foreign_key_check``), and the
next run: a backup backs up every device an undisturbed run backed up, a restore puts the device back and
verifies it. Long only (a backup of the lab takes longer than CI allows): ``NETOPS_CRASH_KILLS`` (25) kills each,
with random delays up to the length of an undisturbed run.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyrage
import pytest
from conftest import free_base_address
from lab_client import connect
from service_support import lab_up, netops_env

from labs import runner
from labs.state import LabState
from netops.backup.gitstore import GitStore
from netops.vault.store import KEY_BYTES, KEY_FILE, fingerprint_key

REPO = Path(__file__).resolve().parents[2]
NETOPS = REPO / ".venv" / "bin" / "netops"
KILLS = 2  # per command in CI; the long variant kills 25 times


def env_for(tmp: Path, **extra: str) -> dict[str, str]:
    (tmp / "netops.yaml").write_text("# the built-in configuration\n")
    return {**os.environ, "NETOPS_DATA_DIR": str(tmp / "data"), "NETOPS_LAB": "0", "NETOPS_CONFIG": str(tmp / "netops.yaml"), **extra}


def killed_at_random(args: list[str], env: dict[str, str], kills: int, seed: int, longest: float) -> int:
    """Start ``netops ARGS`` ``kills`` times, each killed with SIGKILL after a random delay, with every process it
    started (git, ssh: as systemd stopping its unit, the OOM killer or a power cut would); how many were killed."""
    rng, killed = random.Random(seed), 0
    for _ in range(kills):
        proc = subprocess.Popen([str(NETOPS), *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(rng.uniform(0.05, longest))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait(timeout=60)
    return killed


def integrity(data: Path) -> str:
    with sqlite3.connect(data / "netops.db") as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
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


BROKEN = ['wlan virtual-ap "STAFF"', "vlan 1", "no deny-inter-user-traffic", "exit"]  # what a restore of aruba-md undoes
RESTORED = "aruba-md"


@dataclass
class Vaulted:
    root: Path
    env: dict[str, str]
    state: LabState
    reference: dict[str, str]  # each device's outcome of an undisturbed backup
    seconds: float  # how long that backup took


@pytest.fixture(scope="module")
def vaulted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vaulted]:
    """A private lab (one node per platform) backed up with the vault on: each device's outcome, how long it took."""
    root = tmp_path_factory.mktemp("crash")
    state = lab_up(root / "lab", free_base_address(), 0)
    env = netops_env(root, root / "lab")
    try:
        assert run(["vault", "init", "--identity-out", str(root / "identity.txt")], env).returncode == 0
        began = time.monotonic()
        first = run(["backup", "--json", "--timeout", "15"], env)
        yield Vaulted(root, env, state, outcomes(first.stdout), time.monotonic() - began)
    finally:
        runner.down(root / "lab")


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NETOPS), *args], env=env, capture_output=True, text=True, timeout=600)


def outcomes(out: str) -> dict[str, str]:
    """Per device: ok (changed or unchanged) or failed, from ``backup --json``."""
    return {d["host"]: "failed" if d["status"] == "failed" else "ok" for d in json.loads(out)["devices"]}


def stores_consistent(root: Path) -> None:
    """The database, the backup repository and the vault, as a crash may leave them."""
    data, repo = root / "data", root / "data" / "backups"
    assert integrity(data) == "ok"
    fsck = subprocess.run(["git", "-C", str(repo), "fsck", "--full", "--no-dangling"], capture_output=True, text=True)
    assert fsck.returncode == 0 and "error" not in fsck.stderr, fsck.stderr
    identity = pyrage.x25519.Identity.from_str(next(line for line in (root / "identity.txt").read_text().splitlines()
                                                    if line.startswith("AGE-SECRET-KEY")))
    entries = {p.with_suffix("") for p in repo.glob(".vault/*/*.age")}
    assert entries == {p.with_suffix("") for p in repo.glob(".vault/*/*.fp")}  # an entry never without its fingerprint
    for entry in entries:
        assert json.loads(pyrage.decrypt(entry.with_suffix(".age").read_bytes(), [identity]))["format"] == 1


def next_run_clean(root: Path) -> None:
    """After a completed run: no temporary or lock file left anywhere, the repository's work tree committed."""
    repo = root / "data" / "backups"
    left = [p for p in (root / "data").rglob(".*") if p.is_file() and p.name.count(".") >= 2 and p.parent.name != ".git"
            and not p.name.endswith((".age", ".fp"))]
    assert not left, left  # write_atomic's .NAME.XXXX temporaries
    assert not (repo / ".git" / "index.lock").exists()
    status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout == "", status.stdout


def backup_survives(vaulted: Vaulted, kills: int, seed: int) -> None:
    root, env, reference = vaulted.root, vaulted.env, vaulted.reference
    assert killed_at_random(["backup", "--timeout", "15"], env, kills, seed=seed, longest=vaulted.seconds) >= 1
    stores_consistent(root)
    done = run(["backup", "--json", "--timeout", "15"], env)
    after = outcomes(done.stdout)
    assert "Traceback" not in done.stderr and set(after) == set(reference), done.stderr
    assert all(after[host] == "ok" for host, was in reference.items() if was == "ok"), (after, reference)
    stores_consistent(root)
    next_run_clean(root)


def restore_survives(vaulted: Vaulted, kills: int, seed: int) -> None:
    root, env, state = vaulted.root, vaulted.env, vaulted.state
    assert vaulted.reference[RESTORED] == "ok"
    rng, args = random.Random(seed), ["restore", RESTORED, "--yes", "--no-snapshot", "--json", "--reason", "crash test"]
    for _ in range(kills):
        with connect(state.node(RESTORED)) as conn:
            conn.send_config_set(BROKEN)
        killed_at_random(args, env, 1, seed=rng.randrange(2**32), longest=3.0)
        stores_consistent(root)
    done = run(args, env)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["remaining"] == [] and (result["verified"] or not result["commands"]), result
    after = run(["backup", "--host", RESTORED, "--json"], env)
    assert json.loads(after.stdout)["devices"][0]["status"] == "unchanged", after.stdout
    stores_consistent(root)
    next_run_clean(root)


@pytest.mark.long
@pytest.mark.matrix("kill -9 during a run", "netops backup and restore (vault on) killed at random points, then run again")
def test_kill_9_backup_and_restore_many_times(vaulted: Vaulted) -> None:
    kills = int(os.environ.get("NETOPS_CRASH_KILLS", "25"))
    seed = random.randrange(2**32)
    print(f"seed {seed}")  # to replay a failure
    backup_survives(vaulted, kills, seed=seed)
    restore_survives(vaulted, kills, seed=seed + 1)


@pytest.mark.matrix("kill -9 during a run", "the vault's fingerprint key file left empty or cut by a crash")
@pytest.mark.parametrize("left", [b"", b"\x17" * 5], ids=["empty", "cut"])
def test_a_cut_vault_key_is_replaced(tmp_path: Path, left: bytes) -> None:
    store = GitStore(tmp_path / "repo")
    store.ensure()
    (store.root / ".git" / KEY_FILE).write_bytes(left)
    key = fingerprint_key(store)
    assert len(key) == KEY_BYTES and (store.root / ".git" / KEY_FILE).read_bytes() == key
