"""Fetch a device's configuration over SSH (nornir + netmiko) and explain failures.

Connections are opened per fetch with netops' tuning and closed right after, so
a run over a thousand devices never holds a thousand sessions. A backup reads over
netops' own :class:`~netops.backup.session.Shell` where the platform's driver
describes its CLI and the host needs nothing netmiko alone provides
(:func:`open_reader`); everything else goes through netmiko.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass
from functools import cache

from netmiko import BaseConnection
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout
from nornir.core.task import Task
from paramiko import SSHConfig
from paramiko.ssh_exception import SSHException

from netops.backup import session
from netops.backup.clean import any_of
from netops.drivers.base import PlatformDriver
from netops.inventory.hostkeys import BadPinnedKey, HostKeyCheck, HostKeyRefused, data_dir_of

PARAMETERS = "netmiko"  # the inventory's connection options netops' sessions use
REDIRECTS = {"proxycommand", "proxyjump", "port", "user"}  # SSH config keys only netmiko's session honours

# Failures travel in results; keep nornir from printing tracebacks through logging's last resort.
logging.getLogger("nornir").addHandler(logging.NullHandler())


@dataclass(frozen=True)
class FetchOptions:
    """Per-device limits and netmiko session tuning."""

    timeout: float = 60.0  # seconds for a whole command output; connect/auth get at most 15 s
    fast_cli: bool = True

    def extras(self) -> dict[str, object]:
        step = min(self.timeout, 15.0)
        return {
            "fast_cli": self.fast_cli,
            "conn_timeout": step,
            "auth_timeout": step,
            "banner_timeout": step,
            "blocking_timeout": step,
            "read_timeout_override": self.timeout,  # also bounds netmiko's fixed 20 s session-setup reads
            "session_log": None,
        }


def open_session(task: Task, driver: PlatformDriver, options: FetchOptions) -> BaseConnection:
    """An SSH session to the task's host, in privileged mode where the platform has one.

    The device's host key is verified before login against the known_hosts of the
    data directory the Nornir object was opened with and the host's pinned keys
    (:mod:`netops.inventory.hostkeys`); a mismatch raises ``HostKeyRefused``.
    """
    assert driver.backup is not None and driver.netmiko_device_type is not None
    host = task.host
    params = host.get_connection_parameters(PARAMETERS)
    check = HostKeyCheck.for_host(data_dir_of(task.nornir.config), host)
    plugin = host.open_connection(
        session.NAME,
        task.nornir.config,
        hostname=params.hostname,
        username=params.username,
        password=params.password,
        port=params.port,
        platform=driver.netmiko_device_type,
        extras={**(params.extras or {}), **options.extras(), session.CHECK: check},
    )
    conn = plugin.connection
    if driver.backup.privileged:
        session.ensure_privileged(conn, driver.backup.privileged_prompt)
    return conn


def fetch_config(task: Task, driver: PlatformDriver, options: FetchOptions) -> str:
    """Run the platform's backup commands; their outputs joined by newlines."""
    return fetch_config_and_neighbors(task, driver, options, neighbors=False)[0]


def fetch_config_and_neighbors(
    task: Task, driver: PlatformDriver, options: FetchOptions, neighbors: bool = True
) -> tuple[str, list[tuple[str, str]] | None]:
    """The configuration (as :func:`fetch_config`) and, on the same session, the outputs of the
    driver's neighbour commands as ``[(command, output), ...]``.

    The neighbour commands share one budget of ``options.timeout`` seconds; a failure among them
    (a timeout, a lost session) only loses the table (None), never the configuration already read.
    """
    assert driver.backup is not None
    conn: BaseConnection | session.Shell | None = None
    try:
        conn = open_reader(task, driver, options)
        config = "\n".join(
            str(conn.send_command(command, read_timeout=options.timeout)) for command in driver.backup.commands
        )
        spec = driver.neighbors if neighbors else None
        return config, (_neighbor_outputs(conn, spec.commands, options.timeout) if spec is not None else None)
    except ReadTimeout:
        channel = getattr(conn, "remote_conn", None)
        if getattr(channel, "closed", False) or getattr(channel, "eof_received", False):
            raise EOFError("the device closed the session during the output") from None
        raise
    finally:
        if isinstance(conn, session.Shell):
            conn.close()
        close(task)


