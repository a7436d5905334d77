"""``netops clients``: who is on the Wi-Fi, where, with what signal — read live from the controllers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from netops.cli.options import HostOpt, JsonOpt, SiteOpt, TimeoutOpt, split_list
from netops.cli.output import console, err_console, print_json
from netops.cli.progress import JobProgress
from netops.settings import Settings

if TYPE_CHECKING:
    from netops.services.clients import ClientsResult


def register(app: typer.Typer) -> None:
    @app.command("clients")
    def clients_command(
        ctx: typer.Context,
        site: SiteOpt = None,
        host: HostOpt = None,
        ssid: Annotated[Optional[str], typer.Option("--ssid", metavar="SSID", help="Only clients on this SSID.",
                                                    show_default=False)] = None,
        find: Annotated[Optional[str], typer.Option("--find", metavar="MAC|USER|IP", help="One client: a MAC address "
                                                    "(any notation), a user name or an IP address; also looks the "
                                                    "pseudonymised history up.", show_default=False)] = None,
        timeout: TimeoutOpt = 30.0,
        json_out: JsonOpt = False,
    ) -> None:
        """The controllers' clients now (AireOS, Catalyst 9800, Aruba AOS 8 over SNMP): AP, SSID, VLAN, signal.

        Clear MACs, user names and addresses are shown here only: nothing is written to disk, logs or the audit trail.
        Exit 0: answered, 1: a controller failed or --find found the client nowhere (live or in history), 2: bad input.
        """
        from netops.services.clients import ClientsOptions, live

        settings: Settings = ctx.obj
        options = ClientsOptions(tuple(split_list(site)), ssid, find, tuple(split_list(host)), timeout)
        with JobProgress() as progress:
            result = live(settings, options, progress)
        if json_out:
            print_json(result.to_dict())
        else:
            table = Table(title="Wi-Fi clients")
            for col in ("controller", "AP", "SSID", "VLAN", "interface", "MAC", "user", "IP", "RSSI", "SNR", "status"):
                table.add_column(col)
            for c in result.clients:
                r = c.record
                table.add_row(c.controller, r.ap or "", r.ssid or "", "" if r.vlan is None else str(r.vlan),
                              r.interface or "", r.mac, r.user or "", r.ip or "", "" if r.rssi is None else f"{r.rssi} dBm",
                              "" if r.snr is None else f"{r.snr} dB", r.status or "")
            console.print(table)
            for failed in result.failed:
                err_console.print(Text(f"{failed.host}: {failed.error}", style="red"), soft_wrap=True)
            if result.query is not None:
                _history(result)
        not_found = result.query is not None and not result.clients and not result.history
        raise typer.Exit(1 if result.failed or not_found else 0)


def _history(result: ClientsResult) -> None:
    if result.history_note:
        console.print(result.history_note, soft_wrap=True)
        return
    if not result.history:
        console.print(f"history: no sighting of {result.query!r} (looked up as {', '.join(result.query_kinds)})",
                      soft_wrap=True)
        return
    table = Table(title=f"history of {result.query} (by pseudonym, newest first)")
    for col in ("seen", "controller", "AP", "SSID", "VLAN", "RSSI", "matched"):
        table.add_column(col)
    for s in result.history:
        table.add_row(s.time.astimezone().strftime("%Y-%m-%d %H:%M:%S"), s.controller, s.ap or "", s.ssid or "",
                      "" if s.vlan is None else str(s.vlan), "" if s.rssi is None else f"{s.rssi} dBm", ", ".join(s.matched))
    console.print(table)
