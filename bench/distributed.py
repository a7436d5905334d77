"""The distributed engine against the local one: a backup and a poll of N lab switches, from one run.

    .venv/bin/python bench/distributed.py [--devices 1000] [--workers 1 2 4] [--json]

Starts its own scaled lab (``--devices`` generated access switches) on --base-address and a ``redis-server`` on
127.0.0.1, then runs ``netops backup`` (into an empty store: every device is new) and ``netops poll --once``:

- locally (the embedded default: threads, and ``--processes 2`` for the backup, its best on two cores);
- with ``--broker`` and one ``netops worker --concurrency K`` for each K of --workers (K pool processes).

Prints wall time, devices/s, the coordinator's peak RSS, and the scaling curve (each K against K=1 and against
the local engine). The lab, the workers and the coordinator share this machine's cores, so past the core count
the curve shows the cost of the engine, not its reach: on a real deployment each site's workers have their own
machine. Only 127.0.0.0/8 is contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import labs  # noqa: E402
from labs import runner  # noqa: E402

NETOPS = REPO / ".venv" / "bin" / "netops"
MEASURE = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
           "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(p.returncode)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float, dict]:
    """Wall seconds, peak RSS (MB) and the JSON output of one netops command."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(NETOPS), *args], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    rss = int(proc.stderr.strip().splitlines()[-1]) / 1024
    try:
        out = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"netops {' '.join(args)} failed ({proc.returncode}): {proc.stderr[-2000:]}") from None
    return wall, rss, out


def failed(out: dict | list) -> int:
    rows = out["devices"] if isinstance(out, dict) else out
    return sum(1 for r in rows if r["status"] == "failed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--base-address", default="127.48.0.1")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="netops-bench-distributed-"))
    lab_dir = work / "lab"
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    redis = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
                              "--dir", str(work)], stdout=subprocess.DEVNULL)
    runner.up(lab_dir, labs.DEFAULT_TOPOLOGY, runner.UpOptions(base_address=args.base_address, scale=args.devices, engine="local"))
    key = work / "client.key"
    base = {**os.environ, "NETOPS_LAB": "1", "NETOPS_LAB_DIR": str(lab_dir), "NETOPS_PRIVACY_KEY_FILE": str(key)}
    rows: list[dict] = []
    try:
        def run(engine: str, extra: list[str], backup_extra: list[str] = ()) -> None:
            tag = engine.replace(" ", "-")
            env = {**base, "NETOPS_DATA_DIR": str(work / f"data-{tag}")}
            b_wall, b_rss, b_out = timed(["backup", "--json", *backup_extra, *extra], env)
            p_wall, p_rss, p_out = timed(["poll", "--once", "--json", *extra], env)
            devices = len(b_out["devices"])
            rows.append({"engine": engine, "devices": devices, "backup_s": round(b_wall, 2), "backup_failed": failed(b_out),
                         "backup_rss_mb": round(b_rss), "poll_s": round(p_wall, 2), "poll_failed": failed(p_out),
                         "poll_rss_mb": round(p_rss)})
            print(f"  {engine}: backup {b_wall:.1f} s, poll {p_wall:.1f} s", file=sys.stderr)

        print(f"{args.devices} switches, lab on {args.base_address}, broker {broker}", file=sys.stderr)
        run("local", [], ["--processes", "2"])
        for k in args.workers:
            worker = subprocess.Popen([str(NETOPS), "worker", "--broker", broker, "--concurrency", str(k), "--name", f"bench{k}@%h"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                                      env={**base, "NETOPS_DATA_DIR": str(work / f"worker{k}")})
            try:
                for _ in range(120):
                    listed = subprocess.run([str(NETOPS), "worker", "list", "--broker", broker, "--json"], capture_output=True,
                                            text=True, env={**base, "NETOPS_DATA_DIR": str(work / "probe")})
                    if json.loads(listed.stdout or "[]"):
                        break
                    time.sleep(0.5)
                run(f"{k} worker process{'es' if k > 1 else ''}", ["--broker", broker])
            finally:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait()
    finally:
        runner.down(lab_dir)
        redis.kill()
        redis.wait()
    local, first = rows[0], rows[1]
    for r in rows:
        r["backup_vs_local"] = round(local["backup_s"] / r["backup_s"], 2)
        r["poll_vs_local"] = round(local["poll_s"] / r["poll_s"], 2)
        r["backup_speedup"] = round(first["backup_s"] / r["backup_s"], 2) if r is not local else None
        r["poll_speedup"] = round(first["poll_s"] / r["poll_s"], 2) if r is not local else None
    if args.json:
        print(json.dumps({"load_average": os.getloadavg()[0], "cores": os.cpu_count(), "runs": rows}, indent=2))
        return
    print(f"\n{'engine':<22}{'devices':>8}{'backup s':>10}{'failed':>7}{'RSS MB':>8}{'× local':>9}{'× 1 wk':>8}"
          f"{'poll s':>9}{'failed':>7}{'RSS MB':>8}{'× local':>9}{'× 1 wk':>8}")
    for r in rows:
        print(f"{r['engine']:<22}{r['devices']:>8}{r['backup_s']:>10.2f}{r['backup_failed']:>7}{r['backup_rss_mb']:>8}"
              f"{r['backup_vs_local']:>9.2f}{r['backup_speedup'] or '':>8}{r['poll_s']:>9.2f}{r['poll_failed']:>7}"
              f"{r['poll_rss_mb']:>8}{r['poll_vs_local']:>9.2f}{r['poll_speedup'] or '':>8}")
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; × local > 1: faster than the local engine; "
          "× 1 wk: against one worker process. Memory target: < 300 MB for 1,000 devices.")


if __name__ == "__main__":
    main()
