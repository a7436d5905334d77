"""``netops poll --interval`` as a service on a private lab, under the lab's own faults and for many cycles.

Faults (``netops lab fault``, the lab's SNMP agent): a switch that hangs, one that answers 5 s late (past the
device deadline) and one 0.3 s late, one that reboots (sysUpTime and counters back to zero), one powered off and
back, then the whole lab stopped and started again under the running service. The service must keep polling,
stop cleanly, record every cycle within its deadline (per-device timeout x waves of workers, from the stored
poll timestamps), never store a negative rate or one above the link speed, and poll every device again once
the faults are gone.

Memory: RSS of the service sampled after each of ``NETOPS_POLL_SOAK_CYCLES`` (1,000) cycles of the scaled lab;
after a warm-up (the first fifth), the least-squares trend over the remaining cycles must stay under
``GROWTH_BOUND_KIB``. The figures go to docs/reliability.md (``figures:poll-memory``).
"""

from __future__ import annotations

import math
import os
import sqlite3
import statistics
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from conftest import free_base_address
from service_support import Cycle, PollService, lab_up, load, netops_env, publish

from labs import runner
from labs.sim.credentials import ENV_PREFIX, LabCredentials
from labs.state import LabState
from netops.snmp import history
from netops.snmp.cycle import record
from netops.snmp.sample import DeviceSample, InterfaceSample
from netops.snmp.thresholds import Thresholds

SCALE = 10
SWITCHES = [f"scale-acc-{i:04d}" for i in range(1, SCALE + 1)]
HUNG, LATE, SLOWISH, REBOOTED, DOWN = SWITCHES[:5]
TIMEOUT, WORKERS, INTERVAL = 6.0, 20, 2.0
STORE_ALLOWANCE = 2.0  # seconds a cycle may spend storing its samples after its last device's deadline
CREDENTIALS = ("username", "password", "enable_secret", "snmp_community", "snmp_v3_user", "snmp_v3_auth_key",
               "snmp_v3_priv_key", "bootstrap_username", "bootstrap_password")
GROWTH_BOUND_KIB = 4096  # RSS trend allowed over the measured cycles after the warm-up


@pytest.fixture(scope="module")
def scaled_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, LabState]]:
    lab_dir, base = tmp_path_factory.mktemp("poll-lab") / "run", free_base_address()
    state = lab_up(lab_dir, base, SCALE)
    try:
        yield lab_dir, base, state
    finally:
        runner.down(lab_dir)


def fault(lab_dir: Path, node: str, spec: str | None, clear: bool = False) -> None:
    runner.set_fault(lab_dir, node, spec, clear)


def failures(cycle: Cycle) -> dict[str, str]:
    return {r["host"]: r["reason"] for r in cycle.results if r["status"] != "ok"}


def stored_polls(data_dir: Path) -> list[sqlite3.Row]:
    with closing(sqlite3.connect(data_dir / "netops.db")) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute("SELECT * FROM snmp_poll ORDER BY id").fetchall()


@pytest.mark.long
@pytest.mark.matrix("poll service under device faults",
                    "lab faults: hang, 5 s and 0.3 s SNMP replies, reboot, powered off and back, the lab restarted")
