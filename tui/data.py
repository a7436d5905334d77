"""The dashboard's :class:`tui.source.Source` on the netops service layer: nothing here but calls.

Snapshots and drill-downs come from :class:`netops.services.state.State`; jobs
run the same services the CLI runs, and every per-device result reaches the
dashboard the moment the service reports it. The services' modules load in
the first worker, so the first frame does not wait for them.
"""

from __future__ import annotations

import getpass

from netops.backup.restore import RestorePlan
from netops.backup.run import BackupOptions
from netops.inventory import Filters
from netops.results import DeviceResult
from netops.services import backup, check, poll, restore
from netops.services.backup import Drift, Match
from netops.services.events import Event, Finished
from netops.services.state import DeviceDetail, Interface, Snapshot, State
from netops.settings import Settings
from tui.source import JobKind, Report


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

    def restore_preview(self, host: str, rev: str) -> RestorePlan:
        return restore.plan(self.settings, host, rev)

    def run_job(self, kind: JobKind, hosts: list[str], report: Report, rev: str | None = None) -> None:
        wanted = set(hosts)

        def forward(event: Event) -> None:
            if isinstance(event, Finished) and event.result.host in wanted:
                report(event.result)

        selected = Filters.of(hosts=hosts)
        if kind == "backup":
            backup.run(self.settings, selected, BackupOptions(trigger=self.trigger), on_event=forward)
        elif kind == "check":
            check.run(self.settings, on_event=forward)
        elif kind == "poll":
            poll.once(self.settings, selected, on_event=forward)
        else:
            assert rev is not None and len(hosts) == 1
            restore.restore(self.settings, hosts[0], rev, trigger=self.trigger, on_event=forward)
