"""``netops inventory list``, ``check``, ``import`` and ``trust``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
import yaml
from rich import box
from rich.table import Table
from rich.text import Text

from netops.cli.options import BackupDirOpt, HostOpt, JsonOpt, PlatformOpt, RoleOpt, SiteOpt, filters, split_list
from netops.cli.output import console, err_console, print_json
from netops.errors import InputError
from netops.settings import Settings
from netops.styles import STATUS_STYLE

if TYPE_CHECKING:
    from netops.services.inventory import Trusted

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


def _print_trust(rows: list[Trusted], status: bool = True) -> None:
    """Two lines per host: what it presents (the fingerprint whole, to compare with its console), then the outcome."""
    for r in rows:
        p = r.payload
        address = f" ({p.address})" if p and p.address else ""
        presents = f" presents {p.key.split()[0]} {p.presented}" if p and p.key else ""
        console.print(Text.assemble((r.host, "bold"), address, presents), soft_wrap=True)
        state = (r.status.value + (": " if r.reason else ""), STATUS_STYLE.get(r.status.value, "")) if status else ""
        console.print(Text.assemble("  ", state, r.reason or ""), soft_wrap=True)


@inventory_app.command("trust")
def trust(
    ctx: typer.Context,
    names: Annotated[Optional[list[str]], typer.Argument(metavar="[HOST]...", help="Devices whose key to trust (a changed key "
                                                         "is replaced only for hosts named here or by --host without wildcards).",
                                                         show_default=False)] = None,
    site: SiteOpt = None,
    role: RoleOpt = None,
    platform: PlatformOpt = None,
    host: HostOpt = None,
    fingerprint: Annotated[Optional[str], typer.Option(
        "--fingerprint", metavar="SHA256:...", help="The key the device must present, as its console shows it "
        "(ssh-keygen -l style); anything else is refused (exit 2). No confirmation is asked.", show_default=False)] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Trust the presented keys without asking.")] = False,
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why (a ticket, 'replaced after RMA'): kept in hostkeys.log and the audit trail "
                                        "[env: NETOPS_REASON].")] = "",
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds allowed per device.")] = 15.0,
    json: JsonOpt = False,
) -> None:
    """Connect to devices (key exchange only, no login), show their SSH host keys and trust them.

    A never-seen key is recorded; a changed key replaces the known one (or the inventory's ssh_host_key) only for
    a host named explicitly. Without --fingerprint, asks on a terminal; elsewhere refuses unless --yes. Every
    decision is appended to <data dir>/hostkeys.log. Exit 0: trusted, 1: a device failed or kept its old key,
    2: bad input, a fingerprint mismatch or no confirmation.
    """
    from netops.services.inventory import trust as service

    settings: Settings = ctx.obj
    interactive = sys.stdin.isatty() and not json
    asked: list[bool] = []

    def confirm(pending: list[Trusted]) -> bool:
        if yes:
            return True
        asked.append(interactive)
        if not interactive:
            return False
        _print_trust(pending, status=False)
        replacing = sum(1 for r in pending if r.payload and r.payload.state == "changed")
        what = f"trust {len(pending)} key(s)" + (f", replacing the known key of {replacing}" if replacing else "") + "?"
        return typer.confirm(what, default=False)

    results = service(settings, split_list(names), filters(site, role, platform, host), fingerprint, confirm, reason, timeout)
    if json:
        print_json([r.to_dict() for r in results])
    else:
        _print_trust(results)
    if asked and not asked[0]:
        raise InputError("nothing recorded: confirm on a terminal, add --yes, or give --fingerprint SHA256:... "
                         "(read off the device's console)", key="--yes")
    if any(r.status.value == "failed" or (r.payload and r.payload.state == "changed" and not r.payload.recorded) for r in results):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(inventory_app, name="inventory")
