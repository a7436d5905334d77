"""Compliance: findings grouped by rule, site or severity, filtered with ``/``; waivers; run a check now.

``enter`` opens a finding in full. The counts of the header and of each group come
from the same findings, so they always agree.
"""

from __future__ import annotations

from itertools import groupby

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from netops.policy.findings import SEVERITIES, Finding
from netops.services.state import Snapshot, severity_counts
from netops.styles import SEVERITY_STYLE
from tui.screens.base import FilteredScreen
from tui.screens.finding import FindingScreen
from tui.widgets.filter_input import FilterInput
from tui.widgets.tables import refill
from tui.widgets.virtual_table import Row, VirtualTable

GROUPINGS = ("rule", "site", "severity")
COLUMNS = [("host", "Finding"), ("rule", "Rule"), ("object", "Object"), ("severity", "Sev"), ("expected", "Expected"),
           ("actual", "Actual")]


def group_key(finding: Finding, by: str) -> tuple:
    if by == "severity":
        return (SEVERITIES.index(finding.severity) if finding.severity in SEVERITIES else len(SEVERITIES),)
    return (getattr(finding, by),)


def finding_key(finding: Finding) -> str:
    return f"{finding.rule}|{finding.host}|{finding.object}|{finding.source}"


def row_fields(f: Finding) -> tuple[str, ...]:
    """What the ``/`` filter searches."""
    return (f.host, f.site, f.rule, f.object, f.severity, f.message, f.title)


def group_label(label: str, members: list[Finding]) -> str:
    waived = sum(f.waived for f in members)
    return f"▾ {label} ({len(members) - waived} active, {waived} waived)" if waived else f"▾ {label} ({len(members)})"


class ComplianceScreen(FilteredScreen):
    BINDINGS = [
        Binding("g", "group", "Group by"),
        Binding("w", "waived", "Show waived"),
        Binding("c", "check", "Check now"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.group_by = "rule"
        self.show_waived = True
        self.snapshot: Snapshot | None = None
        self.findings: dict[str, Finding] = {}

    def body(self) -> ComposeResult:
        yield Static(id="compliance-summary")
        findings = VirtualTable(COLUMNS, flex=("expected", "actual"), id="findings")
        findings.border_title = "Findings"
        yield findings
        yield FilterInput()
        waivers: DataTable = DataTable(id="waivers", cursor_type="row", zebra_stripes=True)
        waivers.border_title = "Waivers"
        yield waivers

    def on_mount(self) -> None:
        self.query_one("#waivers", DataTable).add_columns("Rule", "Host", "Object", "Expires", "Reason")

    def show(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.redraw()

    def redraw(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        summary = self.query_one("#compliance-summary", Static)
        if "policy" in snap.missing:
            summary.update(Text(f"no data yet: {snap.missing['policy']}", style="dim italic"))
        else:
            counts = severity_counts(snap.findings)
            waived = sum(f.waived for f in snap.findings)
            line = Text(f"{sum(counts.values())} active, {waived} waived · ")
            for sev, n in counts.items():
                if n:
                    line.append(f"{n} {sev}  ", style=SEVERITY_STYLE[sev])
            line.append(f"· by {self.group_by}" + (f" · filter /{self.filter_text}" if self.filter_text else ""))
            if snap.newer_probes:
                line.append(f" · {snap.newer_probes} probe run(s) since check run {snap.check_run}: c checks again", style="yellow")
            summary.update(line)
        shown = [f for f in snap.findings if (self.show_waived or not f.waived) and self.row_filter(row_fields(f))]
        shown.sort(key=lambda f: (group_key(f, self.group_by), f.host, f.object))
        self.findings = {finding_key(f): f for f in shown}
        rows: list[Row] = []
        finding_rows: list[Row] = []
        for key, group in groupby(shown, key=lambda f: group_key(f, self.group_by)):
            members = list(group)
            label = str(getattr(members[0], self.group_by))
            rows.append((f"group|{key}", (Text(group_label(label, members), style="bold"), "", "", "", "", "")))
            for f in members:
                style = "dim" if f.waived else ""
                row = (finding_key(f), (Text(f"  {f.host}", style=style), "" if self.group_by == "rule" else f.rule,
                                        Text(f.object, style=style),
                                        Text("" if self.group_by == "severity" else f.severity,
                                             style=style or SEVERITY_STYLE.get(f.severity, "")),
                                        Text(f.expected, style=style), Text(f.actual + (" (waived)" if f.waived else ""), style=style)))
                rows.append(row)
                finding_rows.append(row)
        table = self.query_one(VirtualTable)
        table.measure(finding_rows)  # the group headers' labels may run across the columns
        table.set_rows(rows, measure=False)
        now = self.napp.clock()
        rows_w = []
        for i, w in enumerate(snap.waivers):
            expired = w.expired(now.date())
            expires = Text(f"{w.expires:%Y-%m-%d}", style="bold red" if expired else "")
            if expired:
                expires.append(" expired")
            rows_w.append((f"{w.file}:{w.line}:{i}", (w.rule, w.host or "*", w.object or "*", expires, Text(w.reason))))
        refill(self.query_one("#waivers", DataTable), rows_w)

    def action_group(self) -> None:
        self.group_by = GROUPINGS[(GROUPINGS.index(self.group_by) + 1) % len(GROUPINGS)]
        self.redraw()

    def action_waived(self) -> None:
        self.show_waived = not self.show_waived
        self.redraw()

    def action_check(self) -> None:
        self.napp.start_job("check")

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        finding = self.findings.get(event.key)
        if finding is not None:
            self.app.push_screen(FindingScreen(finding))
