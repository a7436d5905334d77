"""A reader for OpenWrt UCI text: ``uci export`` output or files under ``/etc/config``.

Sections keep their package, type, name (``@type[N]`` for anonymous ones),
options and lists, and the line of each, so parsers can report issues.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from netops.model import ParseIssue
from netops.parsing.tokens import redact


@dataclass
class Section:
    package: str
    type: str
    name: str
    line: int
    options: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # option/list name → line
    texts: dict[str, str] = field(default_factory=dict)  # option/list name → line text

    def values(self, key: str) -> list[str]:
        """An option split on whitespace, or a list: both spell multi-valued settings."""
        return self.lists.get(key) or self.options.get(key, "").split()

    def issue(self, key: str | None, message: str) -> ParseIssue:
        if key is None:
            return ParseIssue(line=self.line, text=f"config {self.type} '{self.name}'", message=message)
        return ParseIssue(line=self.lines[key], text=redact(self.texts[key]), message=message)


def read(text: str, default_package: str = "") -> tuple[list[Section], list[ParseIssue]]:
    """Sections in file order, and the lines that are not UCI."""
    sections: list[Section] = []
    issues: list[ParseIssue] = []
    package = default_package
    counts: dict[tuple[str, str], int] = {}
    current: Section | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            words = shlex.split(stripped, comments=True)
        except ValueError as exc:
            issues.append(ParseIssue(number, redact(stripped), str(exc)))
            continue
        if not words:
            continue
        keyword = words[0]
        if keyword == "package" and len(words) == 2:
            package, current = words[1], None
        elif keyword == "config" and len(words) in (2, 3):
            index = counts.get((package, words[1]), 0)
            counts[(package, words[1])] = index + 1
            name = words[2] if len(words) == 3 else f"@{words[1]}[{index}]"
            current = Section(package=package, type=words[1], name=name, line=number)
            sections.append(current)
        elif keyword in ("option", "list") and len(words) == 3 and current is not None:
            key = words[1]
            if keyword == "option":
                current.options[key] = words[2]
            else:
                current.lists.setdefault(key, []).append(words[2])
            current.lines[key], current.texts[key] = number, stripped
        else:
            issues.append(ParseIssue(number, redact(stripped), "not a UCI line (package, config, option or list)"))
    return sections, issues
