"""``netops schedule show|install|remove``: the schedule of netops.yaml as systemd timers, or a crontab block."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from netops.cli.options import JsonOpt
from netops.cli.output import console, err_console, print_json
from netops.settings import Settings

if TYPE_CHECKING:
    from netops.services.schedule import Change, Schedule

schedule_app = typer.Typer(help="When netops runs its jobs: systemd timers (or a crontab) from netops.yaml's schedule.",
                           no_args_is_help=True)

UnitDirOpt = Annotated[Optional[Path], typer.Option("--unit-dir", help="Directory of the systemd units "
                                                    "[default: /etc/systemd/system].", show_default=False)]
CrontabOpt = Annotated[bool, typer.Option("--crontab", help="A block in the crontab (crontab -l / crontab -) instead of "
                                          "systemd units (automatic where systemd is absent and crontab exists).")]
CrontabFileOpt = Annotated[Optional[Path], typer.Option("--crontab-file", help="A crontab file with a user column "
                                                        "(/etc/cron.d/netops) instead of the user's crontab.",
                                                        show_default=False)]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Print the files and commands; change nothing.")]


def _time(moment: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return str(moment.strftime(fmt))


@schedule_app.command("show")
def show(ctx: typer.Context, unit_dir: UnitDirOpt = None, crontab_file: CrontabFileOpt = None, json_out: JsonOpt = False) -> None:
    """Each job, its rhythm, its command, its next 3 runs (the configured zone and UTC) and whether it is installed."""
    from netops.services.schedule import show as compute

    settings: Settings = ctx.obj
    schedule = compute(settings, unit_dir, crontab_file)
    if json_out:
        print_json(show_json(schedule))
        return
    _print_show(schedule)


def show_json(schedule: Schedule) -> dict[str, Any]:
    return {
        "timezone": schedule.timezone,
        "server_zone": schedule.server_zone,
        "now": schedule.now.astimezone(ZoneInfo(schedule.timezone)).isoformat(timespec="seconds"),
        "config_file": str(schedule.config_file) if schedule.config_file else None,
        "unit_dir": str(schedule.unit_dir),
        "crontab": schedule.crontab,
        "jobs": [{
            "name": v.job.name, "enabled": v.job.enabled, "rhythm": v.job.rhythm, "every": v.job.every,
            "at": [t.strftime("%H:%M") for t in v.job.at], "service": v.job.service,
            "defined_at": v.origin or None,
            "command": list(v.command), "on_calendar": list(v.calendar),
            "next": [{"local": n.isoformat(timespec="seconds"), "utc": n.astimezone(UTC).isoformat(timespec="seconds")}
                     for n in v.next],
            "installed": v.installed, "installed_as": v.installed_as or None,
        } for v in schedule.jobs],
        "notes": list(schedule.notes),
    }


def _print_show(schedule: Schedule) -> None:
    now_local = schedule.now.astimezone(ZoneInfo(schedule.timezone))
    source = str(schedule.config_file) if schedule.config_file else "the built-in configuration"
    console.print(f"schedule of {source}; times in {schedule.timezone} (this server's zone: {schedule.server_zone}); "
                  f"now {_time(now_local, '%Y-%m-%d %H:%M %Z')} = {_time(schedule.now.astimezone(UTC), '%H:%M UTC')}",
                  soft_wrap=True)
    table = Table(show_edge=False, pad_edge=False)
    for column in ("job", "rhythm", f"next runs ({schedule.timezone})", "UTC", "installed"):
        table.add_column(column, overflow="fold")
    for view in schedule.jobs:
        if not view.job.enabled:
            runs, utc = "disabled", ""
        elif view.job.service:
            runs, utc = "runs continuously", ""
        else:
            runs = "\n".join(_time(n) for n in view.next)
            utc = "\n".join(_time(n.astimezone(UTC)) for n in view.next)
        installed = view.installed + (f" ({view.installed_as})" if view.installed_as else "")
        table.add_row(view.job.name, view.job.rhythm, runs, utc, installed)
    console.print(table)
    console.print("commands:")
    width = max(len(v.job.name) for v in schedule.jobs) if schedule.jobs else 0
    for view in schedule.jobs:
        console.print(f"  {view.job.name:<{width}}  {' '.join(view.command)}", soft_wrap=True)
    states = {v.installed for v in schedule.jobs if v.job.enabled}
    if states - {"yes"}:
        where = f"units in {schedule.unit_dir}" + (f" or a block in {schedule.crontab}" if schedule.crontab else "")
        console.print(f"installed: looked for {where}; `netops schedule install` writes them"
                      + (" again" if states & {"differs", "partly"} else ""), soft_wrap=True)
    for note in schedule.notes:
        err_console.print(f"note: {note}", soft_wrap=True)


@schedule_app.command("install")
def install(
    ctx: typer.Context,
    unit_dir: UnitDirOpt = None,
    user: Annotated[Optional[str], typer.Option("--user", help="Run the jobs as this user [default: the invoking user, "
                                                "SUDO_USER under sudo].", show_default=False)] = None,
    environment_file: Annotated[Optional[Path], typer.Option("--environment-file", help="KEY=value file of credentials "
                                                             "the jobs read (EnvironmentFile=) [default: "
                                                             "/etc/netops/netops.env when it exists].",
                                                             show_default=False)] = None,
    crontab: CrontabOpt = False,
    crontab_file: CrontabFileOpt = None,
    dry_run: DryRunOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Write systemd timer and service units of the schedule (or a crontab block) and enable them where systemd runs."""
    from netops.services.schedule import InstallOptions
    from netops.services.schedule import install as apply

    settings: Settings = ctx.obj
    change = apply(settings, InstallOptions(unit_dir, user, environment_file, crontab, crontab_file, dry_run))
    _report(change, json_out)


