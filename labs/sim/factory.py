"""Factory-default configurations: what a node comes back with after ``netops lab fault NODE wipe``/``replace``.

The defaults are data files, ``labs/configs/factory/<name>.cfg``, one per platform and model family, each
citing where its content comes from in ``#`` comment lines at its top (dropped here). Besides plain
configuration lines a template may hold:

- ``{{original REGEX}}``: the top-level lines of the node's own startup configuration that match REGEX, in
  their order. For what a wipe does not change: the software image (``version 17.9``), the hardware
  (``switch 1 provision c9200-48p``, ``license udi pid ... sn ...``) and its licence level.
- ``{{interfaces}}``: the node's physical interfaces (also from its startup configuration: the same
  hardware), each followed by the body of the first ``{{defaults REGEX}}`` stanza whose REGEX matches its
  name in full; a stanza's body is the indented lines after it, up to the next stanza. Stanzas go at the
  end of the file.

A replaced node is the same model, so it gets the same defaults.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from labs import LABS_DIR

FACTORY_DIR = LABS_DIR / "configs" / "factory"
ORIGINAL = re.compile(r"^\{\{original (.+)\}\}$")
DEFAULTS = re.compile(r"^\{\{defaults (.+)\}\}$")
INTERFACES = "{{interfaces}}"


@cache
def template(name: str) -> str:
    """The template ``labs/configs/factory/<name>.cfg`` without its ``#`` header."""
    lines = (FACTORY_DIR / f"{name}.cfg").read_text(encoding="utf-8").splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "\n".join(lines) + "\n"


def render(name: str, original: str, physical: Callable[[str], bool] = lambda header: False,
           separator: str | None = "!") -> str:
    """The factory default of template ``name`` for a node whose startup configuration is ``original``.

    ``physical`` tells which ``interface ...`` header lines of ``original`` are hardware; each is followed
    by ``separator`` (None: nothing) after its default body."""
    body, stanzas = _split(template(name))
    top = [ln for ln in original.splitlines() if ln.strip() and not ln[0].isspace()]
    out: list[str] = []
    for line in body:
        m = ORIGINAL.match(line)
        if m:
            rx = re.compile(m.group(1))
            out += [ln for ln in top if rx.search(ln)]
        elif line == INTERFACES:
            for header in (ln for ln in top if ln.startswith("interface ") and physical(ln)):
                out.append(header)
                name_ = header.split(None, 1)[1]
                out += next((lines for rx, lines in stanzas if rx.fullmatch(name_)), [])
                if separator is not None:
                    out.append(separator)
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def _split(text: str) -> tuple[list[str], list[tuple[re.Pattern[str], list[str]]]]:
    body: list[str] = []
    stanzas: list[tuple[re.Pattern[str], list[str]]] = []
    for line in text.splitlines():
        m = DEFAULTS.match(line)
        if m:
            stanzas.append((re.compile(m.group(1)), []))
        elif stanzas:
            if line.strip():
                stanzas[-1][1].append(line)
        else:
            body.append(line)
    return body, stanzas
