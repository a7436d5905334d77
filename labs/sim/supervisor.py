"""The lab supervisor: a detached process that owns every process of a local lab.

``netops lab up`` starts ``python -m labs.sim.supervisor LAB_DIR`` in its own
session, with the request in ``LAB_DIR/request.json``. The supervisor lays out
the lab, starts the SSH workers and the SNMP agents, writes ``state.json``, and
reports progress on its stdout (``total N``, ``ssh K``, ``snmp``, then ``ready``
or ``error MESSAGE``) before detaching from it; its log is ``supervisor.log``.
SIGTERM stops everything it started.
"""

from __future__ import annotations

import json
import logging
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, TextIO

from labs.sim import hostkeys
from labs.sim.plan import HOST_KEY, LOG_FILE, PID_FILE, PLAN_FILE, REQUEST_FILE, LabRequest, build, write_private_json
from labs.sim.snmp_agent import SnmpAgent
from labs.state import LabState, save_state
from netops.inventory.clab import ClabTopology

NODES_PER_WORKER = 100
WORKER_START_TIMEOUT = 300.0
STOP_TIMEOUT = 5.0

log = logging.getLogger("labs.sim.supervisor")


class Supervisor:
    def __init__(self, lab_dir: Path, progress: TextIO) -> None:
        self.lab_dir = lab_dir
        self.progress: TextIO | None = progress  # None once lab up stopped listening
        self.workers: list[subprocess.Popen[str]] = []
        self.snmp: SnmpAgent | None = None
        self.stopping = False

    def report(self, line: str) -> None:
        if self.progress is not None:
            self.progress.write(line + "\n")
            self.progress.flush()

    def start(self) -> LabState:
        request_path = self.lab_dir / REQUEST_FILE
        request = LabRequest(**json.loads(request_path.read_text(encoding="utf-8")))
        request_path.unlink()
        started = time.monotonic()
        state, topology = build(request, self.lab_dir)
        log.info("laid out %d nodes in %.1f s", len(state.nodes), time.monotonic() - started)
        key_path = self.lab_dir / HOST_KEY
        shared = hostkeys.generate(key_path)
        for node in state.nodes:
            if node.ssh_port is None:
                continue
            if node.replaced:  # started replaced (netops-fault / --fault replace): new hardware, its own key
                own = hostkeys.node_key_path(node)
                hostkeys.record(node, own, hostkeys.generate(own))
            else:
                hostkeys.record(node, key_path, shared)
        write_private_json(self.lab_dir / PLAN_FILE, state.to_dict())
        ssh_nodes = sum(1 for n in state.nodes if n.ssh_port is not None)
        self.report(f"total {ssh_nodes}")
        self._start_workers(ssh_nodes)
        log.info("%d SSH nodes listening after %.1f s", ssh_nodes, time.monotonic() - started)
        state.pids = [os.getpid()] + [w.pid for w in self.workers]
        state.pids += self._start_snmp(state, topology)
        log.info("SNMP agents answering after %.1f s", time.monotonic() - started)
        save_state(self.lab_dir, state)
        (self.lab_dir / PLAN_FILE).unlink()
        return state

    def _start_workers(self, ssh_nodes: int) -> None:
        count = max(1, min(os.cpu_count() or 1, -(-ssh_nodes // NODES_PER_WORKER)))
        for shard in range(count):
            self.workers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "labs.sim.worker", str(self.lab_dir), str(shard), str(count)],
                    stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                )
            )
        listening = [0] * count
        ready = [False] * count
        pipes: list[IO[str]] = []
        for worker in self.workers:
            assert worker.stdout is not None  # started with stdout=PIPE
            pipes.append(worker.stdout)
        sel = selectors.DefaultSelector()
        for shard, pipe in enumerate(pipes):
            sel.register(pipe, selectors.EVENT_READ, shard)
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while not all(ready):
            if time.monotonic() > deadline:
                raise RuntimeError("SSH workers did not become ready in time")
            for key, _ in sel.select(timeout=1):
                shard = key.data
                pipe = pipes[shard]
                line = pipe.readline()
                if not line:
                    raise RuntimeError(f"SSH worker {shard} exited")
                verb, _, rest = line.strip().partition(" ")
                if verb == "error":
                    raise RuntimeError(rest)
                listening[shard] = int(rest)
                if verb == "ready":
                    ready[shard] = True
                    sel.unregister(pipe)
                    pipe.close()
                self.report(f"ssh {sum(listening)}")
        sel.close()

    def _start_snmp(self, state: LabState, topology: ClabTopology) -> list[int]:
        self.report("snmp")
        self.snmp = SnmpAgent(self.lab_dir / "snmp")
        return list(self.snmp.start(state, topology))

    def wait(self) -> None:
        """Sleep until SIGTERM/SIGINT or until a worker dies."""
        while not self.stopping:
            time.sleep(0.1)
            if any(w.poll() is not None for w in self.workers):
                log.error("a worker exited; stopping the lab")
                break

    def stop(self) -> None:
        started = time.monotonic()
        if self.snmp is not None:
            try:
                self.snmp.stop()
            except Exception:
                log.exception("SNMP agents did not stop cleanly")
            log.info("SNMP agents stopped in %.1f s", time.monotonic() - started)
        for worker in self.workers:
            if worker.poll() is None:
                worker.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for worker in self.workers:
            try:
                worker.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        log.info("stopped in %.1f s", time.monotonic() - started)


def main() -> None:
    lab_dir = Path(sys.argv[1])
    progress = os.fdopen(os.dup(1), "w")
    log_fd = os.open(lab_dir / LOG_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s supervisor %(levelname)s %(message)s")
    (lab_dir / PID_FILE).write_text(f"{os.getpid()}\n", encoding="utf-8")
    sup = Supervisor(lab_dir, progress)

    def on_signal(signum, frame) -> None:
        sup.stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    try:
        state = sup.start()
        log.info("lab %s up: %d nodes, pids %s", state.name, len(state.nodes), state.pids)
        sup.report("ready")
    except Exception as exc:  # reported to lab up, which cleans up
        log.exception("lab start failed")
        sup.report(f"error {exc}")
        sup.stop()
        sys.exit(1)
    finally:
        try:
            progress.close()
        except OSError:
            pass
        sup.progress = None
    sup.wait()
    log.info("stopping")
    sup.stop()


if __name__ == "__main__":
    main()
