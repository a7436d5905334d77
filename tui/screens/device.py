"""One device: facts, live interfaces, backup history with diffs and restore, findings."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from netops.ages import since
from netops.backup.restore import RestorePlan
from netops.services.state import DeviceDetail, Interface
from netops.styles import SEVERITY_STYLE
from tui.format import amount, bits, reachability, styled, utilisation
from tui.screens.base import NetopsScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.diff import DiffScreen, DriftScreen

TABS = ("facts", "interfaces", "backups", "findings")


class DeviceScreen(NetopsScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("right_square_bracket", "tab(1)", "Next tab"),
        Binding("left_square_bracket", "tab(-1)", "Prev tab", show=False),
        Binding("m", "mark", "Mark rev"),
        Binding("d", "diff", "Diff"),
        Binding("D", "drift", "Drift"),
        Binding("R", "restore", "Restore"),
    ]

    def __init__(self, host: str) -> None:
        super().__init__()
        self.host = host
        self.detail: DeviceDetail | None = None
        self.marked: list[str] = []

    def body(self) -> ComposeResult:
        yield Static(f"{self.host} · loading…", id="device-title")
        with TabbedContent(id="tabs"):
            for tab in TABS:
                with TabPane(tab.capitalize(), id=tab):
                    yield DataTable(id=f"{tab}-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        columns = {
            "facts": ("Fact", "Value"),
            "interfaces": ("Interface", "Oper", "Speed", "In", "Out", "Util", "In errors"),
            "backups": (" ", "Revision", "Date", "Age", "Message"),
            "findings": ("Rule", "Severity", "Object", "Expected", "Actual", "Message"),
        }
        for tab, labels in columns.items():
            self.query_one(f"#{tab}-table", DataTable).add_columns(*labels)
        self.load_detail()
        if self.napp.options.refresh > 0:
            self.set_interval(self.napp.options.refresh, self.reload_interfaces)

    # -- loading (thread workers) -----------------------------------------
    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def load_detail(self) -> None:
        try:
            detail = self.napp.source.detail(self.host)
        except Exception as exc:  # a worker boundary: errors become notifications
            self.app.call_from_thread(self.notify, f"{self.host}: {exc}", severity="error", timeout=8)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_detail, detail)

    def reload_interfaces(self) -> None:
        if not self.napp.paused and self.detail is not None:
            self._fetch_interfaces()

    @work(thread=True, exclusive=True, group="interfaces", exit_on_error=False)
    def _fetch_interfaces(self) -> None:
        try:
            interfaces = self.napp.source.interfaces(self.host)
        except Exception as exc:  # a worker boundary: errors become notifications
            self.app.call_from_thread(self.notify, f"{self.host} interfaces: {exc}", severity="error")
            return
        self.app.call_from_thread(self.show_interfaces, interfaces)

    # -- rendering ---------------------------------------------------------
    def show_detail(self, detail: DeviceDetail) -> None:
        self.detail = detail
        d, now = detail.device, self.napp.clock()
        title = Text.assemble((d.name, "bold"), f" · {d.site} · {d.role} · {d.platform} · {d.address} · ",
                              reachability(d.reachable), f" · backup {since(d.last_backup, now)}")
        self.query_one("#device-title", Static).update(title)
        facts = self.query_one("#facts-table", DataTable)
        facts.clear()
        for key, value in detail.facts.items():
            facts.add_row(key, value)
        for fault in d.faults:
            facts.add_row("fault", Text(fault, style="red"))
        self.show_interfaces(detail.interfaces)
        self.show_revisions()
        findings = self.query_one("#findings-table", DataTable)
        findings.clear()
        for f in detail.findings:
            findings.add_row(f.rule, Text(f.severity, style=SEVERITY_STYLE.get(f.severity, "")), f.object,
                             f.expected, f.actual, Text(f.message + (" (waived)" if f.waived else ""), style="dim" if f.waived else ""))
        for section, why in detail.missing.items():
            table = self.query_one(f"#{section}-table", DataTable)
            if not table.row_count:
                table.add_row(*([Text(f"no data yet: {why}", style="dim italic")] + [""] * (len(table.columns) - 1)))

    def show_interfaces(self, interfaces: tuple[Interface, ...]) -> None:
        table = self.query_one("#interfaces-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        for i in interfaces:
            table.add_row(i.name, styled(i.oper_status), bits(i.speed_mbps * 1e6 if i.speed_mbps else None), bits(i.in_bps),
                          bits(i.out_bps), utilisation(i.in_bps, i.out_bps, i.speed_mbps),
                          Text(amount(i.in_errors), style="red" if i.in_errors else ""), key=i.name)
        if interfaces:
            table.move_cursor(row=min(cursor, len(interfaces) - 1))

    def show_revisions(self) -> None:
        assert self.detail is not None
        table = self.query_one("#backups-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        now = self.napp.clock()
        for r in self.detail.revisions:
            mark = Text(str(self.marked.index(r.rev) + 1), style="bold magenta") if r.rev in self.marked else " "
            table.add_row(mark, r.rev, f"{r.date:%Y-%m-%d %H:%M}" if r.date else "-", since(r.date, now), r.message, key=r.rev)
        if self.detail.revisions:
            table.move_cursor(row=min(cursor, len(self.detail.revisions) - 1))

    # -- actions -----------------------------------------------------------
    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = TABS[(TABS.index(tabs.active) + step) % len(TABS)]
        self.query_one(f"#{tabs.active}-table", DataTable).focus()

    def selected_rev(self) -> str | None:
        table = self.query_one("#backups-table", DataTable)
        if not table.row_count or self.detail is None or not self.detail.revisions:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _on_backups(self) -> bool:
        tabs = self.query_one(TabbedContent)
        if tabs.active != "backups":
            tabs.active = "backups"
            self.query_one("#backups-table", DataTable).focus()
            self.notify("choose a revision first (m marks two revisions to compare)")
            return False
        return self.selected_rev() is not None

    def action_mark(self) -> None:
        if not self._on_backups():
            return
        rev = self.selected_rev()
        assert rev is not None  # _on_backups checked a revision is selected
        self.marked = [r for r in self.marked if r != rev] if rev in self.marked else (self.marked + [rev])[-2:]
        self.show_revisions()

    def action_drift(self) -> None:
        """The running configuration, fetched now, against the last backup."""
        self.app.push_screen(DriftScreen(self.host))

    def action_diff(self) -> None:
        """Diff the two marked revisions, or the selected one against the one before it."""
        if not self._on_backups():
            return
        assert self.detail is not None
        order = [r.rev for r in self.detail.revisions]  # newest first
        if len(self.marked) == 2:
            new, old = sorted(self.marked, key=order.index)
        else:
            selected = self.selected_rev()
            assert selected is not None
            new = selected
            index = order.index(new) + 1
            if index >= len(order):
                self.notify("the first revision has nothing before it", severity="warning")
                return
            old = order[index]
        self.app.push_screen(DiffScreen(self.host, old, new))

    def action_restore(self) -> None:
        """Preview the restore of the selected revision (a worker), then ask before pushing."""
        if self.napp.read_only:
            self.notify("read-only mode: restore is disabled", severity="warning")
            return
        if self._on_backups():
            self.notify(f"{self.host}: computing the restore of {self.selected_rev()}…")
            self._preview_restore(self.selected_rev())

    @work(thread=True, exclusive=True, group="restore", exit_on_error=False)
    def _preview_restore(self, rev: str) -> None:
        try:
            preview = self.napp.source.restore_preview(self.host, rev)
        except Exception as exc:  # a worker boundary: errors become notifications
            self.app.call_from_thread(self.notify, f"restore preview failed: {exc}", severity="error", timeout=8)
            return
        self.app.call_from_thread(self._confirm_restore, preview)

    def _confirm_restore(self, preview: RestorePlan) -> None:
        if not preview.commands:
            self.notify(f"{self.host} already matches {preview.commit[:12]}: nothing to push")
            return
        lines = [f"Restore {self.host} to revision {preview.commit[:12]}?", "",
                 f"These {len(preview.commands)} command(s) will be pushed, then saved and verified:", ""]
        lines += [f"  {c}" for c in preview.commands]
        if preview.manual:
            lines += ["", "Needs a human (never stored, e.g. secrets):", *(f"  {m}" for m in preview.manual)]

        def confirmed(yes: bool | None) -> None:
            if yes and self.napp.start_job("restore", [self.host], rev=preview.commit):
                self.app.switch_mode("jobs")

        self.app.push_screen(ConfirmScreen("\n".join(lines)), confirmed)
