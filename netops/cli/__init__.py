"""The ``netops`` command line.

Each module in this package that defines ``register(app)`` adds its commands;
the root callback resolves :class:`netops.settings.Settings` for all of them.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from netops import __version__
from netops.cli.output import err_console
from netops.errors import NetopsError
from netops.settings import Settings

_ClickException = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")  # typer vendors click

app = typer.Typer(
    name="netops",
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


def _register_commands() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_commands()


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
