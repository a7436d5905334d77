"""netops' SSH sessions: netmiko connections that remember the prompt they saw.

netmiko learns the device prompt while preparing a session, then forgets its
last character. Remembering it lets a backup skip ``enable`` when the login
already landed in privileged mode (a privilege-15 account, the usual case under
AAA) instead of asking the device again: one round trip less per device, and
two less for ``enable`` when the login lands in user mode.

Every session verifies the device's SSH host key before authenticating
(:mod:`netops.inventory.hostkeys`): the key trusted for its address, pinned by
the inventory or recorded at the first contact; a first contact records it; any
other key is refused (:class:`~netops.inventory.hostkeys.HostKeyRefused`) and
no password is sent. netmiko's own host-key options (``ssh_strict``,
``system_host_keys``, ``alt_host_keys``) are not used.

Where the platform's driver describes its CLI (:class:`~netops.drivers.base.ShellSpec`), backups use
:class:`Shell` instead: the same paramiko login, host-key check, session commands and ``enable``, but each
read waits on the channel for the prompt, where netmiko sleeps in fixed steps (about 0.4 s a device, and
more rounds with the device). It only reads: no configuration mode, no save.

Registered with nornir as the ``netops_netmiko`` connection plugin (entry point
in ``pyproject.toml``); it takes the same parameters and extras as
nornir-netmiko's ``netmiko`` plugin, plus ``netops_host_key_check`` (a
:class:`~netops.inventory.hostkeys.HostKeyCheck`, which ``fetch.open_session``
passes with the host's inventory name and pinned keys). Without it, a plain
Nornir script still gets verified sessions: the address is the name and the
known_hosts is that of netops' data directory.
"""

from __future__ import annotations

import codecs
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import paramiko
from netmiko import BaseConnection
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout
from netmiko.ssh_dispatcher import CLASS_MAPPER
from nornir.core.configuration import Config
from paramiko.ssh_exception import BadHostKeyException

from netops.drivers.base import ShellSpec
from netops.inventory.hostkeys import HostKeyCheck, PublicKey, data_dir_of

NAME = "netops_netmiko"
CHECK = "netops_host_key_check"  # the extra carrying the session's HostKeyCheck


class EnableRefused(Exception):
    """The device did not grant privileged mode (wrong or missing enable secret)."""


@cache
def _remembering(cls: type[BaseConnection]) -> type[BaseConnection]:
    """``cls`` recording the last prompt it found and whether ``enable`` succeeded."""

    class Remembering(cls):  # type: ignore[valid-type, misc]
        last_prompt: str = ""
        enabled: bool = False
        host_key_check: HostKeyCheck

        def __init__(self, *args: Any, host_key_check: HostKeyCheck, **kwargs: Any) -> None:
            self.host_key_check = host_key_check  # before netmiko's __init__ connects
            super().__init__(*args, **kwargs)

        def _build_ssh_client(self) -> paramiko.SSHClient:
            client = self._get_ssh_client_instance()  # a platform's own client class stays
            self.host_key_check.prepare(client)
            return client

        def establish_connection(self, *args: Any, **kwargs: Any) -> None:
            try:
                super().establish_connection(*args, **kwargs)
            except NetmikoTimeoutException as exc:  # netmiko wraps paramiko's BadHostKeyException in it
                if isinstance(exc.__context__, BadHostKeyException):
                    raise self.host_key_check.refused(PublicKey.of(exc.__context__.key)) from None
                raise

        def find_prompt(self, *args: Any, **kwargs: Any) -> str:
            self.last_prompt = super().find_prompt(*args, **kwargs)
            return self.last_prompt

        def enable(self, *args: Any, **kwargs: Any) -> str:
            try:
                output = super().enable(*args, **kwargs)
            except ValueError as exc:  # netmiko's "Failed to enter enable mode"
                raise EnableRefused("the device did not grant privileged mode (check the enable secret)") from exc
            self.enabled = True
            return output

    if cls.enable_secret_handler is BaseConnection.enable_secret_handler:  # a platform's own handler stays
        Remembering.enable_secret_handler = _enable_secret_handler
    Remembering.__name__ = Remembering.__qualname__ = f"Remembering{cls.__name__}"
    return Remembering


