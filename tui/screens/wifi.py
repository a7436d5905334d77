"""Wi-Fi: SSIDs per controller, APs, and the segregation view (AP → switch port → VLANs); ``l`` looks a client up
(:mod:`tui.screens.clients`)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from netops.services.state import Snapshot
from tui.format import count, styled
from tui.screens.base import NetopsScreen
from tui.widgets.tables import refill

TABS = ("ssids", "aps", "segregation")
COLUMNS = {
    "ssids": ("Controller", "Site", "SSID", "Bands", "Security", "PMF", "VLANs", "Clients", "State"),
    "aps": ("AP", "Site", "Controller", "Status", "Clients", "Model", "Switch port"),
    "segregation": ("AP", "Switch", "Port", "Port VLANs", "WLAN VLANs", "Missing", "Other on port"),
}


def vlans(values: tuple[int, ...]) -> str:
    return ",".join(map(str, values)) or "-"


def bands(values: tuple[str, ...]) -> str:
    """``2.4+5 GHz``: why one SSID can be listed twice (a profile per band on some controllers)."""
    return "+".join(values) + " GHz" if values else "-"


class WifiScreen(NetopsScreen):
    BINDINGS = [
        Binding("right_square_bracket", "tab(1)", "Next tab"),
        Binding("left_square_bracket", "tab(-1)", "Prev tab", show=False),
        Binding("l", "app.clients", "Client lookup"),
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

    def show(self, snapshot: Snapshot) -> None:
        missing = [f"{k}: {v}" for k, v in snapshot.missing.items() if k in ("wifi", "snmp")]
        note = self.query_one("#wifi-missing", Static)
        note.update(Text("no data yet — " + "; ".join(missing), style="dim italic") if missing else "")
        note.display = bool(missing)
        refill(self.query_one("#ssids-table", DataTable), (
            (f"{s.controller}|{s.ssid}|{i}", (s.controller, s.site, Text(s.ssid), bands(s.bands), s.security, s.pmf, vlans(s.vlans),
                                            count(s.clients), styled("up" if s.enabled else "down")))
            for i, s in enumerate(sorted(snapshot.ssids, key=lambda s: (s.site, s.controller, s.ssid, s.bands)))))
        refill(self.query_one("#aps-table", DataTable), (
            (f"{a.controller}|{a.name}", (a.name, a.site, a.controller, styled(a.status), count(a.clients), a.model,
                                         f"{a.switch} {a.switch_port}".strip() or "-"))
            for a in sorted(snapshot.aps, key=lambda a: (a.site, a.name))))
        refill(self.query_one("#segregation-table", DataTable), (
            (g.ap, (g.ap, g.switch, g.port, vlans(g.port_vlans), vlans(g.wlan_vlans),
                    Text(vlans(g.missing), style="bold red") if g.missing else Text("none", style="green"), vlans(g.other)))
            for g in snapshot.cabling))

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = TABS[(TABS.index(tabs.active) + step) % len(TABS)]
        self.query_one(f"#{tabs.active}-table", DataTable).focus()
