"""``netops config show`` and ``netops init``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from netops.cli.options import JsonOpt
from netops.cli.output import console, print_json
from netops.config import user_config
from netops.settings import Settings

config_app = typer.Typer(help="The configuration in effect (netops.yaml, environment, flags).", no_args_is_help=True)


@config_app.command("show")
def show(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Every setting, its value and where it came from: flag, environment, which file, built-in default."""
    from netops.services.config import describe

    settings: Settings = ctx.obj
    info = describe(settings)
    if json_out:
        print_json(info)
        return
    console.print(f"configuration file: {info['config_file'] or 'none found (built-in defaults: ' + info['builtin'] + ')'}")
    table = Table(show_edge=False, pad_edge=False)
    for column in ("key", "value", "from"):
        table.add_column(column, overflow="fold")
    for row in info["settings"]:
        value = row["value"]
        shown = ", ".join(value) if isinstance(value, list) else "-" if value is None else str(value)
        table.add_row(row["key"], shown, row["origin"])
    console.print(table)
    console.print("searched, in order: " + "; ".join(
        s["how"] + (f" = {s['path']}" if s["path"] else " (not given)") + (" (in effect)" if s["in_effect"] else "")
        for s in info["searched"]), soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")

    @app.command("init")
    def init(
        directory: Annotated[Optional[Path], typer.Argument(metavar="DIR", help=f"Where to write (default: {user_config().parent}, "
                                                            "found without --config).", show_default=False)] = None,
        site: Annotated[str, typer.Option("--site", help="Name of the site (its group is site_<name>).")] = "main",
        force: Annotated[bool, typer.Option("--force", help="Replace existing files.")] = False,
        json_out: JsonOpt = False,
    ) -> None:
        """Write a starter netops.yaml, inventory skeleton and policy for a new site, ready to edit."""
        from netops.services.config import init as write

        target = directory or user_config().parent
        starter = write(target, site, force)
        if json_out:
            print_json({"directory": str(starter.directory), "files": [str(f) for f in starter.files]})
            return
        for path in starter.files:
            console.print(f"wrote {path}", highlight=False, markup=False)
        config = starter.directory / "netops.yaml"
        console.print(f"next: edit {starter.directory / 'inventory'} and {starter.directory / 'policy'}, then\n"
                      f"  netops --config {config} inventory check\n  netops --config {config} config show",
                      highlight=False, markup=False)
