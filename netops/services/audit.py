"""The audit trail: read it (``netops audit log``, the dashboard), verify it, prune it; and the one way every other
service records its run or change (:func:`recorded`).

What is recorded, one record per run or change, at its end, with its result:

| action | by | target | detail |
|---|---|---|---|
| ``backup`` | ``netops backup`` | the filters (``site=jammu``) or ``all`` | devices, changed, failed, commit |
| ``check`` | ``netops check`` | ``all`` | run id, findings (active), hosts |
| ``poll`` | ``netops poll --once``; start and stop of ``poll --service`` | the filters | devices, failed |
| ``report`` | ``netops report`` | the day | format, sent to |
| ``drill`` | ``netops dr drill`` | the site | result |
| ``restore`` | ``netops restore`` (also ``--dry-run``) | the host | commit, commands pushed, manual steps |
| ``rebuild`` | ``netops restore --full`` (also ``--dry-run``) | the host | commit, commands (secrets redacted) |
| ``vault.rekey`` | ``netops vault rekey`` | ``vault`` | entries, recipients, commit |
| ``inventory.trust`` | ``netops inventory trust`` | the host | fingerprint |
| ``audit.prune`` | pruning the trail | | dropped, before |

A run that fails with an exception is recorded as ``failed: ...`` and the exception goes on; a run refused before
it started (bad input, another run holding the lock) is not a run and is not recorded. Changing commands check
first that the trail can be written (:func:`netops.audit.ready`) and refuse to push when it cannot; for everything
else a record that cannot be written is a warning on stderr and the run's own result stands.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netops import audit
from netops.audit import Problem, Record, Retention
from netops.errors import InputError, LockedError
from netops.settings import Settings

if TYPE_CHECKING:
    from netops.inventory import Filters
    from netops.results import RunResult


@dataclass
class Entry:
    """What a run fills in before its record is written (see :func:`recorded`)."""

    target: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    result: str = "ok"
    reason: str | None = None
    skip: bool = False  # nothing ran after all: write no record


@contextmanager
def recorded(settings: Settings, action: str, target: str = "", *, reason: str | None = None,
             changing: bool = False) -> Iterator[Entry]:
    """Record ``action`` once the block ends, with what it set on the :class:`Entry` it yields; an exception is
    recorded as ``failed: ...`` and raised on (bad input and lock refusals are not recorded: nothing ran).

    ``changing=True`` (restore, rebuild, remediate): refuse with :class:`netops.audit.AuditError` before anything is
    pushed when the trail cannot be written. A final record that cannot be written is a warning on stderr: the
    change has happened, and its result is what the caller must see.
    """
    if changing:
        audit.ready(settings.data_dir)
    entry = Entry(target=target, reason=reason)
    try:
        yield entry
    except (InputError, LockedError):
        raise
    except BaseException as exc:
        entry.result = _failure(exc)
        audit.record(settings.data_dir, action, target=entry.target, detail=entry.detail, result=entry.result,
                     reason=entry.reason)
        raise
    if not entry.skip:
        audit.record(settings.data_dir, action, target=entry.target, detail=entry.detail, result=entry.result,
                     reason=entry.reason)


def _failure(exc: BaseException) -> str:
    """How a run that raised ends in the trail: ``declined`` (the confirmation was refused), ``interrupted``, or
    ``failed: <the error's first line>``."""
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    if type(exc).__name__ == "Abort":  # click's answer "no" to a confirmation
        return "declined"
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return f"failed: {text[:300]}"


def scope(filters: Filters | None) -> str:
    """``all``, or the filters as written: ``site=jammu role=access host=jmu-*``."""
    if filters is None:
        return "all"
    parts = [f"{name}={','.join(values)}" for name, values in (("site", filters.sites), ("role", filters.roles),
                                                                ("platform", filters.platforms),
                                                                ("host", filters.hosts)) if values]
    return " ".join(parts) or "all"


def outcome(run: RunResult[Any]) -> str:
    """``ok``, or ``failed: 2 of 40 device(s) (jmu-acc-3, srn-acc-1)``."""
    failed = run.failed
    if not failed:
        return "ok"
    names = ", ".join(r.host for r in failed[:5]) + (", ..." if len(failed) > 5 else "")
    return f"failed: {len(failed)} of {len(run.results)} device(s) ({names})"


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class AuditLog:
    """The records a query selected, oldest first."""

    path: Path
    records: list[Record]
    total: int  # records in the log

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "total": self.total, "records": [r.to_view() for r in self.records]}


def log(settings: Settings, since: datetime | None = None, host: str | None = None, action: str | None = None,
        user: str | None = None) -> AuditLog:
    """The records at or after ``since`` whose target is ``host`` (wildcards; a run over ``site=...`` is not a
    host), whose action is ``action`` (``restore`` also matches ``restore.*``; wildcards), or by ``user``; oldest first."""
    every = [r for r in audit.read(settings.data_dir) if not r.anchor]
    chosen = [
        r for r in every
        if (since is None or r.when >= since)
        and (host is None or fnmatchcase(r.target, host))
        and (action is None or fnmatchcase(r.action, action) or r.action.startswith(action + "."))
        and (user is None or user in (r.user, r.sudo_user))
    ]
    return AuditLog(audit.log_path(settings.data_dir), chosen, len(every))


@dataclass(frozen=True)
class Verification:
    path: Path
    records: int
    first: int | None  # the oldest record still held (after pruning, the anchor's next)
    last: int | None
    problems: list[Problem]

    @property
    def intact(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "intact": self.intact, "records": self.records, "first": self.first,
                "last": self.last, "problems": [p.to_dict() for p in self.problems]}


def verify(settings: Settings) -> Verification:
    """Check the chain of the whole log: [] problems when no record was edited, deleted, inserted or reordered."""
    problems = audit.verify(settings.data_dir)
    records = [r for r in audit.read(settings.data_dir) if not r.anchor]
    return Verification(audit.log_path(settings.data_dir), len(records), records[0].seq if records else None,
                        records[-1].seq if records else None, problems)


def retention(settings: Settings) -> Retention:
    """``audit.retention`` (default 180 days; shorter only with ``audit.allow_short_retention: true``)."""
    return audit.retention(settings.section("audit"))


def prune(settings: Settings) -> int:
    """Drop the records older than ``audit.retention``; how many were dropped (the chain still verifies)."""
    kept = retention(settings)
    return audit.prune(settings.data_dir, kept.days, allow_short=kept.allow_short)
