"""``netops status``: devices, APs, clients, worst interfaces and alerts per campus."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from netops.cli.options import JsonOpt
from netops.cli.output import console, print_json
from netops.settings import Settings


def _time(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def register(app: typer.Typer) -> None:
    @app.command("status")
    def status_command(
        ctx: typer.Context,
        events: Annotated[int, typer.Option("--events", help="How many recent events to show.")] = 10,
        alerts: Annotated[int, typer.Option("--alerts", help="How many active alerts to list per campus (all in --json).")] = 5,
        as_json: JsonOpt = False,
    ) -> None:
        """Show the latest SNMP figures per campus (from the history written by `netops poll`)."""
        from netops.services.poll import state

        settings: Settings = ctx.obj
        report = state(settings, events)
        if as_json:
            print_json(report)
            return
        if report["last_poll"] is None:
            console.print("no SNMP data yet: run `netops poll --once`")
            return
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
