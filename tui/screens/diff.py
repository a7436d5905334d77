"""The diff of a device's stored configuration between two revisions."""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.screens.base import NetopsScreen


class DiffScreen(NetopsScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, host: str, old: str, new: str) -> None:
        super().__init__()
        self.host, self.old, self.new = host, old, new

    def body(self) -> ComposeResult:
        yield Static(f"{self.host}: {self.old} → {self.new}", id="diff-title")
        with VerticalScroll(id="diff-scroll"):
            yield Static("loading…", id="diff")

    def on_mount(self) -> None:
        super().on_mount()
        self.load()

    @work(thread=True, exit_on_error=False)
    def load(self) -> None:
        try:
            text = self.napp.source.diff(self.host, self.old, self.new)
        except Exception as exc:  # a worker boundary: errors become notifications
            self.app.call_from_thread(self.notify, f"diff failed: {exc}", severity="error", timeout=8)
            return
        body = Syntax(text, "diff", theme="ansi_dark", word_wrap=False) if text else Text("no difference", style="dim")
        self.app.call_from_thread(self.query_one("#diff", Static).update, body)
        self.app.call_from_thread(self.query_one("#diff-scroll").focus)
