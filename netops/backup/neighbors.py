"""Stored neighbour tables: ``<site>/<host>.neighbors`` beside each configuration in the backup store.

A table is the outputs of the platform driver's neighbour commands (``NeighborSpec.commands``),
each under the marker line of :func:`netops.parsing.neighbors.join_outputs`, with the spec's
volatile lines (hold times, ages, counters) dropped so that an unchanged table stores unchanged.
An output that is a platform error (the backup spec's ``error_patterns``: a command the device does
not know, CDP switched off) is no table: it is left out, and with no output left no file is written.
"""

from __future__ import annotations

import re
from pathlib import Path

from netops.backup.clean import any_of
from netops.drivers.base import LineRule
from netops.parsing.neighbors import join_outputs

NEIGHBORS_SUFFIX = ".neighbors"


def neighbors_path(config_path: str) -> str:
    """The table's repository path beside a configuration's (``site/host.cfg`` -> ``site/host.neighbors``)."""
    return str(Path(config_path).with_suffix(NEIGHBORS_SUFFIX).as_posix())


def find_neighbor_files(directory: Path) -> dict[str, Path]:
    """host -> its stored neighbour table under ``directory`` (a backup store or a snapshot; ``.git`` skipped)."""
    found: dict[str, Path] = {}
    for path in sorted(Path(directory).rglob(f"*{NEIGHBORS_SUFFIX}")):
        if ".git" not in path.relative_to(directory).parts and path.is_file():
            found.setdefault(path.stem, path)
    return found


def clean_table(outputs: list[tuple[str, str]], volatile: tuple[LineRule, ...], error_patterns: tuple[str, ...]) -> str | None:
    """The stored form of ``[(command, output), ...]``; None when no output is a table."""
    errors = any_of(error_patterns) if error_patterns else None
    rules = [(re.compile(r.pattern), r.replace) for r in volatile]
    kept: list[tuple[str, str]] = []
    for command, output in outputs:
        lines = [line.rstrip() for line in output.replace("\r\n", "\n").split("\n")]
        if errors is not None and any(errors.match(line.strip()) for line in lines):
            continue
        cleaned: list[str] = []
        for line in lines:
            rule = next(((regex, replace) for regex, replace in rules if regex.search(line)), None)
            if rule is None:
                cleaned.append(line)
            elif rule[1] is not None:
                cleaned.append(rule[0].sub(rule[1], line))
        kept.append((command, "\n".join(cleaned)))
    return join_outputs(kept) if kept else None
