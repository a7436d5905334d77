"""``netops poll``: SNMP polling of switches, controllers and APs into the history."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from netops.cli.options import BrokerOpt, HostOpt, JsonOpt, PlatformOpt, RoleOpt, SiteOpt, filters, old_spelling
from netops.cli.output import console, err_console, print_json
from netops.cli.progress import JobProgress
from netops.errors import InputError
from netops.settings import Settings

if TYPE_CHECKING:
    from netops.results import DeviceResult, RunResult
    from netops.snmp.sample import ApState, DeviceSample

ThresholdsOpt = Annotated[Optional[Path], typer.Option("--thresholds", help="Thresholds YAML [env: NETOPS_THRESHOLDS; default: "
                                                       "netops.yaml, else the built-in thresholds].", show_default=False)]


def _table(results: list[DeviceResult[DeviceSample | ApState]]) -> Table:
    from netops.snmp.sample import DeviceSample

    table = Table(title="SNMP poll")
    for col in ("host", "site", "reachable", "uptime", "cpu %", "mem %", "interfaces up", "APs up/total", "clients", "note"):
        table.add_column(col, no_wrap=col != "note")  # names and figures whole; the note wraps
    for r in results:
        s = r.payload
        if isinstance(s, DeviceSample):
            aps = f"{sum(a.status == 'up' for a in s.aps)}/{len(s.aps)}" if s.aps is not None else ""
            clients = str(sum(s.clients_per_ssid.values())) if s.clients_per_ssid else ""
            table.add_row(
                s.host, s.site, Text("yes") if s.reachable else Text("no", style="red"),
                f"{s.sys_uptime / 8640000:.1f} d" if s.sys_uptime is not None else "",
                "" if s.cpu_percent is None else f"{s.cpu_percent:g}",
                "" if s.memory_percent is None else f"{s.memory_percent:g}",
                f"{sum(i.oper_status == 'up' for i in s.interfaces)}/{len(s.interfaces)}" if s.interfaces else "",
                aps, clients, Text(s.error or ""),
            )
        else:  # a controller-managed AP: its controller's word
            up = s.ap_status if s is not None else None
            reachable = Text("") if up is None else Text("yes") if up == "up" else Text("no", style="red")
            clients = "" if s is None or s.clients is None else str(s.clients)
            note = r.reason or f"state from its controller {s.controller if s else ''}"
            table.add_row(r.host, r.site, reachable, "", "", "", "", "", clients, Text(note, style="" if r.ok else "yellow"))
    return table


def register(app: typer.Typer) -> None:
    @app.command("poll")
    def poll_command(
        ctx: typer.Context,
        once: Annotated[bool, typer.Option("--once", help="Poll once and exit.")] = False,
        interval: Annotated[Optional[float], typer.Option("--interval", help="Poll every SECONDS until stopped (SIGTERM/SIGINT); SIGHUP reads the inventory and thresholds again.", show_default=False)] = None,
        site: SiteOpt = None,
        role: RoleOpt = None,
        platform: PlatformOpt = None,
        host: HostOpt = None,
        thresholds: ThresholdsOpt = None,
        workers: Annotated[int, typer.Option("--workers", help="Devices polled at the same time.")] = 20,
        timeout: Annotated[float, typer.Option("--timeout", help="Seconds allowed per device before it counts as failed.")] = 30.0,
        concurrency: Annotated[Optional[int], typer.Option("--concurrency", hidden=True, help="Old spelling of --workers.", show_default=False)] = None,
        deadline: Annotated[Optional[float], typer.Option("--deadline", hidden=True, help="Old spelling of --timeout.", show_default=False)] = None,
        retention: Annotated[Optional[float], typer.Option("--retention-days", envvar="NETOPS_SNMP_RETENTION_DAYS", help="Days of poll history kept (default: retention.poll_history of netops.yaml, 30d).", show_default=False)] = None,
        broker: BrokerOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Poll devices over SNMP (system, interfaces, CPU/memory, APs and clients) and record history and alerts."""
        from netops.services import poll
        from netops.snmp.cycle import PollOptions

        workers = old_spelling("--concurrency", "--workers", concurrency, None) or workers
        timeout = old_spelling("--deadline", "--timeout", deadline, None) or timeout
        settings: Settings = ctx.obj.override(thresholds=thresholds)
        if once == (interval is not None):
            raise InputError("give exactly one of --once or --interval SECONDS", key="--once/--interval")
        if interval is not None and interval <= 0:
            raise InputError("must be a positive number of seconds", key="--interval")
        if workers < 1 or timeout <= 0:
            raise InputError("--workers and --timeout must be positive", key="--workers/--timeout")
        selected = filters(site, role, platform, host)
        options = PollOptions(concurrency=workers, deadline=timeout, retention_days=retention)
        if once:
            with JobProgress() as progress:
                run = poll.once(settings, selected, options, progress, broker)
            if as_json:
                print_json([r.to_dict() for r in run.results])
            else:
                console.print(_table(run.results))
            raise typer.Exit(1 if run.failed else 0)
        stop, reload = threading.Event(), threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        signal.signal(signal.SIGHUP, lambda *_: reload.set())  # systemctl reload: read the inventory again

        def reloaded(error: str | None) -> None:
            if error is None:
                err_console.print(f"{time.strftime('%H:%M:%S')} reloaded the inventory and thresholds")
            else:
                err_console.print(f"{time.strftime('%H:%M:%S')} reload failed, still polling what was loaded before: {error}")

        def report(run: RunResult[DeviceSample | ApState]) -> None:
            if as_json:
                print_json([r.to_dict() for r in run.results])
            else:
                err_console.print(f"{time.strftime('%H:%M:%S')} polled {len(run.results)} devices, {len(run.failed)} failed, "
                                  f"{run.elapsed:.1f} s")

        poll.every(settings, interval or 0, stop, selected, options, report, reload, reloaded, broker)
