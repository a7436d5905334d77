"""``kind: lines``: configuration lines within their hierarchy (hardening baselines).

A rule selects hosts (``match`` takes host fields only), optionally the parent
lines it looks under (``parent``, e.g. ``line vty \\d+ \\d+``; without it the top
level), narrowed by the lines a parent has (``having``) or lacks (``lacking``),
and lists the lines that must be ``present`` and must be ``absent`` there. Every
regex matches the WHOLE line (``re.fullmatch``) unless the rule says
``partial: true`` (then ``re.search``): ``ip http server`` never matches
``ip http secure-server``.

Each finding carries the commands that fix it: the driver's own remediation
(hier_config, uci, AireOS line sets) from the running configuration to the same
configuration with the offending lines removed and ``fix`` added, or, where the
platform has no remediation, ``fix`` and the driver's negation of the offending
lines. A step netops must not push (the rule is ``manual``, a command carries a
secret or the REDACTED marker, nothing says how to add a missing line) starts
with :data:`netops.drivers.remediation.MANUAL`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from netops.drivers import all_drivers
from netops.drivers.base import REDACTED, LineSyntax, PlatformDriver
from netops.drivers.remediation import MANUAL
from netops.inventory.hosts import HostInfo
from netops.model import ParsedConfig
from netops.parsing.tree import Node
from netops.policy.findings import Detail, Finding
from netops.policy.policy import Rule

TOP_LEVEL = "(top level)"
KEYS = ("parent", "having", "lacking", "present", "absent", "fix", "partial", "manual")  # rule keys of the kind
PLACEHOLDER = re.compile(r"<[^<>]+>")  # ``<secret>``, ``<removed by netops>``: a value only a human has


@dataclass(frozen=True)
class LineSpec:
    """The compiled ``kind: lines`` part of a rule."""

    parent: re.Pattern[str] | None = None
    having: tuple[re.Pattern[str], ...] = ()
    lacking: tuple[re.Pattern[str], ...] = ()
    present: tuple[re.Pattern[str], ...] = ()
    absent: tuple[re.Pattern[str], ...] = ()
    fix: tuple[str, ...] = ()
    partial: bool = False
    manual: bool = False  # the fix is advice for a human, never pushed

    @classmethod
    def of(cls, raw: dict[str, object]) -> LineSpec:
        def rxs(key: str) -> tuple[re.Pattern[str], ...]:
            value = raw.get(key) or []
            return tuple(re.compile(str(v)) for v in (value if isinstance(value, list) else [value]))

        parent = raw.get("parent")
        fix = raw.get("fix") or []
        return cls(
            parent=re.compile(parent) if isinstance(parent, str) else None,
            having=rxs("having"), lacking=rxs("lacking"), present=rxs("present"), absent=rxs("absent"),
            fix=tuple(fix if isinstance(fix, list) else [str(fix)]),
            partial=bool(raw.get("partial")), manual=bool(raw.get("manual")),
        )

    def hit(self, rx: re.Pattern[str], text: str) -> bool:
        return (rx.search(text) if self.partial else rx.fullmatch(text)) is not None

    def scopes(self, roots: list[Node]) -> Iterator[tuple[Node | None, list[Node]]]:
        """``(parent, its children)`` for every parent the rule looks under (``(None, roots)``: the top level)."""
        if self.parent is None:
            yield None, roots
            return
        stack = list(reversed(roots))
        while stack:
            node = stack.pop()
            if self.hit(self.parent, node.text):
                texts = [c.text for c in node.children]
                if all(any(self.hit(rx, t) for t in texts) for rx in self.having) and not any(
                    self.hit(rx, t) for rx in self.lacking for t in texts
                ):
                    yield node, node.children
            stack += reversed(node.children)


def _subtree_lines(node: Node) -> set[int]:
    out = {node.line}
    for child in node.children:
        out |= _subtree_lines(child)
    return out


def _last_line(node: Node) -> int:
    return max(_subtree_lines(node))


def _indent(raw: str) -> str:
    return raw[: len(raw) - len(raw.lstrip(" \t"))]


def patched(text: str, parent: Node | None, remove: list[Node], add: list[str], syntax: LineSyntax) -> str:
    """``text`` without the ``remove`` nodes (and what nests under them), with ``add`` under ``parent`` (at the end
    of its block; without parent at the end of the configuration)."""
    lines = text.splitlines()
    dropped = set().union(*(_subtree_lines(n) for n in remove)) if remove else set()
    if parent is None:
        insert_after, indent = len(lines), ""
    else:
        insert_after = _last_line(parent)
        first_child = lines[parent.children[0].line - 1] if parent.children else ""
        indent = _indent(first_child) or _indent(lines[parent.line - 1]) + syntax.indent
    out = [line for number, line in enumerate(lines[:insert_after], start=1) if number not in dropped]
    out += [indent + line for line in add]
    out += [line for number, line in enumerate(lines[insert_after:], start=insert_after + 1) if number not in dropped]
    return "\n".join(out) + "\n"


def _secret(driver: PlatformDriver, command: str) -> bool:
    """Whether ``command`` carries a secret: a placeholder, the REDACTED marker, or a line the driver's backup
    redacts (a key, a password, a community)."""
    if REDACTED in command or PLACEHOLDER.search(command):
        return True
    rules = driver.backup.secrets if driver.backup else ()
    return any(rule.replace is not None and rule.regex.search(command) for rule in rules)


def masked(driver: PlatformDriver, text: str) -> str:
    """``text`` (a line or a command, a manual step, a negation) with what the driver's backup redacts (keys,
    passwords, communities) replaced by the REDACTED marker."""
    head = re.match(rf"^({re.escape(MANUAL)})?(no )?", text)
    prefix, body = (head.group(0), text[head.end():]) if head else ("", text)
    if PLACEHOLDER.search(body):  # a template for a human (``secret <new secret>``) or already redacted
        return text
    for rule in driver.backup.secrets if driver.backup else ():
        if rule.replace is not None:
            body = rule.regex.sub(rule.replace, body)
    return prefix + body


def _generic(syntax: LineSyntax, parent: Node | None, remove: list[Node], add: list[str]) -> list[str]:
    """A platform without remediation: negate what goes, add what comes, inside the parent."""
    steps = []
    for node in remove:
        negation = syntax.negate(node.text)
        steps.append(negation if negation is not None else f"{MANUAL}remove `{node.text}` (no known negation)")
    steps += add
    if parent is None:
        return steps
    return [parent.text] + [s if s.startswith(MANUAL) else " " + s for s in steps] + [" exit"]


def remediation(driver: PlatformDriver, spec: LineSpec, text: str, parent: Node | None, remove: list[Node],
                missing: list[re.Pattern[str]], have: list[str]) -> list[str]:
    """The commands that fix one finding (manual steps prefixed with MANUAL)."""
    syntax = driver.lines
    assert syntax is not None
    add = [line for line in spec.fix if line not in have]
    where = f" under `{parent.text}`" if parent else ""
    if missing and not spec.fix:
        return [f"{MANUAL}add a line matching /{rx.pattern}/{where}" for rx in missing]
    if spec.manual and spec.fix:  # a human's template: what to replace, and the lines the rule suggests
        return ([f"{MANUAL}replace `{masked(driver, n.text)}`{where}" for n in remove]
                + [f"{MANUAL}{line}{where}" for line in add])
    if driver.can_restore:
        commands = driver.remediation(text, patched(text, parent, remove, add, syntax))
    else:
        commands = _generic(syntax, parent, remove, add)
    commands = list(dict.fromkeys(commands)) if parent is None else commands  # a removal and an addition may agree
    if spec.manual or any(_secret(driver, c) for c in commands if not c.startswith(MANUAL)):
        commands = [c if c.startswith(MANUAL) else MANUAL + c for c in commands if c.strip() != "exit"]
    return [masked(driver, c) for c in commands]


def check_lines(rule: Rule, hosts: dict[str, HostInfo], configs: dict[str, ParsedConfig]) -> tuple[list[Finding], int]:
    """The findings of one ``kind: lines`` rule on ``configs``, and how many parents (or top levels) it checked."""
    spec = rule.lines
    assert spec is not None
    findings: list[Finding] = []
    checked = 0
    drivers = all_drivers()
    for host, config in configs.items():
        facts = hosts[host]
        driver = drivers.get(config.platform)
        if driver is None or driver.lines is None or not config.text:
            continue
        if not all(c.matches(facts) for c in rule.host_match):
            continue
        for parent, children in spec.scopes(driver.lines.tree(config.text)):
            checked += 1
            texts = [c.text for c in children]
            missing = [rx for rx in spec.present if not any(spec.hit(rx, t) for t in texts)]
            offending = [c for c in children if any(spec.hit(rx, c.text) for rx in spec.absent)]
            if not missing and not offending:
                continue
            details = [Detail("present", f"a line matching /{rx.pattern}/", "none") for rx in missing]
            details += [Detail("absent", "no line matching " + " or ".join(f"/{rx.pattern}/" for rx in spec.absent if spec.hit(rx, n.text)),
                               masked(driver, n.text)) for n in offending]
            line = offending[0].line if offending else parent.line if parent else None
            fix = remediation(driver, spec, config.text, parent, offending, missing, texts)
            findings.append(Finding(
                rule=rule.id, title=rule.title, severity=rule.severity, host=host, site=facts.site,
                object=parent.text if parent else TOP_LEVEL, kind="lines", details=tuple(details), line=line, fix=tuple(fix),
            ))
    return findings, checked
