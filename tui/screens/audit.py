"""Audit: the trail of every run and change (``netops audit log``), newest first, with the state of its hash chain
on top (``netops audit verify``); ``/`` filters, ``enter`` shows a record in full (the commands a change pushed),
``P`` the privacy report.

The trail is read and verified in a thread worker on every refresh (a run of the CLI or of the dashboard adds a
record); times are in the secretariat's time zone (``timezone`` of netops.yaml).
"""

from __future__ import annotations

import json
from datetime import tzinfo

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.worker import get_current_worker

from netops.services.audit import AuditLog, Problem, Record, Verification
from netops.services.state import Snapshot
from tui.format import said
from tui.screens.base import FilteredScreen
from tui.widgets.filter_input import FilterInput
from tui.widgets.virtual_table import Row, VirtualTable

RESULT_STYLE = {"ok": "green", "failed": "bold red", "declined": "yellow", "interrupted": "yellow", "dry run": "dim"}
COLUMNS = [("seq", "#"), ("time", "Time"), ("user", "User"), ("action", "Action"), ("target", "Target"), ("result", "Result"),
           ("reason", "Reason"), ("detail", "Detail")]


def result_text(result: str) -> Text:
    """``ok`` green, ``failed: ...`` red, ``declined`` yellow (as ``netops audit log`` colours them)."""
    head = result.split(":", 1)[0]
    return Text(result, style=RESULT_STYLE.get(head, "red" if head.startswith("failed") else ""))


def chain_line(check: Verification | None) -> Text:
    """``chain intact (records 1..42: hashes and seals verified)`` or ``chain BROKEN at record 17: edited: ...``."""
    if check is None:
        return Text("chain: verifying…", style="dim")
    if check.intact:
        span = f"records {check.first}..{check.last}" if check.records else "no record yet"
        return Text(f"chain intact ({span}: hashes and seals verified)", style="green")
    first = check.problems[0]
    where = f"record {first.seq}" if first.seq is not None else f"line {first.line}" if first.line else "the log"
    more = f" (+{len(check.problems) - 1} more)" if len(check.problems) > 1 else ""
    return Text(f"chain BROKEN at {where}: {first.what}: {first.message}{more}", style="bold red")


def row_fields(r: Record) -> tuple[str, ...]:
    """What the ``/`` filter searches."""
    return (str(r.seq), r.who, r.action, r.target, r.result, r.reason or "", r.summary, r.host)


def detail_value(value: object) -> Text:
    """A detail's value whole: a list one item a line (the commands pushed), anything else as JSON."""
    if isinstance(value, list):
        return Text("\n".join(v if isinstance(v, str) else json.dumps(v) for v in value) or "none", style="" if value else "dim")
    return Text(value if isinstance(value, str) else json.dumps(value))


def describe(r: Record, zone: tzinfo | None, problems: list[Problem]) -> Group:
    """Every field of a record, the detail one key a row (nothing cut to a column's width)."""
    head = Text.assemble((f"#{r.seq} ", "bold"), (r.action, "bold"), f" {r.target or 'all'}  ", result_text(r.result))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("time", Text(f"{r.when.astimezone(zone):%Y-%m-%d %H:%M:%S %Z} ({r.time})"))
    grid.add_row("user", Text(r.who))
    grid.add_row("server", Text(f"{r.host} (pid {r.pid})"))
    grid.add_row("reason", Text(r.reason or "none given (--reason, NETOPS_REASON)", style="" if r.reason else "dim"))
    for key, value in r.detail.items():
        grid.add_row(key, detail_value(value))
    grid.add_row("hash", Text(f"{r.hash[:16]}… (previous {r.prev[:16] + '…' if r.prev else 'none: the first record'})", style="dim"))
    for p in problems:
        grid.add_row(Text("chain", style="bold red"), Text(f"{p.what}: {p.message}", style="bold red"))
    return Group(head, Text(""), grid)


