"""``netops remediate``: push the fixes of the hardening findings, with confirmation, then re-check."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.text import Text

from netops.cli.backup import trigger
from netops.cli.options import JsonOpt, ReasonOpt, TimeoutOpt
from netops.cli.output import console, err_console, print_json
from netops.cli.progress import JobProgress
from netops.cli.restore import print_stopped, run_recovery
from netops.cli.snapshot import print_state
from netops.errors import InputError
from netops.settings import Settings

if TYPE_CHECKING:
    from netops.services.remediate import HostPlan, RemediateRun


def _print_plans(plans: list[HostPlan]) -> None:
    for plan in plans:
        head = Text.assemble((plan.host, "bold"), f" ({plan.platform}): {len(plan.findings)} finding(s)")
        console.print(head)
        if plan.error:
            console.print(Text(f"  {plan.error}", style="bold red"))
            continue
        for finding in plan.findings:
            console.print(Text(f"  {finding['rule']} {finding['object']}: {finding['message']}", style="dim"))
        if plan.commands:
            console.print(f"  {len(plan.commands)} command(s) to push:")
            for line in plan.commands:
                console.print(Text("    " + line, style="yellow"))
        if plan.manual:
            console.print(Text(f"  {len(plan.manual)} step(s) need a human (never pushed):", style="bold red"))
            for line in plan.manual:
                console.print(Text("    " + line, style="red"))


def _print_outcome(run: RemediateRun) -> None:
    for plan in run.plans:
        if plan.error:
            console.print(Text.assemble(("failed:", "bold red"), f" {plan.host}: {plan.error}"))
            print_stopped(plan.push, plan.recovery, "remediate")
        elif plan.pushed and not plan.remaining:
            console.print(Text.assemble(("fixed:", "green"), f" {plan.host}: pushed {len(plan.commands)} command(s); "
                                        f"re-check: no finding of the fixed rules remains"
                                        + (f"; {len(plan.manual)} step(s) still need a human" if plan.manual else "")))
        elif plan.pushed:
            console.print(Text.assemble(("incomplete:", "bold red"), f" {plan.host}: pushed {len(plan.commands)} command(s); "
                                        f"{len(plan.remaining)} finding(s) remain:"))
            for finding in plan.remaining:
                console.print(Text(f"  {finding['rule']} {finding['object']}: {finding['message']}", style="red"))
            print_stopped(None, plan.recovery, "remediate")


def remediate(
    ctx: typer.Context,
    rule: Annotated[Optional[list[str]], typer.Option("--rule", metavar="RULE", help="Fix only this rule (repeatable; "
                                                      "default: every hardening rule).", show_default=False)] = None,
    host: Annotated[Optional[list[str]], typer.Option("--host", metavar="HOST", help="Only this device (repeatable; "
                                                      "default: every device a hardening rule selects).", show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the plan; change nothing (the default without a "
                                          "terminal and without --yes: cron).")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Push without asking.")] = False,
    no_snapshot: Annotated[bool, typer.Option("--no-snapshot", help="Take no snapshot of the devices' state before "
                                              "and after the pushes (netops snapshot).")] = False,
    resume: Annotated[Optional[Path], typer.Option("--resume", metavar="PLAN", help="Send the lines a failed "
                                                   "remediation did not apply: its plan file (the path it printed).",
                                                   show_default=False)] = None,
    rollback: Annotated[Optional[Path], typer.Option("--rollback", metavar="PLAN", help="Undo what a failed remediation "
                                                     "applied: back to the configuration before its push.",
                                                     show_default=False)] = None,
    reason: ReasonOpt = None,
    timeout: TimeoutOpt = 60.0,
    json_out: JsonOpt = False,
) -> None:
    """Fix the hardening findings (kind: lines rules) on the live devices: show the plan, push, save, re-check.

    The check runs on each device's running configuration, fetched now. Fixes that need a secret (or that a rule
    marks manual) are listed for a human and never pushed; a host whose plan cannot be built gets nothing. Without
    a terminal and without --yes, remediate plans only (as --dry-run) and says so. Every host's outcome is in the
    audit trail, with --reason. The devices pushed to are snapshotted before and after (netops snapshot) and the
    diff shown (regressions: an interface down, a neighbour lost ...); a snapshot failure never stops a push.

    Each line is confirmed by the device (IOS-XE: its echo and prompt). When the connection drops, the device refuses
    a line or findings remain after the push, the host fails with the lines applied, the line that failed and why, the
    lines not sent, and a plan under the data directory (plans/): --resume PLAN sends the lines not applied,
    --rollback PLAN brings the device back to its configuration before the push (computed from the device then).

    Exit 0: fixed (or a dry run), 1: a host failed or findings remain, 2: bad input.
    """
    from netops.backup.fetch import FetchOptions
    from netops.services.remediate import RemediateOptions
    from netops.services.remediate import remediate as run_remediate

    settings: Settings = ctx.obj
    if resume is not None or rollback is not None:
        if rule or host or dry_run:
            flag = "--rule" if rule else "--host" if host else "--dry-run"
            raise InputError(f"{flag} does not go with --resume/--rollback (the plan names the device and its lines)", key=flag)
        run_recovery(settings, "remediate", resume, rollback, yes, json_out, timeout, reason)
    if not dry_run and not yes and not sys.stdin.isatty():
        err_console.print("no terminal to confirm on and no --yes: planning only (--dry-run)")
        dry_run = True
    options = RemediateOptions(rules=tuple(rule or ()), hosts=tuple(host or ()), dry_run=dry_run, reason=reason,
                               fetch=FetchOptions(timeout=timeout), snapshots=not no_snapshot)

    with JobProgress() as progress:
        def confirm(plans: list[HostPlan]) -> bool:
            progress.bar.stop()
            if not json_out:
                _print_plans(plans)
            count = sum(len(p.commands) for p in plans)
            hosts = sum(1 for p in plans if p.commands)
            ok = yes or typer.confirm(f"push {count} command(s) to {hosts} device(s) and save?", default=False)
            progress.bar.start()
            return ok

        run = run_remediate(settings, options, confirm, trigger(), progress)
    if json_out:
        print_json(run.to_dict())
    elif run.dry_run:
        _print_plans(run.plans)
        planned = sum(len(p.commands) for p in run.plans)
        console.print(Text(f"dry run: {planned} command(s) planned on {sum(1 for p in run.plans if p.commands)} device(s); "
                           "nothing pushed", style="bold"))
    else:
        _print_outcome(run)
        print_state(run.state)
    raise typer.Exit(1 if run.failed else 0)


def register(app: typer.Typer) -> None:
    app.command("remediate")(remediate)
