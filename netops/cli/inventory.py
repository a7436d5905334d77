"""``netops inventory list`` and ``netops inventory check``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from netops.cli.output import console, err_console, print_json
from netops.settings import Settings

inventory_app = typer.Typer(help="Show and validate the device inventory.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output on stdout.")]
ROLE_ORDER = {"core": 0, "access": 1, "wlc": 2, "ap": 3}


@inventory_app.command("list")
def list_hosts(
    ctx: typer.Context,
    site: Annotated[Optional[list[str]], typer.Option("--site", help="Only this site (repeatable).", show_default=False)] = None,
    role: Annotated[Optional[list[str]], typer.Option("--role", help="Only this role (repeatable).", show_default=False)] = None,
    platform: Annotated[Optional[list[str]], typer.Option("--platform", help="Only this platform (repeatable).", show_default=False)] = None,
    host: Annotated[Optional[list[str]], typer.Option("--host", help="Only this host (repeatable).", show_default=False)] = None,
    json: JsonOpt = False,
) -> None:
    """List inventory hosts (in lab mode: as mapped onto the running lab)."""
    from netops.inventory import Filters, open_nornir
    from netops.inventory import hosts as h
    from netops.parsing.ifnames import abbreviate

    settings: Settings = ctx.obj
    nr = open_nornir(settings, Filters.of(site, role, platform, host), credentials=False)
    rows = [h.summary(x) for x in sorted(nr.inventory.hosts.values(), key=lambda x: (h.site(x), ROLE_ORDER.get(h.role(x), 9), x.name))]
    if json:
        print_json(rows)
        return
    table = Table(title=f"{len(rows)} host(s)" + (" — lab mode" if settings.lab else ""), box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("name", "site", "role", "platform", "model", "address", "location", "controller", "switch port"):
        table.add_column(column, no_wrap=column in ("name", "address"))
    for row in rows:
        address = row["address"] + (f":{row['port']}" if row["port"] else "")
        cabled = f"{row['switch']} {abbreviate(row['switch_port'] or '')}" if row["switch"] else ""
        location = "/".join(x for x in (row["building"], "" if row["floor"] is None else f"F{row['floor']}") if x)
        table.add_row(row["name"], row["site"], row["role"], row["platform"], row["model"], address, location, row["controller"] or "", cabled)
    console.print(table)


@inventory_app.command("check")
def check(
    ctx: typer.Context,
    backup_dir: Annotated[
        Optional[Path],
        typer.Option("--backup-dir", envvar="NETOPS_BACKUP_DIR", help="Backups to check AP switch ports against (default: <data dir>/backups).", show_default=False),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Validate the inventory: groups, addresses, platforms, AP controllers and switch ports.

    Exit 0 when there is no error (warnings allowed), 2 otherwise.
    """
    from netops.inventory.check import check as run_check

    settings: Settings = ctx.obj
    problems = run_check(settings.inventory_dir, backup_dir or settings.backup_dir, settings.lab_dir)
    errors = [p for p in problems if p.severity == "error"]
    if json:
        print_json({"inventory": str(settings.inventory_dir), "ok": not errors, "problems": [p.to_dict() for p in problems]})
    else:
        for p in problems:
            where = ":".join(str(x) for x in (p.file, p.line) if x)
            style = "bold red" if p.severity == "error" else "yellow"
            location = ": ".join(x for x in (where, p.key) if x)
            err_console.print(Text.assemble((f"{p.severity}: ", style), f"{location}: {p.message}"), soft_wrap=True)
        summary = f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s) in {settings.inventory_dir}"
        (err_console if errors else console).print(summary if problems else f"inventory {settings.inventory_dir}: ok")
    if errors:
        raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    app.add_typer(inventory_app, name="inventory")
