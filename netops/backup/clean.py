"""Turn raw device output into the stored form: volatile lines removed, secrets redacted.

The result is idempotent (cleaning a cleaned text changes nothing), so a stored
file and a fresh fetch compare directly.
"""

from __future__ import annotations

import re
from functools import cache

from netops.drivers.base import BackupSpec, LineRule


@cache
def any_of(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex matching where any of ``patterns`` does: a cheap first test per line."""
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)")


class _Rules:
    """Compiled line rules: a combined pre-test, then the first matching rule applies.

    Outcomes are remembered per line: configurations repeat most of their lines
    (every access port, every device of a role), so a run tests each distinct
    line once.
    """

    MEMO_LIMIT = 200_000

    def __init__(self, rules: tuple[LineRule, ...]) -> None:
        self.quick = any_of(tuple(r.pattern for r in rules))
        self.rules = [(re.compile(r.pattern), r.replace) for r in rules]
        self.memo: dict[str, str | None] = {}

    def apply(self, line: str) -> str | None:
        """The rewritten line; None means drop it."""
        try:
            return self.memo[line]
        except KeyError:
            pass
        out = self._rewrite(line)
        if len(self.memo) >= self.MEMO_LIMIT:
            self.memo.clear()
        self.memo[line] = out
        return out

    def _rewrite(self, line: str) -> str | None:
        if not self.quick.search(line):
            return line
        for rx, replace in self.rules:
            if rx.search(line):
                return None if replace is None else rx.sub(replace, line, count=1)
        return line


_COMPILED: dict[int, tuple[BackupSpec, _Rules, _Rules, list[tuple[re.Pattern[str], re.Pattern[str], str]]]] = {}


def _compiled(spec: BackupSpec) -> tuple[_Rules, _Rules, list[tuple[re.Pattern[str], re.Pattern[str], str]]]:
    """Compiled rules of ``spec``, kept per spec object (hashing a spec costs more than cleaning)."""
    entry = _COMPILED.get(id(spec))
    if entry is None or entry[0] is not spec:
        blocks = [(re.compile(b.start), re.compile(b.end), b.replace) for b in spec.blocks]
        entry = _COMPILED[id(spec)] = (spec, _Rules(spec.volatile), _Rules(spec.secrets), blocks)
    return entry[1], entry[2], entry[3]


def lines_of(raw: str) -> list[str]:
    """Lines with CR/LF variants, trailing blanks and surrounding blank lines removed."""
    lines = [line.rstrip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _collapse_blocks(lines: list[str], blocks: list[tuple[re.Pattern[str], re.Pattern[str], str]]) -> list[str]:
    """Collapse block bodies; a body also ends at a line not indented deeper than its start."""
    if not blocks:
        return lines
    starts = any_of(tuple(b[0].pattern for b in blocks))
    out: list[str] = []
    active: tuple[re.Pattern[str], re.Pattern[str], str] | None = None
    depth = 0
    for line in lines:
        if active is not None:
            indent = len(line) - len(line.lstrip())
            if active[1].search(line) or indent <= depth:
                active = None
            else:
                if out[-1].strip() != active[2]:
                    out.append(line[:indent] + active[2])
                continue
        out.append(line)
        if starts.search(line):
            active = next(b for b in blocks if b[0].search(line))
            depth = len(line) - len(line.lstrip())
    return out


def clean(raw: str, spec: BackupSpec) -> str:
    """The stored form of ``raw``: volatile lines dropped, secrets redacted."""
    volatile, secrets, blocks = _compiled(spec)
    lines = [kept for line in lines_of(raw) if (kept := volatile.apply(line)) is not None]
    lines = _collapse_blocks(lines, blocks)
    lines = lines_of("\n".join(secrets.apply(line) or "" for line in lines))
    return "\n".join(lines) + "\n" if lines else ""


def redact_line(line: str, spec: BackupSpec) -> str:
    """One line with its secrets redacted (for messages quoting device output)."""
    return _compiled(spec)[1].apply(line) or ""
