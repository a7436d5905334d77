"""``netops backup`` (run, status, history, show, diff) and ``netops restore``."""

from __future__ import annotations

import re
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from nornir.core import Nornir
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from netops.backup.gitstore import GitStore
from netops.cli.output import console, err_console, print_json
from netops.errors import InputError

if TYPE_CHECKING:
    from netops.backup.restore import RestorePlan
from netops.results import DeviceResult, Status
from netops.settings import Settings

backup_app = typer.Typer(help="Back up device configurations into git; status, history, show, diff.", no_args_is_help=False)

STATUS_STYLE = {"changed": "yellow", "unchanged": "green", "failed": "bold red", "ok": "green"}
SiteOpt = Annotated[Optional[list[str]], typer.Option("--site", help="Only this site (repeatable).", show_default=False)]
RoleOpt = Annotated[Optional[list[str]], typer.Option("--role", help="Only this role (repeatable).", show_default=False)]
HostOpt = Annotated[Optional[list[str]], typer.Option("--host", help="Only this host (repeatable).", show_default=False)]
PlatformOpt = Annotated[Optional[list[str]], typer.Option("--platform", help="Only this platform (repeatable).", show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output on stdout.")]
BackupDirOpt = Annotated[
    Optional[Path],
    typer.Option("--backup-dir", envvar="NETOPS_BACKUP_DIR", help="Backup git repository (default: <data dir>/backups).", show_default=False),
]
TimeoutOpt = Annotated[float, typer.Option("--timeout", min=1, help="Per-device limit in seconds for each step of a fetch.")]


def _backup_dir(settings: Settings, override: Path | None) -> Path:
    return override or settings.backup_dir


def _open_nornir(
    settings: Settings,
    site: list[str] | None,
    role: list[str] | None,
    host: list[str] | None,
    platform: list[str] | None,
    workers: int | None,
) -> Nornir:
    from netops.inventory import Filters, open_nornir
    from netops.inventory.loader import DEFAULT_WORKERS

    filters = Filters.of(sites=site, roles=role, platforms=platform, hosts=host, ssh_only=True)
    return open_nornir(settings, filters, workers=workers or DEFAULT_WORKERS)


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err_console, transient=True,
    )


def _result_table(results: list[DeviceResult], limit: int = 60) -> Table:
    shown = results if len(results) <= limit else [r for r in results if r.status is not Status.UNCHANGED]
    table = Table(title=None if shown is results else f"{len(results) - len(shown)} unchanged device(s) not listed")
    for col in ("host", "site", "platform", "status", "reason / file"):
        table.add_column(col)
    for r in shown:
        detail = r.reason or (("new " if r.extra.get("new") else "") + r.extra.get("path", ""))
        table.add_row(r.host, r.extra.get("site", ""), r.extra.get("platform", ""),
                      Text(r.status.value, style=STATUS_STYLE.get(r.status.value, "")), detail)
    return table


@backup_app.callback(invoke_without_command=True)
def backup(
    ctx: typer.Context,
    site: SiteOpt = None,
    role: RoleOpt = None,
    host: HostOpt = None,
    platform: PlatformOpt = None,
    backup_dir: BackupDirOpt = None,
    max_shrink: Annotated[float, typer.Option("--max-shrink", min=0, max=1, help="Reject a fetch that shrank by more than this fraction of the stored copy (1 disables).")] = 0.5,
    timeout: TimeoutOpt = 60.0,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="Devices fetched in parallel (default: the inventory runner setting).", show_default=False)] = None,
    processes: Annotated[int, typer.Option("--processes", min=1, help="Worker processes sharing the workers (use one per core for hundreds of devices).")] = 1,
    json_out: JsonOpt = False,
) -> None:
    """Back up every SSH-managed device (filters narrow the set). Exit 0: all ok, 1: some failed, 2: bad input."""
    if ctx.invoked_subcommand is not None:
        return
    from netops.backup.fetch import FetchOptions
    from netops.backup.lock import run_lock
    from netops.backup.run import BackupOptions, backs_up, run_backup

    settings: Settings = ctx.obj
    nr = _open_nornir(settings, site, role, host, platform, workers)
    total = len(backs_up(nr).inventory.hosts)
    if total == 0:
        raise InputError("no SSH-managed device matches the filters", key="--site/--role/--host/--platform")
    options = BackupOptions(max_shrink=max_shrink, fetch=FetchOptions(timeout=timeout), processes=processes)
    with run_lock(settings.data_dir, "netops backup"), _progress() as progress:
        bar = progress.add_task("backup", total=total)
        report = run_backup(nr, _backup_dir(settings, backup_dir), settings.data_dir, options,
                            on_result=lambda _r: progress.advance(bar))
    if json_out:
        print_json(report.to_dict())
    else:
        counts = report.counts()
        console.print(_result_table(report.results))
        console.print(
            f"{counts['devices']} device(s) in {report.elapsed:.1f}s: [green]{counts['ok']} ok[/] "
            f"({counts['changed']} changed, {counts['unchanged']} unchanged), "
            f"[{'bold red' if counts['failed'] else 'green'}]{counts['failed']} failed[/]"
            + (f"; commit {report.commit[:12]}" if report.commit else "; no commit (nothing changed)")
        )
    raise typer.Exit(1 if report.failed else 0)


