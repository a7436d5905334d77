"""Backups: freshness of every device's last good configuration, filtered with ``/``; ``enter`` opens its history.
Under the summary, the off-site remotes (``dr.remotes``): how far behind each is and how its last push went; and
disaster recovery: how many devices' secrets the vault holds and the newest drill of each site."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from netops.ages import short, since
from netops.backup.offsite import RemoteState
from netops.services.drill import DrState
from netops.services.state import FRESH, Device, Snapshot, backup_state
from tui.format import styled
from tui.screens.base import FilteredScreen
from tui.screens.device import DeviceScreen
from tui.screens.grep import GrepScreen
from tui.widgets.filter_input import FilterInput
from tui.widgets.virtual_table import VirtualTable


def offsite_line(remotes: list[RemoteState]) -> Text:
    """``off-site: srinagar-ops up to date · dc-2 3 commit(s) / 5h behind, push unreachable``."""
    out = Text("off-site: ")
    for n, r in enumerate(remotes):
        if n:
            out.append(" · ")
        if r.local_head is None:
            out.append(f"{r.remote} nothing to push yet", style="dim")
        elif r.commits_behind == 0:
            out.append(f"{r.remote} up to date", style="green")
        else:
            out.append(f"{r.remote} {r.commits_behind} commit(s) / {short(r.behind_seconds)} behind"
                       + (" (never pushed)" if r.never_pushed else ""), style="red" if r.lagging else "yellow")
        if r.failing and r.last_push is not None:
            out.append(f", push {r.last_push.status}", style="red")
    return out


def dr_line(state: DrState, now: datetime) -> Text:
    """``vault: 18 of 18 devices' secrets stored · drill jammu 2h ago: 9/9 verified, RTO 7.2s``."""
    out = Text("vault: ")
    if not state.vault_on:
        out.append("off (netops vault init)", style="yellow")
    else:
        out.append(f"{state.stored} of {state.devices} devices' secrets stored",
                   style="green" if state.stored == state.devices and not state.flagged else "yellow")
        if state.flagged:
            out.append(f", {state.flagged} flagged (netops vault status)", style="red")
    for d in state.drills:
        out.append(" · ")
        what = (f"{d.verified}/{d.devices} verified, RTO {d.rto_seconds:.1f}s" if d.mode == "lab" and d.rto_seconds is not None
                else f"{d.verified}/{d.devices} verified" if d.mode == "lab" else "dry run")
        out.append(f"drill {d.site} {since(d.finished, now)} ago: {what}", style="green" if d.ok else "red")
    return out


def row_fields(d: Device) -> tuple[str, ...]:
    """What the ``/`` filter searches."""
    return (d.name, d.site, d.role, d.platform, d.backup_status or "never", d.backup_reason or "")


class BackupsScreen(FilteredScreen):
    BINDINGS = [Binding("b", "backup", "Back up"), Binding("g", "grep", "Grep")]

    def __init__(self) -> None:
        super().__init__()
        self.snapshot: Snapshot | None = None
        self.remotes: list[RemoteState] = []
        self.dr: DrState | None = None

    def body(self) -> ComposeResult:
        yield Static(id="backups-summary")
        yield VirtualTable([("device", "Device"), ("site", "Site"), ("last", "Last good"), ("age", "Age"),
                            ("status", "Last run"), ("reason", "Reason")], flex=("reason",), id="backups")
        yield FilterInput()

    def show(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.redraw()
        self.load_offsite()

    @work(thread=True, exclusive=True, exit_on_error=False, group="offsite")
    def load_offsite(self) -> None:
        try:
            remotes = self.napp.source.offsite()
        except Exception:  # a broken dr section is reported by the CLI; the screen keeps its devices
            remotes = []
        try:
            dr: DrState | None = self.napp.source.dr()
        except Exception:  # no backup repository yet, a vault the CLI reports on
            dr = None
        if remotes != self.remotes or dr != self.dr:
            self.app.call_from_thread(self.show_offsite, remotes, dr)

    def show_offsite(self, remotes: list[RemoteState], dr: DrState | None) -> None:
        self.remotes, self.dr = remotes, dr
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
            text = Text(f"{len(snapshot.devices)} devices · {stale} without a good backup in the last {FRESH.days} day(s)"
                        + (f" · filter /{self.filter_text}" if self.filter_text else ""))
            if self.remotes:
                text.append("\n").append_text(offsite_line(self.remotes))
            if self.dr is not None and (self.dr.vault_on or self.dr.drills):
                text.append("\n").append_text(dr_line(self.dr, now))
            summary.update(text)
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
