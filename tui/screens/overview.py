"""Overview: Jammu and Srinagar side by side, and the active alerts."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from netops.ages import since
from netops.services.state import Snapshot, site_summary
from tui.screens.base import NetopsScreen
from tui.widgets.site_panel import SitePanel
from tui.widgets.tables import refill


class OverviewScreen(NetopsScreen):
    def __init__(self) -> None:
        super().__init__()
        self.sites: list[str] = []

    def body(self) -> ComposeResult:
        with Horizontal(id="sites"):
            yield SitePanel("loading…", classes="site")
        yield Static(id="missing")
        table: DataTable = DataTable(id="alerts", cursor_type="row", zebra_stripes=True)
        table.border_title = "Active alerts"
        yield table

    def on_mount(self) -> None:
        table = self.query_one("#alerts", DataTable)
        table.add_columns("Host", "Site", "Alert", "Since", "Message")

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
        notes = [f"{section}: {why}" for section, why in sorted(snapshot.missing.items())]
        self.query_one("#missing", Static).update("\n".join(notes))
        self.query_one("#missing").display = bool(notes)
        refill(self.query_one("#alerts", DataTable), (
            (f"{a.host}|{a.kind}|{a.message}", (a.host, snapshot.site_of(a.host), a.kind, since(a.since, now), Text(a.message)))
            for a in snapshot.alerts))
