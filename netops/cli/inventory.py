"""``netops inventory list``, ``check`` and ``import``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
import yaml
from rich import box
from rich.table import Table
from rich.text import Text

from netops.cli.options import BackupDirOpt, HostOpt, JsonOpt, PlatformOpt, RoleOpt, SiteOpt, filters
from netops.cli.output import console, err_console, print_json
from netops.settings import Settings

inventory_app = typer.Typer(help="Show, validate and import the device inventory.", no_args_is_help=True)


@inventory_app.command("list")
def list_hosts(
    ctx: typer.Context,
    site: SiteOpt = None,
    role: RoleOpt = None,
    platform: PlatformOpt = None,
    host: HostOpt = None,
    json: JsonOpt = False,
) -> None:
    """List inventory hosts (in lab mode: as mapped onto the running lab)."""
    from netops.parsing.ifnames import abbreviate
    from netops.services.inventory import hosts

    settings: Settings = ctx.obj
    rows = list(hosts(settings, filters(site, role, platform, host)).values())
    if json:
        print_json([r.to_dict() for r in rows])
        return
    table = Table(title=f"{len(rows)} host(s)" + (" — lab mode" if settings.lab else ""), box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("name", "site", "role", "platform", "model", "address", "location", "controller", "switch port"):
        table.add_column(column, no_wrap=column in ("name", "address"))
    for r in rows:
        address = r.address + (f":{r.port}" if r.port else "")
        cabled = f"{r.switch} {abbreviate(r.switch_port or '')}" if r.switch else ""
        table.add_row(r.name, r.site, r.role, r.platform, r.model, address, r.location, r.controller or "", cabled)
    console.print(table)


@inventory_app.command("check")
def check(ctx: typer.Context, backup_dir: BackupDirOpt = None, json: JsonOpt = False) -> None:
    """Validate the inventory: groups, addresses, platforms, AP controllers and switch ports.

    Exit 0 when there is no error (warnings allowed), 2 otherwise.
    """
    from netops.services.inventory import problems

    settings: Settings = ctx.obj.override(backup_dir=backup_dir)
    found = problems(settings)
    errors = [p for p in found if p.severity == "error"]
    if json:
        print_json({"inventory": str(settings.inventory), "ok": not errors, "problems": [p.to_dict() for p in found]})
    else:
        for p in found:
            where = ":".join(str(x) for x in (p.file, p.line) if x)
            style = "bold red" if p.severity == "error" else "yellow"
            location = ": ".join(x for x in (where, p.key) if x)
            err_console.print(Text.assemble((f"{p.severity}: ", style), f"{location}: {p.message}"), soft_wrap=True)
        summary = f"{len(errors)} error(s), {len(found) - len(errors)} warning(s) in {settings.inventory}"
        (err_console if errors else console).print(summary if found else f"{settings.inventory}: ok, no problem found")
    if errors:
        raise typer.Exit(2)


@inventory_app.command("import")
def import_command(
    from_clab: Annotated[Path, typer.Option("--from-clab", metavar="TOPOLOGY", help="A containerlab topology file.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="DIR",
                                                   help="Write hosts.yaml, groups.yaml, defaults.yaml here (default: print them).",
                                                   show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace existing files in DIR.")] = False,
    json: JsonOpt = False,
) -> None:
    """A SimpleInventory of a containerlab topology: groups from its netops-* labels, addresses from mgmt-ipv4.

    containerlab's own nornir-simple-inventory.yml needs no import: --inventory accepts it as it is.
    """
    from netops.services.inventory import from_clab as convert
    from netops.services.inventory import write_inventory

    inventory = convert(from_clab)
    written = write_inventory(inventory, output, force) if output is not None else []
    if json:
        print_json({"files": [str(p) for p in written]} | ({} if written else inventory))
    elif written:
        for path in written:
            console.print(f"wrote {path}", highlight=False)
        console.print(f"{len(inventory['hosts'])} host(s); check it with: netops --inventory {output} inventory check", highlight=False)
    else:
        for kind in ("hosts", "groups", "defaults"):
            console.file.write(f"# {kind}.yaml\n---\n" + yaml.safe_dump(inventory[kind], sort_keys=False))
        console.file.flush()


def register(app: typer.Typer) -> None:
    app.add_typer(inventory_app, name="inventory")
