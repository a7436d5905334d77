"""The ``netops`` command line.

Each command lives in a module of this package that defines ``register(app)``.
Modules are imported only when their command runs (``COMMANDS`` says which
module holds which command), so ``netops inventory list`` never pays for
pysnmp or scapy. Other packages add commands through the ``netops.commands``
entry point group (the dashboard's ``netops tui`` does), so the core never
imports them. The root callback resolves :class:`netops.settings.Settings`
for every command.
"""

from __future__ import annotations

import importlib
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from netops import __version__
from netops.cli.output import err_console
from netops.errors import NetopsError
from netops.settings import Settings

COMMANDS: dict[str, str] = {  # command -> module under netops.cli, in the order help lists them
    "inventory": "inventory",
    "lab": "lab",
    "backup": "backup",
    "restore": "backup",
    "wifi": "wifi",
    "policy": "policy",
    "check": "check",
    "poll": "poll",
    "status": "status",
    "exporter": "exporter",
    "probe": "probe",
}
PLUGIN_GROUP = "netops.commands"  # entry points: name -> a register(app) function

_ClickException = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")  # typer vendors click


class LazyGroup(TyperGroup):
    """The root group: resolves a command by importing only its module."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS) + sorted(ep.name for ep in entry_points(group=PLUGIN_GROUP) if ep.name not in COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in COMMANDS:
            register = importlib.import_module(f"{__name__}.{COMMANDS[cmd_name]}").register
        else:
            plugin = next(iter(entry_points(group=PLUGIN_GROUP, name=cmd_name)), None)
            if plugin is None:
                return None
            register = plugin.load()
        holder = typer.Typer(rich_markup_mode="rich")
        register(holder)
        return typer.main.get_group(holder).get_command(ctx, cmd_name)


app = typer.Typer(
    name="netops",
    cls=LazyGroup,
    help="LAN and Wi-Fi operations for the Jammu and Srinagar campuses.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"netops {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    inventory: Annotated[
        Optional[Path], typer.Option("--inventory", "-i", envvar="NETOPS_INVENTORY", help="Inventory directory.", show_default=False)
    ] = None,
    data_dir: Annotated[
        Optional[Path], typer.Option("--data-dir", envvar="NETOPS_DATA_DIR", help="Where backups and run history live.", show_default=False)
    ] = None,
    lab: Annotated[
        Optional[bool], typer.Option("--lab/--no-lab", envvar="NETOPS_LAB", help="Target the running local lab instead of real devices.", show_default=False)
    ] = None,
    lab_dir: Annotated[
        Optional[Path], typer.Option("--lab-dir", envvar="NETOPS_LAB_DIR", help="Lab state directory.", show_default=False)
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    ctx.obj = Settings.resolve(inventory, data_dir, lab, lab_dir)


def main() -> None:
    """Entry point: run the CLI, turning netops errors into messages and exit codes."""
    try:
        code = app(standalone_mode=False)
    except NetopsError as exc:
        for line in str(exc).splitlines():
            err_console.print(f"[bold red]error:[/] {line}", highlight=False, markup=True, soft_wrap=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(1)
    except _ClickException as exc:  # usage errors: click prints them itself
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
