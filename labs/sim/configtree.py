"""Indentation-structured configurations (IOS-XE, AOS 8, Instant) as an editable tree.

A configuration is a list of :class:`Line`; a line with children is a section.
Edits follow the device rules the simulator needs: a section is found by its
exact header, ``no <line>`` removes lines by prefix (or is kept as a line when
nothing matched, as IOS keeps ``no shutdown`` in a WLAN), and a single-valued
command replaces its previous value.

A device prints its configuration in a fixed order whatever the order it was
typed in. When the tree has a :class:`Reference` (a configuration the device
printed: the node's original), a new line goes where the reference has it;
lines the reference lacks fall back to the per-platform ordering rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

SortKey = Callable[[str], "tuple[str, tuple[int, ...]] | None"]  # (kind, numbers) of a section header


@dataclass
class Line:
    text: str
    children: list[Line] = field(default_factory=list)
    indent: str | None = None  # leading whitespace as read; None: derived from its siblings or depth


def _words(text: str) -> list[str]:
    return text.split()


def _starts_with(text: str, prefix: str) -> bool:
    """True when ``text`` begins with the whole words of ``prefix``."""
    tw, pw = _words(text), _words(prefix)
    return len(tw) >= len(pw) and tw[: len(pw)] == pw


class Reference:
    """Where a device prints each line, learnt from a configuration it printed.

    A line's rank is the position of the same line (by words) in the reference, else of its negation
    (``no x`` for ``x`` and back), else of the line that sets the same single-valued command; the
    reference has no rank for other lines. Ranks compare siblings only.
    """

    def __init__(self, tree: ConfigTree, single_valued: tuple[str, ...] = ()) -> None:
        self.single_valued = single_valued
        self.ranks: dict[tuple[str, ...], dict[str, int]] = {}
        self.bodies: dict[tuple[str, ...], list[tuple[str, int]]] = {}  # lines without a leading "no"
        self.indents: dict[tuple[tuple[str, ...], str], str | None] = {}  # how the device indents each line
        position = 0

        def walk(lines: list[Line], path: tuple[str, ...]) -> None:
            nonlocal position
            for line in lines:
                key = " ".join(_words(line.text))
                if key and key != "!":
                    self.ranks.setdefault(path, {}).setdefault(key, position)
                    self.indents.setdefault((path, key), line.indent)
                    self.bodies.setdefault(path, []).append((_body(key), position))
                    position += 1
                walk(line.children, path + (key,))

        walk(tree.lines, ())

    def indent(self, path: list[str], text: str) -> str | None:
        """The indentation the device prints ``text`` with at ``path`` (None: derived from its siblings)."""
        return self.indents.get((tuple(" ".join(_words(h)) for h in path), " ".join(_words(text))))

    def has(self, path: list[str], text: str) -> bool:
        """Whether the reference has exactly this line at ``path``."""
        return " ".join(_words(text)) in self.ranks.get(tuple(" ".join(_words(h)) for h in path), {})

    def rank(self, path: list[str], text: str) -> int | None:
        where = tuple(" ".join(_words(h)) for h in path)
        ranks = self.ranks.get(where)
        if not ranks:
            return None
        key = " ".join(_words(text))
        found = ranks.get(key)
        if found is None:
            found = ranks.get(_body(key) if key.startswith("no ") else f"no {key}")
        if found is None:
            body = _body(key)
            prefix = next((p for p in self.single_valued if _starts_with(body, p)), None)
            if prefix is not None:
                found = next((r for b, r in self.bodies[where] if _starts_with(b, prefix)), None)
        return found

    def index(self, path: list[str], lines: list[Line], text: str) -> int | None:
        """Where ``text`` goes among ``lines`` (the children at ``path``); None: the reference cannot tell."""
        return slot(self.rank(path, text), [self.rank(path, line.text) for line in lines])


def slot(mine: int | None, ranks: list[int | None]) -> int | None:
    """Where a line ranked ``mine`` goes among lines ranked ``ranks`` (None: unranked, skipped): before the first
    that ranks after it, else after the last ranked one; None when nothing tells."""
    if mine is None:
        return None
    before = None
    for i, other in enumerate(ranks):
        if other is None:
            continue
        if other > mine:
            return i
        before = i
    return None if before is None else before + 1


def _body(text: str) -> str:
    return text[3:] if text.startswith("no ") else text


class ConfigTree:
    """A configuration kept as a tree of lines, rendered with a fixed indent unit."""

    def __init__(self, text: str, indent: int | None = None, strip_end: bool = True) -> None:
        self.lines: list[Line] = []
        self.indent = indent or _detect_indent(text)
        self.has_end = False
        self.reference: Reference | None = None
        stack: list[tuple[int, list[Line]]] = [(-1, self.lines)]
        raw = text.replace("\r\n", "\n").split("\n")
        if raw and raw[-1] == "":
            raw.pop()
        if strip_end and raw and raw[-1].strip() == "end":
            raw.pop()
            self.has_end = True
        for ln in raw:
            ln = ln.rstrip()
            if not ln:
                self.lines.append(Line(""))  # blank lines are kept where they were
                stack = [(-1, self.lines)]
                continue
            depth = len(ln) - len(ln.lstrip())
            while stack[-1][0] >= depth:
                stack.pop()
            node = Line(ln.strip(), indent=ln[:depth])
            stack[-1][1].append(node)
            stack.append((depth, node.children))

    # -- rendering -------------------------------------------------------
    def render(self) -> str:
        out: list[str] = []

        def walk(lines: list[Line], base: str) -> None:
            known = next((ln.indent for ln in lines if ln.indent is not None), None)
            for line in lines:
                indent = line.indent if line.indent is not None else (known if known is not None else base)
                out.append(indent + line.text)
                walk(line.children, indent + " " * self.indent)

        walk(self.lines, "")
        if self.has_end:
            out.append("end")
        return "\n".join(out) + "\n"

    # -- lookup ------------------------------------------------------------
    def children(self, path: list[str]) -> list[Line]:
        """The child list of the section at ``path`` (headers from the top)."""
        lines = self.lines
        for header in path:
            node = _find(lines, header)
            if node is None:
                raise KeyError(header)
            lines = node.children
        return lines

    def section(self, path: list[str], header: str) -> Line | None:
        return _find(self.children(path), header)

    def is_section(self, path: list[str], header: str) -> bool:
        node = self.section(path, header)
        return node is not None and bool(node.children)

    # -- edits -----------------------------------------------------------
    def enter(self, path: list[str], header: str, separator: str | None = "!", sort_key: SortKey | None = None) -> None:
        """Make sure section ``header`` exists under ``path`` (new ones go after their kind, in order)."""
        lines = self.children(path)
        if _find(lines, header) is not None:
            return
        index = self.reference.index(path, lines, header) if self.reference else None
        if index is None and sort_key:
            index = _sorted_index(lines, header, sort_key)
        if index is None:
            index = _insert_index(lines, header)
        new = [Line(header, indent=self.reference.indent(path, header) if self.reference else None)]
        if not path and separator:  # separated from its neighbours like they are
            if index < len(lines) and lines[index].text == separator:
                index += 1
                new.append(Line(separator))
            elif index > 0 and lines[index - 1].text == separator:
                new.append(Line(separator))
        lines[index:index] = new

    def set(self, path: list[str], text: str, single_valued: tuple[str, ...] = (), order: tuple[str, ...] = ()) -> None:
        """Add ``text`` under ``path``; replaces the old value of a single-valued command.

        ``order`` lists command prefixes in the order the device prints them.
        """
        lines = self.children(path)
        if _find(lines, text) is not None:
            return
        negated = _words(text)[0] == "no"
        # "x" and "no x" exclude each other
        opposite = " ".join(_words(text)[1:]) if negated else f"no {text}"
        lines[:] = [ln for ln in lines if not (ln.text == opposite or (
            not negated and _starts_with(ln.text, opposite) and not (self.reference and self.reference.has(path, ln.text))))]
        key = next((k for k in single_valued if _starts_with(text, k)), None)
        if key is not None:
            for i, ln in enumerate(lines):
                if _starts_with(ln.text, key):
                    lines[i] = Line(text, ln.children, ln.indent)
                    return
        index = self.reference.index(path, lines, text) if self.reference else None
        line = Line(text, indent=self.reference.indent(path, text) if self.reference else None)
        lines.insert(_ordered_index(lines, text, order) if index is None else index, line)

    def negate(self, path: list[str], text: str, order: tuple[str, ...] = (), keep: bool = True) -> None:
        """Apply ``no <text>``: remove a section or matching lines, else keep ``no <text>`` (unless not ``keep``)."""
        lines = self.children(path)
        before = len(lines)
        node = _find(lines, text)
        if node is not None:
            index = lines.index(node)
            del lines[index]
            if 0 < index < len(lines) and lines[index - 1].text == lines[index].text == "!":
                del lines[index]  # the section's separator goes with it
            return
        lines[:] = [ln for ln in lines if not _starts_with(ln.text, text)]
        if len(lines) == before and keep:
            self.set(path, f"no {text}", order=order)


def _rank(text: str, order: tuple[str, ...]) -> int | None:
    words = text.split()
    if words[:1] == ["no"]:
        text = " ".join(words[1:])
    return next((i for i, prefix in enumerate(order) if _starts_with(text, prefix)), None)


def _ordered_index(lines: list[Line], text: str, order: tuple[str, ...]) -> int:
    """Before the first sibling the device prints after ``text``; else where it would go unordered."""
    rank = _rank(text, order)
    if rank is not None:
        for i, ln in enumerate(lines):
            r = _rank(ln.text, order)
            if r is not None and r > rank:
                return i
        if any(_rank(ln.text, order) is not None for ln in lines):
            return len(lines)
    return _insert_index(lines, text)


def _sorted_index(lines: list[Line], header: str, sort_key: SortKey) -> int | None:
    """Before the first sibling of the same kind that sorts after ``header``; None if it has no kind."""
    key = sort_key(header)
    if key is None:
        return None
    last = None
    for i, ln in enumerate(lines):
        other = sort_key(ln.text)
        if other is not None and other[0] == key[0]:
            if other > key:
                return i
            last = i
    return None if last is None else _after_separator(lines, last + 1)


def _after_separator(lines: list[Line], index: int) -> int:
    return index + 1 if index < len(lines) and lines[index].text == "!" else index


def _find(lines: list[Line], header: str) -> Line | None:
    want = _words(header)
    return next((ln for ln in lines if _words(ln.text) == want), None)


def _insert_index(lines: list[Line], text: str) -> int:
    """After the last line sharing the longest leading words with ``text``, else at the end."""
    words = _words(text)
    best, best_len = len(lines), 0
    for i, ln in enumerate(lines):
        lw = _words(ln.text)
        n = 0
        while n < min(len(lw), len(words)) and lw[n] == words[n]:
            n += 1
        if n and n >= best_len:
            best, best_len = i + 1, n
    return best


def _detect_indent(text: str) -> int:
    for ln in text.splitlines():
        stripped = ln.lstrip(" ")
        if stripped and len(stripped) < len(ln):
            return len(ln) - len(stripped)
    return 1
