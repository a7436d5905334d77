"""``netops restore``: bring a device back to a stored configuration, or rebuild a wiped one whole (``--full``)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional

import typer
from rich.text import Text

from netops.backup.rebuild import RebuildPlan
from netops.cli.backup import trigger
from netops.cli.options import BackupDirOpt, JsonOpt, ReasonOpt, TimeoutOpt
from netops.cli.output import console, print_json
from netops.cli.snapshot import print_state
from netops.errors import InputError
from netops.settings import Settings

if TYPE_CHECKING:
    from netops.backup.restore import RestorePlan
    from netops.services.recovery import PlanRun

FULL_ONLY = ("--identity", "--export", "--bootstrap-username", "--bootstrap-password-env", "--bootstrap-secret-env")


def _print_plan(plan: RestorePlan | RebuildPlan) -> None:
    console.print(Text.assemble((plan.host, "bold"), f" ({plan.platform}) -> stored version {plan.commit[:12]}"))
    if isinstance(plan, RebuildPlan):
        console.print(f"stored {plan.backed_up}; {plan.secrets} secret line(s) from the vault (shown redacted)")
    if plan.commands:
        console.print(f"{len(plan.commands)} command(s) to push:")
        for line in plan.commands:
            console.print(Text("  " + line, style="yellow"))
    elif plan.manual:
        console.print(Text("nothing to push: every other line already matches the stored version", style="green"))
    else:
        console.print(Text("the device already matches the stored version", style="green"))
    if plan.manual:
        console.print(Text(f"{len(plan.manual)} line(s) need manual action (never pushed):", style="bold red"))
        for line in plan.manual:
            console.print(Text("  " + line, style="red"))
    for note in plan.notes if isinstance(plan, RebuildPlan) else ():
        console.print(Text(note, style="dim"))


def _confirmer(host: str, yes: bool, json_out: bool) -> Callable[[Any], bool]:
    def confirm(plan: RestorePlan | RebuildPlan) -> bool:
        if not json_out:
            _print_plan(plan)
        if not yes:
            typer.confirm(f"push {len(plan.commands)} command(s) to {host} and save?", abort=True)
        return True

    return confirm


def print_stopped(push: dict[str, Any] | None, recovery: dict[str, Any] | None, command: str) -> None:
    """What a push that stopped applied, where it failed, what it never sent, and the plan it left (restore, remediate)."""
    if push and push.get("error"):
        console.print(Text.assemble(("push stopped:", "bold red"), f" {push['error']}"))
        if not push["confirmed"]:
            console.print("  this platform confirms no single line: what took is in the plan, read back from the device")
        for label, lines, style in (("applied", push["applied"], "green"), ("failed", [push["failed"]] if push["failed"] else [], "bold red"),
                                    ("not sent", push["not_sent"], "yellow")):
            if lines and push["confirmed"]:
                console.print(f"  {label} ({len(lines)}):")
                for line in lines:
                    console.print(Text("    " + line, style=style))
    if recovery:
        console.print(Text.assemble(("plan:", "bold"), f" {recovery['path']}"))
        console.print(f"  finish: {len(recovery['finish'])} line(s)   netops {command} --resume {recovery['path']}")
        console.print(f"  roll back: {len(recovery['rollback'])} line(s)   netops {command} --rollback {recovery['path']}")
        if not recovery["read_back"]:
            console.print("  the device could not be read after the failure: the lines are computed when the plan runs")


def _outcome(plan: RestorePlan | RebuildPlan, json_out: bool) -> None:
    if json_out:
        print_json(plan.to_dict())
    elif not plan.commands and plan.verified is None:
        _print_plan(plan)
    elif not isinstance(plan, RebuildPlan) and plan.progress is not None and not plan.progress.complete:
        print_stopped(plan.progress.to_dict(), plan.recovery, "restore")
    elif plan.verified:
        note = " (apart from the manual lines above)" if plan.manual else ""
        secrets = " and secrets" if getattr(plan, "secrets_verified", None) else ""
        console.print(Text.assemble(("verified:", "green"), f" {plan.host} now matches {plan.commit[:12]}{secrets}{note}"))
    else:
        console.print(Text.assemble(("not verified:", "bold red"), f" {plan.host} still needs {len(plan.remaining)} command(s):"))
        for line in plan.remaining:
            console.print(Text("  " + line, style="red"))
        for label in getattr(plan, "mismatched", []):
            console.print(Text(f"  secret differs from the vault: {label}", style="red"))
        if not isinstance(plan, RebuildPlan):
            print_stopped(None, plan.recovery, "restore")
    if not json_out:
        print_state(getattr(plan, "state", None))


def run_recovery(settings: Settings, kind: str, resume: Path | None, rollback: Path | None, yes: bool, json_out: bool,
                 timeout: float, reason: str | None) -> NoReturn:
    """``--resume PLAN`` / ``--rollback PLAN`` of restore and remediate: run the plan, print, exit 0 when verified."""
    from netops.backup.fetch import FetchOptions
    from netops.services.recovery import run_plan

    if resume is not None and rollback is not None:
        raise InputError("--resume and --rollback go separately: one plan, one direction", key="--rollback")
    action, path, key = ("resume", resume, "--resume") if resume is not None else ("rollback", rollback, "--rollback")
    assert path is not None
    if not yes and (json_out or not sys.stdin.isatty()):
        raise InputError("refusing to push without confirmation: add --yes", key="--yes")

    def confirm(run: PlanRun) -> bool:
        if not json_out:
            console.print(Text.assemble((run.host, "bold"), f": {action} of {run.plan}, computed from the device now"))
            for line in run.commands:
                console.print(Text("  " + line, style="yellow"))
            for line in run.manual:
                console.print(Text(f"  manual (never pushed): {line}", style="red"))
        if not yes:
            typer.confirm(f"push {len(run.commands)} line(s) to {run.host} and save?", abort=True)
        return True

    done = run_plan(settings, path, action, kind, FetchOptions(timeout=timeout), confirm, trigger(), reason, key=key)
    if json_out:
        print_json(done.to_dict())
    elif done.verified:
        what = "the configuration before the push" if action == "rollback" else "the intended configuration"
        console.print(Text.assemble(("verified:", "green"), f" {done.host} has {what}" if done.commands
                                    else f" {done.host}: nothing to push"))
    else:
        print_stopped(done.push, done.recovery, kind)
        for line in done.remaining:
            console.print(Text("  still needed: " + line, style="red"))
    raise typer.Exit(0 if done.verified else 1)


def restore(
    ctx: typer.Context,
    host: Annotated[Optional[str], typer.Argument(metavar="HOST", help="Device name (not with --resume/--rollback: "
                                                  "the plan names it).", show_default=False)] = None,
    rev: Annotated[str, typer.Option("--rev", help="Stored revision to restore (from `backup history`).")] = "HEAD",
    full: Annotated[bool, typer.Option("--full", help="Rebuild a device that lost its configuration (replaced, "
                                       "reset, wiped): the whole stored version, secrets from the vault.")] = False,
    identity: Annotated[Optional[Path], typer.Option("--identity", help="The vault's private key (age identity file "
                                                     "from the DR kit); --full only.", show_default=False)] = None,
    export: Annotated[Optional[Path], typer.Option("--export", help="--full: write the complete configuration, "
                                                   "secrets included, to this file (0600) and push nothing.",
                                                   show_default=False)] = None,
    bootstrap_username: Annotated[Optional[str], typer.Option("--bootstrap-username", help="--full: first login "
                                                              "of replacement hardware (its default account).",
                                                              show_default=False)] = None,
    bootstrap_password_env: Annotated[Optional[str], typer.Option("--bootstrap-password-env", help="--full: the "
                                                                  "environment variable holding that account's "
                                                                  "password.", show_default=False)] = None,
    bootstrap_secret_env: Annotated[Optional[str], typer.Option("--bootstrap-secret-env", help="--full: the "
                                                                "environment variable holding its enable secret, "
                                                                "where it asks for one.", show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the commands; change nothing.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Push without asking.")] = False,
    no_snapshot: Annotated[bool, typer.Option("--no-snapshot", help="Take no snapshot of the device's state before "
                                              "and after the push (netops snapshot).")] = False,
    resume: Annotated[Optional[Path], typer.Option("--resume", metavar="PLAN", help="Finish the push a failed restore "
                                                   "left: its plan file (the path it printed).", show_default=False)] = None,
    rollback: Annotated[Optional[Path], typer.Option("--rollback", metavar="PLAN", help="Undo what a failed restore "
                                                     "applied: back to the configuration before its push.",
                                                     show_default=False)] = None,
    reason: ReasonOpt = None,
    backup_dir: BackupDirOpt = None,
    timeout: TimeoutOpt = 60.0,
    json_out: JsonOpt = False,
) -> None:
    """Bring a device back to a stored configuration: show the commands, push, save, verify.

    The push goes line by line (IOS-XE: each line confirmed by the device's echo and prompt). When the connection
    drops, the device refuses a line or the verification fails, restore stops, lists the lines applied, the line
    that failed and why and the lines not sent, and leaves a plan under the data directory (plans/) with the lines
    that finish the push and those that roll it back: run it with --resume PLAN or --rollback PLAN (the lines are
    computed again from the device as it is then, pushed the same way and verified).

    With --full, rebuild a device that lost its configuration, secrets included (--identity); nothing is pushed
    unless the whole plan can complete, and the result is verified line for line with the inventory's credentials.

    Before the push and after the verification, the device's operational state is snapshotted (netops snapshot;
    restore-HOST-STAMP-before/-after) and the diff shown: regressions such as an interface down or an AP not
    rejoined. A snapshot that fails is reported and never stops the restore.

    Every run (dry runs too) is recorded in the audit trail (netops audit log) with the OS user, --reason and
    the commands pushed; nothing is pushed when the trail cannot be written.

    Exit 0: device matches (or dry run), 1: the push stopped or the verification failed (or the audit trail cannot
    be written), 2: bad input.
    """
    from netops.backup.fetch import FetchOptions
    from netops.services import restore as service

    settings: Settings = ctx.obj.override(backup_dir=backup_dir)
    if resume is not None or rollback is not None:
        if host is not None or full or dry_run:
            extra = "HOST" if host is not None else "--full" if full else "--dry-run"
            raise InputError(f"{extra} does not go with --resume/--rollback (the plan names the device)", key=extra)
        run_recovery(settings, "restore", resume, rollback, yes, json_out, timeout, reason)
    if host is None:
        raise InputError("which device? restore HOST (or --resume/--rollback PLAN)", key="HOST")
    options = FetchOptions(timeout=timeout)
    given = dict(zip(FULL_ONLY, (identity, export, bootstrap_username, bootstrap_password_env, bootstrap_secret_env)))
    if not full and (flag := next((k for k, v in given.items() if v is not None), None)):
        raise InputError(f"{flag} goes with --full", key=flag)
    if full and identity is None:
        raise InputError("a full rebuild needs the vault's private key: --identity FILE (from the DR kit)", key="--identity")
    if full:
        assert identity is not None
        if export is not None:
            commit = service.export_config(settings, host, rev, identity, export)
            if json_out:
                print_json({"host": host, "commit": commit, "file": str(export)})
            else:
                console.print(f"{host} at {commit[:12]}, secrets included, written to {export} (0600); push nothing else")
            return
        login = service.bootstrap(bootstrap_username, bootstrap_password_env, bootstrap_secret_env)
        if dry_run:
            plan: RestorePlan | RebuildPlan = service.rebuild_plan(settings, host, rev, identity, options, login)
            print_json(plan.to_dict()) if json_out else _print_plan(plan)
            return
    elif dry_run:
        plan = service.plan(settings, host, rev, options)
        print_json(plan.to_dict()) if json_out else _print_plan(plan)
        return
    service.require_host(settings, host)  # a typo is named before anything else is asked
    if not yes and (json_out or not sys.stdin.isatty()):
        raise InputError("refusing to push without confirmation: add --yes (or --dry-run)", key="--yes")
    confirm = _confirmer(host, yes, json_out)
    if full:
        assert identity is not None
        plan = service.rebuild(settings, host, rev, identity, options, login, confirm, trigger(), reason=reason)
        _outcome(plan, json_out)
        raise typer.Exit(0 if plan.verified else 1)
    plan = service.restore(settings, host, rev, options, confirm, trigger(), reason=reason, snapshots=not no_snapshot)
    _outcome(plan, json_out)
    raise typer.Exit(0 if plan.verified or not plan.commands else 1)


def register(app: typer.Typer) -> None:
    app.command("restore")(restore)
