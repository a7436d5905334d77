"""Aruba Instant restore: the configuration is indented like AOS 8 (``no``
negates, ``exit`` leaves a profile), so hier_config's generic hierarchy applies.
Instant stages configuration changes until ``commit apply``, which also saves them."""

from __future__ import annotations

from typing import Any

from netops.drivers.remediation import hier_remediation


def remediation(running: str, intended: str) -> list[str]:
    return hier_remediation(running, intended, "aruba")


def push(conn: Any, commands: list[str], timeout: float) -> str:
    output = conn.send_config_set(commands, read_timeout=timeout, cmd_verify=False)
    return output + conn.send_command("commit apply", read_timeout=timeout)
