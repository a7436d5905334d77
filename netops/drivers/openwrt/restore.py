"""OpenWrt restore: ``uci`` commands from a section-by-section comparison of two
``uci export`` texts, pushed in the shell, then ``uci commit`` and ``reload_config``.

Named sections are addressed by name, anonymous ones by ``@type[N]``: extra
anonymous sections are deleted from the highest index down and missing ones are
added (``uci add``) in order, so the indices of the others never move.
"""

from __future__ import annotations

import shlex
from typing import Any

from netops.drivers.openwrt.uci import Section, read
from netops.drivers.remediation import MANUAL


def _set(path: str, value: str) -> str:
    return f"uci set {shlex.quote(f'{path}={value}')}"


def _sections(text: str) -> dict[tuple[str, str], Section]:
    sections, _ = read(text)
    return {(s.package, s.name): s for s in sections}


def _anonymous(name: str) -> bool:
    return name.startswith("@")


def _index(name: str) -> int:
    return int(name.rsplit("[", 1)[1].rstrip("]")) if _anonymous(name) else -1


def _fill(path: str, have: Section | None, want: Section) -> list[str]:
    """Options and lists of ``want`` that ``have`` lacks or spells differently, and the ones it has extra."""
    out: list[str] = []
    old_options = have.options if have else {}
    old_lists = have.lists if have else {}
    for key, value in want.options.items():
        if old_options.get(key) != value:
            if key in old_lists:
                out.append(f"uci delete {path}.{key}")
            out.append(_set(f"{path}.{key}", value))
    for key, values in want.lists.items():
        if old_lists.get(key) != values:
            if key in old_lists or key in old_options:
                out.append(f"uci delete {path}.{key}")
            out += [f"uci add_list {shlex.quote(f'{path}.{key}={v}')}" for v in values]
    for key in (*old_options, *old_lists):
        if key not in want.options and key not in want.lists:
            out.append(f"uci delete {path}.{key}")
    return out


def remediation(running: str, intended: str) -> list[str]:
    have, want = _sections(running), _sections(intended)
    extra = [key for key in have if key not in want]
    commands = [f"uci delete {p}.{n}" for p, n in sorted(extra, key=lambda k: (not _anonymous(k[1]), -_index(k[1])))]
    for (package, name), section in want.items():
        path = f"{package}.{name}"
        old = have.get((package, name))
        if old is not None and old.type != section.type:
            commands.append(_set(path, section.type) if not _anonymous(name) else f"{MANUAL}section {path} is a {old.type}, not a {section.type}")
        elif old is None:
            commands.append(f"uci add {package} {section.type}" if _anonymous(name) else _set(path, section.type))
        commands += _fill(path, old, section)
    return commands


def push(conn: Any, commands: list[str], timeout: float) -> str:
    """Run the ``uci`` commands in the shell, commit them and reload the services."""
    return "\n".join(conn.send_command(c, read_timeout=timeout) for c in [*commands, "uci commit", "reload_config"])
