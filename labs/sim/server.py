"""The SSH side of a worker: asyncssh servers that run a platform CLI session per channel.

Input is buffered and handled a line at a time; a line is echoed together with
its output and the next prompt in one write, so a session costs few packets.
Faults are applied here, the same for every platform.
"""

from __future__ import annotations

import asyncio
import logging

import asyncssh

from labs.sim.device import CliSession, Reply, SimNode
from labs.sim.faults import FaultBook, Faults

log = logging.getLogger("labs.sim")
TRUNCATE_AT = 0.4  # share of a configuration sent before a disconnect or truncate fault
INVALID = "% Invalid input detected at '^' marker."  # what the reject fault answers (IOS style)


class SimServer(asyncssh.SSHServer):
    """One SSH connection to a simulated node."""

    def __init__(self, node: SimNode, book: FaultBook) -> None:
        self.node = node
        self.book = book
        self.faults: Faults = book.get(node.runtime.name)
        self.conn: asyncssh.SSHServerConnection | None = None
        self.username: str | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        self.node.connections.add(conn)  # a wipe (a reload) ends them

    def connection_lost(self, exc: Exception | None) -> None:
        if self.conn is not None:
            self.node.connections.discard(self.conn)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        if self.faults.auth_fail:
            return False
        if not self.node.session_cls.checks_ssh_login:
            return True  # the device asks for credentials itself, in the session
        if self.node.accepts_login(username, password):
            self.username = username
            return True
        return False

    def session_requested(self) -> ChannelSession:
        return ChannelSession(self.node, self.faults, self.username, self.book)


