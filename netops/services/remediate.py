"""``netops remediate``: push the fixes of the hardening findings (``kind: lines`` rules), then re-check.

For every selected host: fetch the LIVE running configuration (guarded and cleaned like a backup), check it
against the policy's ``lines`` rules (waivers apply: a waived finding is not fixed), gather the fix commands of
the selected findings, split off what netops must never push (manual rules, secrets, the REDACTED marker), ask
once, push through restore's push path (:func:`netops.backup.restore.push_commands`: the driver's push, which
saves), fetch again and re-check. A host whose plan cannot be built gets nothing pushed; a failed host never
stops the others. Runs under the ``backup`` lock, like restore; every host's outcome is in the audit trail.
The operational state of the hosts pushed to is snapshotted before the first push and after the last re-check
(``remediate-<UTC stamp>-before``/``-after``, :func:`netops.services.snapshot.around`) and the diff is in the run.
A push that stops (a line refused, the connection lost) or after which findings remain leaves a recovery plan
(:mod:`netops.services.recovery`): the lines applied, the one that failed, those not sent, and the lines to
finish (``netops remediate --resume PLAN``) or roll back (``--rollback PLAN``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from nornir.core import Nornir

from netops.backup.fetch import FetchOptions
from netops.backup.manual import split_manual
from netops.backup.restore import fetch_current, push_commands, read_back
from netops.errors import InputError, NetopsError, unknown
from netops.inventory import Filters, open_nornir
from netops.inventory.hosts import HostInfo
from netops.locks import job_lock
from netops.policy import waivers
from netops.policy.configs import parse_texts
from netops.policy.engine import check
from netops.policy.findings import Finding
from netops.policy.policy import Policy
from netops.results import DeviceResult, Status
from netops.services import inventory, recovery, snapshot
from netops.services.audit import recorded
from netops.services.check import policy as load_policy
from netops.services.events import Finished, Listener, Started, ignore
from netops.settings import Settings


@dataclass(frozen=True)
class RemediateOptions:
    rules: tuple[str, ...] = ()  # rule ids (empty: every lines rule)
    hosts: tuple[str, ...] = ()  # host names (empty: every host a lines rule applies to)
    dry_run: bool = False  # plan and show; push nothing
    reason: str | None = None  # kept in the audit trail (default NETOPS_REASON)
    fetch: FetchOptions = field(default_factory=FetchOptions)
    today: dt.date | None = None  # waiver expiry reference
    snapshots: bool = True  # snapshot the pushed hosts' state before and after (netops snapshot) and diff them


@dataclass
class HostPlan:
    """What remediate does on one host, and how it ended."""

    host: str
    platform: str
    findings: list[dict[str, Any]] = field(default_factory=list)  # rule, object, line, message of each finding fixed
    commands: list[str] = field(default_factory=list)  # what is (or would be) pushed
    manual: list[str] = field(default_factory=list)  # what needs a human (never pushed)
    pushed: bool = False
    remaining: list[dict[str, Any]] = field(default_factory=list)  # selected findings still active after the push
    error: str | None = None  # why nothing (more) was done on this host
    push: dict[str, Any] | None = None  # how far the push went: applied, failed, error, not_sent
    recovery: dict[str, Any] | None = None  # the plan to finish or roll back a push that stopped or left findings

    @property
    def status(self) -> str:
        if self.error:
            return "failed"
        if self.pushed:
            return "fixed" if not self.remaining else "incomplete"
        return "planned" if self.commands else "nothing to push"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"status": self.status}


@dataclass
class RemediateRun:
    plans: list[HostPlan]
    dry_run: bool
    state: dict[str, Any] | None = None  # the snapshots before and after the pushes and their diff (netops snapshot)

    @property
    def failed(self) -> list[HostPlan]:
        return [p for p in self.plans if p.status in ("failed", "incomplete")]

    def to_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "hosts": [p.to_dict() for p in self.plans], "state": self.state}


Confirm = Callable[[list[HostPlan]], bool]  # shown every host's plan; True: push them


def _summary(finding: Finding) -> dict[str, Any]:
    return {"rule": finding.rule, "object": finding.object, "line": finding.line, "message": finding.message}


def _selected_policy(settings: Settings, rules: Sequence[str]) -> Policy:
    loaded = load_policy(settings)
    lines = [r for r in loaded.rules if r.kind == "lines"]
    known = {r.id: r for r in lines}
    for rule in rules:
        if rule not in known:
            raise unknown("hardening rule (kind: lines)", rule, known, key="--rule")
    chosen = [known[r] for r in rules] if rules else lines
    return Policy(files=loaded.files, zones=loaded.zones, rules=chosen, waivers=loaded.waivers)


def _findings(policy: Policy, hosts: dict[str, HostInfo], host: str, text: str, today: dt.date) -> list[Finding]:
    """The active (unwaived) findings of ``policy`` on one host's configuration ``text``."""
    parsed, notices = parse_texts(hosts, [(host, f"live:{host}", text)])
    if host not in parsed:
        raise NetopsError(notices[0].message if notices else f"{host}: configuration not parsed")
    found, _ = waivers.apply(policy.waivers, check(policy, hosts, parsed).findings, today)
    return [f for f in found if not f.waived]


def _plan(host: HostInfo, found: list[Finding]) -> HostPlan:
    commands: list[str] = []
    for finding in found:
        if len(finding.fix) == 1 and finding.fix[0] in commands:
            continue  # one global command another finding's fix already has
        commands += finding.fix
    push, manual = split_manual(commands)
    return HostPlan(host.name, host.platform, [_summary(f) for f in found], push, manual)


