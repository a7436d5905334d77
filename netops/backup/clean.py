"""Turn raw device output into the stored form: volatile lines removed, secrets redacted.

The result is idempotent (cleaning a cleaned text changes nothing), so a stored
file and a fresh fetch compare directly. :func:`clean_keeping_secrets` runs the
same pipeline and also returns what redaction removed (for the secrets vault,
:mod:`netops.vault`); :func:`clean` does not collect it and pays nothing for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from netops.drivers.base import BackupSpec, LineRule


@dataclass(frozen=True)
class Secret:
    """One redacted line of a stored configuration and what it replaced.

    ``stored`` and ``label`` are safe to print (they carry the marker, never the value); ``original``
    is the device's line, or for a collapsed block (a certificate) the body lines, and is never shown:
    it stays out of ``repr`` so a traceback or a log line cannot carry it.
    """

    stored: str  # the line as stored, with the marker ("enable secret 9 <removed by netops>")
    original: tuple[str, ...] = field(repr=False)  # the device's line(s) it replaced
    label: str = ""  # the rule that redacted it ("enable", "PKI certificate")

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "stored": self.stored, "original": list(self.original)}

    @classmethod
    def from_dict(cls, data: Any) -> Secret:
        """A secret from :meth:`to_dict`'s form; ValueError when it is not one."""
        if not isinstance(data, dict):
            raise ValueError("a secret is a mapping")
        stored, original, label = data.get("stored"), data.get("original"), data.get("label", "")
        if not isinstance(stored, str) or not isinstance(label, str) or not isinstance(original, list) or not original \
                or not all(isinstance(line, str) for line in original):
            raise ValueError("a secret has a stored line, a label and its original lines")
        return cls(stored, tuple(original), label)


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
        self.names = [r.name for r in rules]
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

    def name_of(self, line: str) -> str:
        """The name of the rule that rewrites ``line`` (the first one matching, as :meth:`apply` picks it)."""
        return next((name for (rx, _), name in zip(self.rules, self.names) if rx.search(line)), "")


Block = tuple[re.Pattern[str], re.Pattern[str], str, str]  # start, end, replacement line, rule name
_COMPILED: dict[int, tuple[BackupSpec, _Rules, _Rules, list[Block]]] = {}


def _compiled(spec: BackupSpec) -> tuple[_Rules, _Rules, list[Block]]:
    """Compiled rules of ``spec``, kept per spec object (hashing a spec costs more than cleaning)."""
    entry = _COMPILED.get(id(spec))
    if entry is None or entry[0] is not spec:
        blocks = [(re.compile(b.start), re.compile(b.end), b.replace, b.name) for b in spec.blocks]
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


def _collapse_blocks(lines: list[str], blocks: list[Block], bodies: dict[int, tuple[str, list[str]]] | None = None) -> list[str]:
    """Collapse block bodies; a body also ends at a line not indented deeper than its start.

    ``bodies``, when given, receives per replacement line (its index in the result) the rule's name and
    the body lines it replaced.
    """
    if not blocks:
        return lines
    starts = any_of(tuple(b[0].pattern for b in blocks))
    out: list[str] = []
    active: Block | None = None
    depth = 0
    for line in lines:
        if active is not None:
            indent = len(line) - len(line.lstrip())
            if active[1].search(line) or indent <= depth:
                active = None
            else:
                if out[-1].strip() != active[2]:
                    out.append(line[:indent] + active[2])
                    if bodies is not None:
                        bodies[len(out) - 1] = (active[3], [])
                if bodies is not None:
                    bodies[len(out) - 1][1].append(line)
                continue
        out.append(line)
        if starts.search(line):
            active = next(b for b in blocks if b[0].search(line))
            depth = len(line) - len(line.lstrip())
    return out


def _clean(raw: str, spec: BackupSpec, removed: list[Secret] | None) -> str:
    """The cleaning pipeline; ``removed`` (when given) receives every secret redaction took out, in order."""
    volatile, secrets, blocks = _compiled(spec)
    lines = [kept for line in lines_of(raw) if (kept := volatile.apply(line)) is not None]
    bodies: dict[int, tuple[str, list[str]]] | None = None if removed is None else {}
    lines = _collapse_blocks(lines, blocks, bodies)
    redacted = [secrets.apply(line) or "" for line in lines]
    if removed is not None:
        _removed(lines, redacted, bodies or {}, secrets, removed)
    lines = lines_of("\n".join(redacted))
    return "\n".join(lines) + "\n" if lines else ""


def _removed(lines: list[str], redacted: list[str], bodies: dict[int, tuple[str, list[str]]], secrets: _Rules,
             out: list[Secret]) -> None:
    """The secrets of one pipeline run: each line the secret rules rewrote, each collapsed block body."""
    for index, (before, after) in enumerate(zip(lines, redacted)):
        stored = after.rstrip()
        body = bodies.get(index)
        if body is not None:
            if body[1] != [before]:  # a body that is its own marker (an already cleaned text) hides nothing
                out.append(Secret(stored, tuple(body[1]), body[0]))
        elif after != before:
            out.append(Secret(stored, (before,), secrets.name_of(before)))


def clean(raw: str, spec: BackupSpec) -> str:
    """The stored form of ``raw``: volatile lines dropped, secrets redacted."""
    return _clean(raw, spec, None)


def clean_keeping_secrets(raw: str, spec: BackupSpec) -> tuple[str, list[Secret]]:
    """The stored form of ``raw`` (exactly :func:`clean`'s) and the secrets redaction removed from it, in
    the order of the stored lines (for the vault)."""
    removed: list[Secret] = []
    return _clean(raw, spec, removed), removed


def redact_line(line: str, spec: BackupSpec) -> str:
    """One line with its secrets redacted (for messages quoting device output)."""
    return _compiled(spec)[1].apply(line) or ""
