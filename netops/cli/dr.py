"""``netops dr`` (disaster recovery: ``drill``, ``restore-server``, ``push``, ``remotes``) and ``netops db backup|prune``."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from netops.ages import short
from netops.cli.options import BackupDirOpt, JsonOpt, TimeoutOpt
from netops.cli.output import console, print_json
from netops.settings import Settings

dr_app = typer.Typer(help="Disaster recovery: drills with measured RTO and RPO, off-site copies of the backups, a new operations server's store.", no_args_is_help=True)
db_app = typer.Typer(help="The netops database (netops.db): a consistent copy while it is in use; retention.", no_args_is_help=True)


@dr_app.command("restore-server")
def restore_server(
    ctx: typer.Context,
    source: Annotated[str, typer.Option("--from", metavar="REMOTE", help="A remote of the dr section of netops.yaml, or a URL or "
                                        "path of a copy of the backup repository.", show_default=False)],
    backup_dir: BackupDirOpt = None,
    timeout: Annotated[Optional[float], typer.Option("--timeout", min=1, help="Seconds for the clone (default: 600, or dr.timeout "
                                                     "when longer).", show_default=False)] = None,
    json_out: JsonOpt = False,
) -> None:
    """On a new operations server: rebuild the backup repository from an off-site copy, and verify it.

    The backup directory must be empty or absent. Exit 0: restored and verified, 1: the clone failed or the
    verification found a problem (listed), 2: bad input (a non-empty directory, an unknown remote).
    """
    from netops.services import dr

    settings: Settings = ctx.obj.override(backup_dir=backup_dir)
    result = dr.restore_server(settings, source, timeout=timeout)
    if json_out:
        print_json(result.to_dict())
        raise typer.Exit(0 if result.verified else 1)
    console.print(Text.assemble(("restored", "bold"), f" {result.backup_dir} from {result.remote.name} ({result.remote.shown})"),
                  soft_wrap=True)
    newest = f"{result.newest_backup:%Y-%m-%d %H:%M %Z}" if result.newest_backup else "-"
    age = f" ({short((datetime.now(timezone.utc) - result.newest_backup).total_seconds())} ago)" if result.newest_backup else ""
    sites = ", ".join(f"{site} {n}" for site, n in result.sites.items()) or "none"
    vault = f"yes ({result.vault_files} file(s) in .vault/)" if result.vault else "no (.vault/ absent: secrets must be set by hand)"
    for key, value in (("branch", f"{result.branch} at {str(result.head)[:12]}"), ("commits", str(result.commits)),
                       ("devices", f"{result.devices} ({sites})"), ("newest backup", newest + age), ("vault", vault),
                       ("git fsck --full", result.fsck.splitlines()[0] if result.fsck else "-"),
                       ("remote's HEAD", "same" if result.remote_head == result.head else str(result.remote_head)),
                       ("took", f"{result.elapsed:.1f}s")):
        console.print(f"  {key:<16} {value}", soft_wrap=True)
    if result.verified:
        console.print(Text("verified: same history as the remote, every device file readable", style="green"))
    else:
        console.print(Text(f"NOT verified ({len(result.problems)} problem(s)); the clone is kept in {result.backup_dir}:",
                           style="bold red"))
        for problem in result.problems:
            console.print(Text("  " + problem, style="red"), soft_wrap=True)
    raise typer.Exit(0 if result.verified else 1)


@dr_app.command("push")
def push(ctx: typer.Context, backup_dir: BackupDirOpt = None, json_out: JsonOpt = False) -> None:
    """Push the backup repository to every remote of the dr section now (never forcing), as every backup run does.

    Exit 0: every remote has the store, 1: a push failed (each remote's reason is shown), 2: bad input.
    """
    from netops.locks import job_lock
    from netops.services import dr

    settings: Settings = ctx.obj.override(backup_dir=backup_dir)
    cfg = dr.config(settings)
    if not cfg.remotes:
        from netops.errors import InputError

        raise InputError("no remote configured: add dr.remotes to netops.yaml", key="dr.remotes")
    with job_lock(settings.data_dir, "backup", "netops dr push"):
        results = dr.push(settings, cfg=cfg)
    if json_out:
        print_json({"offsite": [r.to_dict() for r in results]})
    else:
        for r in results:
            console.print(Text.assemble("off-site ", (r.line(), "green" if r.ok else "bold red")), soft_wrap=True)
    raise typer.Exit(0 if all(r.ok for r in results) else 1)


@dr_app.command("remotes")
def remotes(ctx: typer.Context, backup_dir: BackupDirOpt = None, json_out: JsonOpt = False) -> None:
    """Each off-site remote: commits and time behind, last push (as in `netops backup status`); exit 1 when one lags
    more than dr.max_lag or its last push failed."""
    from netops.cli.backup import print_remotes
    from netops.services import dr

    settings: Settings = ctx.obj.override(backup_dir=backup_dir)
    states = dr.remote_states(settings)
    if json_out:
        print_json({"offsite": [s.to_dict() for s in states]})
    elif states:
        print_remotes(states)
    else:
        console.print("no off-site remote configured (dr.remotes in netops.yaml)")
    raise typer.Exit(1 if any(s.lagging or s.failing for s in states) else 0)


@db_app.command("backup")
def db_backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the copy (mode 0600).")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """A consistent copy of the netops database while other commands use it (SQLite's online backup API).

    Written to a temporary file beside FILE and renamed over it; exit 2 when FILE exists without --force.
    """
    from netops.services import dr

    copy = dr.backup_database(ctx.obj, file, force)
    if json_out:
        print_json(copy.to_dict())
        return
    rows = sum(copy.tables.values())
    console.print(f"copied {copy.source} to {copy.path}: {copy.bytes} bytes, {len(copy.tables)} tables, {rows} rows, "
                  f"integrity {copy.integrity}, in {copy.elapsed:.2f}s", soft_wrap=True)


@db_app.command("prune")
def db_prune(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count what would be removed; remove nothing.")] = False,
    client: Annotated[Optional[str], typer.Option("--client", metavar="MAC|USER", help="Erase one data principal's "
                                                  "client history (all ages) instead: their MAC address or user name.",
                                                  show_default=False)] = None,
    json_out: JsonOpt = False,
) -> None:
    """Delete what is older than each data class' retention (netops.yaml retention: client_history, poll_history,
    findings, audit_log) and report per class what was removed. The schedule runs it daily.

    Exit 0: done, 1: a class could not be pruned (see its note), 2: bad input.
    """
    from netops.services.privacy import prune

    result = prune(ctx.obj, dry_run, client)
    if json_out:
        print_json(result.to_dict())
    else:
        verb = "would remove" if dry_run else "removed"
        if result.erasure is not None:
            e = result.erasure
            console.print(f"client history of the data principal (matched as {', '.join(e.kinds) or 'nothing'}): "
                          f"{verb} {e.removed} sighting(s)", soft_wrap=True)
        for c in result.classes:
            what = f"{verb} {c.removed}" if c.removed is not None else "nothing removed"
            note = f" ({c.note})" if c.note else ""
            console.print(f"{c.data_class}: keep {c.keep_days:g} days (before {c.cutoff:%Y-%m-%d %H:%M} UTC): {what}"
                          f"{note} — {c.where}", soft_wrap=True)
    raise typer.Exit(1 if any(c.removed is None and c.note and c.note.startswith("not pruned") for c in result.classes) else 0)


@dr_app.command("drill")
def drill(
    ctx: typer.Context,
    site: Annotated[str, typer.Option("--site", help="The campus to drill.", show_default=False)],
    identity: Annotated[Path, typer.Option("--identity", help="The vault's private key (age identity file from the DR kit).",
                                           show_default=False)],
    lab: Annotated[bool, typer.Option("--lab", help="Drill the running lab: wipe every device of the campus, rebuild all "
                                      "in parallel, verify, measure RPO and RTO.")] = False,
    production: Annotated[bool, typer.Option("--i-understand-this-wipes-production", help="On real devices: only a dry run "
                                             "that checks every device has a backup, vault secrets and a rebuild method.")] = False,
    out_dir: Annotated[Optional[Path], typer.Option("--out-dir", help="Where the evidence goes [default: <data dir>/dr].",
                                                    show_default=False)] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Devices rebuilt at once.")] = 8,
    no_snapshot: Annotated[bool, typer.Option("--no-snapshot", help="--lab: take no snapshot of the devices' state "
                                              "before the wipe and after the rebuild (netops snapshot).")] = False,
    timeout: TimeoutOpt = 60.0,
    backup_dir: BackupDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """A disaster-recovery drill of one campus, with evidence (HTML and JSON): per device the revision used, its age
    (RPO), the time to restored-and-verified (RTO), the commands pushed (secrets redacted) and the verification.

    Exit 0: every device restored and verified (dry run: every device ready), 1: not so, 2: bad input or refused.
    """
    from netops.backup.fetch import FetchOptions
    from netops.cli.progress import JobProgress
    from netops.cli.snapshot import print_state
    from netops.services import drill as service

    settings: Settings = ctx.obj.override(backup_dir=backup_dir)
    with JobProgress() as progress:
        report = service.drill(settings, site, identity, lab, production, FetchOptions(timeout=timeout), workers, progress,
                               snapshots=not no_snapshot)
    files = service.keep(settings, report, out_dir)
    if json_out:
        print_json(report.to_dict() | {"evidence": [str(f) for f in files]})
        raise typer.Exit(0 if report.ok else 1)
    for d in report.devices:
        if d.problems:
            state = Text("not ready: " + "; ".join(d.problems), style="red")
        elif not lab:
            state = Text(f"ready ({d.method}, {d.secrets} secret line(s))", style="green")
        elif d.verified:
            state = Text(f"verified in {d.rto_seconds:.1f}s, {len(d.commands)} command(s)", style="green")
        else:
            state = Text(f"FAILED: {d.reason}", style="bold red")
        rpo = short(d.rpo_seconds) if d.rpo_seconds is not None else "-"
        console.print(Text.assemble((f"  {d.host:<22}", "bold"), f"{d.platform:<14} RPO {rpo:<6} ", state), soft_wrap=True)
    verified = sum(1 for d in report.devices if d.verified)
    worst = short(report.rpo_seconds) if report.rpo_seconds is not None else "-"
    if lab:
        rto = f"{report.rto_seconds:.1f}s" if report.rto_seconds is not None else "-"
        line = f"{site}: {verified} of {len(report.devices)} device(s) restored and verified; campus RTO {rto}, worst RPO {worst}"
    else:
        ready = sum(1 for d in report.devices if d.ready)
        line = f"{site} (dry run, nothing wiped): {ready} of {len(report.devices)} device(s) ready; worst RPO {worst}"
    console.print(Text(line, style="bold green" if report.ok else "bold red"), soft_wrap=True)
    console.print(f"evidence: {', '.join(str(f) for f in files)}", soft_wrap=True)
    print_state(report.state)
    raise typer.Exit(0 if report.ok else 1)


def register(app: typer.Typer) -> None:
    app.add_typer(dr_app, name="dr")
    app.add_typer(db_app, name="db")
