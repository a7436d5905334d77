"""Short human forms of ages, rates, counts and states for table cells."""

from __future__ import annotations

from rich.text import Text

from netops.styles import STATUS_STYLE


def rate(bps: float | None) -> str:
    """Bits per second with an SI prefix: ``8.8M``."""
    if bps is None:
        return "-"
    for prefix, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if bps >= size:
            return f"{bps / size:.1f}{prefix}"
    return f"{bps:.0f}"


def styled(value: str, table: dict[str, str] = STATUS_STYLE) -> Text:
    return Text(value, style=table.get(value, ""))


def reachability(reachable: bool | None) -> Text:
    if reachable is None:
        return Text("?", style="dim")
    return styled("up" if reachable else "down")


def count(n: int | None) -> str:
    return "-" if n is None else str(n)
