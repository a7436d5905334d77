"""Privacy (``netops privacy report``): what personal data netops holds, where, in what form, for how long and how
much; the retention of each data class; the security safeguards; the legal basis (DPDP Act 2023, DPDP Rules 2025).

Opened with ``P`` in the Audit view, ``:privacy`` or the command palette; read in a thread worker.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
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

if TYPE_CHECKING:
    from netops.services.privacy import PrivacyReport

FORM_STYLE = {"pseudonymised": "green", "clear": "yellow", "not stored": "dim", "not personal": "dim"}
STATE_STYLE = {"in place": "green", "missing": "bold red", "off": "yellow", "not yet": "yellow"}


def held(count: dict[str, Any]) -> str:
    """``rows 12 · devices 4 · oldest 2026-11-15``: the figures a holding reports (the empty ones left out, times
    as their day)."""
    def value(v: Any) -> str:
        return v[:10] if isinstance(v, str) and re.match(r"\d{4}-\d\d-\d\dT", v) else str(v)

    return " · ".join(f"{k.replace('_', ' ')} {value(v)}" for k, v in count.items() if v not in (None, "")) or "-"


def report_view(report: PrivacyReport) -> RenderableType:
    """The whole report: holdings, retention, safeguards and basis, long texts wrapped in their columns."""
    holdings = Table(title="What netops holds", title_justify="left", title_style="bold", expand=True, show_lines=True)
    for label, ratio in (("Data", 2), ("Personal data", 5), ("Retention", 2), ("Held", 2), ("Where", 3)):
        holdings.add_column(label, ratio=ratio, overflow="fold")
        if label == "Data":
            holdings.add_column("Form", no_wrap=True)  # pseudonymised, clear, not stored, not personal: whole
    for h in report.holdings:
        holdings.add_row(Text(h.name, style="bold"), Text(h.form, style=FORM_STYLE.get(h.form, "")),
                         Text(h.personal_data + (f"\n{h.note}" if h.note else "")), Text(h.retention), Text(held(h.count)),
                         Text(h.where, style="dim"))
    retention = Table(title="Retention per data class (netops db prune, daily)", title_justify="left", title_style="bold",
                      expand=True)
    for label, ratio in (("Data class", 1), ("Days", 1), ("Set by", 4)):
        retention.add_column(label, ratio=ratio, overflow="fold")
    for data_class, kept in report.retention.items():
        retention.add_row(data_class, f"{kept.get('days', '-'):g}" if isinstance(kept.get("days"), (int, float)) else "-",
                          Text(str(kept.get("origin", "")), style="dim"))
    safeguards = Table(title="Safeguards", title_justify="left", title_style="bold", expand=True)
    for label, ratio in (("Safeguard", 2), ("State", 1), ("Detail", 6)):
        safeguards.add_column(label, ratio=ratio, overflow="fold")
    for s in report.safeguards:
        safeguards.add_row(s.name, Text(s.state, style=STATE_STYLE.get(s.state, "")), Text(s.detail))
    basis = Text("Basis\n", style="bold")
    for line in report.basis:
        basis.append("• ", style="bold").append(line + "\n", style="")
    return Group(holdings, Text(""), retention, Text(""), safeguards, Text(""), basis)


class PrivacyLoaded(Message):
    def __init__(self, report: PrivacyReport | None, error: str | None) -> None:
        super().__init__()
        self.report, self.error = report, error


class PrivacyScreen(NetopsScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("ctrl+r", "reload", "Read again", show=False)]
    AUTO_FOCUS = "#privacy-scroll"

    def __init__(self) -> None:
        super().__init__()
        self.report: PrivacyReport | None = None

    def body(self) -> ComposeResult:
        yield Static(Text("reading what netops holds…", style="dim"), id="privacy-summary")
        with VerticalScroll(id="privacy-scroll"):
            yield Static(id="privacy-text")

    def on_mount(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="privacy", exit_on_error=False)
    def load(self) -> None:
        try:
            report = self.napp.source.privacy()
        except Exception as exc:  # a worker boundary: a broken retention section... is said in the summary line
            self.post_message(PrivacyLoaded(None, said(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(PrivacyLoaded(report, None))

    def on_privacy_loaded(self, message: PrivacyLoaded) -> None:
        summary = self.query_one("#privacy-summary", Static)
        self.report = message.report
        if message.report is None:
            summary.update(Text(f"privacy report: {message.error}", style="bold red"))
            return
        r = message.report
        personal = [h for h in r.holdings if h.form in ("pseudonymised", "clear")]
        missing = [s.name for s in r.safeguards if s.state == "missing"]
        line = Text.assemble(("Personal data held by netops", "bold"),
                             f" · {len(personal)} of {len(r.holdings)} holding(s) personal · data directory {r.data_dir} · ")
        line.append(f"safeguards missing: {', '.join(missing)}" if missing else "no safeguard missing",
                    style="bold red" if missing else "green")
        summary.update(line)
        self.query_one("#privacy-text", Static).update(report_view(r))
