"""SNMP poller throughput: netops vs net-snmp ``snmpbulkwalk`` vs Prometheus ``snmp_exporter``.

    .venv/bin/python bench/snmp.py [--agents 500] [--processes 1 2] [--parallel 16]

One net-snmp ``snmpd`` answers on --agents loopback addresses (127.37.100.1, ...,
one process, addresses on its command line). Every poller does the same work per
agent: GET sysUpTime.0 and walk ifDescr, ifOperStatus, ifInErrors, ifHCInOctets
and ifHCOutOctets. Pollers, measured in the same run:

- netops: ``PysnmpBackend`` (the backend ``netops poll`` uses), 20 agents in
  flight per process, agents sharded over --processes processes;
- net-snmp: one ``snmpget`` plus one ``snmpbulkwalk`` per column, --parallel at once;
- snmp_exporter (Debian ``prometheus-snmp-exporter``) with a module walking the
  same OIDs, scraped --parallel at a time over keep-alive HTTP on 127.37.0.254.

Prints OIDs, OIDs/s, wall and CPU seconds (pollers' own CPU; snmpd's CPU is
shown separately) and the ratios netops / peer. Only 127.0.0.0/8 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from netops.model import SnmpTarget  # noqa: E402
from netops.snmp import oids  # noqa: E402
from netops.snmp.pysnmp_backend import PysnmpBackend  # noqa: E402

PORT = 1161
COMMUNITY = "bench-ro-community"
COLUMNS = (oids.IF_DESCR, oids.IF_OPER_STATUS, oids.IF_IN_ERRORS, oids.IF_HC_IN_OCTETS, oids.IF_HC_OUT_OCTETS)
EXPORTER_ADDRESS = "127.37.0.254"


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

def netops_shard(hosts: list[str], queue: multiprocessing.Queue) -> None:
    async def one(backend: PysnmpBackend, gate: asyncio.Semaphore, host: str) -> int:
        target = SnmpTarget(host, PORT, community=COMMUNITY, timeout=5, retries=2)
        async with gate:
            got = await backend.get(target, [oids.SYS_UPTIME])
            cols = await backend.walk(target, COLUMNS)
        return len(got) + sum(len(c) for c in cols.values())

    async def run() -> int:
        backend = PysnmpBackend()
        gate = asyncio.Semaphore(20)
        try:
            return sum(await asyncio.gather(*(one(backend, gate, h) for h in hosts)))
        finally:
            backend.close()

    start = self_cpu()
    count = asyncio.run(run())
    queue.put((count, self_cpu() - start))


def bench_netops(hosts: list[str], processes: int) -> tuple[int, float, float]:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    shards = [hosts[i::processes] for i in range(processes)]
    start = time.perf_counter()
    procs = [multiprocessing.Process(target=netops_shard, args=(s, queue)) for s in shards]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--parallel", type=int, default=16)
    args = parser.parse_args()
    hosts = addresses(args.agents)
    workdir = Path(tempfile.mkdtemp(prefix="h7-bench-snmp-"))
    conf = workdir / "snmpd.conf"
    fd = os.open(conf, os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(f"rocommunity {COMMUNITY} 127.0.0.0/8\n")
    snmpd = subprocess.Popen(
        ["snmpd", "-f", "-Lf", str(workdir / "snmpd.log"), "-C", "-c", str(conf),
         ",".join(f"udp:{h}:{PORT}" for h in hosts)],
        env=dict(os.environ, SNMP_PERSISTENT_DIR=str(workdir / "persist")),
    )
    rows = []
    try:
        wait_udp(hosts[0])
        wait_udp(hosts[-1])
        netsnmp_agent(hosts[0])  # warm-up: caches in snmpd
        for procs in args.processes:
            cpu0 = proc_cpu(snmpd.pid)
            count, wall, cpu = bench_netops(hosts, procs)
            rows.append((f"netops pysnmp, {procs} process(es)", count, wall, cpu, proc_cpu(snmpd.pid) - cpu0))
        cpu0 = proc_cpu(snmpd.pid)
        count, wall, cpu = bench_netsnmp(hosts, args.parallel)
        rows.append((f"net-snmp snmpbulkwalk, {args.parallel} in parallel", count, wall, cpu, proc_cpu(snmpd.pid) - cpu0))
        cpu0 = proc_cpu(snmpd.pid)
        count, wall, cpu = bench_exporter(hosts, args.parallel, workdir)
        rows.append((f"snmp_exporter 0.21, {args.parallel} scrapes in parallel", count, wall, cpu, proc_cpu(snmpd.pid) - cpu0))
    finally:
        snmpd.terminate()
        snmpd.wait()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{args.agents} agents, {len(COLUMNS)} columns walked + sysUpTime per agent\n")
    print("| poller | OIDs | wall s | OIDs/s | poller CPU s | snmpd CPU s |\n|---|---|---|---|---|---|")
    for name, count, wall, cpu, agent_cpu in rows:
        print(f"| {name} | {count} | {wall:.2f} | {count / wall:,.0f} | {cpu:.2f} | {agent_cpu:.2f} |")
    best = min((r for r in rows if r[0].startswith("netops")), key=lambda r: r[2])
    for peer in rows:
        if not peer[0].startswith("netops"):
            print(f"\n{best[0]} vs {peer[0]}: throughput ratio {(best[1] / best[2]) / (peer[1] / peer[2]):.2f}, "
                  f"CPU ratio {best[3] / peer[3] if peer[3] else float('nan'):.2f}")


if __name__ == "__main__":
    main()
