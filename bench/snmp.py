"""SNMP poller throughput: netops vs net-snmp ``snmpbulkwalk`` vs Prometheus ``snmp_exporter``; poll memory.

    .venv/bin/python bench/snmp.py [--agents 500] [--processes 1 2] [--parallel 16] [--repeat 3] [--poll-agents 1000] [--json]

One net-snmp ``snmpd`` answers on loopback addresses (127.37.100.1, ..., one
process, addresses on its command line). Every poller does the same work per
agent of the first --agents: GET sysUpTime.0 and walk ifDescr, ifOperStatus,
ifInErrors, ifHCInOctets and ifHCOutOctets. Pollers, measured in the same run:

- netops, once per backend (gufo-snmp, the default, and pysnmp, the pure-Python
  fallback): 20 agents in flight per process, agents sharded over --processes
  processes;
- net-snmp: one ``snmpget`` plus one ``snmpbulkwalk`` per column, --parallel at once;
- snmp_exporter (Debian ``prometheus-snmp-exporter``) with a module walking the
  same OIDs, scraped --parallel at a time over keep-alive HTTP on 127.37.0.254.

On this shared machine each netops row and snmp_exporter keep the fastest of
--repeat runs (net-snmp, 30 times slower, runs once), after one discarded pass
over every agent that warms snmpd up for all pollers alike.

Prints OIDs, OIDs/s, wall and CPU seconds (pollers' own CPU; snmpd's CPU is
shown separately), the ratios netops (default backend, best process count) / peer
and pysnmp / gufo, and the load average. Then the memory of a ``netops poll`` of
--poll-agents devices: one fresh process runs the poll cycle ``netops poll``
runs (every device's system, interfaces; rates, events and history in a scratch
SQLite store) with the default backend, and its peak RSS (``ru_maxrss``) is shown
against the 300 MB target. ``--json`` prints the figures as one JSON object.
Only 127.0.0.0/8 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from netops.model import SnmpTarget  # noqa: E402
from netops.snmp import oids  # noqa: E402
from netops.snmp.backend import SnmpBackend  # noqa: E402
from netops.snmp.backends import backend_factory  # noqa: E402

PORT = 1161
COMMUNITY = "bench-ro-community"
COLUMNS = (oids.IF_DESCR, oids.IF_OPER_STATUS, oids.IF_IN_ERRORS, oids.IF_HC_IN_OCTETS, oids.IF_HC_OUT_OCTETS)
EXPORTER_ADDRESS = "127.37.0.254"
BACKENDS = ("gufo", "pysnmp")  # the default first
RSS_TARGET_MB = 300


def addresses(count: int) -> list[str]:
    return [f"127.37.{100 + i // 250}.{i % 250 + 1}" for i in range(count)]


def proc_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def self_cpu() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def children_cpu() -> float:
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def wait_udp(address: str) -> None:
    for _ in range(100):
        if subprocess.run(["snmpget", "-v2c", "-c", COMMUNITY, "-t", "1", "-r", "0", f"{address}:{PORT}",
                           oids.SYS_UPTIME], capture_output=True).returncode == 0:
            return
        time.sleep(0.2)
    raise SystemExit(f"agent {address} does not answer")


# -- netops --------------------------------------------------------------------------------------

def netops_shard(backend_name: str, hosts: list[str], queue: multiprocessing.Queue) -> None:
    async def one(backend: SnmpBackend, gate: asyncio.Semaphore, host: str) -> int:
        target = SnmpTarget(host, PORT, community=COMMUNITY, timeout=5, retries=2)
        async with gate:
            got = await backend.get(target, [oids.SYS_UPTIME])
            cols = await backend.walk(target, COLUMNS)
        return len(got) + sum(len(c) for c in cols.values())

    async def run() -> int:
        backend = backend_factory(backend_name)()
        gate = asyncio.Semaphore(20)
        try:
            return sum(await asyncio.gather(*(one(backend, gate, h) for h in hosts)))
        finally:
            backend.close()

    start = self_cpu()
    count = asyncio.run(run())
    queue.put((count, self_cpu() - start))


def bench_netops(backend: str, hosts: list[str], processes: int) -> tuple[int, float, float]:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    shards = [hosts[i::processes] for i in range(processes)]
    start = time.perf_counter()
    procs = [multiprocessing.Process(target=netops_shard, args=(backend, s, queue)) for s in shards]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    wall = time.perf_counter() - start
    return sum(r[0] for r in results), wall, sum(r[1] for r in results)


# -- net-snmp ------------------------------------------------------------------------------------

def netsnmp_agent(host: str) -> int:
    common = ["-v2c", "-c", COMMUNITY, "-On", "-t", "5", "-r", "2", f"{host}:{PORT}"]
    lines = subprocess.run(["snmpget", *common, oids.SYS_UPTIME], capture_output=True, text=True).stdout.splitlines()
    count = len(lines)
    for col in COLUMNS:
        out = subprocess.run(["snmpbulkwalk", *common, col], capture_output=True, text=True).stdout
        count += sum(1 for line in out.splitlines() if line.startswith("." + col + "."))
    return count


def bench_netsnmp(hosts: list[str], parallel: int) -> tuple[int, float, float]:
    cpu0, start = children_cpu(), time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        count = sum(pool.map(netsnmp_agent, hosts))
    return count, time.perf_counter() - start, children_cpu() - cpu0


# -- snmp_exporter -------------------------------------------------------------------------------

EXPORTER_MODULE = f"""bench:
  version: 2
  max_repetitions: 25
  retries: 2
  timeout: 5s
  auth:
    community: {COMMUNITY}
  get:
  - {oids.SYS_UPTIME}
  walk:
{chr(10).join('  - ' + c for c in COLUMNS)}
  metrics:
  - name: sysUpTime
    oid: 1.3.6.1.2.1.1.3
    type: gauge
{chr(10).join(f'''  - name: col{i}
    oid: {c}
    type: {"DisplayString" if c == oids.IF_DESCR else "counter" if "31.1.1" in c else "gauge"}
    indexes:
    - labelname: ifIndex
      type: gauge''' for i, c in enumerate(COLUMNS))}
