"""``netops exporter``: Prometheus endpoint serving the latest SNMP figures."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated, Optional

import typer
from prometheus_client import CollectorRegistry, start_http_server

from netops.cli.output import err_console
from netops.errors import InputError
from netops.settings import Settings
from netops.snmp import history, targets
from netops.snmp.cycle import PollOptions, run_cycle
from netops.snmp.exporter import HistoryCollector
from netops.snmp.pysnmp_backend import PysnmpBackend
from netops.snmp.thresholds import load_thresholds


def _listen(value: str) -> tuple[str, int]:
    address, _, port = value.rpartition(":")
    if not address or not port.isdigit() or not 0 < int(port) < 65536:
        raise InputError("expected ADDRESS:PORT, e.g. 127.0.0.1:9117", key="--listen")
    return address, int(port)


def register(app: typer.Typer) -> None:
    @app.command("exporter")
    def exporter_command(
        ctx: typer.Context,
        listen: Annotated[str, typer.Option("--listen", help="ADDRESS:PORT to serve /metrics on.")] = "127.0.0.1:9117",
        interval: Annotated[Optional[float], typer.Option("--interval", help="Also poll every SECONDS in the background.", show_default=False)] = None,
        thresholds: Annotated[Optional[Path], typer.Option("--thresholds", help="Thresholds YAML for background polling.", show_default=False)] = None,
    ) -> None:
        """Serve the latest SNMP history in Prometheus exposition format until stopped."""
        settings: Settings = ctx.obj
        address, port = _listen(listen)
        if interval is not None and interval <= 0:
            raise InputError("must be a positive number of seconds", key="--interval")
        registry = CollectorRegistry()
        registry.register(HistoryCollector(settings.data_dir))
        history.open_history(settings.data_dir).close()  # create the tables before the first scrape
        server, thread = start_http_server(port, addr=address, registry=registry)
        err_console.print(f"serving http://{address}:{port}/metrics")
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        if interval is None:
            stop.wait()
        else:
            th = load_thresholds(thresholds)
            poll_targets = targets.resolve(settings)
            conn = history.open_history(settings.data_dir)
            while not stop.is_set():
                run_cycle(conn, poll_targets, th, PysnmpBackend, PollOptions())
                stop.wait(interval)
            conn.close()
        server.shutdown()
        thread.join()
