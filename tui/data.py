"""The dashboard's :class:`tui.source.Source` on the netops service layer: nothing here but calls.

Snapshots and drill-downs come from :class:`netops.services.state.State`; jobs
run the same services the CLI runs, and every per-device result reaches the
dashboard the moment the service reports it. The services' modules load in
the first worker, so the first frame does not wait for them.
"""

from __future__ import annotations

import getpass
import time
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from netops.backup.offsite import RemoteState
from netops.backup.restore import RestorePlan
from netops.backup.run import BackupOptions
from netops.inventory import Filters
from netops.resilience.whatif import Impact
from netops.results import DeviceResult, Status
from netops.services import alerts, audit, backup, check, drill, engine, poll, report, resilience, restore, schedule
from netops.services.alerts import Transition
from netops.services.audit import AuditLog, Verification
from netops.services.backup import Drift, Match
from netops.services.drill import DrState
from netops.services.engine import EngineState
from netops.services.events import Event, Finished
from netops.services.resilience import Audit, ResilienceOptions
from netops.services.schedule import Schedule
from netops.services.state import DeviceDetail, Interface, Snapshot, State
from netops.settings import Settings
from tui.source import JobKind, OnResult

if TYPE_CHECKING:
    from netops.services.clients import ClientsResult
    from netops.services.privacy import PrivacyReport
    from netops.services.remediate import HostPlan
    from netops.services.snapshot import SnapshotDiff, StateSnapshot


class NetopsSource:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.state = State(settings)
        self.trigger = f"{getpass.getuser()} (dashboard)"

    def snapshot(self) -> Snapshot:
        return self.state.snapshot()

    def detail(self, host: str) -> DeviceDetail:
        return self.state.detail(host)

    def interfaces(self, host: str) -> tuple[Interface, ...]:
        return self.state.interfaces(host)

    def diff(self, host: str, old: str, new: str) -> str:
        return backup.diff(self.settings, host, old, new)[2]

    def drift(self, host: str) -> DeviceResult[Drift]:
        [result] = backup.drift(self.settings, Filters.of(hosts=[host]))
        return result

    def grep(self, pattern: str) -> list[Match]:
        return backup.grep(self.settings, pattern)

    def alert_history(self, since: datetime) -> list[Transition]:
        return alerts.history(self.settings, since)

    def offsite(self) -> list[RemoteState]:
        return backup.remotes(self.settings)

    def dr(self) -> DrState:
        return drill.state(self.settings)

    def schedule(self) -> Schedule:
        return schedule.show(self.settings)

    def engine(self) -> EngineState:
        return engine.state(self.settings)

    def resilience(self, site: str | None) -> Audit:
        return resilience.run_audit(self.settings, ResilienceOptions(site=site))

    def whatif(self, devices: list[str], links: list[str], site: str | None) -> Impact:
        return resilience.run_whatif(self.settings, devices, links, ResilienceOptions(site=site))

    def restore_preview(self, host: str, rev: str) -> RestorePlan:
        return restore.plan(self.settings, host, rev)

    def remediate_preview(self, host: str, rule: str) -> HostPlan:
        from netops.services.remediate import RemediateOptions, remediate

        [plan] = remediate(self.settings, RemediateOptions(rules=(rule,), hosts=(host,), dry_run=True), trigger=self.trigger).plans
        return plan

    def zone(self) -> tzinfo:
        return self.settings.zone

    def audit_log(self) -> AuditLog:
        return audit.log(self.settings)

    def audit_verify(self) -> Verification:
        return audit.verify(self.settings)

    def clients(self, query: str) -> ClientsResult:
        from netops.services.clients import ClientsOptions, live

        return live(self.settings, ClientsOptions(find=query))

    def privacy(self) -> PrivacyReport:
        from netops.services import privacy

        return privacy.report(self.settings)

    def state_snapshots(self) -> list[StateSnapshot]:
        from netops.services import snapshot

        return snapshot.listing(self.settings)

    def state_diff(self, a: str, b: str) -> SnapshotDiff:
        from netops.services import snapshot

        return snapshot.diff(self.settings, a, b)

    def run_job(self, kind: JobKind, hosts: list[str], on_result: OnResult, rev: str | None = None,
                rule: str | None = None, reason: str | None = None) -> None:
        wanted = set(hosts)

        def forward(event: Event) -> None:
            if isinstance(event, Finished) and event.result.host in wanted:
                on_result(event.result)

        selected = Filters.of(hosts=hosts)
        if kind == "backup":
            backup.run(self.settings, selected, BackupOptions(trigger=self.trigger), on_event=forward)
        elif kind == "check":
            check.run(self.settings, on_event=forward)
        elif kind == "poll":
            poll.once(self.settings, selected, on_event=forward)
        elif kind == "facts":
            from netops.services import facts

            facts.run(self.settings, selected, on_event=forward)
        elif kind == "report":
            on_result(self._report(hosts[0]))
        elif kind == "snapshot":
            from netops.services import snapshot

            snapshot.take(self.settings, f"dashboard-{snapshot.stamp()}", selected, origin="dashboard", on_event=forward)
        elif kind == "remediate":
            from netops.services.remediate import RemediateOptions, remediate

            assert rule is not None
            remediate(self.settings, RemediateOptions(rules=(rule,), hosts=tuple(hosts), reason=reason), trigger=self.trigger,
                      on_event=forward)
        else:
            assert rev is not None and len(hosts) == 1
            restore.restore(self.settings, hosts[0], rev, trigger=self.trigger, on_event=forward, reason=reason)

    def _report(self, name: str) -> DeviceResult[Any]:
        """Today's report kept in the report directory, and mailed when report.mail says where."""
        began = time.monotonic()
        daily = report.daily(self.settings)
        mail = report.options(self.settings).mail
        if mail.missing():
            files = report.keep(self.settings, daily, ("html", "pdf", "json"))
            reason = f"kept in {files[0].parent} (not mailed: report.mail is not set up)"
        else:
            sent = report.send_report(self.settings, daily, mail)
            reason = f"sent to {', '.join(sent.delivery.recipients)}; kept in {sent.files[0].parent}"
        states = ", ".join(f"{site} {state.headline.status}" for site, state in daily.sites.items())
        return DeviceResult(name, Status.OK, f"{states}; {reason}", elapsed=time.monotonic() - began)
