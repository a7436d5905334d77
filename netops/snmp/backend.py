"""The SNMP engine interface: anything that can GET and walk columns asynchronously.

Values come back as plain Python: ``int`` (integers, counters, gauges,
time ticks), ``bytes`` (octet strings), ``str`` (OIDs, IP addresses).
A failed request raises :class:`SnmpRequestError`; the collector turns it into a
per-device error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, Union

from netops.model import SnmpTarget

Value = Union[int, bytes, str, None]
Index = tuple[int, ...]
Column = dict[Index, Value]  # row index -> value


class SnmpRequestError(Exception):
    """A request failed: timeout, error status, or an agent that stopped answering."""




class SnmpBackend(Protocol):
    """An SNMP engine shared by every target of a poll."""

    async def get(self, target: SnmpTarget, oids: Sequence[str]) -> dict[str, Value]:
        """GET scalars; an absent object maps to ``None``."""
        ...

    async def walk(self, target: SnmpTarget, columns: Sequence[str], max_rows: int = 10000) -> dict[str, Column]:
        """Walk table columns together (GETBULK), each limited to its own subtree."""
        ...

    def close(self) -> None:
        """Release sockets."""
        ...
