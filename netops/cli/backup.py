"""``netops backup``: run, status, history, show, diff, grep, drift."""

from __future__ import annotations

import getpass
import os
import sys
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from netops.ages import parse_age, short
from netops.cli.options import BackupDirOpt, BrokerOpt, HostOpt, JsonOpt, PlatformOpt, RoleOpt, SiteOpt, TimeoutOpt, WorkersOpt, filters
from netops.cli.output import console, print_json
from netops.cli.progress import JobProgress
from netops.errors import InputError
from netops.settings import Settings
from netops.styles import STATUS_STYLE

if TYPE_CHECKING:
    from netops.backup.offsite import RemoteState
    from netops.backup.run import BackupRun

backup_app = typer.Typer(help="Back up device configurations into git; status, history, show, diff.", no_args_is_help=False)


def trigger() -> str:
    """Who started a run from the command line, for the commit message (``git log`` answers "who ran this")."""
    if sys.stdin.isatty():
        how = "terminal"
    elif os.environ.get("INVOCATION_ID"):  # systemd sets it for every unit it starts (systemd.exec(5))
        how = "systemd"
    else:
        how = "cron or script"
    return f"{getpass.getuser()} ({how})"


def _result_table(run: BackupRun, limit: int = 60) -> Table:
    results = run.results
    shown = results if len(results) <= limit else [r for r in results if r.status.value != "unchanged"]
    table = Table(title=None if shown is results else f"{len(results) - len(shown)} unchanged device(s) not listed")
    for col in ("host", "site", "platform", "status", "reason / file"):
        table.add_column(col)
    for r in shown:
        payload = r.payload
        detail = r.reason or (("new " if payload and payload.new else "") + (payload.path if payload else ""))
        table.add_row(r.host, r.site, payload.platform if payload else "",
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
    workers: WorkersOpt = None,
    processes: Annotated[int, typer.Option("--processes", min=1, help="Worker processes sharing the workers (use one per core for hundreds of devices).")] = 1,
    broker: BrokerOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Back up every SSH-managed device (filters narrow the set). Exit 0: all ok, 1: some failed, 2: bad input."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = ctx.obj.override(backup_dir=backup_dir)
        if any((site, role, host, platform)) or max_shrink != 0.5 or timeout != 60.0 or workers or processes != 1 or broker:
            raise InputError(f"backup options go after the subcommand: netops backup {ctx.invoked_subcommand} [OPTIONS]",
                             key=ctx.invoked_subcommand)
        return
    from netops.backup.fetch import FetchOptions
    from netops.backup.run import BackupOptions
    from netops.services import backup as service

    settings: Settings = ctx.obj.override(backup_dir=backup_dir)
    options = BackupOptions(max_shrink=max_shrink, fetch=FetchOptions(timeout=timeout), processes=processes, trigger=trigger())
    with JobProgress() as progress:
        run = service.run(settings, filters(site, role, platform, host, ssh_only=True), options, workers, progress, broker)
    if json_out:
        print_json(run.to_dict())
    else:
        counts = run.counts()
        console.print(_result_table(run))
        console.print(Text.assemble(
            f"{counts['devices']} device(s) in {run.elapsed:.1f}s: ", (f"{counts['ok']} ok", "green"),
            f" ({counts['changed']} changed, {counts['unchanged']} unchanged), ",
            (f"{counts['failed']} failed", "bold red" if counts["failed"] else "green"),
            f"; commit {run.commit[:12]}" if run.commit else "; no commit (nothing changed)",
        ))
        for push in getattr(run, "offsite", []):  # one line per off-site remote (dr.remotes); never changes the exit code
            console.print(Text.assemble("off-site ", (push.line(), "green" if push.ok else "bold red")), soft_wrap=True)
    raise typer.Exit(1 if run.failed else 0)


@backup_app.command("status")
def status(
    ctx: typer.Context,
    max_age: Annotated[str, typer.Option("--max-age", help="Flag devices whose last good backup is older (e.g. 12h, 1d).")] = "1d",
    site: SiteOpt = None,
    role: RoleOpt = None,
    host: HostOpt = None,
    platform: PlatformOpt = None,
    backup_dir: BackupDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Last good backup per device and each off-site remote's lag; exit 1 when any device is stale or never succeeded,
    or a remote lags more than dr.max_lag."""
    from netops.services.backup import remotes, states

    settings: Settings = ctx.obj.override(backup_dir=backup_dir)
    limit = parse_age(max_age)
    rows = states(settings, limit, filters(site, role, platform, host) if any((site, role, host, platform)) else None)
    stale = [r for r in rows if r.stale]
    copies = remotes(settings)
    lagging = [c.remote for c in copies if c.lagging]
    if json_out:
        print_json({"max_age_seconds": limit, "devices": [r.to_dict() for r in rows], "stale": [r.host for r in stale],
                    "offsite": [c.to_dict() for c in copies], "lagging": lagging})
        raise typer.Exit(1 if stale or lagging else 0)
    else:
        table = Table()
        for col in ("host", "site", "platform", "last good backup", "last attempt", "reason"):
            table.add_column(col)
        for r in rows:
            when = f"{r.last_success:%Y-%m-%d %H:%M} ({short(r.age)} ago)" if r.last_success else "never"
            table.add_row(r.host, r.site, r.platform, Text(when, style="bold red" if r.stale else "green"),
                          Text(r.last_status or "never", style=STATUS_STYLE.get(r.last_status or "", "")), r.last_reason or "")
        console.print(table)
        console.print(f"{len(rows)} device(s); {len(stale)} without a good backup in the last {max_age}")
        if copies:
            print_remotes(copies)
            console.print(f"{len(copies)} off-site remote(s); {len(lagging)} behind by more than {short(copies[0].max_lag)} (dr.max_lag)")
    raise typer.Exit(1 if stale or lagging else 0)


def print_remotes(copies: list[RemoteState]) -> None:
    """Each off-site remote: how far behind (commits, age of the oldest missing one) and its last push; then the
    reason of each failed last push, in full."""
    now = datetime.now(timezone.utc)
    table = Table(title="off-site copies", title_justify="left")
    table.add_column("remote", no_wrap=True)
    table.add_column("url", overflow="fold")
    table.add_column("behind", no_wrap=True)
    table.add_column("last push", no_wrap=True)
    for c in copies:
        if c.local_head is None:
            behind = Text("nothing to push yet (no backup)", style="dim")
        elif c.commits_behind == 0:
            behind = Text("up to date", style="green")
        else:
            behind = Text(f"{c.commits_behind} commit(s), {short(c.behind_seconds)}" + (" (never pushed)" if c.never_pushed else ""),
                          style="bold red" if c.lagging else "yellow")
        last = c.last_push
        pushed = Text(f"{last.status}, {short((now - last.time).total_seconds())} ago" if last else "never",
                      style="" if last is None else "green" if last.ok else "bold red")
        table.add_row(c.remote, c.url, behind, pushed)
    console.print(table)
    for c in copies:
        if c.failing and c.last_push is not None:
            console.print(Text.assemble((f"{c.remote}: {c.last_push.status}: ", "bold red"), c.last_push.reason or ""), soft_wrap=True)


@backup_app.command("history")
def history(
    ctx: typer.Context,
    host: Annotated[str, typer.Argument(metavar="HOST", help="Device name.")],
    backup_dir: BackupDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Stored versions of a device's configuration, newest first."""
    from netops.services.backup import history as versions_of

    versions = versions_of(ctx.obj.override(backup_dir=backup_dir), host)
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
    host: Annotated[str, typer.Argument(metavar="HOST", help="Device name.")],
    rev: Annotated[str, typer.Option("--rev", help="Git revision (from `backup history`).")] = "HEAD",
    backup_dir: BackupDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """A device's configuration as stored at a revision."""
    from netops.services.backup import show as stored

    commit, text = stored(ctx.obj.override(backup_dir=backup_dir), host, rev)
    if json_out:
        print_json({"host": host, "rev": commit, "config": text})
    else:
        sys.stdout.write(text)


@backup_app.command("diff")
def diff(
    ctx: typer.Context,
    host: Annotated[str, typer.Argument(metavar="HOST", help="Device name.")],
    rev1: Annotated[Optional[str], typer.Argument(metavar="REV1", help="Older revision (default: the version before the latest).", show_default=False)] = None,
    rev2: Annotated[Optional[str], typer.Argument(metavar="REV2", help="Newer revision (default: the latest).", show_default=False)] = None,
    backup_dir: BackupDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Unified diff of a device's configuration between two stored versions."""
    from netops.services.backup import diff as changes

    old, new, text = changes(ctx.obj.override(backup_dir=backup_dir), host, rev1, rev2)
    if json_out:
        print_json({"host": host, "from": old, "to": new, "diff": text})
        return
    print_diff(text)


@backup_app.command("grep")
def grep(
    ctx: typer.Context,
    pattern: Annotated[str, typer.Argument(metavar="PATTERN", help="POSIX extended regex (as git grep -E), e.g. 'transport input .*telnet'.")],
    site: SiteOpt = None,
    role: RoleOpt = None,
    host: HostOpt = None,
    platform: PlatformOpt = None,
    rev: Annotated[Optional[str], typer.Option("--rev", help="Search the backups as stored at this revision (default: the latest).",
                                               show_default=False)] = None,
    backup_dir: BackupDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Search the stored configurations of every device: which switches still have telnet on a line?

    Exit 0: matches found, 1: none (as grep), 2: bad input.
    """
    from netops.services.backup import grep as search

    selected = filters(site, role, platform, host) if any((site, role, host, platform)) else None
    matches = search(ctx.obj.override(backup_dir=backup_dir), pattern, rev, selected)
    if json_out:
        print_json({"pattern": pattern, "rev": rev, "matches": [m.__dict__ for m in matches],
                    "hosts": sorted({m.host for m in matches})})
    else:
        table = Table(title=f"{len(matches)} line(s) in {len({m.host for m in matches})} device(s)", title_justify="left")
        for col in ("host", "site", "line", "text"):
            table.add_column(col, overflow="fold")
        for m in matches:
            table.add_row(m.host, m.site, str(m.line), Text(m.text))
        console.print(table)
    raise typer.Exit(0 if matches else 1)


@backup_app.command("drift")
def drift(
    ctx: typer.Context,
    hosts: Annotated[Optional[list[str]], typer.Argument(metavar="[HOST]...", help="Devices (wildcards allowed; default: every "
                                                         "one the filters select).", show_default=False)] = None,
    site: SiteOpt = None,
    role: RoleOpt = None,
    platform: PlatformOpt = None,
    timeout: TimeoutOpt = 60.0,
    backup_dir: BackupDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """What changed on each device since its last backup (running against stored), without planning a restore.

    Exit 0: no drift, 1: drift on some device or a device failed, 2: bad input.
    """
    from netops.backup.fetch import FetchOptions
    from netops.services.backup import drift as compare

    with JobProgress() as progress:
        results = compare(ctx.obj.override(backup_dir=backup_dir), filters(site, role, platform, hosts, ssh_only=True, host_key="HOST"),
                          FetchOptions(timeout=timeout), progress)
    if json_out:
        print_json({"devices": [r.to_dict() for r in results]})
    else:
        for r in results:
            if r.payload is not None and r.payload.diff:
                print_diff(r.payload.diff)
        table = Table(title="drift since the last backup", title_justify="left")
        for col in ("host", "site", "state", "detail"):
            table.add_column(col)
        for r in results:
            state = {"changed": "drifted", "unchanged": "as backed up"}.get(r.status.value, r.status.value)
            table.add_row(r.host, r.site, Text(state, style=STATUS_STYLE.get(r.status.value, "")), Text(r.reason or ""))
        console.print(table)
    raise typer.Exit(1 if any(r.status.value in ("changed", "failed") for r in results) else 0)


def print_diff(text: str) -> None:
    """A unified diff: coloured on a terminal, as it is otherwise."""
    if not console.is_terminal:
        sys.stdout.write(text)
        return
    for line in text.splitlines():
        style = "green" if line.startswith("+") else "red" if line.startswith("-") else "cyan" if line.startswith("@@") else ""
        console.print(Text(line, style=style))


def register(app: typer.Typer) -> None:
    app.add_typer(backup_app, name="backup")
