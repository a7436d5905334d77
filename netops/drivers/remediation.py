"""Building blocks of the platform drivers' restore: the commands that turn a running
configuration into a stored one.

Two strategies: hierarchical (hier_config, for indented configurations) and
line sets with declarative negation rules (flat configurations such as
AireOS). Both work on cleaned text, so redacted lines show up as commands
carrying the REDACTED marker; a step a platform cannot do itself starts with
:data:`MANUAL`. The restore capability (:mod:`netops.backup.manual`) moves both
out of what is pushed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hier_config import HConfig, Host

from netops.drivers.base import REDACTED

MANUAL = "! manual: "  # prefix of a step netops cannot do itself


def hier_remediation(running: str, intended: str, os: str) -> list[str]:
    """hier_config remediation as commands: one space per level, ``exit`` when leaving a section."""
    host = Host("device", os)
    have, want = HConfig(host), HConfig(host)
    have.load_from_string(running)
    want.load_from_string(intended)
    remediation = have.config_to_get_to(want)
    remediation.set_order_weight()
    out: list[str] = []
    depth = 0
    for child in remediation.all_children_sorted():
        level = child.depth() - 1
        out += [" " * d + "exit" for d in range(depth, level, -1)]
        out.append(" " * level + child.text)
        depth = level
    out += [" " * d + "exit" for d in range(depth, 0, -1)]
    return out


@dataclass(frozen=True)
class Negation:
    """A removed line matching ``pattern`` is undone by ``command`` (re.sub template)."""

    pattern: str
    command: str


def lineset_remediation(
    running: str, intended: str, negations: tuple[Negation, ...], add_prefix: str = ""
) -> list[str]:
    """Flat configurations: negate what is extra, add what is missing (in stored order).

    A removed line that differs from an added line in one argument only is a
    setting the added line overwrites, so it needs no negation.
    """
    have = [line for line in running.splitlines() if line.strip()]
    want = [line for line in intended.splitlines() if line.strip()]
    have_set, want_set = set(have), set(want)
    added = [line for line in want if line not in have_set]
    removed = [line for line in have if line not in want_set]
    commands: list[str] = []
    for line in reversed(removed):
        if any(_one_argument_apart(line, new) for new in added):
            continue
        for rule in negations:
            if re.search(rule.pattern, line):
                commands.append(re.sub(rule.pattern, rule.command, line))
                break
        else:
            commands.append(f"{MANUAL}remove `{line}` (no known negation)")
    commands += [add_prefix + line for line in added]
    return commands


def _one_argument_apart(a: str, b: str) -> bool:
    ta, tb = a.split(), b.split()
    return len(ta) == len(tb) and len(ta) > 2 and sum(x != y for x, y in zip(ta, tb)) == 1


def without_secrets(commands: list[str], negations: tuple[Negation, ...]) -> list[str]:
    """Removals that need no secret: a negated line carrying the REDACTED marker becomes the shorter command
    ``negations`` give for it (``no username breakglass privilege 15 secret 9 <removed>`` -> ``no username
    breakglass``), so restore can push it instead of asking a human for a secret it does not need.

    A removal whose object is also added back (a user whose privilege changed) stays as it is: pushing the short
    form would delete the user while adding it back needs the secret netops does not have.
    """
    out = []
    for command in commands:
        rule = next((n for n in negations if REDACTED in command and re.search(n.pattern, command)), None)
        short = re.sub(rule.pattern, rule.command, command) if rule else command
        target = short.strip().removeprefix("no ")
        readded = rule is not None and any(c.strip().startswith(target + " ") for c in commands if c is not command)
        out.append(command if readded else short)
    return out