class ChannelSession(asyncssh.SSHServerSession):
    """Runs one CLI session over an SSH channel."""

    def __init__(self, node: SimNode, faults: Faults, login: str | None = None, book: FaultBook | None = None) -> None:
        self.node = node
        self.faults = faults
        self.book = book
        self.cli: CliSession = node.session_cls(node, login)
        self.chan: asyncssh.SSHServerChannel | None = None
        self.buffer = ""
        self.eof = False
        self.wakeup = asyncio.Event()
        self.task: asyncio.Task | None = None
        self.exec_command: str | None = None
        self.config_lines = 0  # lines received in configuration mode (the drop-after fault)

    # -- asyncssh callbacks -------------------------------------------------
    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:
        self.chan = chan

    def pty_requested(self, term_type, term_size, term_modes) -> bool:
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        self.exec_command = command
        return True

    def session_started(self) -> None:
        self.task = asyncio.ensure_future(self._run())

    def data_received(self, data: str, datatype) -> None:
        self.buffer += data
        self.wakeup.set()

    def eof_received(self) -> bool:
        self.eof = True
        self.wakeup.set()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.eof = True
        if self.task is not None:
            self.task.cancel()

    # -- the session ----------------------------------------------------------
    def _write(self, text: str) -> None:
        if self.chan is not None and not self.eof:
            self.chan.write(text.replace("\r\n", "\n").replace("\n", "\r\n"))

    async def _wait_input(self) -> bool:
        while not self.buffer and not self.eof:
            self.wakeup.clear()
            await self.wakeup.wait()
        return bool(self.buffer)

    async def _readline(self) -> str | None:
        while True:
            for i, ch in enumerate(self.buffer):
                if ch in "\r\n":
                    line = self.buffer[:i]
                    skip = 2 if self.buffer[i : i + 2] == "\r\n" else 1
                    self.buffer = self.buffer[i + skip :]
                    return line
            if self.eof:
                return None
            self.wakeup.clear()
            await self.wakeup.wait()

    async def _readkey(self) -> str | None:
        if not await self._wait_input():
            return None
        key, self.buffer = self.buffer[0], self.buffer[1:]
        if key == "\r" and self.buffer.startswith("\n"):
            self.buffer = self.buffer[1:]
        return key

    async def _run(self) -> None:
        try:
            if self.exec_command is not None:
                await self._run_exec(self.exec_command)
                return
            self._write(self.cli.greeting() + self.cli.current_prompt)
            while True:
                line = await self._readline()
                if line is None:
                    break
                echo = line if self.cli.echo else ""
                if self._hangs():
                    continue  # accepts input, never answers
                if self.faults.slow:
                    await asyncio.sleep(self.faults.slow)
                reply = self._push_fault(line)
                if reply is None:
                    return
                if not await self._output(echo + "\n", reply):
                    return
                if reply.close:
                    break
                self._write(self.cli.current_prompt)
            self._close()
        except asyncio.CancelledError:
            pass
        except Exception:  # a simulator bug must not kill the worker
            log.exception("session on %s failed", self.node.runtime.name)
            self._close()

    async def _run_exec(self, command: str) -> None:
        if not self.cli.checks_ssh_login or self._hangs():
            self._close(1)
            return
        self.cli.page_length = 0
        for line in command.split(";"):
            reply = self.cli.handle(line)
            if not await self._output("", reply):
                return
        self._close()

    def _push_fault(self, line: str) -> Reply | None:
        """The device's reply to ``line`` under the push faults (None: the connection dropped). They act on lines
        typed in configuration mode (a prompt with ``(config``) other than ``end``."""
        configuring = "(config" in self.cli.current_prompt and line.strip() and line.strip() != "end"
        if not configuring:
            return self.cli.handle(line)
        self.config_lines += 1
        if self.faults.drop_after is not None and self.config_lines > self.faults.drop_after:
            if self.chan is not None:
                self.chan.get_connection().abort()
            return None
        action = self.faults.pushed(line)
        if action == "reject":
            return Reply(INVALID)
        return Reply() if action == "ignore" else self.cli.handle(line)

    def _hangs(self) -> bool:
        """The hang fault, or (looked up at every line) cut off from the core by a node that is down."""
        return self.faults.hang or (self.book is not None and self.book.get(self.node.runtime.name).silent)

    async def _output(self, head: str, reply: Reply) -> bool:
        """Send a reply (paged when the session pages); False when the session ended."""
        text = reply.text
        if reply.config and (self.faults.disconnect or self.faults.truncate):
            lines = text.split("\n")
            text = "\n".join(lines[: max(1, int(len(lines) * TRUNCATE_AT))])
            if self.faults.disconnect:
                self._write(head + text)
                await asyncio.sleep(0.05)
                if self.chan is not None:
                    self.chan.get_connection().abort()
                return False
        if text and not text.endswith("\n"):
            text += "\n"
        lines = text.split("\n")
        page = self.cli.page_length
        if not page or len(lines) <= page:
            self._write(head + text)
            return True
        self._write(head)
        for start in range(0, len(lines), page):
            chunk = "\n".join(lines[start : start + page])
            last = start + page >= len(lines)
            self._write(chunk if last else chunk + "\n" + self.cli.more)
            if last:
                break
            key = await self._readkey()
            if key is None:
                return False
            self._write("\r" + " " * len(self.cli.more) + "\r")
            if key in "qQ":
                self._write("\n")
                break
        return True

    def _close(self, status: int = 0) -> None:
        if self.chan is not None and not self.eof:
            self.chan.exit(status)


def server_options(host_key: asyncssh.SSHKey) -> asyncssh.SSHServerConnectionOptions:
    """Options shared by every listener of a worker (building them per listener is slow).

    asyncssh rebuilds them for every login; ``gss_host=None`` (no GSSAPI) spares a
    ``socket.getfqdn()`` name lookup in a thread each time.
    """
    return asyncssh.SSHServerConnectionOptions(
        server_host_keys=[host_key], line_editor=False, login_timeout=30, keepalive_interval=0, gss_host=None,
    )


async def serve(node: SimNode, book: FaultBook, port: int, options: asyncssh.SSHServerConnectionOptions) -> asyncssh.SSHAcceptor:
    """Listen for SSH on the node's own address (``acceptor.update(server_host_keys=...)`` changes its host key
    for the connections that follow)."""
    return await asyncssh.create_server(lambda: SimServer(node, book), node.runtime.host, port, options=options, reuse_address=True)
