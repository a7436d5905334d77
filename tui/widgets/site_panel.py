"""One campus on the overview: devices, APs, clients, findings, backups, alerts."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from netops.services.state import SiteSummary
from netops.styles import SEVERITY_STYLE

SHORT = {"critical": "crit", "medium": "med"}


def _pair(good: int, bad: int, good_label: str, bad_label: str) -> Text:
    text = Text(f"{good} {good_label}", style="green" if good else "")
    text.append("  ")
    text.append(f"{bad} {bad_label}", style="bold red" if bad else "dim")
    return text


class SitePanel(Static):
    """Renders a :class:`SiteSummary`; ``missing`` names sections with no data yet."""

    def show(self, summary: SiteSummary, missing: dict[str, str]) -> None:
        self.border_title = summary.site.capitalize()
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        devices = _pair(summary.devices_up, summary.devices_down, "up", "down")
        if summary.devices_unpolled:
            devices.append(f"  {summary.devices_unpolled} not polled", style="dim")
        grid.add_row("Devices", devices)
        grid.add_row("APs", _no_data("snmp", missing) or _pair(summary.aps_up, summary.aps_down, "up", "down"))
        grid.add_row("Clients", _no_data("snmp", missing) or Text("-" if summary.clients is None else str(summary.clients)))
        findings = Text()
        for severity, n in summary.findings.items():
            if n:
                findings.append(f"{n} {SHORT.get(severity, severity)}  ", style=SEVERITY_STYLE[severity])
        if summary.waived:
            findings.append(f"{summary.waived} waived", style="dim")
        grid.add_row("Findings", _no_data("policy", missing) or findings or Text("none", style="green"))
        backups = Text(f"{summary.backups_fresh} fresh", style="green" if summary.backups_fresh else "")
        for n, label in ((summary.backups_stale, "stale"), (summary.backups_failed, "failed"), (summary.backups_never, "never")):
            if n:
                backups.append(f"  {n} {label}", style="yellow" if label == "stale" else "red")
        grid.add_row("Backups", _no_data("backup", missing) or backups)
        grid.add_row("Alerts", _no_data("snmp", missing) or Text(str(summary.alerts), style="bold red" if summary.alerts else "green"))
        self.update(Group(grid))


def _no_data(section: str, missing: dict[str, str]) -> Text | None:
    return Text("no data yet", style="dim italic") if section in missing else None
