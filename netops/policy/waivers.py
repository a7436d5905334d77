"""Waivers: accepted exceptions that expire, applied by one pure function.

:func:`apply` gives every finding its waiver state (new objects; the input is
never changed); :func:`notices` says which waivers expired or match nothing.
Every run that reports findings (``netops check``, each probe) calls both once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from netops.policy.findings import Finding, Notice
from netops.policy.policy import Waiver


def _target(waiver: Waiver) -> str:
    parts = [waiver.rule, waiver.host or "every host"]
    if waiver.object:
        parts.append(waiver.object)
    return " / ".join(parts)


def apply(waivers: Sequence[Waiver], findings: Iterable[Finding], today: dt.date) -> tuple[list[Finding], set[int]]:
    """Each finding with the waiver that covers it (waived until the waiver expires); the indices of the
    waivers that matched a finding."""
    used: set[int] = set()
    out: list[Finding] = []
    for finding in findings:
        waiver, waived = None, False
        for i, candidate in enumerate(waivers):
            if not candidate.covers(finding.rule, finding.host, finding.object):
                continue
            used.add(i)
            waiver = candidate.describe()
            if not candidate.expired(today):
                waived = True
                break
        out.append(finding.waive(waiver, waived))
    return out, used


def _notice(kind: str, message: str, waiver: Waiver) -> Notice:
    """A notice about ``waiver``, located where the waiver is written."""
    return Notice(kind, message, host=waiver.host, rule=waiver.rule, file=waiver.file, line=waiver.line)


def notices(waivers: Sequence[Waiver], used: set[int], today: dt.date, checked: set[str]) -> list[Notice]:
    """Expired waivers (their findings are active again) and stale ones: a waiver is stale when it matched
    nothing although its host (``checked``) was looked at."""
    out = []
    for i, waiver in enumerate(waivers):
        if waiver.expired(today):
            active = "; its findings are active again" if i in used else ""
            out.append(_notice("waiver-expired",
                               f"waiver {_target(waiver)} expired on {waiver.expires.isoformat()}{active} ({waiver.reason})", waiver))
        elif i not in used and (waiver.host is None or waiver.host in checked):
            out.append(_notice("waiver-stale", f"waiver {_target(waiver)} matches no finding: remove it ({waiver.reason})", waiver))
    return out
