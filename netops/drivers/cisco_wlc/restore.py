"""AireOS restore: a line-set comparison of ``show run-config commands`` output.

Stored lines are commands without their leading ``config``; a missing line is
added as ``config <line>``, an extra one is undone by the negation rules below.
AireOS refuses most changes to an enabled WLAN, so each WLAN a change touches is
disabled first and enabled again at the end when the stored copy has it enabled.
"""

import re

from netops.drivers.remediation import MANUAL, Negation, lineset_remediation

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

# Per-WLAN commands whose WLAN id follows these words; in the others (``config wlan
# usertimeout seconds wlan-id``, ``config wlan security ... wlan-id``) it is the last
# word (Cisco Wireless Controller Command Reference, AireOS 8.10).
ID_AFTER = tuple(
    tuple(p.split())
    for p in (
        "delete", "session-timeout", "interface", "exclusionlist", "radio", "qos", "acl", "dhcp_server", "chd",
        "flexconnect local-switching", "radius_server auth add", "radius_server auth delete",
        "radius_server acct add", "radius_server acct delete", "mobility anchor add", "mobility anchor delete",
    )
)
NOT_A_CHANGE = ("create", "enable", "apgroup")  # a new WLAN starts disabled; AP groups map, not change


def changed_wlan(command: str) -> str | None:
    """The WLAN id a ``config wlan`` command changes (None: not such a change)."""
    words = command.split()
    if words[:2] != ["config", "wlan"] or len(words) < 4 or words[2] in NOT_A_CHANGE:
        return None
    rest = words[2:]
    for prefix in ID_AFTER:
        if tuple(rest[: len(prefix)]) == prefix:
            wid = rest[len(prefix)] if len(rest) > len(prefix) else ""
            return wid if wid.isdigit() else None
    return rest[-1] if rest[-1].isdigit() else None


def disabled_while_changed(commands: list[str], intended: str) -> list[str]:
    """``commands`` with each changed WLAN disabled before its first change and
    enabled after the last, when ``intended`` has it enabled."""
    changed = {wid for c in commands if not c.startswith(MANUAL) and (wid := changed_wlan(c))}
    enabled = set(re.findall(r"^wlan enable (\d+)$", intended, re.M))
    out: list[str] = []
    held: list[str] = []
    for command in commands:
        words = command.split()
        if words[:3] == ["config", "wlan", "enable"] and words[3:] and words[3] in changed:
            continue  # enabled once, at the end
        wid = None if command.startswith(MANUAL) else changed_wlan(command)
        if wid is not None and wid not in held:
            held.append(wid)
            if words[2] != "disable":
                out.append(f"config wlan disable {wid}")
        out.append(command)
    return out + [f"config wlan enable {wid}" for wid in held if wid in enabled]


def negate(line: str) -> str | None:
    """The command that undoes a stored line (None: no known negation)."""
    rule = next((n for n in NEGATIONS if re.search(n.pattern, line)), None)
    return re.sub(rule.pattern, rule.command, line) if rule else None


def remediation(running: str, intended: str) -> list[str]:
    return disabled_while_changed(lineset_remediation(running, intended, NEGATIONS, add_prefix="config "), intended)
