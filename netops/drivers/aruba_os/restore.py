"""Aruba AOS 8 restore: the configuration is indented like IOS (``no`` negates,
``exit`` leaves a profile), so hier_config's generic hierarchy applies."""

from netops.drivers.remediation import hier_remediation


def remediation(running: str, intended: str) -> list[str]:
    return hier_remediation(running, intended, "aruba")
