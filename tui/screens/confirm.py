"""A yes/no question that must be answered before anything touches a device.

With ``ask_reason`` the dialog also asks why (a ticket number): the field has the keys, ``enter`` answers yes,
``esc`` no, and the caller reads :attr:`ConfirmScreen.reason` for the audit trail.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str, ask_reason: bool = False) -> None:
        super().__init__()
        self.question = question
        self.ask_reason = ask_reason
        self.reason = ""  # what was typed in the reason field (stripped)

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            with VerticalScroll(id="question-scroll"):
                yield Static(self.question, id="question", markup=False)
            if self.ask_reason:
                reason = Input(placeholder="reason or ticket for the audit trail (empty: NETOPS_REASON)", id="reason")
                reason.cursor_blink = False  # a steady cursor: stable screenshots
                yield reason
            with Horizontal(id="buttons"):
                yield Button("No (n)" if not self.ask_reason else "No (esc)", id="no", variant="primary")
                yield Button("Yes (y)" if not self.ask_reason else "Yes (enter)", id="yes", variant="error")

    def on_mount(self) -> None:
        if self.ask_reason:
            self.query_one("#reason", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.reason = event.value.strip()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