@schedule_app.command("remove")
def remove(
    ctx: typer.Context,
    unit_dir: UnitDirOpt = None,
    crontab: CrontabOpt = False,
    crontab_file: CrontabFileOpt = None,
    dry_run: DryRunOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Disable and delete the units netops wrote (or its crontab block); nothing else."""
    from netops.services.schedule import RemoveOptions
    from netops.services.schedule import remove as apply

    settings: Settings = ctx.obj
    change = apply(settings, RemoveOptions(unit_dir, crontab, crontab_file, dry_run))
    _report(change, json_out)


def change_json(change: Change) -> dict[str, Any]:
    return {
        "action": change.action, "mode": change.mode, "dry_run": change.dry_run,
        "systemd_running": change.systemd_running, "pending": change.pending,
        "files": [{"path": f.path, "action": f.action, "content": f.text} for f in change.files],
        "commands": [{"command": list(c.args), "ran": c.ran, "returncode": c.returncode, "output": c.output or None}
                     for c in change.commands],
        "notes": change.notes, "ok": change.ok,
    }


_DONE = {"create": "created", "update": "updated", "unchanged": "unchanged", "remove": "removed", "absent": "no netops block in"}
_BLOCK_DONE = {"create": "added the netops block to", "update": "replaced the netops block in",
               "unchanged": "the netops block is unchanged in", "remove": "removed the netops block from",
               "absent": "no netops block in"}
_BLOCK_WOULD = {"create": "would add the netops block to", "update": "would replace the netops block in",
                "unchanged": "the netops block is unchanged in", "remove": "would remove the netops block from",
                "absent": "no netops block in"}
_WOULD = {"create": "would create", "update": "would update", "unchanged": "unchanged", "remove": "would remove",
          "absent": "no netops block in"}


def _report(change: Change, json_out: bool) -> None:
    if json_out:
        print_json(change_json(change))
    else:
        _print_change(change)
    if not change.ok:
        raise typer.Exit(1)


def _print_change(change: Change) -> None:
    from netops.services.schedule import SYSTEMD_RUNNING

    words = (_BLOCK_WOULD if change.dry_run else _BLOCK_DONE) if change.mode != "systemd" else \
        (_WOULD if change.dry_run else _DONE)
    for f in change.files:
        console.print(f"{words[f.action]} {f.path}", soft_wrap=True)
        if change.dry_run and f.text is not None and f.action in ("create", "update"):
            for line in f.text.splitlines():
                console.print(f"    {line}", soft_wrap=True)
    ran = [c for c in change.commands if c.ran]
    for cmd in ran:
        status = "ok" if cmd.returncode == 0 else f"failed (exit {cmd.returncode})"
        console.print(f"ran {cmd}: {status}", soft_wrap=True)
        if cmd.returncode and cmd.output:
            for line in cmd.output.splitlines():
                err_console.print(f"  {line}", soft_wrap=True)
    todo = [c for c in change.commands if not c.ran]
    if todo and change.dry_run:
        for cmd in todo:
            console.print(f"would run: {cmd}" + (" (the crontab with the block, on stdin)" if cmd.input is not None else ""),
                          soft_wrap=True)
        if change.pending:
            console.print(_why_pending(change, SYSTEMD_RUNNING) + ": install would write the files and print these "
                          "commands instead of running them", soft_wrap=True)
    elif todo:
        console.print(_why_pending(change, SYSTEMD_RUNNING) + ": the files are in place; where systemd runs, run:",
                      soft_wrap=True)
        for cmd in todo:
            console.print(f"  {cmd}", soft_wrap=True)
    for note in change.notes:
        err_console.print(f"note: {note}", soft_wrap=True)


def _why_pending(change: Change, running: Path) -> str:
    if not change.systemd_running:
        return f"systemd is not running here (no {running})"
    return "systemd does not read this unit directory"


def register(app: typer.Typer) -> None:
    app.add_typer(schedule_app, name="schedule")
