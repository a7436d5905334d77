"""Wi-Fi: SSIDs per controller, APs, and the segregation view (AP → switch port → VLANs)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from netops.services.state import Snapshot
from tui.format import count, styled
from tui.screens.base import NetopsScreen

TABS = ("ssids", "aps", "segregation")
COLUMNS = {
    "ssids": ("Controller", "Site", "SSID", "Security", "PMF", "VLANs", "Clients", "State"),
    "aps": ("AP", "Site", "Controller", "Status", "Clients", "Model", "Switch port"),
    "segregation": ("AP", "Switch", "Port", "Port VLANs", "WLAN VLANs", "Missing", "Other on port"),
}


def vlans(values: tuple[int, ...]) -> str:
    return ",".join(map(str, values)) or "-"


class WifiScreen(NetopsScreen):
    BINDINGS = [
        Binding("right_square_bracket", "tab(1)", "Next tab"),
        Binding("left_square_bracket", "tab(-1)", "Prev tab", show=False),
    ]

    def body(self) -> ComposeResult:
        yield Static(id="wifi-missing")
        with TabbedContent(id="wifi-tabs"):
            for tab, title in zip(TABS, ("SSIDs", "APs", "Segregation")):
                with TabPane(title, id=tab):
                    yield DataTable(id=f"{tab}-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for tab, labels in COLUMNS.items():
            self.query_one(f"#{tab}-table", DataTable).add_columns(*labels)
        super().on_mount()

    def show(self, snapshot: Snapshot) -> None:
        missing = [f"{k}: {v}" for k, v in snapshot.missing.items() if k in ("wifi", "snmp")]
        note = self.query_one("#wifi-missing", Static)
        note.update(Text("no data yet — " + "; ".join(missing), style="dim italic") if missing else "")
        note.display = bool(missing)
        table = self.query_one("#ssids-table", DataTable)
        table.clear()
        for s in sorted(snapshot.ssids, key=lambda s: (s.site, s.controller, s.ssid)):
            table.add_row(s.controller, s.site, s.ssid, s.security, s.pmf, vlans(s.vlans), count(s.clients),
                          styled("up" if s.enabled else "down"))
        table = self.query_one("#aps-table", DataTable)
        table.clear()
        for a in sorted(snapshot.aps, key=lambda a: (a.site, a.name)):
            port = f"{a.switch} {a.switch_port}".strip() or "-"
            table.add_row(a.name, a.site, a.controller, styled(a.status), count(a.clients), a.model, port)
        table = self.query_one("#segregation-table", DataTable)
        table.clear()
        for g in snapshot.cabling:
            missing_vlans = Text(vlans(g.missing), style="bold red") if g.missing else Text("none", style="green")
            table.add_row(g.ap, g.switch, g.port, vlans(g.port_vlans), vlans(g.wlan_vlans), missing_vlans, vlans(g.other))

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = TABS[(TABS.index(tabs.active) + step) % len(TABS)]
        self.query_one(f"#{tabs.active}-table", DataTable).focus()
