"""netops' SSH sessions: netmiko connections that remember the prompt they saw.

netmiko learns the device prompt while preparing a session, then forgets its
last character. Remembering it lets a backup skip ``enable`` when the login
already landed in privileged mode (a privilege-15 account, the usual case under
AAA) instead of asking the device again: one round trip less per device, and
two less for ``enable`` when the login lands in user mode.

Registered with nornir as the ``netops_netmiko`` connection plugin (entry point
in ``pyproject.toml``); it takes the same parameters and extras as
nornir-netmiko's ``netmiko`` plugin.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from netmiko import BaseConnection
from netmiko.ssh_dispatcher import CLASS_MAPPER
from nornir.core.configuration import Config

NAME = "netops_netmiko"


class EnableRefused(Exception):
    """The device did not grant privileged mode (wrong or missing enable secret)."""


@cache
def _remembering(cls: type[BaseConnection]) -> type[BaseConnection]:
    """``cls`` recording the last prompt it found and whether ``enable`` succeeded."""

    class Remembering(cls):  # type: ignore[valid-type, misc]
        last_prompt: str = ""
        enabled: bool = False

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
        self.connection = _remembering(CLASS_MAPPER[platform])(device_type=platform, **parameters)

    def close(self) -> None:
        self.connection.disconnect()
