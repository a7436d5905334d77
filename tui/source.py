"""The interface between the dashboard and where its data comes from.

Every method blocks (disk, git, SQLite or network) and is only ever called from
a thread worker, never from the UI thread. The records are the service layer's
(:mod:`netops.services.state`); per-device job outcomes are netops'
:class:`netops.results.DeviceResult`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, Protocol

from netops.backup.restore import RestorePlan
from netops.results import DeviceResult
from netops.services.backup import Drift, Match
from netops.services.state import DeviceDetail, Interface, Snapshot

JobKind = Literal["backup", "check", "poll", "restore"]
JOB_KINDS: tuple[str, ...] = ("backup", "check", "poll")  # runnable on many devices
Report = Callable[[DeviceResult[Any]], None]


class Source(Protocol):
    def snapshot(self) -> Snapshot:
        """Everything the overview and list screens show."""
        ...

    def detail(self, host: str) -> DeviceDetail:
        """One device's facts, interfaces, backup history and findings."""
        ...

    def interfaces(self, host: str) -> tuple[Interface, ...]:
        """The device's interfaces with their latest counters and rates."""
        ...

    def diff(self, host: str, old: str, new: str) -> str:
        """Unified diff of the device's stored configuration between two revisions."""
        ...

    def drift(self, host: str) -> DeviceResult[Drift]:
        """The device's running configuration against its last backup, fetched now (nothing stored or pushed)."""
        ...

    def grep(self, pattern: str) -> list[Match]:
        """Every line of the latest backups that matches ``pattern`` (an extended regular expression)."""
        ...

    def restore_preview(self, host: str, rev: str) -> RestorePlan:
        """The commands a restore of ``host`` to ``rev`` would push now (nothing is changed)."""
        ...

    def run_job(self, kind: JobKind, hosts: list[str], report: Report, rev: str | None = None) -> None:
        """Run ``kind`` on ``hosts``, calling ``report`` once per device the moment it finishes.

        ``rev`` is the revision a restore goes back to.
        """
        ...
