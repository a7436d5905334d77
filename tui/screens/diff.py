"""Diffs of a device's configuration: between two stored revisions, or the running one against the last backup."""

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
    """The stored configuration of ``host`` between revisions ``old`` and ``new``."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]
    SAME = "no difference"

    def __init__(self, host: str, old: str, new: str) -> None:
        super().__init__()
        self.host, self.old, self.new = host, old, new

    def body(self) -> ComposeResult:
        yield Static(f"{self.host}: {self.old} → {self.new}", id="diff-title")
        with VerticalScroll(id="diff-scroll"):
            yield Static("loading…", id="diff")

    def on_mount(self) -> None:
        self.load()

    def fetch(self) -> str:
        """The unified diff (called in a worker thread)."""
        return self.napp.source.diff(self.host, self.old, self.new)

    @work(thread=True, exit_on_error=False)
    def load(self) -> None:
        try:
            text = self.fetch()
        except Exception as exc:  # a worker boundary: errors become notifications and the pane says why
            self.app.call_from_thread(self.query_one("#diff", Static).update, Text(str(exc), style="red"))
            self.app.call_from_thread(self.notify, f"{self.host}: {exc}", severity="error", timeout=8)
            return
        body = Syntax(text, "diff", theme="ansi_dark", word_wrap=False) if text else Text(self.SAME, style="dim")
        self.app.call_from_thread(self.query_one("#diff", Static).update, body)
        self.app.call_from_thread(self.query_one("#diff-scroll").focus)


class DriftError(Exception):
    """The running configuration could not be compared (the reason is the device's)."""


class DriftScreen(DiffScreen):
    """What changed on the device since its last backup: its running configuration, fetched now, against the
    stored one (``netops backup drift``). Nothing is stored or pushed."""

    SAME = "as backed up: the running configuration matches the last backup"

    def __init__(self, host: str) -> None:
        super().__init__(host, "last backup", "running now")

    def fetch(self) -> str:
        result = self.napp.source.drift(self.host)
        if result.payload is None or result.payload.diff is None:
            raise DriftError(f"drift not known: {result.reason}")
        return result.payload.diff
