"""Overview: Jammu and Srinagar side by side, and the active alerts."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from netops.ages import since
from netops.services.report import ReportStatus
from netops.services.state import Snapshot, site_summary
from tui.screens.alert_history import AlertHistoryScreen
from tui.screens.base import NetopsScreen
from tui.widgets.site_panel import SitePanel
from tui.widgets.tables import refill


class OverviewScreen(NetopsScreen):
    BINDINGS = [Binding("a", "alert_history", "Alert history")]

    def __init__(self) -> None:
        super().__init__()
        self.sites: list[str] = []

    def body(self) -> ComposeResult:
        with Horizontal(id="sites"):
            yield SitePanel("loading…", classes="site")
        yield Static(id="report")
        yield Static(id="missing")
        table: DataTable = DataTable(id="alerts", cursor_type="row", zebra_stripes=True)
        table.border_title = "Active alerts"
        yield table

    def on_mount(self) -> None:
        table = self.query_one("#alerts", DataTable)
        table.add_columns("Host", "Site", "Alert", "Since", "Message")

    def action_alert_history(self) -> None:
        self.app.push_screen(AlertHistoryScreen())

    def _panels(self, snapshot: Snapshot) -> None:
        now = self.napp.clock()
        for panel, site in zip(self.query_one("#sites", Horizontal).query(SitePanel), self.sites):
            panel.show(site_summary(snapshot, site, now), snapshot.missing)

    def show(self, snapshot: Snapshot) -> None:
        now = self.napp.clock()
        sites = sorted({d.site for d in snapshot.devices} | {a.site for a in snapshot.aps}) or ["(no site)"]
        if sites != self.sites:  # the campuses come from the inventory: a panel each
            self.sites = sites
            row = self.query_one("#sites", Horizontal)
            row.remove_children()
            row.mount_all(SitePanel(classes="site") for _ in sites)
            self.call_after_refresh(self._panels, snapshot)
        else:
            self._panels(snapshot)
        self.query_one("#report", Static).update(report_line(snapshot.report))
        notes = [f"{section}: {why}" for section, why in sorted(snapshot.missing.items())]
        self.query_one("#missing", Static).update("\n".join(notes))
        self.query_one("#missing").display = bool(notes)
        refill(self.query_one("#alerts", DataTable), (
            (f"{a.host}|{a.kind}|{a.message}", (a.host, snapshot.site_of(a.host), a.kind, since(a.since, now), Text(a.message)))
            for a in snapshot.alerts))


def report_line(state: ReportStatus | None) -> Text:
    """Today's daily report: sent (when, to how many), due, or overdue with the last failure."""
    if state is None:
        return Text("")
    zone = state.deadline.tzinfo
    if state.sent is not None:
        sent = datetime.fromisoformat(state.sent.time).astimezone(zone)
        return Text(f"Daily report {state.date}: sent {sent:%H:%M} to {len(state.sent.recipients)} recipient(s)", style="green")
    if state.overdue:
        failure = f"; last failure: {state.last_failure.error}" if state.last_failure else ""
        return Text(f"Daily report {state.date}: NOT SENT, due {state.deadline:%H:%M}{failure}", style="bold red")
    return Text(f"Daily report {state.date}: due {state.deadline:%H:%M} {state.deadline.tzname()} (6 then r makes it now)",
                style="dim")
