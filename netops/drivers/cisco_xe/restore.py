"""IOS-XE restore: hier_config remediation from the running to the stored configuration."""

from netops.drivers.remediation import hier_remediation


def remediation(running: str, intended: str) -> list[str]:
    return hier_remediation(running, intended, "iosxe")
