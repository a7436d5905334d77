"""``:`` command mode (k9s): a view alias, ``clients`` (the client lookup), ``privacy``, ``snapshots``, ``help`` or ``quit``."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input

ALIASES: dict[str, str] = {
    **dict.fromkeys(("overview", "ov", "home"), "overview"),
    **dict.fromkeys(("devices", "device", "dev", "d", "inventory"), "devices"),
    **dict.fromkeys(("compliance", "comp", "findings", "check", "policy"), "compliance"),
    **dict.fromkeys(("wifi", "wi-fi", "wlan", "ssid", "ssids", "aps", "ap"), "wifi"),
    **dict.fromkeys(("backups", "backup", "bk"), "backups"),
    **dict.fromkeys(("jobs", "job"), "jobs"),
    **dict.fromkeys(("resilience", "res", "spof", "redundancy", "whatif", "what-if"), "resilience"),
    **dict.fromkeys(("audit", "trail", "log", "changes"), "audit"),
    **dict.fromkeys(("clients", "client", "find", "helpdesk", "who"), "clients"),
    **dict.fromkeys(("privacy", "dpdp", "personal"), "privacy"),
    **dict.fromkeys(("snapshots", "snapshot", "snap", "state", "before", "after"), "snapshots"),
    **dict.fromkeys(("help", "h", "?"), "help"),
    **dict.fromkeys(("quit", "q", "q!"), "quit"),
}


class CommandScreen(ModalScreen[str]):
    BINDINGS = [Binding("escape", "dismiss('')", "Cancel")]

    def compose(self) -> ComposeResult:
        yield Input(placeholder="devices, compliance, wifi, backups, jobs, resilience, audit, clients, privacy, snapshots, overview, help, quit",
                    suggester=SuggestFromList(sorted(ALIASES), case_sensitive=False), id="command")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)
