"""A worker process: serves one shard of the lab's SSH nodes until SIGTERM.

Run by the supervisor as ``python -m labs.sim.worker LAB_DIR SHARD COUNT``; it
reports ``listening K`` while binding and ``ready K`` (or ``error MESSAGE``) on stdout, and exits when
told to or when its supervisor is gone.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

import asyncssh

from labs.sim.device import SimNode
from labs.sim.faults import FaultBook
from labs.sim.plan import HOST_KEY, PLAN_FILE, load_plan
from labs.sim.platforms import SESSIONS
from labs.sim.server import serve, server_options
from labs.state import STATE_FILE

REPORT_EVERY = 50


async def run(lab_dir: Path, shard: int, count: int) -> None:
    plan = load_plan(lab_dir)
    options = server_options(asyncssh.read_private_key(lab_dir / HOST_KEY))
    book = FaultBook(lab_dir, (STATE_FILE, PLAN_FILE))
    mine = [n for n in plan.nodes if n.ssh_port is not None][shard::count]
    servers = []
    for i, rt in enumerate(mine, 1):
        node = SimNode(rt, Path(rt.config_path).parent, SESSIONS[rt.platform])
        assert rt.ssh_port is not None  # mine holds SSH nodes only
        try:
            servers.append(await serve(node, book, rt.ssh_port, options))
        except OSError as exc:
            print(f"error {rt.name}: cannot listen on {rt.host}:{rt.ssh_port}: {exc.strerror}", flush=True)
            return
        if i % REPORT_EVERY == 0:
            print(f"listening {i}", flush=True)
    print(f"ready {len(mine)}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    parent = os.getppid()
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=2)
        except TimeoutError:
            if os.getppid() != parent:
                break  # the supervisor died: do not outlive it
    for server in servers:
        server.close()


def _skip_disabled_asyncssh_logs() -> None:
    """asyncssh formats every log call and every packet trace before its level
    check (several per packet, a few percent of the lab's CPU); check first."""
    log = asyncssh.logging.SSHLogger.log
    log_packet = asyncssh.packet.SSHPacketLogger._log_packet

    def log_if_enabled(self: Any, level: int, msg: object, *args: Any, **kwargs: Any) -> None:
        if self.isEnabledFor(level):
            log(self, level, msg, *args, **kwargs)

    def log_packet_if_traced(self: Any, *args: Any) -> None:
        if self.logger.isEnabledFor(logging.DEBUG) and self.logger._debug_level >= 3:
            log_packet(self, *args)

    # monkeypatching asyncssh's classes is the point here
    asyncssh.logging.SSHLogger.log = log_if_enabled  # type: ignore[method-assign]
    asyncssh.packet.SSHPacketLogger._log_packet = log_packet_if_traced  # type: ignore[method-assign, assignment]


def main() -> None:
    lab_dir, shard, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    logging.basicConfig(level=logging.WARNING, format=f"%(asctime)s worker{shard} %(name)s: %(message)s")
    logging.getLogger("asyncssh").setLevel(logging.ERROR)
    _skip_disabled_asyncssh_logs()
    asyncio.run(run(lab_dir, shard, count))


if __name__ == "__main__":
    main()