def _targets(settings: Settings, policy: Policy, names: Sequence[str]) -> dict[str, HostInfo]:
    """The hosts to remediate: those named (each must exist), else every SSH-managed host a rule selects."""
    every = inventory.hosts(settings)
    for name in names:
        if name not in every:
            raise unknown("host", name, every, key="--host")
    chosen = {n: every[n] for n in names} if names else {
        n: h for n, h in every.items()
        if h.ssh_managed and any(all(c.matches(h) for c in r.host_match) for r in policy.rules)
    }
    return chosen


def remediate(settings: Settings, options: RemediateOptions, confirm: Confirm | None = None, trigger: str = "netops",
              on_event: Listener = ignore) -> RemediateRun:
    """Plan every selected host from its live configuration; unless ``dry_run``, ask ``confirm`` (None: yes),
    push, save, fetch and re-check. Never raises for one host: its plan carries the error."""
    policy = _selected_policy(settings, options.rules)
    if not policy.rules:
        raise InputError("the policy has no hardening rules (kind: lines)", key="--rule")
    targets = _targets(settings, policy, options.hosts)
    if not targets:
        raise InputError("no host to remediate: no hardening rule selects an SSH-managed host", key="--host")
    every = inventory.hosts(settings)
    today = options.today or dt.date.today()
    nr = open_nornir(settings, Filters.of(hosts=list(targets)))
    plans: list[HostPlan] = []
    texts: dict[str, str] = {}
    with job_lock(settings.data_dir, "backup", f"netops remediate ({trigger})"):
        on_event(Started("remediate", tuple(targets)))
        for name, host in targets.items():
            try:
                texts[name] = fetch_current(nr, name, options.fetch)
                plans.append(_plan(host, _findings(policy, every, name, texts[name], today)))
            except Exception as exc:  # one host's failure never stops the others; nothing is pushed there
                plans.append(HostPlan(name, host.platform, error=f"plan not built: {exc}"))
        pushing = [p for p in plans if p.commands and not p.error]
        if options.dry_run or not pushing or (confirm is not None and not confirm(plans)):
            for plan in plans:
                _record(settings, options, plan, trigger, "dry run" if options.dry_run else "declined" if pushing else "")
                _report(plan, on_event)
            return RemediateRun(plans, dry_run=True)
        with snapshot.around(settings, "remediate", [p.host for p in pushing], "remediate",
                             enabled=options.snapshots) as states:
            for plan in plans:
                if plan in pushing:
                    _apply(settings, options, nr, policy, every, plan, texts[plan.host], today, trigger)
                else:
                    _record(settings, options, plan, trigger, "")
                _report(plan, on_event)
    return RemediateRun(plans, dry_run=False, state=states.to_dict() if options.snapshots else None)


def _apply(settings: Settings, options: RemediateOptions, nr: Nornir, policy: Policy, every: dict[str, HostInfo],
           plan: HostPlan, before: str, today: dt.date, trigger: str) -> None:
    """Push one host's plan, fetch again and re-check; the audit record names the commands applied and the result.
    A push that stops, or findings that remain, leave a recovery plan."""
    try:
        with recorded(settings, "remediate", plan.host, reason=options.reason, changing=True) as entry:
            entry.detail = {"trigger": trigger, "commands": [], "manual": plan.manual,
                            "rules": sorted({f["rule"] for f in plan.findings})}
            progress = push_commands(nr, plan.host, plan.platform, plan.commands, options.fetch)
            plan.push = progress.to_dict()
            plan.pushed = progress.complete
            entry.detail |= {"commands": progress.applied, "push": progress.stop()}
            if not progress.complete:
                plan.error = recovery.stopped(progress)
                after = read_back(nr, plan.host, options.fetch)
                why = None
            else:
                after = fetch_current(nr, plan.host, options.fetch)
                fixed = {(f["rule"], f["object"]) for f in plan.findings}
                plan.remaining = [_summary(f) for f in _findings(policy, every, plan.host, after, today)
                                  if (f.rule, f.object) in fixed and f.fix and not all(c.startswith("! manual: ") for c in f.fix)]
                entry.detail["remaining"] = plan.remaining
                why = f"verification failed: {len(plan.remaining)} finding(s) remain"
            if plan.error or plan.remaining:
                left = recovery.leave(settings, "remediate", plan.host, plan.platform, progress, before, None, after,
                                      reason=why)
                plan.recovery = left.summary()
                entry.detail["recovery_plan"] = left.path
            entry.result = "ok" if not plan.error and not plan.remaining else f"failed: {plan.error or why}"
    except Exception as exc:
        plan.error = f"{'push' if not plan.pushed else 'verification'} failed: {exc}"


def _record(settings: Settings, options: RemediateOptions, plan: HostPlan, trigger: str, result: str) -> None:
    """The audit record of a host where nothing was pushed (dry run, declined, nothing to push, plan failed)."""
    outcome = f"failed: {plan.error}" if plan.error else f"ok: {result or plan.status}"
    with recorded(settings, "remediate", plan.host, reason=options.reason) as entry:
        entry.detail = {"trigger": trigger, "commands": [], "planned": plan.commands, "manual": plan.manual}
        entry.result = outcome


def _report(plan: HostPlan, on_event: Listener) -> None:
    status = {"failed": Status.FAILED, "incomplete": Status.FAILED, "fixed": Status.OK}.get(plan.status, Status.SKIPPED)
    reason = plan.error or (f"{plan.status}: {len(plan.commands)} command(s), {len(plan.manual)} manual, "
                            f"{len(plan.remaining)} finding(s) remain")
    on_event(Finished(DeviceResult(plan.host, status, reason, "", dt.datetime.now(dt.timezone.utc), 0.0, plan)))
