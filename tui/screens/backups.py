"""Backups: freshness of every device's last good configuration, filtered with ``/``; ``enter`` opens its history."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from netops.ages import since
from netops.services.state import FRESH, Device, Snapshot, backup_state
from tui.format import styled
from tui.screens.base import FilteredScreen
from tui.screens.device import DeviceScreen
from tui.screens.grep import GrepScreen
from tui.widgets.filter_input import FilterInput
from tui.widgets.virtual_table import VirtualTable


def row_fields(d: Device) -> tuple[str, ...]:
    """What the ``/`` filter searches."""
    return (d.name, d.site, d.role, d.platform, d.backup_status or "never", d.backup_reason or "")


class BackupsScreen(FilteredScreen):
    BINDINGS = [Binding("b", "backup", "Back up"), Binding("g", "grep", "Grep")]

    def __init__(self) -> None:
        super().__init__()
        self.snapshot: Snapshot | None = None

    def body(self) -> ComposeResult:
        yield Static(id="backups-summary")
        yield VirtualTable([("device", "Device"), ("site", "Site"), ("last", "Last good"), ("age", "Age"),
                            ("status", "Last run"), ("reason", "Reason")], flex=("reason",), id="backups")
        yield FilterInput()

    def show(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.redraw()

    def redraw(self) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        now = self.napp.clock()
        summary = self.query_one("#backups-summary", Static)
        if "backup" in snapshot.missing:
            summary.update(Text(f"no data yet: {snapshot.missing['backup']}", style="dim italic"))
        else:
            stale = sum(backup_state(d, now) != "fresh" for d in snapshot.devices)
            summary.update(f"{len(snapshot.devices)} devices · {stale} without a good backup in the last {FRESH.days} day(s)"
                           + (f" · filter /{self.filter_text}" if self.filter_text else ""))
        shown = [d for d in snapshot.devices if self.row_filter(row_fields(d))]
        oldest_first = sorted(shown, key=lambda d: (d.last_backup is not None, d.last_backup or now, d.name))
        self.query_one(VirtualTable).set_rows([
            (d.name, (d.name, d.site, f"{d.last_backup:%Y-%m-%d %H:%M}" if d.last_backup else "never",
                      Text(since(d.last_backup, now), style="green" if backup_state(d, now) == "fresh" else "yellow"),
                      styled(d.backup_status or "-"), Text(d.backup_reason or "")))
            for d in oldest_first
        ])

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.app.push_screen(DeviceScreen(event.key))

    def action_grep(self) -> None:
        self.app.push_screen(GrepScreen())

    def action_backup(self) -> None:
        self.napp.start_job("backup")