def open_reader(task: Task, driver: PlatformDriver, options: FetchOptions) -> BaseConnection | session.Shell:
    """The session a backup reads over: a :class:`~netops.backup.session.Shell` where the driver has a
    ``shell`` spec and the host logs in with a password alone (no netmiko option but the enable secret, no
    entry in the SSH config file nornir names), else netmiko's (:func:`open_session`)."""
    assert driver.backup is not None
    spec = driver.backup.shell
    if spec is None:
        return open_session(task, driver, options)
    host = task.host
    params = host.get_connection_parameters(PARAMETERS)
    extras = params.extras or {}
    if set(extras) - {"secret"} or params.password is None or _ssh_config_names(task.nornir.config.ssh.config_file, str(params.hostname)):
        return open_session(task, driver, options)
    login = session.Login(
        host=str(params.hostname), port=params.port or 22, username=str(params.username), password=params.password,
        secret=extras.get("secret"), step=min(options.timeout, 15.0),
        check=HostKeyCheck.for_host(data_dir_of(task.nornir.config), host),
    )
    privileged = driver.backup.privileged_prompt if driver.backup.privileged else None
    return session.Shell(login, spec, privileged, options.timeout)


def _ssh_config_names(config_file: str | None, hostname: str) -> bool:
    """Whether nornir's SSH config file redirects ``hostname`` (a proxy, another address, port or user)."""
    config = _ssh_config(os.path.expanduser(config_file)) if config_file else None
    if config is None:
        return False
    entry = config.lookup(hostname)
    return entry.get("hostname", hostname) != hostname or bool(REDIRECTS & set(entry))


@cache
def _ssh_config(path: str) -> SSHConfig | None:
    return SSHConfig.from_path(path) if os.path.isfile(path) else None


def _neighbor_outputs(conn: BaseConnection | session.Shell, commands: tuple[str, ...], budget: float) -> list[tuple[str, str]] | None:
    """Each command's output within ``budget`` seconds in all; None when one of them fails."""
    deadline = time.monotonic() + budget
    outputs: list[tuple[str, str]] = []
    try:
        for command in commands:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            outputs.append((command, str(conn.send_command(command, read_timeout=left))))
    except (ReadTimeout, NetmikoTimeoutException, OSError, EOFError, SSHException):
        return None
    return outputs


def fetch_outputs(task: Task, driver: PlatformDriver, options: FetchOptions, commands: tuple[str, ...]) -> dict[str, str]:
    """Show commands on one privileged session: ``{command: output}`` of those the device answered.

    An output that is a platform error (the backup spec's ``error_patterns``: a command this model does not
    have) is left out. The commands share one budget of ``options.timeout`` seconds; a session that cannot be
    opened, or a timeout, raises (``describe`` says why), so a device that did not answer is never read as one
    that has nothing.
    """
    assert driver.backup is not None
    errors = any_of(driver.backup.error_patterns)
    deadline = time.monotonic() + options.timeout
    outputs: dict[str, str] = {}
    try:
        conn = open_session(task, driver, options)
        for command in commands:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ReadTimeout(f"{command}: no time left")
            text = str(conn.send_command(command, read_timeout=left))
            if not any(errors.match(line.strip()) for line in text.splitlines()):
                outputs[command] = text
    finally:
        close(task)
    return outputs


def close(task: Task, graceful: bool = False) -> None:
    """Close the session, ignoring a peer that already went away.

    A read-only session is simply dropped: netmiko's graceful logout waits on
    some platforms (AireOS about 3 s, a shell up to the read timeout) for nothing.
    """
    plugin = task.host.connections.pop(session.NAME, None)
    if plugin is None:
        return
    try:
        if graceful:
            plugin.connection.disconnect()
        else:
            plugin.connection.paramiko_cleanup()
    except (OSError, EOFError, SSHException, NetmikoTimeoutException, ReadTimeout):
        pass


def describe(exc: BaseException, timeout: float) -> str:
    """A one-line reason for a failed fetch (device output is never quoted)."""
    first = (str(exc).strip().splitlines() or [""])[0][:120]
    if isinstance(exc, (HostKeyRefused, BadPinnedKey)):
        return str(exc)  # host, both fingerprints and the command that accepts the new key, on one line
    if isinstance(exc, session.EnableRefused):
        return f"enable failed: {first}"
    if isinstance(exc, NetmikoAuthenticationException):
        return "authentication failed"
    if isinstance(exc, ReadTimeout):
        return f"no complete reply within {timeout:g}s (device hung or too slow)"
    if isinstance(exc, NetmikoTimeoutException):
        return f"timed out: {first}" if first else "timed out"
    if isinstance(exc, (EOFError, SSHException, socket.error)):
        return f"connection lost: {first or type(exc).__name__}"
    return f"{type(exc).__name__}: {first}"
