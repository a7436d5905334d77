"""Short human forms of ages, rates, counts and states for table cells, and of errors for the views."""

from __future__ import annotations

from rich.text import Text

from netops.errors import InputError
from netops.styles import STATUS_STYLE


def said(exc: Exception) -> str:
    """An error as a view says it: an input error's message and file, without the CLI's option name."""
    if isinstance(exc, InputError):
        return f"{exc.file}: {exc.message}" if exc.file else exc.message
    return str(exc) or type(exc).__name__


def bits(bps: float | None) -> str:
    """A rate or a link speed as people say it: ``8.8 Mb/s``, ``1 Gb/s``."""
    if bps is None:
        return "-"
    for prefix, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if bps >= size:
            return f"{bps / size:.1f}".removesuffix(".0") + f" {prefix}b/s"
    return f"{bps:.0f} b/s"


def utilisation(in_bps: float | None, out_bps: float | None, speed_mbps: int | None) -> str:
    """The busier direction as a share of the link: ``12.5 %``."""
    if not speed_mbps or (in_bps is None and out_bps is None):
        return "-"
    return f"{100 * max(in_bps or 0, out_bps or 0) / (speed_mbps * 1e6):.1f} %"


def amount(n: int | None) -> str:
    """A count with an SI prefix once it is large: ``1.2k``, ``3.4M``."""
    if n is None:
        return "-"
    for prefix, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= size:
            return f"{n / size:.1f}{prefix}"
    return str(n)


def styled(value: str, table: dict[str, str] = STATUS_STYLE) -> Text:
    return Text(value, style=table.get(value, ""))


def reachability(reachable: bool | None) -> Text:
    if reachable is None:
        return Text("?", style="dim")
    return styled("up" if reachable else "down")


def count(n: int | None) -> str:
    return "-" if n is None else str(n)
