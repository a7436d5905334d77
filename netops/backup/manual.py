"""What restore never pushes: redacted secrets and steps a platform cannot do itself."""

from __future__ import annotations

from netops.drivers.base import REDACTED
from netops.drivers.remediation import MANUAL


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def split_manual(commands: list[str]) -> tuple[list[str], list[str]]:
    """(commands to push, manual steps). A redacted line is manual, and so is its subtree."""
    push: list[str] = []
    manual: list[str] = []
    skip_below: int | None = None
    parents: list[str] = []
    for line in commands:
        level = _indent(line)
        parents = parents[:level]
        if skip_below is not None and level > skip_below:
            continue
        skip_below = None
        if line.startswith(MANUAL):
            manual.append(line[len(MANUAL):])
        elif REDACTED in line:
            where = " > ".join(p.strip() for p in parents)
            manual.append(f"{where + ' > ' if where else ''}{line.strip()}  (secret not in the backup: set it by hand)")
            skip_below = level
        else:
            push.append(line)
        parents.append(line)
    return _drop_empty_sections(push), manual


def _drop_empty_sections(lines: list[str]) -> list[str]:
    """Remove ``header`` + ``exit`` pairs left when every child of a section was manual."""
    out: list[str] = []
    for line in lines:
        if line.strip() == "exit" and out and _indent(out[-1]) == _indent(line) - 1 and out[-1].strip() != "exit":
            out.pop()
            continue
        out.append(line)
    return out
