"""The ``netops`` command line.

Each command lives in a module of this package that defines ``register(app)``.
Modules are imported only when their command runs (``COMMANDS`` says which
module holds which command), so ``netops inventory list`` never pays for
pysnmp or scapy. Other packages add commands through the ``netops.commands``
entry point group (the dashboard's ``netops tui`` and the lab's ``netops lab``
do; :mod:`netops.plugins`), so the core never imports them. The root callback
resolves :class:`netops.settings.Settings` for every command.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, cast

import typer
from rich.text import Text
from typer.core import TyperGroup

from netops import __version__, plugins
from netops.cli.output import err_console
from netops.errors import NetopsError
from netops.settings import Settings

if TYPE_CHECKING:
    from typer._click.exceptions import ClickException

COMMANDS: dict[str, str] = {  # command -> module under netops.cli, in the order help lists them
    "config": "config",
    "init": "config",
    "inventory": "inventory",
    "backup": "backup",
    "restore": "restore",
    "remediate": "remediate",
    "snapshot": "snapshot",
    "wifi": "wifi",
    "policy": "policy",
    "check": "check",
    "poll": "poll",
    "status": "status",
    "clients": "clients",
    "alerts": "alerts",
    "exporter": "exporter",
    "worker": "worker",
    "probe": "probe",
    "schedule": "schedule",
    "report": "report",
    "resilience": "resilience",
    "vault": "vault",
    "privacy": "privacy",
    "audit": "audit",
    "dr": "dr",
    "db": "dr",
}
# typer vendors click: its ClickException is found through a public subclass (the module holding it is private)
_ClickException = cast("type[ClickException]", next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"))


class LazyGroup(TyperGroup):
    """The root group: resolves a command by importing only its module."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS) + [name for name in plugins.command_names() if name not in COMMANDS]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in COMMANDS:
            register = importlib.import_module(f"{__name__}.{COMMANDS[cmd_name]}").register
        else:
            register = plugins.command(cmd_name)
            if register is None:
                return None
        holder = typer.Typer(rich_markup_mode=None)
        register(holder)
        return typer.main.get_group(holder).get_command(ctx, cmd_name)


app = typer.Typer(
    name="netops",
    cls=LazyGroup,
    help="LAN and Wi-Fi operations for the Jammu and Srinagar campuses.",
    no_args_is_help=True,
    rich_markup_mode=None,
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
    config: Annotated[
        Optional[Path], typer.Option("--config", "-c", help="Configuration file (default: NETOPS_CONFIG, ./netops.yaml, "
                                     "~/.config/netops/netops.yaml, /etc/netops/netops.yaml).", show_default=False)
    ] = None,
    inventory: Annotated[
        Optional[Path], typer.Option("--inventory", "-i", help="Inventory directory or hosts file [env: NETOPS_INVENTORY].", show_default=False)
    ] = None,
    data_dir: Annotated[
        Optional[Path], typer.Option("--data-dir", help="Where the database and backups live [env: NETOPS_DATA_DIR].", show_default=False)
    ] = None,
    lab: Annotated[
        Optional[bool], typer.Option("--lab/--no-lab", help="Target the running local lab instead of real devices [env: NETOPS_LAB].", show_default=False)
    ] = None,
    lab_dir: Annotated[
        Optional[Path], typer.Option("--lab-dir", help="Lab state directory [env: NETOPS_LAB_DIR].", show_default=False)
    ] = None,
    timezone: Annotated[
        Optional[str], typer.Option("--timezone", help="Time zone of report days, deadlines and schedules (IANA name) "
                                    "[env: NETOPS_TIMEZONE; default: netops.yaml, else Asia/Kolkata].", show_default=False)
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    # flags win over environment variables, which win over netops.yaml (`netops config show`)
    ctx.obj = Settings.resolve(config=config, inventory=inventory, data_dir=data_dir, lab=lab, lab_dir=lab_dir, timezone=timezone)


def main() -> None:
    """Entry point: run the CLI, turning netops errors into messages and exit codes."""
    try:
        code = app(prog_name="netops", standalone_mode=False)
    except NetopsError as exc:
        for line in str(exc).splitlines():
            err_console.print(Text.assemble(("error:", "bold red"), f" {line}"), soft_wrap=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(1)
    except _ClickException as exc:  # usage errors: one line, like every other error (no blank line for cron mail)
        ctx = getattr(exc, "ctx", None)
        hint = f" (see {ctx.command_path} -h)" if ctx is not None else ""
        err_console.print(Text.assemble(("error:", "bold red"), f" {exc.format_message().rstrip('.')}{hint}"), soft_wrap=True)
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
