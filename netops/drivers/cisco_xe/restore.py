"""IOS-XE restore: hier_config remediation from the running to the stored configuration.

Removing a local user or the enable secret needs no secret (Cisco IOS XE Security
Command Reference: ``no username name``; ``no enable secret [level level]``), so those
negations are pushed without the redacted value.
"""

from netops.drivers.remediation import Negation, hier_remediation, without_secrets

SECRET_FREE = (
    Negation(r"^(\s*)no (username \S+)\b.*$", r"\1no \2"),
    Negation(r"^(\s*)no (enable secret)(?: \d)?(?: level (\d+))?\b.*$", r"\1no \2"),
)


def remediation(running: str, intended: str) -> list[str]:
    return without_secrets(hier_remediation(running, intended, "iosxe"), SECRET_FREE)
