"""The interface between the dashboard and where its data comes from.

Every method blocks (disk, git, SQLite or network) and is only ever called from
a thread worker, never from the UI thread. The records are the service layer's
(:mod:`netops.services.state`); per-device job outcomes are netops'
:class:`netops.results.DeviceResult`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any, Literal, Protocol

from netops.backup.offsite import RemoteState
from netops.backup.restore import RestorePlan
from netops.resilience.whatif import Impact
from netops.results import DeviceResult
from netops.services.alerts import Transition
from netops.services.audit import AuditLog, Verification
from netops.services.backup import Drift, Match
from netops.services.drill import DrState
from netops.services.engine import EngineState
from netops.services.resilience import Audit
from netops.services.schedule import Schedule
from netops.services.state import DeviceDetail, Interface, Snapshot

if TYPE_CHECKING:  # their modules load SNMP, nornir and the policy engine: only the worker that calls them imports them
    from netops.services.clients import ClientsResult
    from netops.services.privacy import PrivacyReport
    from netops.services.remediate import HostPlan
    from netops.services.snapshot import SnapshotDiff, StateSnapshot

JobKind = Literal["backup", "check", "poll", "facts", "restore", "report", "remediate", "snapshot"]
JOB_KINDS: tuple[str, ...] = ("backup", "check", "poll", "facts")  # runnable on many devices
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

    def remediate_preview(self, host: str, rule: str) -> HostPlan:
        """What ``netops remediate --rule RULE --host HOST`` would push now, planned from the live configuration
        (a dry run: nothing is changed; the audit trail records the dry run)."""
        ...

    def zone(self) -> tzinfo:
        """The time zone the secretariat reads times in (``timezone`` of netops.yaml)."""
        ...

    def audit_log(self) -> AuditLog:
        """Every record of the audit trail, oldest first."""
        ...

    def audit_verify(self) -> Verification:
        """The hash chain of the whole audit trail checked: intact, or the first record that was altered."""
        ...

    def clients(self, query: str) -> ClientsResult:
        """The controllers' clients matching ``query`` (a MAC, a user name or an IP address), read live, and the
        pseudonymised history's sightings of it. Clear identifiers are returned, never written anywhere."""
        ...

    def privacy(self) -> PrivacyReport:
        """What personal data netops holds, where, in what form and for how long; the safeguards (DPDP records)."""
        ...

    def state_snapshots(self) -> list[StateSnapshot]:
        """The stored snapshots of operational state (``netops snapshot list``), oldest first."""
        ...

    def state_diff(self, a: str, b: str) -> SnapshotDiff:
        """Snapshot ``a`` against ``b`` (``netops snapshot diff``): regressions and benign changes."""
        ...

    def engine(self) -> EngineState:
        """Where jobs run: this machine, or the distributed engine's broker and the workers that answer."""
        ...

    def run_job(self, kind: JobKind, hosts: list[str], on_result: OnResult, rev: str | None = None,
                rule: str | None = None, reason: str | None = None) -> None:
        """Run ``kind`` on ``hosts``, calling ``on_result`` once per device the moment it finishes.

        ``rev`` is the revision a restore goes back to; ``rule`` the hardening rule a ``remediate`` job fixes (its
        device's result carries the :class:`netops.services.remediate.HostPlan` as it ended); ``reason`` goes to
        the audit trail with a change (None: ``NETOPS_REASON``). A ``report`` job makes today's daily report (and
        mails it when ``report.mail`` says where) and reports one result for it. A ``snapshot`` job takes a snapshot
        of operational state of ``hosts`` named ``dashboard-<UTC stamp>`` (one result per device read).
        """
        ...
