"""Search the latest backups of every device (``netops backup grep``): which switches still have ``transport input
telnet``? ``enter`` on a line opens its device."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from netops.services.backup import Match
from tui.screens.base import NetopsScreen
from tui.screens.device import DeviceScreen
from tui.widgets.virtual_table import VirtualTable


class GrepScreen(NetopsScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, pattern: str = "") -> None:
        super().__init__()
        self.pattern = pattern

    def body(self) -> ComposeResult:
        yield Input(self.pattern, placeholder="extended regular expression, e.g. transport input telnet", id="grep-pattern")
        yield Static(Text("enter searches the latest backup of every device", style="dim"), id="grep-summary")
        yield VirtualTable([("host", "Device"), ("site", "Site"), ("line", "Line"), ("text", "Text")], flex=("text",),
                           id="grep-results")

    def on_mount(self) -> None:
        if self.pattern:
            self.search(self.pattern)
        else:
            self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.pattern = event.value
            self.query_one("#grep-summary", Static).update(Text(f"searching /{event.value}/ …", style="dim"))
            self.search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def search(self, pattern: str) -> None:
        try:
            matches = self.napp.source.grep(pattern)
        except Exception as exc:  # a worker boundary: a bad pattern or a missing store is said in the summary line
            self.app.call_from_thread(self.query_one("#grep-summary", Static).update, Text(str(exc), style="red"))
            return
        self.app.call_from_thread(self.show_matches, pattern, matches)

    def show_matches(self, pattern: str, matches: list[Match]) -> None:
        hosts = len({m.host for m in matches})
        self.query_one("#grep-summary", Static).update(f"/{pattern}/: {len(matches)} line(s) in {hosts} device(s)")
        table = self.query_one(VirtualTable)
        table.set_rows([(f"{m.host}|{m.line}", (m.host, m.site, str(m.line), Text(m.text))) for m in matches])
        if matches:
            table.focus()

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.app.push_screen(DeviceScreen(event.key.split("|")[0]))
