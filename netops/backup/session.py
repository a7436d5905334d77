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

Registered with nornir as the ``netops_netmiko`` connection plugin (entry point
in ``pyproject.toml``); it takes the same parameters and extras as
nornir-netmiko's ``netmiko`` plugin, plus ``netops_host_key_check`` (a
:class:`~netops.inventory.hostkeys.HostKeyCheck`, which ``fetch.open_session``
passes with the host's inventory name and pinned keys). Without it, a plain
Nornir script still gets verified sessions: the address is the name and the
known_hosts is that of netops' data directory.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import paramiko
from netmiko import BaseConnection
from netmiko.exceptions import NetmikoTimeoutException
from netmiko.ssh_dispatcher import CLASS_MAPPER
from nornir.core.configuration import Config
from paramiko.ssh_exception import BadHostKeyException

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
