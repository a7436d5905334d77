"""Jobs take their locks, so overlapping runs refuse cleanly (``netops.locks``): a lock held by another process,
two overlapping checks (one in this process, one a real ``netops check``), and the backup lock's old entry point."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from netops.backup.lock import run_lock
from netops.errors import LockedError
from netops.locks import JOBS, job_lock, lock_path
from netops.services.check import CheckOptions, run
from netops.services.events import Event, Started
from netops.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CAMPUS = ROOT / "tests" / "data" / "policy" / "campus"
HOLD = ("import sys; from pathlib import Path; from netops.locks import job_lock\n"
        "with job_lock(Path(sys.argv[1]), sys.argv[2], 'held by a test'):\n"
        "    print('held', flush=True); sys.stdin.read()\n")


def holder(data_dir: Path, job: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(data_dir), job], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    return proc


@pytest.mark.parametrize("job", list(JOBS))
def test_a_lock_held_by_another_process_refuses(tmp_path: Path, job: str) -> None:
    proc = holder(tmp_path, job)
    try:
        with pytest.raises(LockedError) as refused:
            with job_lock(tmp_path, job):
                pass
        assert refused.value.exit_code == 1
        assert re.fullmatch(rf"another {JOBS[job]} \(held by a test, pid {proc.pid}, since \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d \S+\)",
                            str(refused.value))
        other = next(j for j in JOBS if j != job)
        with job_lock(tmp_path, other):  # a lock per job: another job runs meanwhile
            pass
    finally:
        proc.kill()  # no clean exit: the kernel drops the lock with the process
        proc.wait()
    with job_lock(tmp_path, job) as path:  # no stale lock after a crash
        assert path == lock_path(tmp_path, job) == tmp_path / f"{job}.lock"
        assert path.stat().st_mode & 0o777 == 0o600


def test_unknown_lock_name() -> None:
    with pytest.raises(ValueError, match="no lock named 'nightly'"):
        lock_path(Path("/tmp"), "nightly")


def test_backup_lock_entry_point_is_the_backup_job_lock(tmp_path: Path) -> None:
    with run_lock(tmp_path, "netops backup (cron)"):
        with pytest.raises(LockedError, match=rf"^another backup or restore is running \(netops backup \(cron\), pid {os.getpid()}, "):
            with job_lock(tmp_path, "backup", "netops restore jmu-acc-1 (terminal)"):
                pass
    assert (tmp_path / "backup.lock").is_file()


def test_two_overlapping_checks(tmp_path: Path) -> None:
    """A check runs in this process and waits, holding the lock; a second, real ``netops check`` meanwhile refuses
    with the first one's pid and start, exit 1, and stores nothing. Once the first is done, checks run again."""
    data = tmp_path / "data"
    settings = Settings.resolve(env={}, config=None, inventory=CAMPUS / "inventory", data_dir=data).override(
        policy=[CAMPUS / "policy.yaml"], backup_dir=CAMPUS / "configs")
    started, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def wait_inside(event: Event) -> None:
        if isinstance(event, Started) and event.kind == "check":
            started.set()
            release.wait(60)

    def first() -> None:
        try:
            outcome["run"] = run(settings, CheckOptions(probes=False), wait_inside)
        except BaseException as exc:  # reported by the assertion below
            outcome["error"] = exc

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert started.wait(60), outcome
        second = netops_check(data)
    finally:
        release.set()
        thread.join(60)
    assert "error" not in outcome, outcome
    assert second.returncode == 1
    assert re.fullmatch(rf"error: another check run is in progress \(pid {os.getpid()}, since \d{{4}}-\d\d-\d\d "
                        r"\d\d:\d\d:\d\d \S+\)\n", second.stderr), second.stderr
    assert second.stdout == ""
    third = netops_check(data)  # the lock is free again: a normal check (exit 1: the campus case has findings)
    assert third.returncode == 1 and "another check run" not in third.stderr and third.stdout


def netops_check(data: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "netops", "--data-dir", str(data), "--inventory", str(CAMPUS / "inventory"), "check",
           "--policy", str(CAMPUS / "policy.yaml"), "--backup-dir", str(CAMPUS / "configs"), "--no-probes"]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root")})


def test_a_killed_check_leaves_no_lock(tmp_path: Path) -> None:
    proc = holder(tmp_path, "check")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    second = netops_check(tmp_path)
    assert "another check run" not in second.stderr and second.returncode == 1
