"""The lab's SNMP agents: snmpsim processes serving each node's generated data.

Layout of the private work directory (mode 0700, removed by ``stop``)::

    shard-<k>/args                    per-engine options incl. v3 keys (0600, deleted
                                      once the agents answer: no credential in argv)
    shard-<k>/engine-<j>/<D>.snmprec  a node's data
    shard-<k>/engine-<j>/<community>.snmprec   empty: makes snmpsim accept the community
    shard-<k>/cache/                  snmpsim's indices, built with the data files
    shard-<k>/nodes.json              endpoint -> node name, faults at start (no secrets)
    shard-<k>/log

``D`` is the transport domain snmpsim gives the node's endpoint (1.3.6.1.6.1.1.<n>):
``labs.sim.snmp_responder`` serves each request from the file of the endpoint it
arrived on. Data files and indices are written by a pool of worker processes;
nodes are spread over a few snmpsim processes (shards); nodes sharing a v3 user
name with different keys go to separate SNMP engines. A node that hangs, is down
or is cut off from its core never answers; the responder follows fault changes in the lab's state file
(the work directory's parent), as the SSH workers do.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from importlib.util import find_spec
from pathlib import Path

from labs.sim.faults import Faults, isolated
from labs.sim.snmp_data import Station, access_points, node_records, wireless
from labs.sim.snmp_index import use_system_gdbm, write_indexed
from labs.sim.snmp_responder import NODES_ENV
from labs.state import LabState, NodeRuntime
from netops.errors import NetopsError
from netops.inventory.clab import ClabNode, ClabTopology, load_topology

log = logging.getLogger(__name__)
DOMAIN = "1.3.6.1.6.1.1"
SYS_UPTIME = "1.3.6.1.2.1.1.3.0"
NODES_PER_SHARD = 500
READY_TIMEOUT = 120.0


class SnmpAgentError(NetopsError):
    """The lab's SNMP agents could not be started."""


@dataclass
class Engine:
    """One SNMP engine: its v3 users and the nodes it serves, in endpoint order."""

    users: dict[str, tuple[str, str]] = field(default_factory=dict)
    nodes: list[NodeRuntime] = field(default_factory=list)

    def accepts(self, node: NodeRuntime) -> bool:
        keys = self.users.get(node.snmp_v3_user)
        return keys is None or keys == (node.snmp_v3_auth_key, node.snmp_v3_priv_key)

    def add(self, node: NodeRuntime) -> None:
        self.users[node.snmp_v3_user] = (node.snmp_v3_auth_key, node.snmp_v3_priv_key)
        self.nodes.append(node)


def plan_engines(nodes: list[NodeRuntime]) -> list[Engine]:
    """As few SNMP engines as the nodes' v3 users allow (one user name, one key pair per engine)."""
    engines: list[Engine] = []
    for node in nodes:
        engine = next((e for e in engines if e.accepts(node)), None)
        if engine is None:
            engine = Engine()
            engines.append(engine)
        engine.add(node)
    return engines


def _check_token(node: NodeRuntime, what: str, value: str) -> None:
    """snmpsim reads options split on whitespace, and a community names a data file."""
    if not value or any(c.isspace() for c in value) or "/" in value:
        raise SnmpAgentError(f"node {node.name}: SNMP {what} must be non-empty, without spaces or '/'")


def _lab_node(node: NodeRuntime, topology: ClabTopology) -> ClabNode:
    """The node as the data generator sees it: its running config, else its startup config."""
    config = Path(node.config_path) if node.config_path else None
    if config is None or not config.is_file():
        try:
            config = topology.node(node.name).startup_config
        except KeyError:
            config = None
    return ClabNode(name=node.name, kind="", platform=node.platform, labels=dict(node.labels), startup_config=config)