class TrailLoaded(Message):
    def __init__(self, log: AuditLog | None, check: Verification | None, zone: tzinfo | None, error: str | None) -> None:
        super().__init__()
        self.trail, self.check, self.zone, self.error = log, check, zone, error


class AuditRecordScreen(ModalScreen[None]):
    """One record in full."""

    BINDINGS = [Binding("escape,enter", "app.pop_screen", "Close")]

    def __init__(self, record: Record, zone: tzinfo | None, problems: list[Problem]) -> None:
        super().__init__()
        self.record, self.zone, self.problems = record, zone, problems

    def compose(self) -> ComposeResult:
        with Vertical(id="audit-record"), VerticalScroll():
            yield Static(describe(self.record, self.zone, self.problems), id="audit-record-text")


class AuditScreen(FilteredScreen):
    BINDINGS = [Binding("P", "app.privacy", "Privacy")]

    def __init__(self) -> None:
        super().__init__()
        self.trail: AuditLog | None = None  # not ``log``: that is Textual's logger
        self.check: Verification | None = None
        self.zone: tzinfo | None = None
        self.error: str | None = None
        self.records: dict[str, Record] = {}

    def body(self) -> ComposeResult:
        yield Static(Text("reading the audit trail…", style="dim"), id="audit-summary")
        yield VirtualTable(COLUMNS, flex=("result", "reason", "detail"), id="audit")
        yield FilterInput()

    def show(self, snapshot: Snapshot) -> None:
        self.load()  # every refresh: a run since the last one added a record

    @work(thread=True, exclusive=True, group="audit", exit_on_error=False)
    def load(self) -> None:
        source = self.napp.source
        try:
            zone = source.zone()
            log = source.audit_log()
        except Exception as exc:  # a worker boundary: the summary line says what went wrong
            self.post_message(TrailLoaded(None, None, None, said(exc)))
            return
        try:
            check: Verification | None = source.audit_verify()
        except Exception:  # the records still show; the chain line says it could not be verified
            check = None
        if not get_current_worker().is_cancelled:
            self.post_message(TrailLoaded(log, check, zone, None))

    def on_trail_loaded(self, message: TrailLoaded) -> None:
        self.trail, self.check, self.zone, self.error = message.trail, message.check, message.zone, message.error
        self.redraw()

    def problems_of(self, seq: int) -> list[Problem]:
        return [p for p in self.check.problems if p.seq == seq] if self.check else []

    def redraw(self) -> None:
        summary = self.query_one("#audit-summary", Static)
        table = self.query_one(VirtualTable)
        log = self.trail
        if log is None:
            summary.update(Text(self.error or "reading the audit trail…", style="red" if self.error else "dim"))
            table.set_rows([])
            return
        broken = {p.seq for p in self.check.problems} if self.check else set()
        shown = [r for r in reversed(log.records) if self.row_filter(row_fields(r))]  # newest first
        self.records = {str(r.seq): r for r in shown}
        rows: list[Row] = [
            (str(r.seq), (Text(str(r.seq), style="bold red" if r.seq in broken else ""),
                          f"{r.when.astimezone(self.zone):%d %b %H:%M}", r.who, r.action, r.target or "all",
                          result_text(r.result), r.reason or "", Text(r.summary, style="dim")))
            for r in shown
        ]
        table.set_rows(rows)
        line = chain_line(self.check) if self.check is not None else Text("chain: could not be verified", style="yellow")
        if not log.total:
            line = Text(f"no records yet: every run and change is recorded in {log.path}", style="dim italic")
        else:
            label = getattr(self.zone, "key", None) or str(self.zone)
            line.append(Text(f" · {len(shown)} of {log.total} record(s), newest first · times {label}"
                             + (f" · filter /{self.filter_text}" if self.filter_text else ""), style=""))
        summary.update(line)

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        record = self.records.get(event.key)
        if record is not None:
            self.app.push_screen(AuditRecordScreen(record, self.zone, self.problems_of(record.seq)))
