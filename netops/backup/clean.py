"""Turn raw device output into the stored form: volatile lines removed, secrets redacted.

The result is idempotent (cleaning a cleaned text changes nothing), so a stored
file and a fresh fetch compare directly.
"""

from __future__ import annotations

import re
from functools import cache

from netops.drivers.base import BackupSpec, BlockRule, LineRule


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def lines_of(raw: str) -> list[str]:
    """Lines with CR/LF variants, trailing blanks and surrounding blank lines removed."""
    lines = [line.rstrip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _rewrite(line: str, rules: tuple[LineRule, ...]) -> str | None:
    """Apply the first matching rule; None means drop the line."""
    for rule in rules:
        rx = _rx(rule.pattern)
        if rx.search(line):
            return None if rule.replace is None else rx.sub(rule.replace, line, count=1)
    return line


def _collapse_blocks(lines: list[str], blocks: tuple[BlockRule, ...]) -> list[str]:
    """Collapse block bodies; a body also ends at a line not indented deeper than its start."""
    out: list[str] = []
    active: BlockRule | None = None
    depth = 0
    for line in lines:
        indent = len(line) - len(line.lstrip())
        if active is not None:
            if _rx(active.end).search(line) or indent <= depth:
                active = None
            else:
                if out[-1].strip() != active.replace:
                    out.append(line[:indent] + active.replace)
                continue
        out.append(line)
        active = next((b for b in blocks if _rx(b.start).search(line)), None)
        depth = indent
    return out


def clean(raw: str, spec: BackupSpec) -> str:
    """The stored form of ``raw``: volatile lines dropped, secrets redacted."""
    lines = [kept for line in lines_of(raw) if (kept := _rewrite(line, spec.volatile)) is not None]
    lines = _collapse_blocks(lines, spec.blocks)
    lines = [_rewrite(line, spec.secrets) or "" for line in lines]
    lines = lines_of("\n".join(lines))
    return "\n".join(lines) + "\n" if lines else ""


def redact_line(line: str, spec: BackupSpec) -> str:
    """One line with its secrets redacted (for messages quoting device output)."""
    return _rewrite(line, spec.secrets) or ""
