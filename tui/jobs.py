"""Jobs started from the dashboard, and the messages their workers post back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from textual.message import Message

from netops.results import DeviceResult
from netops.services.state import Snapshot


@dataclass
class Job:
    """One run of backup / check / poll / restore / report / remediate over some devices."""

    id: int
    kind: str
    hosts: list[str]
    started: datetime
    rev: str | None = None  # restore: the revision
    rule: str | None = None  # remediate: the hardening rule
    reason: str | None = None  # a change's reason for the audit trail (None: NETOPS_REASON)
    results: dict[str, DeviceResult[Any]] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    finished: datetime | None = None
    error: str | None = None

    @property
    def title(self) -> str:
        target = self.hosts[0] if len(self.hosts) == 1 else f"{len(self.hosts)} devices"
        rev = f" to {self.rev}" if self.rev else ""
        rule = f" {self.rule}" if self.rule else ""
        return f"#{self.id} {self.kind} {target}{rev}{rule}"

    @property
    def state(self) -> str:
        if self.finished is None:
            return "running"
        return "error" if self.error else "done"


@dataclass(frozen=True)
class JobEvent:
    """Published on ``NetopsApp.job_signal``: a job started, devices finished, or the job ended."""

    job: Job
    lines: list[str]  # the log lines the event added
    updates: list[DeviceResult[Any]]  # devices that finished (empty: the job started or ended)


class SnapshotLoaded(Message):
    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self.snapshot = snapshot


class JobFinished(Message):
    def __init__(self, job_id: int, error: str | None) -> None:
        super().__init__()
        self.job_id = job_id
        self.error = error
