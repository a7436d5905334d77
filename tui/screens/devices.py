"""Devices: every device, filterable (``/``), sortable, taggable; ``enter`` drills in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from netops.ages import short, since
from netops.results import DeviceResult
from netops.services.state import Device, Snapshot
from tui.format import reachability, styled
from tui.jobs import Job, JobEvent
from tui.screens.base import FilteredScreen
from tui.screens.device import DeviceScreen
from tui.widgets.filter_input import FilterInput
from tui.widgets.virtual_table import VirtualTable

Column = tuple[str, str, Callable[[Device], Any]]  # key, label, sort key
COLUMNS: tuple[Column, ...] = (
    ("tag", " ", lambda d: 0),
    ("name", "Name", lambda d: d.name),
    ("reach", "Reach", lambda d: {False: 0, None: 1, True: 2}[d.reachable]),
    ("backup", "Backup", lambda d: (d.backup_status != "failed", d.last_backup.timestamp() if d.last_backup else 0)),
    ("findings", "Find", lambda d: -d.findings),
    ("site", "Site", lambda d: d.site),
    ("role", "Role", lambda d: d.role),
    ("platform", "Platform", lambda d: d.platform),
    ("address", "Address", lambda d: tuple(int(p) if p.isdigit() else 0 for p in d.address.split("."))),
    ("uptime", "Uptime", lambda d: d.uptime or 0),
)
SORTABLE = [c[0] for c in COLUMNS[1:]]
LIVE_KINDS = frozenset({"backup", "poll"})  # jobs whose per-device outcome a row shows as it arrives


def row_fields(device: Device) -> tuple[str, ...]:
    """What the ``/`` filter searches."""
    return (device.name, device.site, device.role, device.platform, device.address, device.model, *device.faults)


class DevicesScreen(FilteredScreen):
    BINDINGS = [
        Binding("f", "faults", "Faults only"),
        Binding("space", "tag", "Tag"),
        Binding("u", "untag", "Untag all", show=False),
        Binding("s", "sort", "Sort"),
        Binding("S", "reverse", "Reverse", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.devices: tuple[Device, ...] = ()
        self.faults_only = False
        self.sort_key = "name"
        self.sort_reverse = False
        self._row_cells: dict[str, tuple] = {}  # per device, rebuilt when the snapshot changes
        self.live: dict[str, tuple[Job, DeviceResult[Any]]] = {}  # backup/poll outcomes not in a snapshot yet

    def on_mount(self) -> None:
        self.napp.job_signal.subscribe(self, self.on_job_event)

    def on_job_event(self, event: JobEvent) -> None:
        """A device's backup or poll outcome shows the moment it arrives, not when the whole job ends."""
        if event.job.kind not in LIVE_KINDS or not event.updates:
            return
        table = self.query_one(VirtualTable)
        for result in event.updates:
            self.live[result.host] = (event.job, result)
            device = next((d for d in self.devices if d.name == result.host), None)
            if device is not None and table.has_row(result.host):
                table.update_row(result.host, self._cells(device))

    def body(self) -> ComposeResult:
        yield VirtualTable([(key, label) for key, label, _ in COLUMNS], id="devices")
        yield FilterInput()
        yield Static(id="status")

    def show(self, snapshot: Snapshot) -> None:
        """Rebuild every row (ages move on even when nothing else changed); columns are sized for every device."""
        self.devices = snapshot.devices
        self._row_cells.clear()
        self.live = {h: (job, r) for h, (job, r) in self.live.items() if job.finished is None}  # the stores have the rest
        self.query_one(VirtualTable).measure([(d.name, self._cells(d)) for d in self.devices])
        self.redraw()

    def shown_devices(self) -> list[Device]:
        sort = next(c[2] for c in COLUMNS if c[0] == self.sort_key)
        rows = [d for d in self.devices if self.row_filter(row_fields(d)) and (d.faults or not self.faults_only)]
        return sorted(rows, key=lambda d: (sort(d), d.name), reverse=self.sort_reverse)

    def redraw(self) -> None:
        """Rebuild the rows (no I/O: the snapshot is already in memory); the cursor keeps its device."""
        rows = self.shown_devices()
        rows_cells = [(d.name, self._row_cells.get(d.name) or self._cells(d)) for d in rows]
        self.query_one(VirtualTable).set_rows(rows_cells, measure=False)  # columns are sized for every device
        self._status(len(rows))

    def _cells(self, d: Device) -> tuple:
        backup = styled("failed") if d.backup_status == "failed" else Text(since(d.last_backup, self.napp.clock()))
        reach = reachability(d.reachable)
        job, result = self.live.get(d.name, (None, None))
        if job is not None and result is not None and job.kind == "backup":
            backup = styled("failed") if result.failed else Text("now", style="green")
        elif job is not None and result is not None:
            reach = reachability(not result.failed)
        cells = (self._tag_cell(d.name), d.name, reach, backup,
                 Text(str(d.findings), style="red" if d.findings else "dim"),
                 d.site, d.role, d.platform, d.address, short(d.uptime))
        self._row_cells[d.name] = cells
        return cells

    def _tag_cell(self, name: str) -> Text:
        return Text("●", style="bold magenta") if name in self.napp.tagged else Text(" ")

    def _status(self, shown: int) -> None:
        parts = [f"{shown}/{len(self.devices)} devices"]
        if self.napp.tagged:
            parts.append(f"{len(self.napp.tagged)} tagged")
        if self.filter_text:
            parts.append(f"filter /{self.filter_text}")
        if self.faults_only:
            parts.append("faults only")
        parts.append(f"sort {self.sort_key} {'▼' if self.sort_reverse else '▲'}")
        self.query_one("#status", Static).update(" · ".join(parts))

    def current_host(self) -> str | None:
        return self.query_one(VirtualTable).cursor_key

    # -- actions -----------------------------------------------------------
    def action_faults(self) -> None:
        self.faults_only = not self.faults_only
        self.redraw()

    def action_tag(self) -> None:
        host = self.current_host()
        if host is None:
            return
        self.napp.tagged ^= {host}
        table = self.query_one(VirtualTable)
        device = next(d for d in self.devices if d.name == host)
        table.update_row(host, self._cells(device))
        table.action_move(1)
        self._status(table.row_count)

    def action_untag(self) -> None:
        self.napp.tagged.clear()
        self.redraw()

    def action_sort(self) -> None:
        self.sort_key = SORTABLE[(SORTABLE.index(self.sort_key) + 1) % len(SORTABLE)]
        self.redraw()

    def action_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.redraw()

    def on_virtual_table_header_clicked(self, event: VirtualTable.HeaderClicked) -> None:
        key = event.column
        if key in SORTABLE:
            self.sort_reverse = not self.sort_reverse if key == self.sort_key else False
            self.sort_key = key
            self.redraw()

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.app.push_screen(DeviceScreen(event.key))
