"""Benchmark: reading "the latest poll of every device" from a long SNMP history.

    .venv/bin/python bench/history.py [--hosts 200] [--polls 100 1000 5000] [--json]

Every reader of the history (``netops status``, the daily report, the exporter's scrape, the alerts, the
dashboard) starts from each host's latest poll. netops finds it with an index skip scan
(``netops.snmp.history.LATEST_POLLS``: one seek per host). Peer, measured in the same run on the same
database: SQLite's plain ``SELECT host, max(poll_id) FROM snmp_device GROUP BY host``, which reads every row
of the history. Both return the same rows (checked). Also timed: ``status.summary`` (the status command and
the daily report's SNMP part) and one exporter scrape, each as netops runs them.

Target: at the largest history the skip scan at least 10x faster than the peer, and its own time growing
less than 3x from the smallest history to the largest (ratio printed; exit 1 below target).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from netops.snmp import history, status  # noqa: E402
from netops.snmp.exporter import HistoryCollector  # noqa: E402
from netops.snmp.sample import DeviceSample, InterfaceSample  # noqa: E402

PEER = "SELECT host, max(poll_id) FROM snmp_device GROUP BY host"
OURS = f"SELECT host, poll_id FROM {history.LATEST_POLLS}"
INTERFACES = 24
ROUNDS = 5
TARGET, GROWTH = 10.0, 3.0


def grow(conn: sqlite3.Connection, hosts: list[str], first: int, last: int) -> None:
    """Store polls ``first``..``last - 1``, five minutes apart, every host answering with its interfaces."""
    start = time.time() - last * 300
    for k in range(first, last):
        now = start + k * 300
        history.store_poll(conn, [
            DeviceSample(h, "cisco_xe", ("jammu", "srinagar")[i % 2], "access", now, reachable=True, cpu_percent=5.0,
                         interfaces=[InterfaceSample(j, f"Gi1/0/{j}", oper_status="up", in_octets=k * 1000,
                                                     out_octets=k * 500, speed_mbps=1000) for j in range(1, INTERFACES + 1)])
            for i, h in enumerate(hosts)], now, now)


def timed(fn: Any) -> float:
    """Median seconds of ``ROUNDS`` calls."""
    times = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def measure(conn: sqlite3.Connection, data_dir: Path) -> dict[str, float]:
    assert sorted(tuple(r) for r in conn.execute(PEER)) == sorted(tuple(r) for r in conn.execute(OURS))
    return {"ours_ms": timed(lambda: conn.execute(OURS).fetchall()) * 1000,
            "peer_ms": timed(lambda: conn.execute(PEER).fetchall()) * 1000,
            "status_ms": timed(lambda: status.summary(conn)) * 1000,
            "scrape_ms": timed(lambda: list(HistoryCollector(data_dir).collect())) * 1000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--polls", type=int, nargs="+", default=[100, 1000, 5000], help="history sizes, ascending")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()
    log = sys.stderr if args.json else sys.stdout
    hosts = [f"sw-{i:04d}" for i in range(args.hosts)]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="netops-bench-history-") as tmp, closing(history.open_history(Path(tmp))) as conn:
        stored = 0
        for polls in sorted(args.polls):
            began = time.monotonic()
            grow(conn, hosts, stored, polls)
            stored = polls
            row = {"polls": polls, "device_rows": polls * len(hosts)} | measure(conn, Path(tmp))
            rows.append(row)
            print(f"{polls:6d} polls of {len(hosts)} hosts ({row['device_rows']:,} device rows, built in "
                  f"{time.monotonic() - began:.0f} s): latest polls {row['ours_ms']:7.2f} ms (skip scan) vs "
                  f"{row['peer_ms']:8.2f} ms (GROUP BY); status.summary {row['status_ms']:7.1f} ms; "
                  f"one scrape {row['scrape_ms']:7.1f} ms", file=log)
    ratio = rows[-1]["peer_ms"] / rows[-1]["ours_ms"]
    growth = rows[-1]["ours_ms"] / rows[0]["ours_ms"]
    ok = ratio >= TARGET and growth < GROWTH
    print(f"at {rows[-1]['polls']} polls: {ratio:.0f}x the GROUP BY (target >= {TARGET:.0f}x); own time x{growth:.1f} "
          f"from {rows[0]['polls']} to {rows[-1]['polls']} polls (target < {GROWTH:.0f}x) {'OK' if ok else 'BELOW TARGET'}",
          file=log)
    if args.json:
        print(json.dumps({"hosts": len(hosts), "sizes": rows, "ratio": round(ratio, 1), "growth": round(growth, 2),
                          "ok": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
