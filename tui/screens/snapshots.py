"""Snapshots (``netops snapshot``): the stored snapshots of operational state, newest first; mark two with ``space``
and ``d`` shows their diff (regressions in red first, then the benign changes); ``t`` takes a snapshot of the tagged
devices (every device when none is tagged) as a job (6: Jobs).

Opened with ``S`` from any view, ``:snapshots`` or the command palette; the list and the diff are read in thread
workers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from tui.format import said
from tui.screens.base import NetopsScreen
from tui.widgets.virtual_table import Row, VirtualTable

if TYPE_CHECKING:
    from netops.services.snapshot import SnapshotDiff, StateSnapshot

COLUMNS = [("mark", " "), ("name", "Name"), ("taken", "Taken (UTC)"), ("scope", "Scope"), ("devices", "Devices"),
           ("unreachable", "Unreachable"), ("origin", "Origin")]


def diff_view(result: SnapshotDiff) -> Group:
    """Regressions (red) then the other changes, one line each, under a line with the counts."""
    if result.empty:
        return Group(Text(f"{result.a} → {result.b}: no change", style="green"))
    head = Text(f"{result.a} → {result.b}: {len(result.regressions)} regression(s), {len(result.changes)} other change(s)",
                style="bold red" if result.regressions else "bold green")
    lines: list[Text] = [head]
    for c in result.regressions:
        lines.append(Text.assemble(("REGRESSION ", "bold red"), (f"{c.host} ", "bold"), f"{c.feature} {c.key}: ".replace("  ", " "),
                                   (c.message, "red")))
    for c in result.changes:
        lines.append(Text.assemble(("changed    ", "yellow"), (f"{c.host} ", "bold"), f"{c.feature} {c.key}: ".replace("  ", " "),
                                   (c.message, "")))
    return Group(*lines)


class SnapshotsLoaded(Message):
    def __init__(self, snapshots: list[StateSnapshot] | None, error: str | None) -> None:
        super().__init__()
        self.snapshots, self.error = snapshots, error


class DiffLoaded(Message):
    def __init__(self, result: SnapshotDiff | None, error: str | None) -> None:
        super().__init__()
        self.result, self.error = result, error


class SnapshotsScreen(NetopsScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("space", "mark", "Mark"),
        Binding("d", "diff", "Diff"),
        Binding("t", "take", "Take"),
        Binding("ctrl+r", "reload", "Read again", show=False),
    ]
    JOB_ACTIONS = NetopsScreen.JOB_ACTIONS | {"take"}
    AUTO_FOCUS = "#snapshots"

    def __init__(self) -> None:
        super().__init__()
        self.snapshots: list[StateSnapshot] | None = None
        self.marked: list[str] = []  # at most two, in the order marked (the older is A)
        self.result: SnapshotDiff | None = None
        self.error: str | None = None

    def body(self) -> ComposeResult:
        yield Static(Text("reading the stored snapshots…", style="dim"), id="snapshots-summary")
        yield VirtualTable(COLUMNS, flex=("scope", "origin"), id="snapshots")
        with VerticalScroll(id="snapshot-diff-scroll"):
            yield Static(Text("mark two snapshots with space, then d: their diff", style="dim"), id="snapshot-diff")

    def on_mount(self) -> None:
        self.load()
        self.napp.job_signal.subscribe(self, self._job_event)

    def _job_event(self, event: object) -> None:
        job = getattr(event, "job", None)
        if job is not None and job.kind == "snapshot" and job.finished is not None:
            self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="snapshots", exit_on_error=False)
    def load(self) -> None:
        try:
            found = self.napp.source.state_snapshots()
        except Exception as exc:  # a worker boundary: the summary line says what went wrong
            self.post_message(SnapshotsLoaded(None, said(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(SnapshotsLoaded(found, None))

    def on_snapshots_loaded(self, message: SnapshotsLoaded) -> None:
        self.snapshots, self.error = message.snapshots, message.error
        names = {s.name for s in self.snapshots or []}
        self.marked = [n for n in self.marked if n in names]
        self.redraw()

    def redraw(self) -> None:
        summary = self.query_one("#snapshots-summary", Static)
        table = self.query_one(VirtualTable)
        if self.snapshots is None:
            summary.update(Text(self.error or "reading the stored snapshots…", style="bold red" if self.error else "dim"))
            table.set_rows([])
            return
        rows: list[Row] = []
        for s in reversed(self.snapshots):  # newest first
            row = s.summary()
            mark = str(self.marked.index(s.name) + 1) if s.name in self.marked else ""
            rows.append((s.name, (Text(mark, style="bold reverse") if mark else "", Text(s.name, style="bold"),
                                  s.taken[:19].replace("T", " "), s.scope, str(row["devices"]),
                                  Text(str(row["unreachable"]), style="bold red" if row["unreachable"] else "dim"), s.origin)))
        table.set_rows(rows)
        if not self.snapshots:
            summary.update(Text("no snapshot yet: t takes one of the tagged devices (netops snapshot take NAME)", style="dim italic"))
        else:
            marked = f" · marked {' → '.join(self.marked)}" if self.marked else " · space marks, d diffs the two marked"
            summary.update(Text(f"{len(self.snapshots)} snapshot(s), newest first{marked}"))

    def action_mark(self) -> None:
        key = self.query_one(VirtualTable).cursor_key
        if key is None:
            return
        if key in self.marked:
            self.marked.remove(key)
        else:
            self.marked = (self.marked + [key])[-2:]
        self.redraw()

    def pair(self) -> tuple[str, str] | None:
        """The two snapshots to compare, older first: the two marked, or the one marked and the one under the cursor."""
        chosen = list(self.marked)
        cursor = self.query_one(VirtualTable).cursor_key
        if len(chosen) < 2 and cursor is not None and cursor not in chosen:
            chosen.append(cursor)
        if len(chosen) < 2 or self.snapshots is None:
            return None
        order = {s.name: (s.taken, s.name) for s in self.snapshots}
        a, b = sorted(chosen[:2], key=lambda n: order.get(n, ("", n)))
        return a, b

    def action_diff(self) -> None:
        pair = self.pair()
        if pair is None:
            self.notify("mark two snapshots with space (or one, and put the cursor on the other)", severity="warning")
            return
        self.query_one("#snapshot-diff", Static).update(Text(f"comparing {pair[0]} → {pair[1]}…", style="dim"))
        self.compare(*pair)

    @work(thread=True, exclusive=True, group="snapshot-diff", exit_on_error=False)
    def compare(self, a: str, b: str) -> None:
        try:
            result = self.napp.source.state_diff(a, b)
        except Exception as exc:  # a worker boundary
            self.post_message(DiffLoaded(None, said(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(DiffLoaded(result, None))

    def on_diff_loaded(self, message: DiffLoaded) -> None:
        self.result = message.result
        view = self.query_one("#snapshot-diff", Static)
        if message.result is None:
            view.update(Text(f"diff failed: {message.error}", style="bold red"))
        else:
            view.update(diff_view(message.result))

    def action_take(self) -> None:
        self.napp.start_job("snapshot")
