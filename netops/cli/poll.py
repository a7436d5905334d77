"""``netops poll``: SNMP polling of switches, controllers and APs into the history."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from netops.cli.output import console, err_console, print_json
from netops.errors import InputError
from netops.inventory import Filters
from netops.settings import Settings
from netops.snmp import history, targets
from netops.snmp.cycle import PollOptions, run_cycle
from netops.snmp.pysnmp_backend import PysnmpBackend
from netops.snmp.sample import DeviceSample
from netops.snmp.thresholds import load_thresholds

ThresholdsOption = Annotated[
    Optional[Path], typer.Option("--thresholds", help="Thresholds YAML (default: the shipped policy/thresholds.yaml).", show_default=False)
]


def _json(sample: DeviceSample) -> dict:
    out = {
        "host": sample.host, "site": sample.site, "platform": sample.platform,
        "reachable": sample.reachable, "sys_name": sample.sys_name, "sys_uptime": sample.sys_uptime,
        "cpu_percent": sample.cpu_percent, "memory_percent": sample.memory_percent,
        "interfaces": [
            {k: getattr(i, k) for k in ("name", "oper_status", "admin_status", "in_octets", "out_octets",
                                        "in_errors", "out_errors", "in_bps", "out_bps", "error_rate")}
            for i in sample.interfaces
        ],
    }
    if sample.aps is not None:
        out["aps"] = [{"name": a.name, "status": a.status, "model": a.model, "clients": a.clients} for a in sample.aps]
        out["clients_per_ssid"] = sample.clients_per_ssid
    out["error"] = sample.error
    out["elapsed"] = sample.elapsed
    return out


def _table(samples: list[DeviceSample]) -> Table:
    table = Table(title="SNMP poll")
    for col in ("host", "site", "reachable", "uptime", "cpu %", "mem %", "interfaces up", "APs up/total", "clients", "error"):
        table.add_column(col)
    for s in samples:
        aps = f"{sum(a.status == 'up' for a in s.aps)}/{len(s.aps)}" if s.aps is not None else ""
        clients = str(sum(s.clients_per_ssid.values())) if s.clients_per_ssid else ""
        table.add_row(
            s.host, s.site, "yes" if s.reachable else "[red]no[/]",
            f"{s.sys_uptime / 8640000:.1f} d" if s.sys_uptime is not None else "",
            "" if s.cpu_percent is None else f"{s.cpu_percent:g}",
            "" if s.memory_percent is None else f"{s.memory_percent:g}",
            f"{sum(i.oper_status == 'up' for i in s.interfaces)}/{len(s.interfaces)}" if s.interfaces else "",
            aps, clients, s.error or "",
        )
    return table


def register(app: typer.Typer) -> None:
    @app.command("poll")
    def poll_command(
        ctx: typer.Context,
        once: Annotated[bool, typer.Option("--once", help="Poll once and exit.")] = False,
        interval: Annotated[Optional[float], typer.Option("--interval", help="Poll every SECONDS until stopped (SIGTERM/SIGINT).", show_default=False)] = None,
        host: Annotated[Optional[list[str]], typer.Option("--host", help="Only this host (repeatable).", show_default=False)] = None,
        site: Annotated[Optional[list[str]], typer.Option("--site", help="Only this site (repeatable).", show_default=False)] = None,
        role: Annotated[Optional[list[str]], typer.Option("--role", help="Only this role (repeatable).", show_default=False)] = None,
        thresholds: ThresholdsOption = None,
        concurrency: Annotated[int, typer.Option("--concurrency", help="Devices polled at the same time.")] = 20,
        deadline: Annotated[float, typer.Option("--deadline", help="Seconds allowed per device before it counts as failed.")] = 30.0,
        retention: Annotated[float, typer.Option("--retention-days", envvar="NETOPS_SNMP_RETENTION_DAYS", help="Days of history kept.")] = 30.0,
        as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    ) -> None:
        """Poll devices over SNMP (system, interfaces, CPU/memory, APs and clients) and record history and alerts."""
        settings: Settings = ctx.obj
        if once == (interval is not None):
            raise InputError("give exactly one of --once or --interval SECONDS", key="--once/--interval")
        if interval is not None and interval <= 0:
            raise InputError("must be a positive number of seconds", key="--interval")
        if concurrency < 1 or deadline <= 0:
            raise InputError("--concurrency and --deadline must be positive", key="--concurrency/--deadline")
        th = load_thresholds(thresholds)
        poll_targets = targets.resolve(settings, Filters.of(sites=site, roles=role, hosts=host))
        options = PollOptions(concurrency=concurrency, deadline=deadline, retention_days=retention)
        conn = history.open_history(settings.data_dir)
        stop = threading.Event()
        if interval is not None:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
        failed = False
        while True:
            started = time.monotonic()
            with Progress(TextColumn("polling"), BarColumn(), MofNCompleteColumn(), console=err_console, transient=True) as bar:
                task = bar.add_task("poll", total=len(poll_targets))
                samples = run_cycle(conn, poll_targets, th, PysnmpBackend, options, on_done=lambda _s: bar.advance(task))
            failed = any(s.error for s in samples)
            if as_json:
                print_json([_json(s) for s in samples])
            elif once:
                console.print(_table(samples))
            else:
                err_console.print(f"{time.strftime('%H:%M:%S')} polled {len(samples)} devices, "
                                  f"{sum(1 for s in samples if s.error)} failed, {time.monotonic() - started:.1f} s")
            if interval is None or stop.wait(max(0.0, interval - (time.monotonic() - started))):
                break
        conn.close()
        raise typer.Exit(1 if failed and once else 0)
