"""``netops inventory list``, ``check``, ``import``, ``trust`` and ``facts``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
import yaml
from rich import box
from rich.table import Table
from rich.text import Text

from netops.cli.options import BackupDirOpt, HostOpt, JsonOpt, PlatformOpt, RoleOpt, SiteOpt, TimeoutOpt, WorkersOpt, filters, split_list
from netops.cli.output import console, err_console, print_json
from netops.errors import InputError
from netops.settings import Settings
from netops.styles import STATUS_STYLE

if TYPE_CHECKING:
    from netops.facts.store import Change, Stored
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


def _facts_row(table: Table, host: str, site: str, status: str, facts: dict[str, object], reason: str = "", read: str = "") -> None:
    from netops.ages import short

    serials = list(facts.get("serials") or [])  # type: ignore[call-overload]
    shown = ", ".join(serials[:2]) + (f" +{len(serials) - 2}" if len(serials) > 2 else "")
    uptime = facts.get("uptime_s")
    software = " ".join(str(x) for x in (facts.get("os_name"), facts.get("os_version")) if x)
    style = STATUS_STYLE.get(status, "yellow" if status == "stale" else "")
    table.add_row(host, site, Text(status, style=style), str(facts.get("model") or ""), shown, software,
                  short(uptime) if isinstance(uptime, (int, float)) else "", reason or str(facts.get("reload_reason") or ""),
                  *([read[:16].replace("T", " ")] if read else []))


def _facts_table(title: str, stored: bool = False) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("host", "site", "status", "model", "serials", "software", "uptime", "reason / last reload") + (("read (UTC)",) if stored else ()):
        table.add_column(column, no_wrap=column in ("host", "model", "read (UTC)"))
    return table


def _ap_table(aps: list[tuple[str, dict[str, object], str]]) -> Table:
    table = Table(title=f"{len(aps)} AP(s) listed by the controllers", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("AP", "controller", "model", "serial", "software", "address", "read"):
        table.add_column(column, no_wrap=column in ("AP", "model"))
    for controller, ap, read in aps:
        table.add_row(str(ap.get("name", "")), controller, str(ap.get("model") or ""), str(ap.get("serial") or ""),
                      str(ap.get("version") or ""), str(ap.get("address") or ""), read)
    return table


def _print_changes(changes: list[Change]) -> None:
    for c in changes:
        what = "software" if c.version else c.field
        console.print(Text.assemble(("changed ", "yellow"), (c.name, "bold"), f" {what}: {c.old or '-'} -> {c.new or '-'}"),
                      soft_wrap=True)


def _print_stored(rows: list[Stored], attempts: dict[str, dict[str, object]]) -> None:
    devices = [r for r in rows if r.kind == "device"]
    table = _facts_table(f"{len(devices)} device(s): stored facts, not read now", stored=True)
    for r in devices:
        tried = attempts.get(r.name, {})
        failed = tried.get("status") == "failed"
        reason = f"last attempt {str(tried.get('at', ''))[:16].replace('T', ' ')} failed: {tried.get('reason')}" if failed else ""
        _facts_row(table, r.name, r.site, "stale" if failed else "stored", r.facts.to_dict(), reason, r.collected)
    console.print(table)
    aps = [(r.controller or "", r.facts.to_dict(), r.collected[:10]) for r in rows if r.kind == "ap"]
    if aps:
        console.print(_ap_table(aps))


@inventory_app.command("facts")
def facts(
    ctx: typer.Context,
    site: SiteOpt = None,
    role: RoleOpt = None,
    platform: PlatformOpt = None,
    host: HostOpt = None,
    stored: Annotated[bool, typer.Option("--stored", help="Print the facts stored by the last runs; connect to nothing.")] = False,
    timeout: TimeoutOpt = 60.0,
    workers: WorkersOpt = None,
    json: JsonOpt = False,
) -> None:
    """Read what every SSH-managed device is: model, serials, software, uptime, last reload (and a controller's APs).

    The facts are stored with their history: a new software version, a replaced chassis or an AP that moved is a
    change (the daily report lists the day's version changes; `kind: software` policy rules check them). A device
    that does not answer is a failure with its reason; its last good facts stay stored. Exit 0: all read,
    1: a device failed, 2: bad input.
    """
    from netops.backup.fetch import FetchOptions
    from netops.services import facts as service

    settings: Settings = ctx.obj
    selection = filters(site, role, platform, host)
    if stored:
        rows, attempts = service.stored(settings, selection)
        if json:
            print_json({"devices": [r.to_dict() for r in rows if r.kind == "device"],
                        "aps": [r.to_dict() for r in rows if r.kind == "ap"], "attempts": attempts})
        elif not rows:
            console.print("no facts stored yet: run netops inventory facts", highlight=False)
        else:
            _print_stored(rows, attempts)
        return
    from netops.cli.progress import JobProgress

    with JobProgress() as progress:
        run = service.run(settings, filters(site, role, platform, host, ssh_only=True), FetchOptions(timeout=timeout), workers, progress)
    if json:
        print_json(run.to_dict())
    else:
        table = _facts_table(f"{len(run.results)} device(s)")
        aps = []
        for r in run.results:
            facts = r.to_dict()
            _facts_row(table, r.host, r.site, r.status.value, facts if r.payload is not None else {}, r.reason or "")
            aps += [(r.host, ap.to_dict(), "now") for ap in (r.payload.aps if r.payload is not None else ())]
        console.print(table)
        if aps:
            console.print(_ap_table(aps))
        _print_changes(run.changes)
        counts = run.counts()
        console.print(Text.assemble(f"{counts['devices']} device(s) in {run.elapsed:.1f}s: ", (f"{counts['ok']} read", "green"), ", ",
                                    (f"{counts['failed']} failed", "bold red" if counts["failed"] else "green"),
                                    f", {counts['skipped']} skipped" if counts["skipped"] else "",
                                    f"; {len(run.changes)} change(s) stored"))
    raise typer.Exit(1 if run.failed else 0)


def register(app: typer.Typer) -> None:
    app.add_typer(inventory_app, name="inventory")