def _enable_secret_handler(self: BaseConnection, pattern: str, output: str, re_flags: int = re.IGNORECASE) -> str:
    """Send the secret; the password prompt again, instead of the device prompt, is a
    refusal (netmiko would wait for a prompt that never comes)."""
    if not re.search(pattern, output, flags=re_flags):
        return ""
    self.write_channel(self.normalize_cmd(self.secret))
    reply = self.read_until_prompt_or_pattern(pattern=pattern, re_flags=re_flags)
    if re.search(pattern, reply, flags=re_flags):
        raise EnableRefused("the device refused the enable secret")
    return reply


def ensure_privileged(conn: BaseConnection, privileged_prompt: str) -> None:
    """Enter privileged mode unless the session is known to be there already.

    ``privileged_prompt`` is the platform's regex for a privileged prompt. A
    prompt known to be unprivileged skips netmiko's check before ``enable``; an
    unknown one (a session class that never looked) falls back to it. The
    prompt after the secret proves success, so no check follows either.
    """
    prompt = getattr(conn, "last_prompt", "")
    if getattr(conn, "enabled", False) or (prompt and re.search(privileged_prompt, prompt)):
        return
    conn.enable(check_state=not prompt, enable_pattern=privileged_prompt)


class Session:
    """The nornir connection plugin: a netmiko session of the host's device type."""

    connection: BaseConnection

    def open(
        self,
        hostname: str | None,
        username: str | None,
        password: str | None,
        port: int | None,
        platform: str | None,
        extras: dict[str, Any] | None = None,
        configuration: Config | None = None,
    ) -> None:
        if platform not in CLASS_MAPPER:
            raise ValueError(f"unsupported netmiko device type: {platform!r}")
        parameters: dict[str, Any] = {"host": hostname, "username": username, "password": password, "port": port}
        if configuration is not None and configuration.ssh.config_file:
            parameters["ssh_config_file"] = configuration.ssh.config_file
        parameters.update(extras or {})
        check = parameters.pop(CHECK, None)
        if check is None:
            check = HostKeyCheck.of(data_dir_of(configuration), str(hostname), str(hostname), port)
        session_class: Any = _remembering(CLASS_MAPPER[platform])
        self.connection = session_class(device_type=platform, host_key_check=check, **parameters)

    def close(self) -> None:
        self.connection.disconnect()


@dataclass(frozen=True)
class Login:
    """Where and how :class:`Shell` logs in; ``step`` bounds the TCP connect, the banner and the authentication."""

    host: str
    port: int
    username: str
    password: str
    secret: str | None
    step: float
    check: HostKeyCheck


NEWLINES = re.compile(r"\r\r\r\n|\r\r\n|\r\n|\n\r|\r")  # netmiko's normalize_linefeeds
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
CHUNK = 65536


