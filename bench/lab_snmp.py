"""Start-up of the lab's SNMP agents vs stock snmpsim on the same data.

    .venv/bin/python bench/lab_snmp.py [--nodes 30 1000] [--base 127.32.8]

For each size, builds that many nodes (tests/data/lab_snmp's small topology plus
generated access switches, as ``lab up --scale`` makes them) on --base.<i> and
measures ``SnmpAgent.start`` (generate data, index it in a process pool, launch
the shards, wait until every node answers a GET). The peer is stock
``snmpsim-command-responder`` serving the very same data files with its own
start-up (serial indexing, default dbm, every file also a v2c community, all
variation modules), timed until it has bound all its endpoints (it cannot serve
per endpoint, so "answering" is not comparable). The ratio is the result: the
machine is shared. Only 127.0.0.0/8 is contacted.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from labs.sim.faults import node_faults  # noqa: E402
from labs.sim.scale import scale_names, scale_node  # noqa: E402
from labs.sim.snmp_agent import SnmpAgent  # noqa: E402
from labs.state import LabState, NodeRuntime  # noqa: E402
from netops.inventory.clab import ClabTopology, load_topology  # noqa: E402

TOPOLOGY = REPO / "tests" / "data" / "lab_snmp" / "lab.clab.yml"
PORT = 10161


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def lab(count: int, base: str, workdir: Path) -> tuple[LabState, ClabTopology]:
    topology = load_topology(TOPOLOGY)
    topology.nodes = [n for n in topology.nodes if "hang" not in node_faults(n.labels)][:count]
    configs = workdir / "configs"
    configs.mkdir(parents=True, exist_ok=True)
    extra = count - len(topology.nodes)
    topology.nodes += [scale_node(name, i, configs) for i, name in enumerate(scale_names(extra), 1)]
    creds = {"snmp_community": "cbench1234", "snmp_v3_user": "v3bench", "snmp_v3_auth_key": "bench-auth-0123",
             "snmp_v3_priv_key": "bench-priv-0123"}
    a, b = base.split(".")[1:3]
    nodes = [
        NodeRuntime(
            name=n.name, platform=n.platform, role=n.role, site=n.site,
            host=f"127.{a}.{int(b) + i // 250}.{i % 250 + 1}", ssh_port=None, snmp_port=PORT, username="bench",
            password="unused", enable_secret="unused", config_path=str(n.startup_config or ""), labels=dict(n.labels),
            faults=[], **creds,
        )
        for i, n in enumerate(topology.nodes)
    ]
    return LabState(name="bench", topology=str(TOPOLOGY), engine="local", started="", pids=[], nodes=nodes), topology


def stock_snmpsim(data: Path, state: LabState, workdir: Path) -> float:
    """Seconds until stock snmpsim, indexing the data files itself, has bound every endpoint."""
    args = workdir / "stock-args"
    fd = os.open(args, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(f"--data-dir={data}\n")
        fh.write("\n".join(f"--agent-udpv4-endpoint={n.host}:{n.snmp_port}" for n in state.nodes) + "\n")
    log = workdir / "stock-log"
    started = time.monotonic()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(REPO / ".venv" / "bin" / "snmpsim-command-responder"), f"--args-from-file={args}",
             f"--cache-dir={workdir / 'stock-cache'}", "--log-level=error"],
            stdout=out, stderr=subprocess.STDOUT, env=os.environ | {"SNMPSIM_ALLOW_ROOT": "true"},
        )
    try:
        while log.read_bytes().count(b"Listening at") < len(state.nodes):
            if proc.poll() is not None:
                raise RuntimeError(log.read_text()[-2000:])
            time.sleep(0.1)
        return time.monotonic() - started
    finally:
        proc.terminate()
        proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[30, 1000])
    parser.add_argument("--base", default="127.32.8", help="first two octets of the node addresses, as 127.X.Y")
    args = parser.parse_args()
    for count in args.nodes:
        workdir = Path(tempfile.mkdtemp(prefix="bench-lab-snmp-"))
        try:
            state, topology = lab(count, args.base, workdir)
            agent = SnmpAgent(workdir / "agent")
            cpu, wall = children_cpu(), time.monotonic()
            agent.start(state, topology)
            ours, ours_cpu = time.monotonic() - wall, children_cpu() - cpu
            data = workdir / "stock-data"
            data.mkdir()
            for k, shard in enumerate(sorted((workdir / "agent").glob("shard-*"))):
                for path in shard.glob("engine-*/*.snmprec"):
                    if path.stat().st_size:
                        shutil.copyfile(path, data / f"{k}-{path.name}")
            agent.stop()
            peer = stock_snmpsim(data, state, workdir)
            print(
                f"{count:>5} nodes  SnmpAgent.start {ours:6.2f} s (pool cpu {ours_cpu:5.2f} s)  "
                f"stock snmpsim bind {peer:6.2f} s  ratio {peer / ours:5.2f}x  load {os.getloadavg()[0]:.1f}"
            )
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
