"""Compliance: findings grouped by rule, site or severity; waivers; run a check now."""

from __future__ import annotations

from itertools import groupby

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from netops.policy.findings import SEVERITIES, Finding
from netops.services.state import Snapshot
from netops.styles import SEVERITY_STYLE
from tui.screens.base import NetopsScreen
from tui.screens.device import DeviceScreen

GROUPINGS = ("rule", "site", "severity")


def group_key(finding: Finding, by: str) -> tuple:
    if by == "severity":
        return (SEVERITIES.index(finding.severity) if finding.severity in SEVERITIES else len(SEVERITIES),)
    return (getattr(finding, by),)


class ComplianceScreen(NetopsScreen):
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

    def body(self) -> ComposeResult:
        yield Static(id="compliance-summary")
        findings: DataTable = DataTable(id="findings", cursor_type="row")
        findings.border_title = "Findings"
        yield findings
        waivers: DataTable = DataTable(id="waivers", cursor_type="row", zebra_stripes=True)
        waivers.border_title = "Waivers"
        yield waivers

    def on_mount(self) -> None:
        self.query_one("#findings", DataTable).add_columns("Finding", "Rule", "Object", "Sev", "Expected", "Actual", "Message")
        self.query_one("#waivers", DataTable).add_columns("Rule", "Host", "Object", "Expires", "Reason")
        super().on_mount()

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
            active = [f for f in snap.findings if not f.waived]
            line = Text(f"{len(active)} active, {len(snap.findings) - len(active)} waived · ")
            for sev in SEVERITIES:
                n = sum(f.severity == sev for f in active)
                if n:
                    line.append(f"{n} {sev}  ", style=SEVERITY_STYLE[sev])
            line.append(f"· by {self.group_by}")
            summary.update(line)
        table = self.query_one("#findings", DataTable)
        table.clear()
        shown = [f for f in snap.findings if self.show_waived or not f.waived]
        shown.sort(key=lambda f: (group_key(f, self.group_by), f.host, f.object))
        rows = 0
        for _, members in groupby(shown, key=lambda f: group_key(f, self.group_by)):
            members = list(members)
            label = getattr(members[0], self.group_by)
            table.add_row(Text(f"▾ {label} ({len(members)})", style="bold"), "", "", "", "", "", "")
            for f in members:
                style, rows = ("dim" if f.waived else ""), rows + 1
                table.add_row(Text(f"  {f.host}", style=style), f.rule, Text(f.object, style=style),
                              Text(f.severity, style=style or SEVERITY_STYLE.get(f.severity, "")),
                              f.expected, f.actual, Text(f.message + (" (waived)" if f.waived else ""), style=style),
                              key=f"{rows}|{f.host}")
        now = self.napp.clock()
        waivers = self.query_one("#waivers", DataTable)
        waivers.clear()
        for w in snap.waivers:
            expired = w.expired(now.date())
            expires = Text(f"{w.expires:%Y-%m-%d}", style="bold red" if expired else "")
            if expired:
                expires.append(" expired")
            waivers.add_row(w.rule, w.host or "*", w.object or "*", expires, Text(w.reason))

    def action_group(self) -> None:
        self.group_by = GROUPINGS[(GROUPINGS.index(self.group_by) + 1) % len(GROUPINGS)]
        self.redraw()

    def action_waived(self) -> None:
        self.show_waived = not self.show_waived
        self.redraw()

    def action_check(self) -> None:
        self.napp.start_job("check")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if event.data_table.id == "findings" and key and "|" in key:
            self.app.push_screen(DeviceScreen(key.split("|", 1)[1]))
