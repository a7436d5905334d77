"""Short human forms of ages, durations, rates and states for table cells."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from netops.styles import SEVERITY_STYLE, STATUS_STYLE

__all__ = ["SEVERITY_STYLE", "STATUS_STYLE"]


def age(when: datetime | None, now: datetime) -> str:
    """``45s``, ``12m``, ``5h``, ``3d`` since ``when``; ``never`` when None."""
    if when is None:
        return "never"
    seconds = max(0, int((now - when).total_seconds()))
    return duration(seconds)


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if s >= size:
            return f"{s // size}{unit}"
    return f"{s}s"


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
