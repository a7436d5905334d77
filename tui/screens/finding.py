"""A finding in full: what the rule wants, what the device has, the waiver, where it was seen."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from netops.policy.findings import Finding
from netops.styles import SEVERITY_STYLE


def describe(f: Finding) -> Group:
    """Every field of a finding, each value whole (nothing cut to a column's width)."""
    head = Text.assemble((f.severity, SEVERITY_STYLE.get(f.severity, "")), f" {f.rule}  ", (f.title, "bold"))
    if f.waived:
        head.append("  (waived)", style="dim")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("host", Text(f"{f.host} ({f.site or 'no site'})"))
    grid.add_row("object", Text(f.object + (f" (line {f.line} of its configuration)" if f.line else "")))
    for d in f.details:
        grid.add_row(d.key, Text.assemble(("expected ", "dim"), d.expected))
        grid.add_row("", Text.assemble(("actual   ", "dim"), d.actual))
    if f.waiver:
        grid.add_row("waiver", Text(f.waiver + ("" if f.waived else " — expired: the finding counts again")))
    seen = f.source if f.source == "policy" else f"probe {f.source}" + (f" from {f.origin}" if f.origin else "")
    grid.add_row("found by", Text(seen + (f" at {f.observed}" if f.observed else "")))
    return Group(head, Text(""), grid)


class FindingScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter", "app.pop_screen", "Close"), Binding("d", "device", "Open device")]

    def __init__(self, finding: Finding) -> None:
        super().__init__()
        self.finding = finding

    def compose(self) -> ComposeResult:
        with Vertical(id="finding"), VerticalScroll():
            yield Static(describe(self.finding), id="finding-text")

    def action_device(self) -> None:
        from tui.screens.device import DeviceScreen

        self.app.pop_screen()
        self.app.push_screen(DeviceScreen(self.finding.host))