def test_poll_service_survives_agent_faults_and_a_lab_restart(scaled_lab, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    lab_dir, base, state = scaled_lab
    for key, value in LabCredentials(**{k: getattr(state.nodes[0], k) for k in CREDENTIALS}).to_dict().items():
        monkeypatch.setenv(ENV_PREFIX + key.upper(), value)  # restarted devices keep their configuration
    env = netops_env(tmp_path, lab_dir)
    service = PollService.start(env, "--interval", str(INTERVAL), "--timeout", str(TIMEOUT), "--workers", str(WORKERS),
                                "--host", "scale-acc-*")
    try:
        first = service.wait(2)[-1]
        assert {r["host"] for r in first.results} == set(SWITCHES)

        fault(lab_dir, HUNG, "hang")
        fault(lab_dir, LATE, "slow=5")
        fault(lab_dir, SLOWISH, "slow=0.3")
        faulty = service.wait(3)[1:]  # the first may have started before the faults
        for cycle in faulty:
            assert cycle.status(HUNG) == "failed" and cycle.status(LATE) == "failed"
        assert any(all(c.status(h) == "ok" for h in SWITCHES[5:]) for c in faulty)  # the others are not held up

        fault(lab_dir, REBOOTED, "reboot")
        fault(lab_dir, DOWN, "down")
        assert all(c.status(DOWN) == "failed" for c in service.wait(3)[1:])
        for node in (HUNG, LATE, SLOWISH, DOWN):
            fault(lab_dir, node, None, clear=True)
        assert not failures(service.wait(3)[-1])  # all back, the rebooted one too

        runner.down(lab_dir)
        assert all(r["status"] == "failed" for r in service.wait(3)[1:][-1].results)
        lab_up(lab_dir, base, SCALE)
        assert not failures(service.wait(3)[-1])
        assert service.proc.poll() is None
    finally:
        err = service.stop()
    assert "Traceback" not in err and "database is locked" not in err

    data = tmp_path / "data"
    polls = stored_polls(data)
    assert len(polls) == len(service.cycles)  # every cycle stored, none twice
    deadline = TIMEOUT * math.ceil(len(SWITCHES) / WORKERS) + STORE_ALLOWANCE
    assert max(p["finished"] - p["started"] for p in polls) <= deadline  # no device held a cycle past its deadline
    with closing(sqlite3.connect(data / "netops.db")) as conn:
        rates = conn.execute("SELECT host, in_bps, out_bps, speed_mbps FROM snmp_interface WHERE in_bps IS NOT NULL"
                             " OR out_bps IS NOT NULL").fetchall()
        reboots = {h for (h,) in conn.execute("SELECT host FROM snmp_event WHERE kind = 'reboot'")}
    assert rates and all(0 <= (bps or 0) <= speed * 1e6 for _, i, o, speed in rates if speed for bps in (i, o))
    assert set(SWITCHES) <= reboots  # REBOOTED's own, and the lab restart's: every agent's clock went back


@pytest.mark.long
@pytest.mark.matrix("poll service memory", "RSS sampled after every cycle of the scaled lab (NETOPS_POLL_SOAK_CYCLES)")
def test_poll_service_memory_stays_flat(scaled_lab, tmp_path: Path) -> None:
    lab_dir, _, state = scaled_lab
    count = int(os.environ.get("NETOPS_POLL_SOAK_CYCLES", "1000"))
    warm = max(count // 5, 10)
    env = netops_env(tmp_path, lab_dir)
    began = time.monotonic()
    service = PollService.start(env, "--interval", "0.1", "--timeout", "20", "--workers", str(WORKERS))
    try:
        cycles = service.wait(count, timeout=count * 60)
    finally:
        err = service.stop()
    assert "Traceback" not in err
    rss = [c.rss_kib for c in cycles]
    measured = rss[warm:]
    slope = statistics.linear_regression(range(len(measured)), measured).slope  # KiB per cycle
    trend = slope * len(measured)
    devices = len(cycles[0].results)
    publish("poll-memory", (
        f"Poll service over {count} cycles of {devices} devices (the small lab and {SCALE} generated switches, "
        f"{(time.monotonic() - began) / 60:.0f} min, load average {load()}): RSS {rss[0] / 1024:.1f} MiB after the "
        f"first cycle, {rss[warm] / 1024:.1f} MiB after the warm-up ({warm} cycles), {rss[-1] / 1024:.1f} MiB at "
        f"the end (max {max(rss) / 1024:.1f} MiB); trend after the warm-up {trend:+.0f} KiB over {len(measured)} "
        f"cycles ({slope:+.2f} KiB per cycle; bound {GROWTH_BOUND_KIB} KiB)."))
    print(f"RSS KiB: first {rss[0]}, after warm-up {rss[warm]}, last {rss[-1]}, max {max(rss)}, trend {trend:+.0f} "
          f"over {len(measured)} cycles; load {load()}")
    assert trend < GROWTH_BOUND_KIB


@pytest.mark.matrix("poll service under device faults", "a reboot during polls the device did not answer (recorder)")
def test_a_reboot_during_an_outage_is_recorded_and_gives_no_rate(tmp_path: Path) -> None:
    def sample(at: float, uptime: int | None, octets: int = 0) -> DeviceSample:
        up = uptime is not None
        return DeviceSample("sw-1", "cisco_xe", "jammu", "access", at, reachable=up, error=None if up else "no answer",
                            sys_uptime=uptime, interfaces=[InterfaceSample(1, "Gi1/0/1", oper_status="up",
                                                                           in_octets=octets, speed_mbps=1000)] if up else [])

    now = time.time()
    with closing(history.open_history(tmp_path)) as conn:
        for s in [sample(now - 300, 9_000_000, 10**9), sample(now - 200, None), sample(now - 100, None),
                  sample(now, 5_000, 10)]:
            record(conn, [s], s.time, Thresholds(), 30.0)
        reboots = conn.execute("SELECT count(*) FROM snmp_event WHERE kind = 'reboot'").fetchone()[0]
        rates = conn.execute("SELECT in_bps FROM snmp_interface ORDER BY poll_id DESC LIMIT 1").fetchone()[0]
    assert reboots == 1 and rates is None
