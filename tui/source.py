"""The interface between the dashboard and where its data comes from.

Every method blocks (disk, git, SQLite or network) and is only ever called from
a thread worker, never from the UI thread. The records are the service layer's
(:mod:`netops.services.state`); per-device job outcomes are netops'
:class:`netops.results.DeviceResult`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, Protocol

from netops.backup.offsite import RemoteState
from netops.backup.restore import RestorePlan
from netops.resilience.whatif import Impact
from netops.results import DeviceResult
from netops.services.alerts import Transition
from netops.services.backup import Drift, Match
from netops.services.drill import DrState
from netops.services.resilience import Audit
from netops.services.schedule import Schedule
from netops.services.state import DeviceDetail, Interface, Snapshot

JobKind = Literal["backup", "check", "poll", "restore", "report"]
JOB_KINDS: tuple[str, ...] = ("backup", "check", "poll")  # runnable on many devices
OnResult = Callable[[DeviceResult[Any]], None]


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

    def alert_history(self, since: datetime) -> list[Transition]:
        """Every alert raised or cleared since ``since``, newest first, with its deliveries per target."""
        ...

    def offsite(self) -> list[RemoteState]:
        """Each off-site remote of the ``dr`` section: commits and time behind, last push; empty without remotes."""
        ...

    def dr(self) -> DrState:
        """Disaster recovery at a glance: the vault's coverage and the newest drill of each site."""
        ...

    def schedule(self) -> Schedule:
        """The jobs of the schedule, their next runs and whether they are installed."""
        ...

    def resilience(self, site: str | None) -> Audit:
        """The campus model of ``site`` (None: every site) from the latest backups: each device's state, the single
        points of failure with their impact, the redundancy findings."""
        ...

    def whatif(self, devices: list[str], links: list[str], site: str | None) -> Impact:
        """What stops working in ``site`` when ``devices`` and ``links`` (``A:IF-B:IF``) fail together; an unknown name
        raises :class:`netops.errors.InputError`."""
        ...

    def restore_preview(self, host: str, rev: str) -> RestorePlan:
        """The commands a restore of ``host`` to ``rev`` would push now (nothing is changed)."""
        ...

    def run_job(self, kind: JobKind, hosts: list[str], on_result: OnResult, rev: str | None = None) -> None:
        """Run ``kind`` on ``hosts``, calling ``on_result`` once per device the moment it finishes.

        ``rev`` is the revision a restore goes back to; a ``report`` job makes today's daily report (and mails it when
        ``report.mail`` says where) and reports one result for it.
        """
        ...
