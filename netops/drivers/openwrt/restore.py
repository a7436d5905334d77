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


SHELL_PROMPT = r"[#$]\s*$"  # any shell prompt: a committed ``system.hostname`` may change it


def push(conn: Any, commands: list[str], timeout: float) -> str:
    """Run the ``uci`` commands as one ``uci batch`` here-document (one round trip, however many commands;
    OpenWrt's UCI documentation: "batch: executes a multi-line UCI script"), commit them and reload the services.

    Committing a new hostname can change the prompt the session waits for (a rebuilt device goes from
    ``root@OpenWrt`` to its own name), so the commit and the reload wait for any shell prompt, and the
    session learns the prompt again afterwards.
    """
    out = []
    if commands:
        script = "\n".join(["uci batch <<'NETOPS_EOF'", *(c.removeprefix("uci ") for c in commands), "NETOPS_EOF"])
        out.append(conn.send_command(script, read_timeout=timeout, expect_string=SHELL_PROMPT, cmd_verify=False))
        refused = [line for line in out[0].splitlines() if line.startswith("uci: ")]
        if refused:
            raise ValueError(f"uci batch refused a command: {refused[0]}")
    out += [conn.send_command(c, read_timeout=timeout, expect_string=SHELL_PROMPT) for c in ("uci commit", "reload_config")]
    conn.set_base_prompt()
    return "\n".join(out)
