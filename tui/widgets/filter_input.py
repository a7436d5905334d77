"""The ``/`` filter line (always shown, focused by ``/``): applies as you type, red while the regex is invalid."""

from __future__ import annotations

import re

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from tui.filtering import RowFilter
from tui.widgets.virtual_table import VirtualTable


class FilterInput(Input):
    BINDINGS = [Binding("escape", "close", "Close filter", show=False)]

    class FilterChanged(Message):
        def __init__(self, row_filter: RowFilter, text: str) -> None:
            super().__init__()
            self.row_filter = row_filter
            self.text = text

    def __init__(self) -> None:
        super().__init__(placeholder="/ filter (regex, !regex negates; enter keeps, esc clears)", id="filter")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        try:
            row_filter = RowFilter.parse(event.value)
        except re.error:
            self.add_class("invalid")
            return
        self.remove_class("invalid")
        self.post_message(self.FilterChanged(row_filter, event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._back_to_table()

    def action_close(self) -> None:
        self.value = ""
        self._back_to_table()

    def _back_to_table(self) -> None:
        self.screen.set_focus(self.screen.query_one(VirtualTable))  # now: the next key is for the table
