"""Client lookup for the help desk (``netops clients --find``): a MAC, user name or IP address → which AP, SSID and
VLAN the client is on now, with what signal, on which controller; and where the pseudonymised history saw it.

Opened from the Wi-Fi view (``l``), with ``:clients`` or from the command palette: it answers one question on
demand, live from the controllers, so it is a screen over the Wi-Fi data rather than a view that refreshes. The
controllers are read in a thread worker; an error is said in the summary line. Clear identifiers are shown on this
screen only: nothing of a lookup is written (no log, no store, no notification).
"""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from tui.format import count, said
from tui.screens.base import NetopsScreen
from tui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from netops.services.clients import Client, ClientsResult, Sighting

LIVE_COLUMNS = [("ap", "AP"), ("ssid", "SSID"), ("vlan", "VLAN"), ("rssi", "RSSI"), ("snr", "SNR"), ("controller", "Controller"),
                ("mac", "MAC"), ("user", "User"), ("ip", "IP"), ("matched", "Matched")]
HISTORY_COLUMNS = [("time", "Seen"), ("ap", "AP"), ("ssid", "SSID"), ("vlan", "VLAN"), ("rssi", "RSSI"), ("controller", "Controller"),
                   ("matched", "Matched")]


def signal(rssi: int | None) -> Text:
    """``-58 dBm``: green when strong, yellow when fair, red when weak (a help-desk call's usual cause)."""
    if rssi is None:
        return Text("-")
    return Text(f"{rssi} dBm", style="green" if rssi >= -67 else "yellow" if rssi >= -75 else "red")


def live_cells(c: Client) -> tuple[Text | str, ...]:
    r = c.record
    return (r.ap or "-", r.ssid or "-", count(r.vlan), signal(r.rssi), "-" if r.snr is None else f"{r.snr} dB", c.controller,
            r.mac, r.user or "-", r.ip or "-", ", ".join(c.matched))


def history_cells(s: Sighting, zone: tzinfo | None) -> tuple[Text | str, ...]:
    return (f"{s.time.astimezone(zone):%Y-%m-%d %H:%M}", s.ap or "-", s.ssid or "-", count(s.vlan), signal(s.rssi), s.controller,
            ", ".join(s.matched))


def summary_line(result: ClientsResult) -> Text:
    """``live: 1 client on 3 controller(s) · history: 4 sighting(s)``, with each controller that did not answer."""
    asked = len(result.controllers)
    line = Text(f"{result.query} (as {', '.join(result.query_kinds) or 'nothing known'}) · ", style="bold")
    if result.clients:
        line.append(f"live: {len(result.clients)} client(s) on {asked} controller(s)", style="green")
    else:
        line.append(f"live: not on any of {asked} controller(s)", style="yellow")
    line.append(" · ")
    if result.history_note:
        line.append(result.history_note, style="dim")
    else:
        line.append(f"history: {len(result.history)} sighting(s)" if result.history else "history: never seen",
                    style="" if result.history else "dim")
    for failed in result.failed:
        line.append(f"\n{failed.host}: {failed.error}", style="red")
    return line


class ClientsAnswered(Message):
    def __init__(self, query: str, result: ClientsResult | None, zone: tzinfo | None, error: str | None) -> None:
        super().__init__()
        self.query, self.result, self.zone, self.error = query, result, zone, error


class ClientsScreen(NetopsScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        # priority: the query typed right behind ``f`` already goes to the prompt (as ``/`` does for the filters)
        Binding("f", "prompt", "Find", priority=True),
    ]
    AUTO_FOCUS = "#clients-query"

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.asked = query  # not ``query``: that is the screen's DOM query
        self.result: ClientsResult | None = None

    def body(self) -> ComposeResult:
        prompt = Input(self.asked, placeholder="MAC address (any notation), user name or IP address; enter asks the controllers",
                       id="clients-query")
        prompt.cursor_blink = False  # a steady cursor: stable screenshots
        yield prompt
        yield Static(Text("which AP, SSID and VLAN is a client on now? Shown here only: nothing of a lookup is written",
                          style="dim"), id="clients-summary")
        live = VirtualTable(LIVE_COLUMNS, id="clients-live")
        live.border_title = "Now (the controllers' client tables)"
        yield live
        history = VirtualTable(HISTORY_COLUMNS, id="clients-history")
        history.border_title = "History (pseudonymised sightings, newest first)"
        yield history

    def on_mount(self) -> None:
        if self.asked:
            self.lookup(self.asked)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.lookup(event.value)

    def lookup(self, text: str) -> None:
        query = text.strip()
        summary = self.query_one("#clients-summary", Static)
        if not query:
            summary.update(Text("give a MAC address, a user name or an IP address", style="red"))
            return
        self.asked = query
        summary.update(Text(f"{query}: asking the controllers…", style="dim"))
        self.ask(query)

    @work(thread=True, exclusive=True, group="clients", exit_on_error=False)
    def ask(self, query: str) -> None:
        source = self.napp.source
        try:
            zone = source.zone()
            result = source.clients(query)
        except Exception as exc:  # a worker boundary: no controller, bad input... are said in the summary line
            self.post_message(ClientsAnswered(query, None, None, said(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(ClientsAnswered(query, result, zone, None))

    def on_clients_answered(self, message: ClientsAnswered) -> None:
        if message.query != self.asked:
            return  # another lookup was asked meanwhile
        summary = self.query_one("#clients-summary", Static)
        live = self.query_one("#clients-live", VirtualTable)
        history = self.query_one("#clients-history", VirtualTable)
        self.result = message.result
        if message.result is None:
            summary.update(Text(f"{message.query}: {message.error}", style="bold red"))
            live.set_rows([])
            history.set_rows([])
            return
        result = message.result
        summary.update(summary_line(result))
        live.set_rows([(f"{c.controller}|{c.record.mac}|{n}", live_cells(c)) for n, c in enumerate(result.clients)])
        history.set_rows([(str(n), history_cells(s, message.zone)) for n, s in enumerate(result.history)])
        self.set_focus(live)  # the keys go to the answer; f asks again

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "prompt" and isinstance(self.focused, Input):
            return False  # an "f" typed in the prompt is part of a user name
        return super().check_action(action, parameters)

    def action_prompt(self) -> None:
        self.set_focus(self.query_one("#clients-query", Input))
