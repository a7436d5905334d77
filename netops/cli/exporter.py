"""``netops exporter``: Prometheus endpoint serving the latest SNMP figures."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated, Optional

import typer

from netops.cli.output import err_console
from netops.errors import InputError
from netops.settings import Settings


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
        from netops.services.poll import serve

        settings: Settings = ctx.obj.override(thresholds=thresholds)
        address, port = _listen(listen)
        if interval is not None and interval <= 0:
            raise InputError("must be a positive number of seconds", key="--interval")
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        serve(settings, address, port, stop, interval, lambda url: err_console.print(f"serving {url}"))
