"""CDP and LLDP neighbour tables: the stored form and the readers the drivers share.

A stored table holds the outputs of a driver's neighbour commands, each under a marker line
``! netops: <command>`` that netops writes (:func:`join_outputs`), so that two outputs in one
file can be split apart again (:func:`split_outputs`) and read with the TextFSM template of
their command (ntc-templates, the library netmiko installs and uses for ``use_textfsm``).
Interface names stay as each table prints them (Cisco LLDP abbreviates them: ``Gi1/0/2``);
:func:`netops.parsing.ifnames.same_interface` compares either form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, Literal

from ntc_templates.parse import parse_output
from textfsm import TextFSMError

from netops.model import Neighbor
from netops.parsing.showtext import template_input

MARKER = "! netops: "  # the line netops writes before each command's output
_NOT_ADVERTISED = re.compile(r"not advertised", re.I)

Row = dict[str, Any]


def join_outputs(outputs: Iterable[tuple[str, str]]) -> str:
    """``[(command, output), ...]`` as one stored text: each output under its marker line."""
    parts = [MARKER + command + "\n" + output.strip("\n") for command, output in outputs]
    return "\n".join(parts) + "\n" if parts else ""


def split_outputs(text: str, marker: str = MARKER) -> dict[str, str]:
    """The stored text back as ``{command: output}`` (text before the first marker is dropped)."""
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith(marker):
            current = out.setdefault(line[len(marker):].strip(), [])
        elif current is not None:
            current.append(line)
    return {command: "\n".join(lines) + "\n" for command, lines in out.items()}


MAX_REJECTED = 50  # lines a template may reject before the table counts as unreadable
_REJECTED_LINE = re.compile(r"Input Line: (.*)$", re.S)


def rows(platform: str, command: str, output: str) -> list[Row]:
    """The records of ntc-templates' template for ``platform``/``command`` (none for an empty output).

    A line the template rejects (its Error state: a warning the device printed, a stray line) is left out
    and the rest read again, so one odd line does not lose the table; a table with more than
    :data:`MAX_REJECTED` such lines is a ValueError (its callers report it as a notice).
    """
    lines = template_input(output).splitlines()  # as TextFSM splits them; long lines cut
    for _ in range(MAX_REJECTED + 1):
        if not "".join(lines).strip():
            return []
        try:
            result = parse_output(platform=platform, command=command, data="\n".join(lines))
        except TextFSMError as exc:
            match = _REJECTED_LINE.search(str(exc))
            tail = match.group(1) if match else ""
            rejected = next((c for c in (tail, tail[:-1]) if match and c in lines), None)  # some messages end in "."
            if rejected is None:
                raise ValueError(f"{command}: the template cannot read the table: {exc}") from None
            lines.remove(rejected)
            continue
        return [r for r in result if isinstance(r, dict)]
    raise ValueError(f"{command}: more than {MAX_REJECTED} lines the template cannot read")


def _value(row: Row, *keys: str) -> str:
    """The first of ``keys`` with a real value (not empty, not "not advertised")."""
    for key in keys:
        value = str(row.get(key) or "").strip()
        if value and not _NOT_ADVERTISED.search(value):
            return value
    return ""


def neighbor(row: Row, protocol: Literal["cdp", "lldp"], device: tuple[str, ...], port: tuple[str, ...]) -> Neighbor | None:
    """A :class:`Neighbor` from one template record; None without a local port or a device."""
    local, name = _value(row, "local_interface"), _value(row, *device)
    if not local or not name:
        return None
    return Neighbor(
        local_port=local,
        device=name,
        port=_value(row, *port),
        protocol=protocol,
        address=_value(row, "mgmt_address") or None,
        platform=_value(row, "platform", "neighbor_description"),
    )


def reader(platform: str, tables: dict[str, tuple[Literal["cdp", "lldp"], tuple[str, ...], tuple[str, ...]]]) -> Callable[[str], list[Neighbor]]:
    """A stored-table parser: for each command in ``tables``, its ntc-templates ``platform`` template,
    with the protocol and the record fields that give the device and port (first non-empty wins)."""

    def parse(text: str) -> list[Neighbor]:
        found: list[Neighbor] = []
        for command, output in split_outputs(text).items():
            if command not in tables:
                continue
            protocol, device, port = tables[command]
            for row in rows(platform, command, output):
                item = neighbor(row, protocol, device, port)
                if item is not None:
                    found.append(item)
        return found

    return parse
