"""Overview: Jammu and Srinagar side by side, and the active alerts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from tui.format import age
from tui.records import SITES, Snapshot
from tui.screens.base import NetopsScreen
from tui.summary import site_summary
from tui.widgets.site_panel import SitePanel


class OverviewScreen(NetopsScreen):
    def body(self) -> ComposeResult:
        with Horizontal(id="sites"):
            for site in SITES:
                yield SitePanel("loading…", id=f"site-{site}", classes="site")
        yield Static(id="missing")
        table: DataTable = DataTable(id="alerts", cursor_type="row", zebra_stripes=True)
        table.border_title = "Active alerts"
        yield table

    def on_mount(self) -> None:
        table = self.query_one("#alerts", DataTable)
        table.add_columns("Host", "Site", "Alert", "Since", "Message")
        super().on_mount()

    def show(self, snapshot: Snapshot) -> None:
        now = self.napp.clock()
        for site in SITES:
            self.query_one(f"#site-{site}", SitePanel).show(site_summary(snapshot, site, now), snapshot.missing)
        notes = [f"{section}: {why}" for section, why in sorted(snapshot.missing.items())]
        self.query_one("#missing", Static).update("\n".join(notes))
        self.query_one("#missing").display = bool(notes)
        table = self.query_one("#alerts", DataTable)
        table.clear()
        for alert in snapshot.alerts:
            table.add_row(alert.host, snapshot.site_of(alert.host), alert.kind, age(alert.since, now), alert.message)
