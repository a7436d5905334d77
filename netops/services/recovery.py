"""Recovery plans of pushes that stopped: write them (restore, remediate) and run them (``--resume`` / ``--rollback``).

See :mod:`netops.backup.recovery` for what a plan holds. Running one reads the device again, computes the lines
from what it has now (the finish of a remediation: its lines as left), asks ``confirm``, pushes them line by line
like any push, reads the device once more and verifies it: restore's target reached (``resume``) or the
configuration before the push back (``rollback``). A run that stops again leaves its own plan. Under the
``backup`` lock; recorded in the audit trail (``<kind>.resume`` / ``<kind>.rollback``) with what was applied.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from netops.backup.fetch import FetchOptions
from netops.backup.manual import split_manual
from netops.backup.recovery import ACTIONS, RecoveryPlan, build, load, write
from netops.backup.restore import fetch_current, push_commands, read_back
from netops.drivers import get_driver
from netops.drivers.push import Progress
from netops.errors import InputError
from netops.inventory import Filters, open_nornir
from netops.locks import job_lock
from netops.results import DeviceResult, Status
from netops.services import inventory
from netops.services.audit import recorded
from netops.services.events import Finished, Listener, Started, ignore
from netops.settings import Settings


def leave(settings: Settings, kind: str, host: str, platform: str, progress: Progress, before: str,
          intended: str | None, after: str | None, commit: str | None = None, reason: str | None = None) -> RecoveryPlan:
    """Write the plan of a push (``progress``) that stopped or whose verification failed (``reason``); the plan."""
    why = reason or (f"{progress.error}" + (f" at `{progress.failed.strip()}`" if progress.failed else ""))
    plan = build(get_driver(platform), kind, host, progress, why, before, intended, after, commit)
    write(plan, settings.data_dir)
    return plan


def stopped(progress: Progress) -> str:
    """One line on a push that stopped: where, why, how much took."""
    where = f"`{progress.failed.strip()}` failed: " if progress.failed else ""
    took = (f"{len(progress.applied)} line(s) applied, {len(progress.not_sent)} not sent" if progress.confirmed
            else "what took is read back from the device")
    return f"push stopped: {where}{progress.error}; {took}"


@dataclass
class PlanRun:
    """One run of a recovery plan."""

    plan: str  # the plan file
    action: str  # resume or rollback
    host: str
    commands: list[str] = field(default_factory=list)  # computed from the device before the push
    manual: list[str] = field(default_factory=list)
    push: dict[str, Any] | None = None  # how far the push went (Progress)
    remaining: list[str] = field(default_factory=list)  # still needed after it (verification)
    verified: bool | None = None  # None: declined
    recovery: dict[str, Any] | None = None  # this run's own plan, when it stopped too

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


Confirm = Callable[[PlanRun], bool]  # shown the lines about to be pushed; True: push them


def _needed(plan: RecoveryPlan, action: str, now: str) -> tuple[list[str], list[str]]:
    target = plan.target(action)
    if target is None:  # a remediation's finish: its lines as it left them
        return list(plan.finish), []
    return split_manual(get_driver(plan.platform).remediation(now, target))


def run_plan(settings: Settings, path: Path, action: str, kind: str, options: FetchOptions = FetchOptions(),
             confirm: Confirm | None = None, trigger: str = "netops", reason: str | None = None,
             on_event: Listener = ignore, key: str = "--resume") -> PlanRun:
    """Finish (``resume``) or roll back (``rollback``) the push of the plan in ``path``, which ``kind`` (restore,
    remediate) made; ``verified`` says whether the device reached the target."""
    assert action in ACTIONS
    plan = load(path, key)
    if plan.kind != kind:
        raise InputError(f"this plan was left by netops {plan.kind}: run it with `netops {plan.kind} {key} PLAN`",
                         file=path, key=key)
    if plan.host not in inventory.hosts(settings):
        raise InputError(f"host {plan.host} of the plan is not in the inventory", file=path, key=key)
    nr = open_nornir(settings, Filters.of(hosts=[plan.host]), workers=1)
    run = PlanRun(str(path), action, plan.host)
    started, begun = time.monotonic(), datetime.now(timezone.utc)
    with job_lock(settings.data_dir, "backup", f"netops {kind} {key} {plan.host} ({trigger})"), \
            recorded(settings, f"{kind}.{action}", plan.host, reason=reason, changing=True) as entry:
        on_event(Started(f"{kind} {action}", (plan.host,)))
        now = fetch_current(nr, plan.host, options)
        run.commands, run.manual = _needed(plan, action, now)
        entry.detail = {"plan": str(path), "trigger": trigger, "commands": [], "manual": run.manual}
        if not run.commands:
            run.verified = True
            entry.result = "ok: nothing to push"
        elif confirm is not None and not confirm(run):
            entry.result = "declined"
        else:
            progress = push_commands(nr, plan.host, plan.platform, run.commands, options)
            run.push = progress.to_dict()
            entry.detail |= {"commands": progress.applied, "push": progress.stop()}
            after = read_back(nr, plan.host, options) if not progress.complete else fetch_current(nr, plan.host, options)
            target = plan.target(action)
            if after is not None and target is not None:
                run.remaining, _ = split_manual(get_driver(plan.platform).remediation(after, target))
            run.verified = progress.complete and after is not None and not run.remaining
            if not run.verified:
                why = None if not progress.complete else f"verification failed: {len(run.remaining)} command(s) still needed"
                left = leave(settings, plan.kind, plan.host, plan.platform, progress, plan.before, plan.intended, after,
                             plan.commit, why)
                run.recovery = left.summary()
                entry.detail["recovery_plan"] = left.path
            entry.result = "ok" if run.verified else f"failed: {stopped(progress) if not progress.complete else why}"
    status = Status.OK if run.verified else Status.SKIPPED if run.verified is None else Status.FAILED
    message = (f"{action}: {len(run.commands)} line(s) pushed, verified" if run.verified and run.commands
               else f"{action}: nothing to push" if run.verified else f"{action}: declined" if run.verified is None
               else f"{action} failed; plan {run.recovery['path'] if run.recovery else path}")
    on_event(Finished(DeviceResult(plan.host, status, message, "", begun, time.monotonic() - started, run)))
    return run
