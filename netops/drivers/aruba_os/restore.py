"""Aruba AOS 8 restore: the configuration is indented like IOS (``no`` negates,
``exit`` leaves a profile), so hier_config's generic hierarchy applies.

Removing a management user needs no password (ArubaOS 8 CLI Reference,
``mgmt-user``: ``no mgmt-user <username>``), so that negation is pushed without it.
"""

from netops.drivers.remediation import Negation, hier_remediation, without_secrets

SECRET_FREE = (Negation(r"^(\s*)no (mgmt-user \S+)\b.*$", r"\1no \2"),)


def remediation(running: str, intended: str) -> list[str]:
    return without_secrets(hier_remediation(running, intended, "aruba"), SECRET_FREE)
