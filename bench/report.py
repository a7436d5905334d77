"""Benchmark: the daily report over 30 days of one-minute polls of both campuses.

Writes the history a month of ``netops poll --interval 60`` leaves behind (the
secretariat's 18 polled devices with 8 interfaces each, 4 controllers listing 16
APs and their SSIDs; one device down for half an hour a day) through netops' own
store, then builds the last day's report: JSON (the collection of every section)
and HTML with its charts, and the PDF from that HTML.

Peer, measured in the same run on the same database: one SQL query that counts
each device's answered polls of the day (the floor of any availability report read
from the same rows; it knows nothing of gaps, downtime intervals or maintenance).
Target: the report (JSON and HTML) under 5 s; the ratio to the peer is printed.

Run: .venv/bin/python bench/report.py [--days 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from netops.report import render  # noqa: E402
from netops.services import report  # noqa: E402
from netops.settings import Settings  # noqa: E402
from netops.snmp import history  # noqa: E402
from netops.snmp.sample import ApSample, DeviceSample, InterfaceSample  # noqa: E402

TARGET = 5.0
SITES = ("jammu", "srinagar")
CONTROLLERS = {"jmu-wlc-1": "jammu", "jmu-wlc-2": "jammu", "srn-wlc-aireos": "srinagar", "srn-wlc-aruba": "srinagar"}


def hosts_file(path: Path) -> list[tuple[str, str, str]]:
    devices = [(f"{'jmu' if site == 'jammu' else 'srn'}-{role}-{i}", site, role)
               for site in SITES for role, count in (("core", 2), ("acc", 3)) for i in range(1, count + 1)]
    devices += [(name, site, "wlc") for name, site in CONTROLLERS.items()]
    lines = [f"{name}: {{hostname: 192.0.2.{n + 1}, platform: cisco_xe, data: {{site: {site}, role: "
             f"{'access' if role == 'acc' else role}}}}}" for n, (name, site, role) in enumerate(devices)]
    for c, (controller, site) in enumerate(CONTROLLERS.items()):
        for a in range(4):
            lines.append(f"{controller}-ap{a}: {{hostname: 198.51.100.{c * 4 + a + 1}, platform: cisco_ap, data: {{site: {site}, "
                         f"role: ap, managed_by: controller, controller: {controller}}}}}")
    path.write_text("\n".join(lines) + "\n")
    return devices


def fill(data: Path, devices: list[tuple[str, str, str]], days: int, end: float) -> int:
    """``days`` of one-minute polls ending at ``end``; returns the polls written."""
    start = end - days * 86400
    polls = days * 1440
    with closing(history.open_history(data)) as conn:
        conn.execute("PRAGMA synchronous=OFF")
        for minute in range(polls):
            t = start + minute * 60
            samples = []
            for k, (name, site, role) in enumerate(devices):
                s = DeviceSample(name, "cisco_xe", site, role, t)
                if k == 3 and minute % 1440 in range(600, 630):
                    s.error = "No SNMP response"
                else:
                    s.reachable, s.sys_uptime, s.cpu_percent = True, minute * 6000 + 100, 12.0
                    s.interfaces = [InterfaceSample(i, f"Gi1/0/{i}", oper_status="up", in_octets=minute * i * 1000,
                                                    out_octets=minute * i * 500, in_errors=0, out_errors=0, speed_mbps=1000,
                                                    in_bps=i * 1e6, out_bps=i * 5e5, error_rate=0.0)
                                    for i in range(1, 9)]
                if role == "wlc":
                    s.aps = [ApSample(f"{name}-ap{a}", "up", "C9120AXI-D", 5 + (minute + a) % 9) for a in range(4)]
                    s.clients_per_ssid = {"JKS-Staff": 20 + minute % 11, "JKS-Guest": 8 + minute % 5, "JKS-IoT": 6}
                samples.append(s)
            history.store_poll(conn, samples, t, t + 1)
        history.prune(conn, days + 1, now=end)
    return polls


def peer(data: Path, start: float, end: float) -> float:
    began = time.perf_counter()
    with closing(history.open_history(data)) as conn:
        conn.execute(
            """SELECT host, avg(reachable) FROM snmp_device WHERE poll_id BETWEEN
               (SELECT min(id) FROM snmp_poll WHERE started >= ?) AND (SELECT max(id) FROM snmp_poll WHERE started < ?)
               GROUP BY host""", (start, end)).fetchall()
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="netops-bench-report-") as tmp:
        root = Path(tmp)
        devices = hosts_file(root / "hosts.yaml")
        (root / "netops.yaml").write_text("inventory: hosts.yaml\ndata_dir: data\n")
        settings = Settings.resolve(env={}, config=root / "netops.yaml")
        now = dt.datetime.now(dt.timezone.utc)
        yesterday = now.astimezone(settings.zone).date() - dt.timedelta(days=1)  # a whole day
        day = report.day(settings, yesterday, now=now)
        began = time.perf_counter()
        polls = fill(root / "data", devices, args.days, now.timestamp())
        print(f"history: {polls} polls x {len(devices)} devices ({len(devices) * 8} interfaces, 16 APs) in "
              f"{time.perf_counter() - began:.0f} s, {(root / 'data' / 'netops.db').stat().st_size / 1e6:.0f} MB")
        floor = min(peer(root / "data", day.start.timestamp(), day.end.timestamp()) for _ in range(3))
        timings = []
        for _ in range(3):
            t0 = time.perf_counter()
            daily = report.daily(settings, yesterday, now=now)
            t1 = time.perf_counter()
            page = render.html(daily)
            t2 = time.perf_counter()
            timings.append((t1 - t0, t2 - t1))
        collect, html = min(timings, key=sum)
        t3 = time.perf_counter()
        render.pdf(daily, page)
        pdf = time.perf_counter() - t3
    total = collect + html
    print(f"report of {day.date}: collect {collect:.2f} s + HTML {html:.2f} s = {total:.2f} s (target < {TARGET:g} s); "
          f"PDF from it {pdf:.2f} s")
    print(f"peer, one SQL count of the day's answered polls: {floor * 1000:.0f} ms; netops/peer {total / floor:.0f}x "
          f"(what the report adds: intervals, gaps, APs, backups, findings, charts)")
    print("OK" if total < TARGET else "SLOWER THAN TARGET")
    return 0 if total < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
