"""The SNMP engine interface: anything that can GET and walk columns asynchronously.

Values come back as plain Python: ``int`` (integers, counters, gauges,
time ticks), ``bytes`` (octet strings), ``str`` (OIDs and IP addresses, dotted),
``None`` (an absent object). A failed request raises :class:`SnmpRequestError`;
the collector turns it into a per-device error. A column that a walk cut at
``max_rows`` while the agent had more rows says so (:attr:`Column.truncated`).

Implementations: :mod:`netops.snmp.gufo_backend` (compiled, the default) and
:mod:`netops.snmp.pysnmp_backend` (pure Python); :mod:`netops.snmp.backends` picks one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, Union

from netops.model import SnmpTarget

Value = Union[int, bytes, str, None]
Index = tuple[int, ...]
MAX_ROWS = 10000  # rows per column a walk reads unless told otherwise


class Column(dict[Index, Value]):
    """One walked column: row index -> value."""

    truncated = False  # True: the walk stopped at ``max_rows`` and the agent has more rows


class SnmpRequestError(Exception):
    """A request failed: timeout, error status, or an agent that stopped answering."""


class SnmpBackend(Protocol):
    """An SNMP engine shared by every target of a poll."""

    async def get(self, target: SnmpTarget, oids: Sequence[str]) -> dict[str, Value]:
        """GET scalars; an absent object maps to ``None``."""
        ...

    async def walk(self, target: SnmpTarget, columns: Sequence[str], max_rows: int = MAX_ROWS) -> dict[str, Column]:
        """Walk table columns (GETBULK), each limited to its own subtree and to ``max_rows`` rows."""
        ...

    def close(self) -> None:
        """Release sockets."""
        ...
