"""Configuration trees with 1-based line numbers.

``ios_tree`` reads indented IOS-style configs, nesting by indentation as
ciscoconfparse2 does but about 20x faster (0.05 s against 1.05 s for the
8,200 lines of the lab configs; ciscoconfparse2 spends it in logging
wrappers, plus 1.3 s to import); ``bang_tree`` reads configs whose blocks
end with ``!`` and whose indentation may have been stripped by the capture
(Aruba AOS 8).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from netops.model import ParseIssue
from netops.parsing.tokens import redact, split_words


@dataclass
class Node:
    """One config line and the lines nested under it."""

    line: int  # 1-based
    text: str  # stripped
    children: list[Node] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        """The line split into words (double quotes honoured); ``ValueError`` on a bad quote."""
        return split_words(self.text)

    def issue(self, message: str) -> ParseIssue:
        return ParseIssue(line=self.line, text=redact(self.text), message=message)


def _is_comment(text: str) -> bool:
    return not text or text.startswith("!") or text.startswith("#")


_BANNER = re.compile(r"^banner\s+\S+\s+(\^C|\S)(.*)$")


def ios_tree(text: str) -> list[Node]:
    """Top-level nodes of an indented IOS-style config (IOS-XE, AOS-CX, Instant).

    Nesting follows indentation; ``!``/``#`` comments and blank lines are
    dropped, and banner bodies (``banner motd ^C … ^C``) are skipped whole.
    """
    roots: list[Node] = []
    stack: list[tuple[int, Node]] = []
    banner_end: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if banner_end is not None:
            if banner_end in raw:
                banner_end = None
            continue
        stripped = raw.strip()
        if _is_comment(stripped):
            continue
        banner = _BANNER.match(stripped)
        if banner and banner.group(1) not in banner.group(2):
            banner_end = banner.group(1)
        indent = len(raw) - len(raw.lstrip(" \t"))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        node = Node(line=number, text=stripped)
        (stack[-1][1].children if stack else roots).append(node)
        stack.append((indent, node))
    return roots


def bang_tree(text: str, header: re.Pattern[str]) -> list[Node]:
    """Top-level nodes of a config whose blocks start with a ``header`` line and end with ``!``.

    Indented lines belong to the open block. In an indented capture the first
    unindented line closes it; with indentation stripped, lines after a header
    belong to it until the next ``!`` or header.
    """
    roots: list[Node] = []
    block: Node | None = None
    block_indented = False
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("!"):
            block = None
            continue
        if _is_comment(stripped):
            continue
        node = Node(line=number, text=stripped)
        indented = raw[:1] in (" ", "\t")
        if block is not None and not block.children:
            block_indented = indented
        if block is not None and (indented or not (block_indented or header.match(stripped))):
            block.children.append(node)
            continue
        roots.append(node)
        block = node if header.match(stripped) else None
    return roots