_AGE = re.compile(r"^(\d+(?:\.\d+)?)([smhdw])$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_age(value: str) -> float:
    """``90m``, ``12h``, ``1d``, ``2w`` as seconds; anything else is an input error."""
    match = _AGE.match(value.strip())
    if not match:
        raise InputError(f"invalid age {value!r} (use e.g. 30m, 12h, 1d, 2w)", key="--max-age")
    return float(match.group(1)) * _UNIT[match.group(2)]


def _ago(seconds: float | None) -> str:
    if seconds is None:
        return "never"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f}{unit} ago"
    return f"{seconds:.0f}s ago"


@backup_app.command("status")
def status(
    ctx: typer.Context,
    max_age: Annotated[str, typer.Option("--max-age", help="Flag devices whose last good backup is older (e.g. 12h, 1d).")] = "1d",
    json_out: JsonOpt = False,
) -> None:
    """Last good backup per device; exit 1 when any device is stale or never succeeded."""
    from netops.backup import records

    settings: Settings = ctx.obj
    limit = parse_age(max_age)
    at = datetime.now(timezone.utc)
    conn = records.open_db(settings.data_dir)
    try:
        devices = records.device_status(conn)
    finally:
        conn.close()
    rows = []
    for d in devices:
        age = d.age_seconds(at)
        rows.append(d.to_dict() | {"age_seconds": None if age is None else round(age), "stale": age is None or age > limit})
    stale = [r for r in rows if r["stale"]]
    if json_out:
        print_json({"max_age_seconds": limit, "devices": rows, "stale": [r["host"] for r in stale]})
    else:
        table = Table()
        for col in ("host", "site", "platform", "last good backup", "last attempt", "reason"):
            table.add_column(col)
        for r in rows:
            when = datetime.fromisoformat(r["last_success"]).strftime("%Y-%m-%d %H:%M") if r["last_success"] else "never"
            good = Text(f"{when} ({_ago(r['age_seconds'])})", style="bold red" if r["stale"] else "green")
            table.add_row(r["host"], r["site"], r["platform"], good,
                          Text(r["last_status"], style=STATUS_STYLE.get(r["last_status"], "")), r["last_reason"] or "")
        console.print(table)
        console.print(f"{len(rows)} device(s); {len(stale)} without a good backup in the last {max_age}")
    raise typer.Exit(1 if stale else 0)


def _store(ctx: typer.Context, backup_dir: Path | None) -> GitStore:
    root = _backup_dir(ctx.obj, backup_dir)
    if not (root / ".git").is_dir():
        raise InputError(f"no backup repository at {root} (run `netops backup` first)", key="--backup-dir")
    return GitStore(root)


