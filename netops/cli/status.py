"""``netops status``: devices, APs, clients, worst interfaces and alerts per campus."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from netops.cli.options import JsonOpt
from netops.cli.output import console, print_json
from netops.errors import InputError
from netops.settings import Settings
from netops.snmp.thresholds import SEVERITIES


def _time(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def register(app: typer.Typer) -> None:
    @app.command("status")
    def status_command(
        ctx: typer.Context,
        events: Annotated[int, typer.Option("--events", help="How many recent events to show.")] = 10,
        alerts: Annotated[int, typer.Option("--alerts", help="How many active alerts to list per campus (all in --json).")] = 5,
        fail_on: Annotated[str, typer.Option("--fail-on", help=f"Exit 1 when a device or AP is down or an alert at least this "
                                             f"severe is active ({', '.join(SEVERITIES)}).")] = "warning",
        as_json: JsonOpt = False,
    ) -> None:
        """Show the latest SNMP figures per campus (from the history written by `netops poll`).

        Exit 0: everything up and no alert at or above --fail-on; 1: otherwise, or nothing polled yet (a monitoring
        check); 2: bad input.
        """
        from netops.services.poll import state

        if fail_on not in SEVERITIES:
            raise InputError(f"{fail_on!r} is not one of {', '.join(SEVERITIES)}", key="--fail-on")
        settings: Settings = ctx.obj
        report = state(settings, events)
        limit = SEVERITIES.index(fail_on)
        failing = report["last_poll"] is None or any(site["devices_down"] or site["aps_down"] or any(
            a["severity"] in SEVERITIES and SEVERITIES.index(a["severity"]) <= limit for a in site["alerts"])
            for site in report["sites"].values())
        if as_json:
            print_json(report)
        elif report["last_poll"] is None:
            console.print("no SNMP data yet: run `netops poll --once`")
        else:
            _print(report, alerts)
        raise typer.Exit(1 if failing else 0)


def _print(report: dict[str, Any], alerts: int) -> None:
    """Per campus: devices, APs, clients, worst interfaces, alerts; then the recent events."""
    console.print(f"last poll: {_time(report['last_poll'])}")
    for name, site in report["sites"].items():
        table = Table(title=f"campus {name}", show_header=False, title_justify="left")
        table.add_column("what", style="bold")
        table.add_column("value")
        down = f" ({', '.join(site['down'])})" if site["down"] else ""
        table.add_row("devices up / down", f"{site['devices_up']} / {site['devices_down']}{down}")
        table.add_row("APs up / down", f"{site['aps_up']} / {site['aps_down']}")
        table.add_row("clients", str(site["clients"]))
        for i in site["worst_interfaces"]:
            rate = "" if i["error_rate"] is None else f"{i['error_rate']:.2f} err/s"
            util = "" if i["utilisation_percent"] is None else f"{i['utilisation_percent']:.1f} % util"
            table.add_row("worst interface", Text(f"{i['host']} {i['name']} {i['oper_status']} {rate} {util}".strip()))
        active = site["alerts"]
        table.add_row("active alerts", str(len(active)))
        for a in active[:alerts]:
            table.add_row(f"  {a['severity']}", Text(a["message"]))
        if len(active) > alerts:
            table.add_row("", f"… {len(active) - alerts} more (--alerts N, or --json)")
        console.print(table)
    if report["events"]:
        table = Table(title="recent events")
        for col in ("time", "host", "event", "subject", "severity"):
            table.add_column(col)
        for e in report["events"]:
            table.add_row(_time(e["ts"]), e["host"], e["kind"], Text(e["subject"]), e["severity"])
        console.print(table)
