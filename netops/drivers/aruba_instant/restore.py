"""Aruba Instant restore: the configuration is indented like AOS 8 (``no``
negates, ``exit`` leaves a profile), so hier_config's generic hierarchy applies.
Instant stages configuration changes until ``commit apply``, which also saves them."""

from __future__ import annotations

from typing import Any

from netops.drivers.remediation import hier_remediation


def remediation(running: str, intended: str) -> list[str]:
    return hier_remediation(running, intended, "aruba")


def push(conn: Any, commands: list[str], timeout: float) -> str:
    """Configure, then ``commit apply``. A restored name can change the prompt (a rebuilt Instant AP goes from
    its factory ``SetMeUp-...`` to its own), so the prompt is learnt again around the commit."""
    output = conn.send_config_set(commands, read_timeout=timeout, cmd_verify=False, exit_config_mode=False)
    output += conn.send_command("end", read_timeout=timeout, expect_string=r"#\s*$")
    conn.set_base_prompt()
    output += conn.send_command("commit apply", read_timeout=timeout, expect_string=r"#\s*$")
    conn.set_base_prompt()
    return output