class Shell:
    """A read-only CLI session on one paramiko channel, driven by the prompt (see the module docstring).

    ``send_command(command, read_timeout)`` answers as netmiko's does (the echo and the closing prompt removed,
    line ends normalised), so the backup reads either kind of session alike. Failures raise what netmiko's would
    (``NetmikoAuthenticationException``, ``NetmikoTimeoutException``, ``ReadTimeout``, :class:`EnableRefused`),
    and a device that closes the session mid-output raises ``EOFError``.
    """

    def __init__(self, login: Login, spec: ShellSpec, privileged_prompt: str | None, read_timeout: float) -> None:
        self.spec = spec
        self.any_prompt = re.compile(spec.prompt)
        self.prompt = ""
        self.client = paramiko.SSHClient()
        try:
            self._connect(login)
            channel = self.client.invoke_shell(term="vt100", width=511, height=1000)
            self.channel: paramiko.Channel = channel
            self._read(lambda text: self._last_prompt(text), read_timeout)  # the login's banner, then a prompt
            for command in spec.setup:
                self.send_command(command, read_timeout, learn=True)
            if privileged_prompt is not None and not re.search(privileged_prompt, self.prompt):
                self._enable(login.secret, privileged_prompt, read_timeout)
        except BaseException:
            self.close()
            raise

    def _connect(self, login: Login) -> None:
        login.check.prepare(self.client)
        try:
            self.client.connect(
                login.host, login.port, login.username, login.password, timeout=login.step, auth_timeout=login.step,
                banner_timeout=login.step, look_for_keys=False, allow_agent=False,
            )
        except paramiko.BadHostKeyException as exc:
            raise login.check.refused(PublicKey.of(exc.key)) from None
        except paramiko.AuthenticationException:
            raise NetmikoAuthenticationException("Authentication to device failed.") from None
        except (OSError, EOFError) as exc:  # refused, unreachable, timed out (paramiko's NoValidConnectionsError too)
            raise NetmikoTimeoutException(f"TCP connection to device failed: {exc}") from None
        except paramiko.SSHException as exc:
            raise NetmikoTimeoutException(f"SSH session setup failed: {exc}") from None

    def _last_prompt(self, text: str) -> str | None:
        """The prompt the text ends with, if it ends with one."""
        last = text.rpartition("\n")[2].rstrip()
        return last if self.any_prompt.match(last) else None

    def _read(self, done: Callable[[str], object], timeout: float) -> str:
        """Read until ``done(text)`` is truthy for the text read so far; raise on timeout or end of session."""
        deadline = time.monotonic() + timeout
        decoder = codecs.getincrementaldecoder("utf-8")("ignore")  # as netmiko decodes
        text = ""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ReadTimeout(f"no complete reply within {timeout:g}s")
            self.channel.settimeout(left)
            try:
                data = self.channel.recv(CHUNK)
            except TimeoutError:
                continue
            if not data:
                raise EOFError("the device closed the session during the output")
            text += decoder.decode(data)
            if done(text):
                return text

    def send_command(self, command: str, read_timeout: float, learn: bool = False) -> str:
        """The command's output: what follows its echo up to the prompt. ``learn``: take the prompt that
        follows as the session's (a setup command); else wait for the session's prompt exactly."""
        self.channel.sendall(f"{command}\n".encode())

        def reply(text: str) -> str | None:  # what follows the echo, once the prompt closes it
            at = text.find(command)
            if at < 0:
                return None
            after = text[at + len(command):]
            if learn:
                return after if "\n" in after and self._last_prompt(after) else None
            return after if after.rstrip().endswith("\n" + self.prompt) else None

        after = reply(self._read(reply, read_timeout)) or ""
        if learn:
            self.prompt = self._last_prompt(after) or ""
        output = NEWLINES.sub("\n", after.rstrip())
        output = output[output.find("\n") + 1 : output.rfind("\n")]  # the rest of the echo line, the prompt
        return ANSI.sub("", output) if "\x1b" in output else output

    def _enable(self, secret: str | None, privileged_prompt: str, timeout: float) -> None:
        """``enable`` and the secret; the question again, or a prompt still unprivileged, is a refusal."""
        asks = re.compile(self.spec.secret_prompt)
        self.channel.sendall(f"{self.spec.enable}\n".encode())
        text = self._read(lambda t: asks.search(t) or ("\n" in t and self._last_prompt(t)), timeout)
        if asks.search(text):
            self.channel.sendall(f"{secret or ''}\n".encode())
            text = self._read(lambda t: asks.search(t) or self._last_prompt(t), timeout)
            if asks.search(text):
                raise EnableRefused("the device refused the enable secret")
        self.prompt = self._last_prompt(text) or ""
        if not re.search(privileged_prompt, self.prompt):
            raise EnableRefused("the device did not grant privileged mode (check the enable secret)")

    def close(self) -> None:
        """Drop the session (a read-only session needs no logout)."""
        self.client.close()