"""


def bench_exporter(hosts: list[str], parallel: int, workdir: Path) -> tuple[int, float, float]:
    config = workdir / "snmp.yml"
    fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(EXPORTER_MODULE)
    listen = f"{EXPORTER_ADDRESS}:9116"
    proc = subprocess.Popen(["prometheus-snmp-exporter", f"--config.file={config}", f"--web.listen-address={listen}"],
                            stdout=subprocess.DEVNULL, stderr=open(workdir / "exporter.log", "w"))
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection(EXPORTER_ADDRESS, 9116, timeout=1).request("GET", "/")
                break
            except OSError:
                time.sleep(0.1)
        local = threading.local()

        def scrape(host: str) -> int:
            if not hasattr(local, "conn"):
                local.conn = http.client.HTTPConnection(EXPORTER_ADDRESS, 9116, timeout=60)
            local.conn.request("GET", f"/snmp?module=bench&target={host}:{PORT}")
            body = local.conn.getresponse().read().decode()
            return sum(1 for line in body.splitlines() if line.startswith(("sysUpTime", "col")))

        cpu0, start = proc_cpu(proc.pid), time.perf_counter()
        with ThreadPoolExecutor(parallel) as pool:
            count = sum(pool.map(scrape, hosts))
        return count, time.perf_counter() - start, proc_cpu(proc.pid) - cpu0
    finally:
        proc.terminate()
        proc.wait()


# -- memory of a netops poll ---------------------------------------------------------------------

def poll_child(count: int) -> None:
    """In a fresh process: one ``netops poll`` cycle of ``count`` agents; prints its figures as JSON."""
    from contextlib import closing

    from netops.settings import Settings
    from netops.snmp import history
    from netops.snmp.cycle import PollOptions, local_collector, run_cycle
    from netops.snmp.sample import PollTarget
    from netops.snmp.thresholds import Thresholds

    backend = Settings.resolve().snmp_backend
    targets = [PollTarget(f"sw{i:04d}", "cisco_xe", SnmpTarget(h, PORT, community=COMMUNITY, timeout=5, retries=2), "bench", "access")
               for i, h in enumerate(addresses(count))]
    with tempfile.TemporaryDirectory(prefix="netops-bench-poll-") as data:
        start, cpu0 = time.perf_counter(), self_cpu()
        with closing(history.open_history(Path(data))) as conn:
            samples = run_cycle(conn, targets, Thresholds(), local_collector(backend_factory(backend), PollOptions()))
            stored = conn.execute("SELECT COUNT(*) FROM snmp_interface").fetchone()[0]
        wall, cpu = time.perf_counter() - start, self_cpu() - cpu0
    print(json.dumps({"agents": count, "backend": backend_factory(backend).__name__, "wall_s": round(wall, 2),
                      "cpu_s": round(cpu, 2), "failed": sum(1 for s in samples if s.error),
                      "interfaces": sum(len(s.interfaces) for s in samples), "stored_interface_rows": stored,
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))


def bench_poll_rss(count: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--poll-child", str(count)], stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(out.stdout.splitlines()[-1])


def fastest(repeat: int, name: str, agent: int, run: Callable[..., tuple[int, float, float]],
            *args: Any) -> tuple[str, int, float, float, float]:
    """The fastest of ``repeat`` runs of ``run(*args)``: (name, OIDs, wall s, poller CPU s, agent CPU s)."""
    out = []
    for _ in range(repeat):
        cpu0 = proc_cpu(agent)
        count, wall, cpu = run(*args)
        out.append((name, count, wall, cpu, proc_cpu(agent) - cpu0))
    return min(out, key=lambda r: r[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--parallel", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each netops row and of snmp_exporter (the fastest is kept)")
    parser.add_argument("--poll-agents", type=int, default=1000, help="devices of the poll whose memory is measured (0: none)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--poll-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.poll_child:
        poll_child(args.poll_child)
        return
    hosts = addresses(args.agents)
    served = addresses(max(args.agents, args.poll_agents))
    workdir = Path(tempfile.mkdtemp(prefix="h7-bench-snmp-"))
    conf = workdir / "snmpd.conf"
    fd = os.open(conf, os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(f"rocommunity {COMMUNITY} 127.0.0.0/8\n")
    snmpd = subprocess.Popen(
        ["snmpd", "-f", "-Lf", str(workdir / "snmpd.log"), "-C", "-c", str(conf),
         ",".join(f"udp:{h}:{PORT}" for h in served)],
        env=dict(os.environ, SNMP_PERSISTENT_DIR=str(workdir / "persist")),
    )
    rows: list[tuple[str, int, float, float, float]] = []
    figures: dict = {"agents": args.agents, "backends": {}}
    try:
        wait_udp(served[0])
        wait_udp(served[-1])
        bench_netops(BACKENDS[0], hosts, 1)  # warm-up: snmpd's caches, for every poller
        for backend in BACKENDS:
            for procs in args.processes:
                rows.append(fastest(args.repeat, f"netops {backend}, {procs} process(es)", snmpd.pid,
                                    bench_netops, backend, hosts, procs))
                _, count, wall, cpu, agent_cpu = rows[-1]
                figures["backends"].setdefault(backend, {})[str(procs)] = {
                    "oids": count, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "snmpd_cpu_s": round(agent_cpu, 3)}
        cpu0 = proc_cpu(snmpd.pid)
        count, wall, cpu = bench_netsnmp(hosts, args.parallel)
        rows.append((f"net-snmp snmpbulkwalk, {args.parallel} in parallel", count, wall, cpu, proc_cpu(snmpd.pid) - cpu0))
        net_snmp = rows[-1]
        rows.append(fastest(args.repeat, f"snmp_exporter 0.21, {args.parallel} scrapes in parallel", snmpd.pid,
                            bench_exporter, hosts, args.parallel, workdir))
        exporter = rows[-1]
        figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
        if args.poll_agents:
            figures["poll"] = bench_poll_rss(args.poll_agents) | {"target_mb": RSS_TARGET_MB}
    finally:
        snmpd.terminate()
        snmpd.wait()
        shutil.rmtree(workdir, ignore_errors=True)

    def best(backend: str) -> tuple[str, int, float, float, float]:
        return min((r for r in rows if r[0].startswith(f"netops {backend},")), key=lambda r: r[2])

    netops = best(BACKENDS[0])
    fallback = best(BACKENDS[1])
    figures |= {
        "netops_backend": BACKENDS[0], "netops_processes": int(netops[0].rsplit(", ", 1)[1].split()[0]),
        "netops_s": round(netops[2], 3), "netops_cpu_s": round(netops[3], 3),
        "snmp_exporter_s": round(exporter[2], 3), "snmp_exporter_cpu_s": round(exporter[3], 3),
        "net_snmp_s": round(net_snmp[2], 3), "net_snmp_cpu_s": round(net_snmp[3], 3),
        "throughput_ratio_vs_snmp_exporter": round(exporter[2] / netops[2], 2),  # > 1: netops polls more OIDs per second
        "throughput_ratio_vs_net_snmp": round(net_snmp[2] / netops[2], 2),
        "cpu_ratio_vs_snmp_exporter": round(netops[3] / exporter[3], 2) if exporter[3] else None,
        "pysnmp_s": round(fallback[2], 3), "pysnmp_cpu_s": round(fallback[3], 3),
        "pysnmp_over_gufo_wall": round(fallback[2] / netops[2], 2), "pysnmp_over_gufo_cpu": round(fallback[3] / netops[3], 2),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{args.agents} agents, {len(COLUMNS)} columns walked + sysUpTime per agent; "
          f"load average {' '.join(map(str, figures['load_average']))}\n")
    print("| poller | OIDs | wall s | OIDs/s | poller CPU s | snmpd CPU s |\n|---|---|---|---|---|---|")
    for name, count, wall, cpu, agent_cpu in rows:
        print(f"| {name} | {count} | {wall:.2f} | {count / wall:,.0f} | {cpu:.2f} | {agent_cpu:.2f} |")
    for peer in (exporter, net_snmp):
        print(f"\n{netops[0]} vs {peer[0]}: throughput ratio {(netops[1] / netops[2]) / (peer[1] / peer[2]):.2f}, "
              f"CPU ratio {netops[3] / peer[3] if peer[3] else float('nan'):.2f}")
    print(f"\n{fallback[0]} vs {netops[0]}: {figures['pysnmp_over_gufo_wall']:.2f}x the wall, "
          f"{figures['pysnmp_over_gufo_cpu']:.2f}x the CPU")
    if "poll" in figures:
        poll = figures["poll"]
        verdict = "within" if poll["peak_rss_mb"] <= RSS_TARGET_MB else "OVER"
        print(f"\nnetops poll of {poll['agents']} agents ({poll['backend']}): peak RSS {poll['peak_rss_mb']:.0f} MB, "
              f"{verdict} the {RSS_TARGET_MB} MB target; {poll['wall_s']:.2f} s wall, {poll['cpu_s']:.2f} s CPU, "
              f"{poll['failed']} failed, {poll['interfaces']} interfaces")


if __name__ == "__main__":
    main()
