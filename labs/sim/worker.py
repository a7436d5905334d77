"""A worker process: serves one shard of the lab's SSH nodes until SIGTERM.

Run by the supervisor as ``python -m labs.sim.worker LAB_DIR SHARD COUNT``; it
reports ``listening K`` while binding and ``ready K`` (or ``error MESSAGE``) on stdout, and exits when
told to or when its supervisor is gone.

It also watches the lab's state file (a ``stat`` every :data:`WATCH_INTERVAL`): when a node's
``generation`` changes (``netops lab fault NODE wipe``/``replace``), it ends the node's open
sessions, reloads it with its factory-default configuration, gives its listener the node's host
key (a replaced node has its own) and writes the generation it applied to the node's
``generation`` file, which ``netops lab fault`` waits for. A node switched ``down`` stops listening
(its connections end, new ones are refused) until the fault is cleared.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncssh

from labs.sim.device import APPLIED, SimNode
from labs.sim.faults import FaultBook
from labs.sim.plan import HOST_KEY, PLAN_FILE, load_plan, write_private_json
from labs.sim.platforms import SESSIONS
from labs.sim.server import serve, server_options
from labs.state import STATE_FILE, NodeRuntime

log = logging.getLogger("labs.sim.worker")
REPORT_EVERY = 50
WATCH_INTERVAL = 0.1  # seconds between looks at the state file
PARENT_CHECK = 2.0  # seconds between checks that the supervisor is alive
RUNTIME_FIELDS = set(NodeRuntime.__dataclass_fields__)


@dataclass
class Served:
    """One node this worker serves: its device, its listener and what it applied of its runtime."""

    node: SimNode
    acceptor: asyncssh.SSHAcceptor | None  # None: the node is down (powered off)
    key: str  # the fingerprint of the host key its listener presents
    generation: int
    options: asyncssh.SSHServerConnectionOptions
    port: int


async def run(lab_dir: Path, shard: int, count: int) -> None:
    plan = load_plan(lab_dir)
    shared = str(lab_dir / HOST_KEY)
    options = server_options(asyncssh.read_private_key(shared))
    book = FaultBook(lab_dir, (STATE_FILE, PLAN_FILE))
    mine = [n for n in plan.nodes if n.ssh_port is not None][shard::count]
    served: list[Served] = []
    for i, rt in enumerate(mine, 1):
        node = SimNode(rt, Path(rt.config_path).parent, SESSIONS[rt.platform])
        node.book = book
        assert rt.ssh_port is not None  # mine holds SSH nodes only
        key_path = rt.host_key_path or shared
        own = options if key_path == shared else server_options(asyncssh.read_private_key(key_path))
        try:
            acceptor = None if book.get(rt.name).down else await serve(node, book, rt.ssh_port, own)
            served.append(Served(node, acceptor, rt.host_key_fingerprint, rt.generation, own, rt.ssh_port))
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
    checked = loop.time()
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=WATCH_INTERVAL)
        except TimeoutError:
            pass
        watch(book, served)
        await power(book, served)
        if loop.time() - checked >= PARENT_CHECK:
            checked = loop.time()
            if os.getppid() != parent:
                break  # the supervisor died: do not outlive it
    for one in served:
        if one.acceptor is not None:
            one.acceptor.close()


async def power(book: FaultBook, served: list[Served]) -> None:
    """Switch off the listeners of nodes that went down (ending their sessions), switch the others back on."""
    for one in served:
        down = book.get(one.node.runtime.name).down
        if down and one.acceptor is not None:
            one.acceptor.close()
            one.acceptor = None
            for conn in list(one.node.connections):
                conn.abort()
            one.node.connections.clear()
        elif not down and one.acceptor is None:
            try:
                one.acceptor = await serve(one.node, book, one.port, one.options)
            except OSError as exc:  # retried at the next look
                log.warning("%s cannot listen again: %s", one.node.runtime.name, exc.strerror)


def watch(book: FaultBook, served: list[Served]) -> None:
    """Apply every wipe or replacement the state file records and this worker has not applied yet."""
    book.refresh()
    for one in served:
        record = book.records.get(one.node.runtime.name)
        if record is None or record.get("generation", 0) == one.generation:
            continue
        try:
            reload(one, NodeRuntime(**{k: v for k, v in record.items() if k in RUNTIME_FIELDS}))
        except Exception:  # a broken node must not take the others down
            log.exception("could not reload %s", one.node.runtime.name)


def reload(one: Served, runtime: NodeRuntime) -> None:
    """The node reloads: its sessions end, it comes back with its factory default (and, replaced, a new key)."""
    for conn in list(one.node.connections):
        conn.abort()
    one.node.connections.clear()
    one.node.reload(runtime)
    if runtime.host_key_path and runtime.host_key_fingerprint != one.key:
        one.options = server_options(asyncssh.read_private_key(runtime.host_key_path))
        if one.acceptor is not None:
            one.acceptor.update(server_host_keys=[asyncssh.read_private_key(runtime.host_key_path)])
        one.key = runtime.host_key_fingerprint
    one.generation = runtime.generation
    write_private_json(one.node.dir / APPLIED, runtime.generation)
    log.warning("%s reloaded (generation %d%s)", runtime.name, runtime.generation, ", replaced" if runtime.replaced else "")


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


def _skip_unconfigured_reload() -> None:
    """asyncssh rebuilds a server's options in a thread at every login, to apply ``Match`` blocks of an
    sshd_config-style file (about a tenth of the lab's CPU in a backup of many switches); the lab loads no such
    file, so the rebuild yields the options the connection already has. Rebuild only where one was loaded."""
    reload = asyncssh.connection.SSHServerConnection.reload_config

    async def reload_if_configured(self: Any) -> None:
        if self._options.config.loaded:
            await reload(self)

    asyncssh.connection.SSHServerConnection.reload_config = reload_if_configured  # type: ignore[method-assign]


def main() -> None:
    lab_dir, shard, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    logging.basicConfig(level=logging.WARNING, format=f"%(asctime)s worker{shard} %(name)s: %(message)s")
    logging.getLogger("asyncssh").setLevel(logging.ERROR)
    _skip_disabled_asyncssh_logs()
    _skip_unconfigured_reload()
    asyncio.run(run(lab_dir, shard, count))


if __name__ == "__main__":
    main()
