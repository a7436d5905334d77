"""Each host's latest poll: the rows every reader of the history (status, daily report, exporter, alerts, dashboard)
takes as current, found by index seeks so a reader's cost does not grow with the retained history."""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from pathlib import Path

from netops.snmp import history, status
from netops.snmp.exporter import _latest
from netops.snmp.sample import DeviceSample, InterfaceSample

GROUP_BY = "SELECT host, max(poll_id) FROM snmp_device GROUP BY host"  # the plain reading of "latest", scanning it all


def _history(tmp_path: Path, seed: int) -> sqlite3.Connection:
    """Polls in which hosts come and go, answer or not, and move site."""
    rng = random.Random(seed)
    conn = history.open_history(tmp_path)
    hosts = [f"sw-{i}" for i in range(rng.randint(1, 12))]
    for k in range(rng.randint(1, 30)):
        now = 1_700_000_000 + 300 * k
        samples = []
        for host in rng.sample(hosts, rng.randint(1, len(hosts))):
            up = rng.random() > 0.2
            samples.append(DeviceSample(host, "cisco_xe", rng.choice(["jammu", "srinagar"]), "access", now, reachable=up,
                                        interfaces=[InterfaceSample(1, "Gi1/0/1", oper_status="up", in_octets=k,
                                                                    speed_mbps=1000)] if up else []))
        history.store_poll(conn, samples, now, now)
    return conn


def test_latest_polls_are_each_hosts_newest(tmp_path: Path) -> None:
    for seed in range(20):
        with closing(_history(tmp_path / str(seed), seed)) as conn:
            expected = sorted(tuple(r) for r in conn.execute(GROUP_BY))
            assert sorted(tuple(r) for r in conn.execute(f"SELECT host, poll_id FROM {history.LATEST_POLLS}")) == expected
            newest = dict(expected)
            assert [(r["host"], r["poll_id"]) for r in sorted(history.latest_devices(conn), key=lambda r: r["host"])] == \
                sorted(newest.items())
            assert history.latest_sites(conn) == {h: conn.execute("SELECT site FROM snmp_device WHERE host = ? AND poll_id = ?", (h, p))
                             .fetchone()[0] for h, p in newest.items()}
            reached = {h for h, p in newest.items()
                       if conn.execute("SELECT reachable FROM snmp_device WHERE host = ? AND poll_id = ?", (h, p)).fetchone()[0]}
            assert {(r["host"], r["poll_id"]) for r in _latest(conn, "snmp_interface", "host")} == \
                {(h, newest[h]) for h in reached}


def test_no_reader_of_the_latest_polls_scans_the_history(tmp_path: Path) -> None:
    """Every statement the status summary, the exporter and the site lookup (alerts) run: no full scan of the
    per-poll tables (``SCAN snmp_device`` / ``SCAN snmp_interface`` in SQLite's plan)."""
    with closing(_history(tmp_path, 1)) as conn:
        conn.row_factory = sqlite3.Row
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        status.summary(conn)
        for table, key in (("snmp_interface", "host"), ("snmp_ap", "controller"), ("snmp_ssid", "controller")):
            _latest(conn, table, key)
        history.latest_sites(conn)
        conn.set_trace_callback(None)
        selects = [q for q in statements if q.lstrip().upper().startswith(("SELECT", "WITH"))]
        assert len(selects) >= 5
        for query in selects:
            plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + query)]
            assert not [step for step in plan if step.startswith(("SCAN snmp_device", "SCAN snmp_interface"))], (query, plan)
