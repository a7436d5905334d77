"""AireOS restore: a line-set comparison of ``show run-config commands`` output.

Stored lines are commands without their leading ``config``; a missing line is
added as ``config <line>``, an extra one is undone by the negation rules below.
"""

from netops.backup.remediate import Negation, lineset_remediation

NEGATIONS = (
    Negation(r"^wlan create (\d+) .*$", r"config wlan delete \1"),
    Negation(r"^wlan apgroup add (\S+).*$", r"config wlan apgroup delete \1"),
    Negation(r"^wlan apgroup interface-mapping add (\S+) (\d+) .*$", r"config wlan apgroup interface-mapping delete \1 \2"),
    Negation(r"^interface create (\S+) \d+$", r"config interface delete \1"),
    Negation(r"^wlan security pmf \S+ (\d+)$", r"config wlan security pmf disable \1"),
    Negation(r"^wlan peer-blocking \S+ (\d+)$", r"config wlan peer-blocking disable \1"),
    Negation(r"^snmp community create (.+)$", r"config snmp community delete \1"),
    Negation(r"^(radius|tacacs) (auth|acct|athr) add (\d+) .*$", r"config \1 \2 delete \3"),
    Negation(r"^mgmtuser add (\S+) .*$", r"config mgmtuser delete \1"),
    Negation(r"^(.+) enable( \d+)?$", r"config \1 disable\2"),
    Negation(r"^(.+) disable( \d+)?$", r"config \1 enable\2"),
)


def remediation(running: str, intended: str) -> list[str]:
    return lineset_remediation(running, intended, NEGATIONS, add_prefix="config ")
