"""Waivers: accepted exceptions that expire."""

from __future__ import annotations

import datetime as dt

from netops.policy.findings import Finding, Notice
from netops.policy.policy import Policy, Waiver


def _target(waiver: Waiver) -> str:
    parts = [waiver.rule, waiver.host or "every host"]
    if waiver.object:
        parts.append(waiver.object)
    return " / ".join(parts)


def waive(policy: Policy, findings: list[Finding], today: dt.date) -> set[int]:
    """Mark the findings a waiver covers (waived until it expires), and only those; the indices of the
    waivers that matched."""
    used: set[int] = set()
    for finding in findings:
        finding.waived, finding.waiver = False, None
        for i, waiver in enumerate(policy.waivers):
            if not waiver.covers(finding.rule, finding.host, finding.object):
                continue
            used.add(i)
            finding.waiver = waiver.describe()
            if not waiver.expired(today):
                finding.waived = True
                break
    return used


def apply_waivers(policy: Policy, findings: list[Finding], today: dt.date, checked: set[str]) -> list[Notice]:
    """Mark waived findings; report expired waivers (their findings stay active) and stale ones.

    A waiver is stale when it matched nothing although its host (``checked``) was checked.
    """
    used = waive(policy, findings, today)
    notices = []
    for i, waiver in enumerate(policy.waivers):
        where = {"rule": waiver.rule, "host": waiver.host, "file": policy.file, "line": waiver.line}
        if waiver.expired(today):
            active = "; its findings are active again" if i in used else ""
            notices.append(
                Notice("waiver-expired", f"waiver {_target(waiver)} expired on {waiver.expires.isoformat()}{active} ({waiver.reason})", **where)
            )
        elif i not in used and (waiver.host is None or waiver.host in checked):
            notices.append(Notice("waiver-stale", f"waiver {_target(waiver)} matches no finding: remove it ({waiver.reason})", **where))
    return notices