class SnmpAgent:
    """snmpsim agents for every lab node that has an SNMP port."""

    def __init__(self, workdir: Path, shards: int | None = None):
        self.workdir = Path(workdir)
        self.shards = shards
        self._procs: list[subprocess.Popen] = []
        self._endpoints: list[int] = []  # endpoints per shard

    def start(self, state: LabState, topology: ClabTopology) -> list[int]:
        """Start the agents; return their pids once every served node answers."""
        served = [n for n in state.nodes if n.snmp_port is not None]
        if not served:
            return []
        for node in served:
            _check_token(node, "community", node.snmp_community)
            for what in ("v3 user", "v3 auth key", "v3 priv key"):
                _check_token(node, what, getattr(node, "snmp_" + what.replace(" ", "_")))
        if self.workdir.exists():
            shutil.rmtree(self.workdir)
        self.workdir.mkdir(parents=True, mode=0o700)
        variation = self.workdir / "variation"
        variation.mkdir()
        (variation / "numeric.py").symlink_to(_snmpsim_dir() / "variation" / "numeric.py")

        all_nodes = [_lab_node(n, topology) for n in state.nodes]
        joined = access_points(all_nodes)
        by_name = {n.name: n for n in all_nodes}
        workers = os.cpu_count() or 2
        count = self.shards or min(workers, -(-len(served) // NODES_PER_SHARD))
        shards = [served[k::count] for k in range(count)]
        args_files: list[Path] = []
        tasks: list[DataTask] = []
        try:
            for k, nodes in enumerate(shards):
                args_files.append(self._write_shard(k, state.name, nodes, by_name, joined, tasks))
            started = time.monotonic()
            with ProcessPoolExecutor(workers, initializer=use_system_gdbm) as pool:
                list(pool.map(write_data, tasks, chunksize=max(1, len(tasks) // (8 * workers))))
            log.info("SNMP data of %d nodes written in %.1f s", len(tasks), time.monotonic() - started)
            for k in range(count):
                self._procs.append(self._launch(k, variation))
            silent = isolated({n.name: asdict(n) for n in state.nodes}, state.topology)
            answering = [n for n in served if not {"hang", "down"} & set(n.faults) and n.name not in silent]
            asyncio.run(self._wait_ready(answering))
        except BaseException:
            self.stop()
            raise
        finally:
            for path in args_files:
                path.unlink(missing_ok=True)
        return [p.pid for p in self._procs]

    def stop(self) -> None:
        """Stop every agent process and remove the work directory."""
        for proc in self._procs:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 5
        for proc in self._procs:
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self._procs = []
        self._endpoints = []
        shutil.rmtree(self.workdir, ignore_errors=True)

    # ------------------------------------------------------------ internals

    def _write_shard(
        self,
        k: int,
        lab: str,
        nodes: list[NodeRuntime],
        by_name: dict[str, ClabNode],
        joined: dict[str, list[ClabNode]],
        tasks: list[DataTask],
    ) -> Path:
        """Lay out one shard: its options file now, its data files as ``tasks``."""
        shard = self.workdir / f"shard-{k}"
        cache = shard / "cache"
        cache.mkdir(parents=True)
        options: list[str] = []
        endpoints: dict[str, str] = {}
        transport = 0
        for j, engine in enumerate(plan_engines(nodes)):
            data = shard / f"engine-{j}"
            data.mkdir()
            engine_id = "80001f8804" + hashlib.sha256(f"{lab}/{k}/{j}".encode()).hexdigest()[:16]
            options += [f"--v3-engine-id={engine_id}", f"--data-dir={data}"]
            for user, (auth, priv) in engine.users.items():
                options += [
                    f"--v3-user={user}", f"--v3-auth-key={auth}", "--v3-auth-proto=SHA",
                    f"--v3-priv-key={priv}", "--v3-priv-proto=AES",
                ]
            for node in engine.nodes:
                options.append(f"--agent-udpv4-endpoint={node.host}:{node.snmp_port}")
                domain = f"{DOMAIN}.{transport}"
                transport += 1
                endpoints[domain] = node.name
                tasks.append(DataTask(by_name[node.name], joined.get(node.name, []), data / f"{domain}.snmprec", cache))
                (data / f"{node.snmp_community}.snmprec").touch()
        self._endpoints.append(transport)
        faults = {n.name: n.faults for n in nodes if n.faults}
        nodes_file = {"lab_dir": str(self.workdir.parent), "endpoints": endpoints, "faults": faults}
        (shard / "nodes.json").write_text(json.dumps(nodes_file), encoding="utf-8")
        args = shard / "args"
        fd = os.open(args, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(options) + "\n")
        return args

    def _launch(self, k: int, variation: Path) -> subprocess.Popen:
        shard = self.workdir / f"shard-{k}"
        env = os.environ | {"SNMPSIM_ALLOW_ROOT": "true", NODES_ENV: str(shard / "nodes.json")}
        with open(shard / "log", "wb") as out:
            return subprocess.Popen(
                [
                    sys.executable, "-m", "labs.sim.snmp_responder",
                    f"--args-from-file={shard / 'args'}",
                    f"--cache-dir={shard / 'cache'}",
                    f"--variation-modules-dir={variation}",
                    "--log-level=error",
                ],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                env=env, start_new_session=True,
            )

    def _check_alive(self) -> None:
        for k, proc in enumerate(self._procs):
            if proc.poll() is not None:
                tail = (self.workdir / f"shard-{k}" / "log").read_text(errors="replace")[-2000:]
                raise SnmpAgentError(f"snmpsim shard {k} exited with {proc.returncode}:\n{tail}")

    def _bound(self) -> bool:
        """Whether every shard has bound all its endpoints (snmpsim logs each one)."""
        return all(
            (self.workdir / f"shard-{k}" / "log").read_bytes().count(b"Listening at UDP/IPv4 endpoint") >= count
            for k, count in enumerate(self._endpoints)
        )

    async def _wait_ready(self, nodes: list[NodeRuntime]) -> None:
        """Wait until snmpsim has bound every endpoint, then until every node answers."""
        from pysnmp.hlapi.v1arch.asyncio import (
            CommunityData,
            ObjectIdentity,
            ObjectType,
            SnmpDispatcher,
            UdpTransportTarget,
            get_cmd,
        )

        deadline = time.monotonic() + READY_TIMEOUT
        while not self._bound():
            self._check_alive()
            if time.monotonic() > deadline:
                raise SnmpAgentError(f"snmpsim did not bind its endpoints within {READY_TIMEOUT:.0f} s")
            await asyncio.sleep(0.2)
        log.info("%d snmpsim processes bound their endpoints", len(self._procs))
        dispatcher = SnmpDispatcher()
        gate = asyncio.Semaphore(20)

        async def answers(node: NodeRuntime) -> bool:
            async with gate:
                late = Faults.parse(node.faults).slow  # a slow=N node answers N seconds late, SNMP too
                target = await UdpTransportTarget.create((node.host, node.snmp_port), timeout=2 + late, retries=1)
                err, status, _, _ = await get_cmd(
                    dispatcher, CommunityData(node.snmp_community), target, ObjectType(ObjectIdentity(SYS_UPTIME)),
                    lookupMib=False,
                )
                return not err and not status

        pending = nodes
        try:
            while pending:
                self._check_alive()
                if time.monotonic() > deadline:
                    raise SnmpAgentError(f"{len(pending)} SNMP agents not answering after {READY_TIMEOUT:.0f} s")
                results = await asyncio.gather(*(answers(n) for n in pending))
                pending = [n for n, ok in zip(pending, results) if not ok]
            log.info("%d SNMP agents answering", len(nodes))
        finally:
            dispatcher.close()


@dataclass
class DataTask:
    """One node's data file to generate and index (in a worker process)."""

    node: ClabNode
    aps: list[ClabNode]
    path: Path
    cache: Path


def write_data(task: DataTask) -> None:
    write_indexed(task.path, node_records(task.node, task.aps).snmprec(), task.cache)


def _snmpsim_dir() -> Path:
    spec = find_spec("snmpsim")
    if spec is None or not spec.submodule_search_locations:
        raise SnmpAgentError("snmpsim is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def lab_stations(state: LabState) -> dict[str, list[Station]]:
    """The Wi-Fi clients each controller of a running lab serves in its client tables (controller -> stations), built
    exactly as the agents' data: what a privacy test looks for, in clear, in netops' files."""
    from labs.sim.platforms import PLATFORMS

    topology = load_topology(state.topology)
    nodes = [_lab_node(n, topology) for n in state.nodes]
    joined = access_points(nodes)
    out: dict[str, list[Station]] = {}
    for node in nodes:
        platform = PLATFORMS.get(node.platform)
        snmp = platform.snmp if platform else None
        if platform is None or snmp is None or snmp.controller_mibs is None:
            continue
        facts = platform.read_config(node.config_text())
        if joined.get(node.name) or facts.ssids:
            out[node.name] = wireless(node.name, facts, joined.get(node.name, []), snmp.ap_model).stations
    return out
