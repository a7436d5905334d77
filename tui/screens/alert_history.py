"""Alert history: every alert raised and cleared, from every source, and what each delivery target did with it
(``netops alerts history``); ``/`` filters, ``escape`` goes back."""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from netops.services.alerts import TargetDelivery, Transition
from netops.styles import SEVERITY_STYLE
from tui.screens.base import FilteredScreen
from tui.widgets.filter_input import FilterInput
from tui.widgets.virtual_table import Row, VirtualTable

DAYS = 7  # how far back the view reads
DELIVERY_STYLE = {"sent": "green", "pending": "yellow", "failed": "red", "gave_up": "bold red"}


def deliveries(items: tuple[TargetDelivery, ...]) -> Text:
    """``mail sent · webhook failed (3)``: each target's outcome."""
    out = Text()
    for n, d in enumerate(items):
        if n:
            out.append(" · ")
        tries = f" ({d.attempts})" if d.status != "sent" and d.attempts > 1 else ""
        out.append(f"{d.target} {d.status.replace('_', ' ')}{' in digest' if d.digest else ''}{tries}",
                   style=DELIVERY_STYLE.get(d.status, ""))
    return out if items else Text("no target", style="dim")


class AlertHistoryScreen(FilteredScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self) -> None:
        super().__init__()
        self.transitions: list[Transition] = []

    def body(self) -> ComposeResult:
        yield Static(f"alerts of the last {DAYS} days · loading…", id="alert-history-summary")
        yield VirtualTable([("time", "Time"), ("state", "State"), ("severity", "Severity"), ("where", "Where"),
                            ("kind", "Alert"), ("message", "Message"), ("delivered", "Delivered")],
                           flex=("message", "delivered"), id="alert-history")
        yield FilterInput()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        try:
            found = self.napp.source.alert_history(self.napp.clock() - timedelta(days=DAYS))
        except Exception as exc:  # a worker boundary: the summary line says what went wrong
            self.app.call_from_thread(self.query_one("#alert-history-summary", Static).update, Text(str(exc), style="red"))
            return
        self.app.call_from_thread(self.show_history, found)

    def show_history(self, transitions: list[Transition]) -> None:
        self.transitions = transitions
        self.redraw()

    def redraw(self) -> None:
        zone = self.napp.clock().tzinfo
        rows: list[Row] = []
        for t in self.transitions:
            a = t.alert
            fields = (a.label, a.kind, a.severity, a.state, a.message, *(d.target for d in t.deliveries))
            if not self.row_filter(fields):
                continue
            rows.append((str(t.id), (f"{a.time.astimezone(zone):%d %b %H:%M:%S}",
                                     Text(a.state, style="red" if a.state == "raised" else "green"),
                                     Text(a.severity, style=SEVERITY_STYLE.get(a.severity, "")), a.label, a.kind,
                                     Text(a.message), deliveries(t.deliveries))))
        self.query_one(VirtualTable).set_rows(rows)
        raised = sum(t.alert.state == "raised" for t in self.transitions)
        self.query_one("#alert-history-summary", Static).update(
            f"alerts of the last {DAYS} days: {raised} raised, {len(self.transitions) - raised} cleared"
            + (f" · filter /{self.filter_text}" if self.filter_text else ""))
