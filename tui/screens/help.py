"""``?``: every key of every view, searchable (lazygit-style)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from tui.screens import HELP_SCREENS

EXTRA_KEYS = (  # keys handled by widgets rather than bindings
    ("everywhere", "ctrl+p", "Command palette"),
    ("lists", "up,down,pageup,pagedown", "Move"),
    ("lists", "enter", "Open the device under the cursor"),
    ("lists", "click header", "Sort by that column"),
    ("resilience", "enter", "In the what-if prompt: run it; on a single point: its what-if in full"),
    ("audit", "enter", "The record in full (the commands a change pushed)"),
    ("clients", "enter", "In the prompt: ask the controllers and the history"),
)


def key_rows(app: App) -> list[tuple[str, str, str]]:
    """(view, key, description) for the app's and every screen's bindings."""
    rows = []
    for view, cls in (("everywhere", type(app)), *HELP_SCREENS.items()):
        own = [c for c in cls.__mro__ if c.__module__.startswith("tui.")]  # the view's and its tui base classes'
        for binding in (b for c in reversed(own) for b in c.__dict__.get("BINDINGS", [])):
            rows.append((view, app.get_key_display(binding), binding.description))
    return rows + [(view, app.get_key_display(Binding(key, "")), what) for view, key, what in EXTRA_KEYS]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark", "app.pop_screen", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static("Keys — type to search, esc closes", id="help-title")
            search = Input(placeholder="search keys", id="help-search")
            search.cursor_blink = False  # a steady cursor: stable screenshots
            yield search
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("View", "Key", "Action")
        self.show("")

    def show(self, text: str) -> None:
        table = self.query_one(DataTable)
        table.clear()
        needle = text.lower()
        for row in key_rows(self.app):
            if needle in " ".join(row).lower():
                table.add_row(*row)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show(event.value)
