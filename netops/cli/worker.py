"""``netops worker``: run a worker of the distributed engine; ``netops worker list``: the workers that answer."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table

from netops.cli.options import BrokerOpt, JsonOpt, Many, split_list
from netops.cli.output import console, print_json
from netops.settings import Settings

worker_app = typer.Typer(help="Workers of the distributed engine (Celery on a Redis broker).", no_args_is_help=False)


@worker_app.callback(invoke_without_command=True)
def worker(
    ctx: typer.Context,
    broker: BrokerOpt = None,
    queues: Annotated[Many, typer.Option("--queues", metavar="SITE", help="Take only these sites' devices (repeatable or "
                                         "comma-separated; default: every site of this worker's inventory).", show_default=False)] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, help="Batches run at once (processes; each "
                                             "batch's devices in parallel threads).")] = 2,
    name: Annotated[Optional[str], typer.Option("--name", help="Worker name (default netops-PID@HOST).", show_default=False)] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Log one JSON object per line (for journald or a log shipper).")] = False,
) -> None:
    """Take device work from the broker's queues until stopped (SIGTERM finishes the running batches)."""
    if ctx.invoked_subcommand is not None:
        return
    from netops.services import engine

    settings: Settings = ctx.obj
    engine.work(settings, broker, split_list(queues), concurrency, name, json_out)


@worker_app.command("list")
def list_workers(ctx: typer.Context, broker: BrokerOpt = None, json_out: JsonOpt = False) -> None:
    """The workers that answer within a second: their queues and running batches. Exit 1 when none answers."""
    from netops.services import engine

    found = engine.workers(ctx.obj, broker)
    if json_out:
        print_json([w.to_dict() for w in found])
    else:
        table = Table()
        for col in ("worker", "queues", "running batches"):
            table.add_column(col)
        for w in found:
            table.add_row(w.name, ", ".join(w.queues), str(w.running))
        console.print(table if found else "no worker answers")
    raise typer.Exit(0 if found else 1)


def register(app: typer.Typer) -> None:
    app.add_typer(worker_app, name="worker")