@backup_app.command("history")
def history(
    ctx: typer.Context,
    host: Annotated[str, typer.Argument(help="Device name.")],
    backup_dir: BackupDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Stored versions of a device's configuration, newest first."""
    versions = _store(ctx, backup_dir).history(host)
    if json_out:
        print_json({"host": host, "versions": [v.to_dict() for v in versions]})
        return
    table = Table()
    for col in ("rev", "date", "file", "message"):
        table.add_column(col)
    for v in versions:
        table.add_row(v.short, v.date, v.path, v.message)
    console.print(table)


@backup_app.command("show")
def show(
    ctx: typer.Context,
    host: Annotated[str, typer.Argument(help="Device name.")],
    rev: Annotated[str, typer.Option("--rev", help="Git revision (from `backup history`).")] = "HEAD",
    backup_dir: BackupDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """A device's configuration as stored at a revision."""
    store = _store(ctx, backup_dir)
    text = store.show(host, rev)
    if json_out:
        print_json({"host": host, "rev": store.resolve(rev), "config": text})
    else:
        sys.stdout.write(text)


@backup_app.command("diff")
def diff(
    ctx: typer.Context,
    host: Annotated[str, typer.Argument(help="Device name.")],
    rev1: Annotated[Optional[str], typer.Argument(help="Older revision (default: the version before the latest).", show_default=False)] = None,
    rev2: Annotated[Optional[str], typer.Argument(help="Newer revision (default: the latest).", show_default=False)] = None,
    backup_dir: BackupDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Unified diff of a device's configuration between two stored versions."""
    store = _store(ctx, backup_dir)
    versions = store.history(host)
    new = rev2 or versions[0].commit
    if rev1 is None and len(versions) < 2:
        raise InputError(f"{host} has a single stored version; nothing to compare", key="rev1")
    old = rev1 or versions[1].commit
    text = store.diff(host, old, new)
    if json_out:
        print_json({"host": host, "from": store.resolve(old), "to": store.resolve(new), "diff": text})
        return
    if not console.is_terminal:
        sys.stdout.write(text)
        return
    for line in text.splitlines():
        style = "green" if line.startswith("+") else "red" if line.startswith("-") else "cyan" if line.startswith("@@") else ""
        console.print(Text(line, style=style))


def _print_plan(plan: RestorePlan) -> None:
    console.print(f"[bold]{plan.host}[/] ({plan.platform}) -> stored version {plan.commit[:12]}")
    if plan.commands:
        console.print(f"{len(plan.commands)} command(s) to push:")
        for line in plan.commands:
            console.print(Text("  " + line, style="yellow"))
    else:
        console.print("[green]the device already matches the stored version[/]")
    if plan.manual:
        console.print(f"[bold red]{len(plan.manual)} line(s) need manual action[/] (never pushed):")
        for line in plan.manual:
            console.print(Text("  " + line, style="red"))


def restore(
    ctx: typer.Context,
    host: Annotated[str, typer.Argument(help="Device name.")],
    rev: Annotated[str, typer.Option("--rev", help="Stored revision to restore (from `backup history`).")] = "HEAD",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the commands; change nothing.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Push without asking.")] = False,
    backup_dir: BackupDirOpt = None,
    timeout: TimeoutOpt = 60.0,
    json_out: JsonOpt = False,
) -> None:
    """Bring a device back to a stored configuration: show the commands, push, save, verify.

    Exit 0: device matches (or dry run), 1: verification failed, 2: bad input.
    """
    from netops.backup.fetch import FetchOptions
    from netops.backup.lock import run_lock
    from netops.backup.restore import apply_restore, plan_restore

    settings: Settings = ctx.obj
    store = _store(ctx, backup_dir)
    options = FetchOptions(timeout=timeout)
    nr = _open_nornir(settings, None, None, [host], None, 1)
    with run_lock(settings.data_dir, f"netops restore {host}"):
        plan = plan_restore(nr, store, host, rev, options)
        if not json_out:
            _print_plan(plan)
        if dry_run or not plan.commands:
            if json_out:
                print_json(plan.to_dict())
            return
        if not yes:
            if json_out or not sys.stdin.isatty():
                raise InputError("refusing to push without confirmation: add --yes (or --dry-run)", key="--yes")
            typer.confirm(f"push {len(plan.commands)} command(s) to {host} and save?", abort=True)
        plan = apply_restore(nr, store, plan, options)
    if json_out:
        print_json(plan.to_dict())
    elif plan.verified:
        note = " (apart from the manual lines above)" if plan.manual else ""
        console.print(f"[green]verified:[/] {host} now matches {plan.commit[:12]}{note}")
    else:
        console.print(f"[bold red]not verified:[/] {host} still needs {len(plan.remaining)} command(s):")
        for line in plan.remaining:
            console.print(Text("  " + line, style="red"))
    raise typer.Exit(0 if plan.verified else 1)


def register(app: typer.Typer) -> None:
    app.add_typer(backup_app, name="backup")
    app.command("restore")(restore)
