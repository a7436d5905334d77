"""The one database under every job at once, on the scaled lab (issue 19).

For ``NETOPS_CONCURRENCY_SOAK`` seconds (600): the poll service, backups, checks, reports (``report daily``,
``status``) back to back, the exporter scraped twice a second, and the dashboard reloading every second while
a key switches its view every half second. Every process's stderr and exit code is kept: no "database is
locked" (or any traceback) may reach a user. Rows: every poll cycle the service printed is stored with all its
devices, every backup and check that finished has its run and every device result. The dashboard: the time from
a keypress to the new view, for every keypress; the distribution goes to docs/reliability.md
(``figures:db-concurrency``), and the test only asserts that no keypress waited past ``KEY_LIVENESS`` seconds.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import free_base_address
from service_support import NETOPS, REPO, PollService, lab_up, load, netops_env, publish

from labs import runner
from netops.settings import Settings
from tui.app import NetopsApp, TuiOptions
from tui.data import NetopsSource

SCALE = 10
KEY_LIVENESS = 30.0  # seconds: a keypress that waits longer means the dashboard hung
KEYS = {"1": "overview", "2": "devices", "3": "compliance", "5": "backups", "6": "jobs", "8": "audit"}
POLICY = REPO / "policy" / "secretariat.yaml"


@dataclass
class Runs:
    """Every run of one command in a loop: exit code, stdout and stderr."""

    args: list[str]
    done: list[tuple[int, str, str]] = field(default_factory=list)

    def loop(self, env: dict[str, str], until: float) -> None:
        while time.monotonic() < until:
            proc = subprocess.run([str(NETOPS), *self.args], env=env, capture_output=True, text=True, timeout=900)
            self.done.append((proc.returncode, proc.stdout, proc.stderr))


@pytest.fixture(scope="module")
def scaled_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    lab_dir = tmp_path_factory.mktemp("db-lab") / "run"
    lab_up(lab_dir, free_base_address(), SCALE)
    try:
        yield lab_dir
    finally:
        runner.down(lab_dir)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scrape(url: str, until: float, codes: list[int]) -> None:
    while time.monotonic() < until:
        try:
            with urllib.request.urlopen(url, timeout=30) as reply:
                reply.read()
                codes.append(reply.status)
        except urllib.error.HTTPError as exc:
            codes.append(exc.code)
        except OSError:
            codes.append(0)  # not listening yet (the first scrape), or refused
        time.sleep(0.5)


def dashboard(data_dir: Path, until: float) -> list[float]:
    """Drive the dashboard (Textual's pilot) until ``until``: the seconds from each keypress to its view."""
    latencies: list[float] = []
    settings = Settings.resolve(data_dir=data_dir, policy=[POLICY])

    async def body() -> None:
        app = NetopsApp(lambda: NetopsSource(settings), TuiOptions(refresh=1.0))
        async with app.run_test(size=(120, 40)) as pilot:
            loop = asyncio.get_running_loop()
            first = loop.time() + 120
            while app.snapshot is None and loop.time() < first:
                await pilot.pause(0.1)
            keys = list(KEYS.items())
            n = 0
            while time.monotonic() < until:
                key, mode = keys[n % len(keys)]
                n += 1
                start = loop.time()
                await pilot.press(key)
                while app.current_mode != mode and loop.time() - start < KEY_LIVENESS:
                    await asyncio.sleep(0.002)
                latencies.append(loop.time() - start)
                await pilot.pause(0.5)

    asyncio.run(body())
    return latencies


def count(data_dir: Path, sql: str) -> int:
    with closing(sqlite3.connect(data_dir / "netops.db")) as conn:
        return int(conn.execute(sql).fetchone()[0])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def spread(latencies: list[float]) -> str:
    """p50, p95 and max of keypress latencies, in ms."""
    return (f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {percentile(latencies, 95) * 1000:.0f} ms, "
            f"max {max(latencies) * 1000:.0f} ms over {len(latencies)} keypresses")


@pytest.mark.long
@pytest.mark.matrix("database under concurrency",
                    "poll service, backup, check, report, status, exporter scrapes and the dashboard at once")
def test_every_job_at_once_on_one_database(scaled_lab: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seconds = float(os.environ.get("NETOPS_CONCURRENCY_SOAK", "600"))
    env = netops_env(tmp_path, scaled_lab)
    for key in ("NETOPS_LAB", "NETOPS_LAB_DIR", "NETOPS_INVENTORY", "NETOPS_CONFIG", "NETOPS_DATA_DIR"):
        monkeypatch.setenv(key, env[key])  # the in-process dashboard reads the same stores
    data = tmp_path / "data"
    subprocess.run([str(NETOPS), "backup", "--json"], env=env, capture_output=True, timeout=600)  # a repository to check
    loops = {
        "backup": Runs(["backup", "--json", "--timeout", "60"]),
        "check": Runs(["check", "--json"]),
        "report": Runs(["report", "daily", "--format", "json", "--output", str(tmp_path / "daily.json")]),
        "status": Runs(["status", "--json"]),
    }
    port = free_port()
    exporter = subprocess.Popen([str(NETOPS), "exporter", "--listen", f"127.0.0.1:{port}"], env=env, text=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    service = PollService.start(env, "--interval", "2", "--timeout", "20")
    began = time.monotonic()
    until = began + seconds
    codes: list[int] = []
    threads = [threading.Thread(target=r.loop, args=(env, until)) for r in loops.values()]
    threads.append(threading.Thread(target=scrape, args=(f"http://127.0.0.1:{port}/metrics", until, codes)))
    for t in threads:
        t.start()
    try:
        latencies = dashboard(data, until)
    finally:
        for t in threads:
            t.join()
        service_err = service.stop()
        exporter.terminate()
        _, exporter_err = exporter.communicate(timeout=60)
    quiet = dashboard(data, time.monotonic() + min(60.0, seconds / 4))  # the peer: the same views, nothing else running

    allowed: dict[str, Callable[[int], bool]] = {"backup": lambda rc: rc in (0, 1), "check": lambda rc: rc in (0, 1),
                                                 "report": lambda rc: rc == 0, "status": lambda rc: rc in (0, 1)}
    outputs = [("poll service", 0, service_err), ("exporter", 0, exporter_err)]
    outputs += [(name, rc, err) for name, runs in loops.items() for rc, _, err in runs.done]
    locked = [f"{name}: {err[-800:]}" for name, _, err in outputs if "is locked" in err]
    failed = [f"{name} exit {rc}: {err[-1500:]}" for name, rc, err in outputs
              if "Traceback" in err or (name in allowed and not allowed[name](rc))]
    cycles = service.cycles
    backups = [json.loads(out) for rc, out, _ in loops["backup"].done if out]
    checks = [json.loads(out) for rc, out, _ in loops["check"].done if out]
    expected = {
        "poll cycles": (len(cycles), count(data, "SELECT count(*) FROM snmp_poll")),
        "polled devices": (sum(len(c.results) for c in cycles), count(data, "SELECT count(*) FROM snmp_device")),
        "backup runs": (len(backups) + 1, count(data, "SELECT count(*) FROM backup_runs WHERE finished IS NOT NULL")),
        "backup results": (sum(len(b["devices"]) for b in backups),
                           count(data, "SELECT count(*) FROM backup_results WHERE run_id > 1")),
        "check runs": (len(checks), count(data, "SELECT count(*) FROM check_runs")),
    }
    first_ok = next((i for i, c in enumerate(codes) if c), len(codes))  # the exporter listened from then on
    written = sum(e for e, _ in expected.values())
    lost = sum(max(e - s, 0) for e, s in expected.values())
    publish("db-concurrency", (
        f"{seconds / 60:.0f} min on the small lab and {SCALE} generated switches (load average {load()}): "
        f"{len(cycles)} poll cycles, {len(backups)} backups, {len(checks)} checks, "
        f"{len(loops['report'].done)} daily reports, {len(loops['status'].done)} status reads, {len(codes) - first_ok} "
        f"scrapes once the exporter listened ({sum(c == 200 for c in codes[first_ok:])} answered 200); {len(locked)} \"database is locked\" errors; rows expected "
        f"{written}, lost {lost}; {len(failed)} runs with a traceback or an unexpected exit code. Dashboard keypress to "
        f"view, {spread(latencies)}; the same views with nothing else running: {spread(quiet)}."))
    print(f"expected/stored: {expected}; keypress latency under load {spread(latencies)}, quiet {spread(quiet)}; "
          f"load {load()}")
    assert not locked, "\n".join(locked)
    assert not failed, "\n".join(failed)
    for name, runs in loops.items():
        assert runs.done, f"{name} never finished within the soak"
    assert codes[first_ok:] and set(codes[first_ok:]) == {200}, sorted(set(codes))
    assert all(stored == want for want, stored in expected.values()), expected
    assert max(latencies) < KEY_LIVENESS
