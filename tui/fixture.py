"""A :class:`tui.source.Source` read from one JSON file.

For snapshot tests, screenshots in the docs and demos without a lab: the same
file always renders the same screen. Jobs take ``job_delay`` seconds per device
(and report exactly that as the elapsed time) with the status the file gives
for that host (``ok`` otherwise).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from netops import defaults
from netops.backup.offsite import LastPush, RemoteState
from netops.backup.restore import RestorePlan
from netops.notify.model import Alert as AlertTransition
from netops.policy.findings import Detail, Finding
from netops.policy.policy import Waiver
from netops.results import DeviceResult, Status
from netops.services import schedule
from netops.services.alerts import TargetDelivery, Transition
from netops.services.backup import Drift, Match
from netops.services.drill import DrillSummary, DrState
from netops.services.report import ReportStatus
from netops.services.schedule import Schedule
from netops.services.state import (
    AccessPoint,
    Alert,
    Cabling,
    Device,
    DeviceDetail,
    Interface,
    Revision,
    Snapshot,
    Ssid,
)
from netops.settings import Settings
from tui.source import JobKind, OnResult


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _dated(raw: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: (_when(v) if k in keys else v) for k, v in raw.items()}


def _finding(raw: dict[str, Any]) -> Finding:
    return Finding(**(raw | {"details": tuple(Detail(**d) for d in raw["details"])}))


class FixtureSource:
    def __init__(self, path: Path, job_delay: float = 0.0) -> None:
        self.raw = json.loads(Path(path).read_text(encoding="utf-8"))
        self.job_delay = job_delay

    def snapshot(self) -> Snapshot:
        r = self.raw
        return Snapshot(
            taken=_when(r["taken"]),  # type: ignore[arg-type]
            devices=tuple(Device(**_dated(d, "last_backup")) for d in r.get("devices", [])),
            findings=tuple(_finding(f) for f in r.get("findings", [])),
            waivers=tuple(Waiver(**(w | {"expires": dt.date.fromisoformat(w["expires"])})) for w in r.get("waivers", [])),
            ssids=tuple(Ssid(**(s | {"vlans": tuple(s["vlans"]), "bands": tuple(s.get("bands", ()))})) for s in r.get("ssids", [])),
            aps=tuple(AccessPoint(**a) for a in r.get("aps", [])),
            cabling=tuple(
                Cabling(**(c | {"port_vlans": tuple(c["port_vlans"]), "wlan_vlans": tuple(c["wlan_vlans"])}))
                for c in r.get("cabling", [])
            ),
            alerts=tuple(Alert(**_dated(a, "since")) for a in r.get("alerts", [])),
            missing=dict(r.get("missing", {})),
            check_run=r.get("check_run", 1),
            report=self._report_status(),
        )

    def _report_status(self) -> ReportStatus:
        """The fixture's day: the report not sent yet, due at 19:00 IST."""
        zone = ZoneInfo("Asia/Kolkata")
        taken = _when(self.raw["taken"])
        assert taken is not None
        day = taken.astimezone(zone).date()
        deadline = dt.datetime.combine(day, dt.time(19, 0), tzinfo=zone)
        return ReportStatus(day, deadline, None, None, taken >= deadline)

    def detail(self, host: str) -> DeviceDetail:
        snap = self.snapshot()
        device = next(d for d in snap.devices if d.name == host)
        raw = self.raw.get("details", {}).get(host, {})
        return DeviceDetail(
            device=device,
            facts=dict(raw.get("facts", {})),
            interfaces=self.interfaces(host),
            revisions=tuple(Revision(**_dated(r, "date")) for r in raw.get("revisions", [])),
            findings=tuple(f for f in snap.findings if f.host == host),
            missing=dict(raw.get("missing", {})),
        )

    def interfaces(self, host: str) -> tuple[Interface, ...]:
        raw = self.raw.get("details", {}).get(host, {})
        return tuple(Interface(**i) for i in raw.get("interfaces", []))

    def diff(self, host: str, old: str, new: str) -> str:
        configs = self.raw["details"][host]["configs"]
        lines = difflib.unified_diff(
            configs[old].splitlines(keepends=True), configs[new].splitlines(keepends=True),
            fromfile=f"{host}@{old}", tofile=f"{host}@{new}",
        )
        return "".join(lines)

    def _latest(self, host: str) -> str | None:
        raw = self.raw.get("details", {}).get(host, {})
        revisions = raw.get("revisions", [])
        return raw.get("configs", {}).get(revisions[0]["rev"]) if revisions else None

    def drift(self, host: str) -> DeviceResult[Drift]:
        """The fixture's ``running`` text of the device against its newest revision."""
        stored, running = self._latest(host), self.raw.get("details", {}).get(host, {}).get("running")
        if stored is None:
            return DeviceResult(host, Status.FAILED, "no backup to compare with", payload=Drift(None))
        text = "".join(difflib.unified_diff(stored.splitlines(keepends=True), (running or stored).splitlines(keepends=True),
                                            fromfile=f"{host} (last backup)", tofile=f"{host} (running)"))
        return DeviceResult(host, Status.CHANGED if text else Status.UNCHANGED, payload=Drift(text))

    def grep(self, pattern: str) -> list[Match]:
        found = re.compile(pattern)
        sites = {d.name: d.site for d in self.snapshot().devices}
        return [Match(host, sites.get(host, ""), number, line, f"{sites.get(host, '')}/{host}.cfg")
                for host in sorted(self.raw.get("details", {})) if (text := self._latest(host)) is not None
                for number, line in enumerate(text.splitlines(), 1) if found.search(line)]

    def alert_history(self, since: datetime) -> list[Transition]:
        """The fixture's ``alert_history`` transitions (time, state, severity, host, kind, message, deliveries)."""
        out = []
        for n, raw in enumerate(self.raw.get("alert_history", []), 1):
            when = _when(raw["time"])
            assert when is not None
            if when < since:
                continue
            alert = AlertTransition(raw.get("source", "snmp"), raw["kind"], raw["host"], raw.get("subject", raw["host"]), raw["severity"],
                          raw["state"], raw["message"], when)
            sent = tuple(TargetDelivery(d["target"], d["status"], d.get("attempts", 1), when if d["status"] == "sent" else None,
                                        d.get("error"), d.get("digest", False)) for d in raw.get("deliveries", []))
            out.append(Transition(n, alert, sent))
        return sorted(out, key=lambda t: t.alert.time, reverse=True)

    def offsite(self) -> list[RemoteState]:
        """The fixture's ``offsite`` list (none in the default data set)."""
        out = []
        for r in self.raw.get("offsite", []):
            pushes = {k: LastPush(**_dated(r[k], "time")) if r.get(k) else None for k in ("last_push", "last_success")}
            out.append(RemoteState(**(_dated(r, "oldest_missing") | pushes)))
        return out

    def dr(self) -> DrState:
        """The fixture's ``dr`` entry (none in the default data set: the vault off, no drill)."""
        raw = self.raw.get("dr", {})
        drills = tuple(DrillSummary(**(d | {"finished": _when(d["finished"]), "evidence": Path(d["evidence"])}))
                       for d in raw.get("drills", []))
        return DrState(bool(raw.get("vault_on")), raw.get("stored", 0), raw.get("devices", 0), raw.get("flagged", 0), drills)

    def schedule(self) -> Schedule:
        """The built-in schedule at the fixture's time, installed nowhere (no unit directory, an empty crontab)."""
        builtin = Settings.resolve(env={}, config=defaults.path("netops.yaml"))
        return schedule.show(builtin, unit_dir=Path("/nonexistent/netops-fixture"), crontab_file=Path("/nonexistent/crontab"),
                             now=_when(self.raw["taken"]), netops_command=("netops",))

    def restore_preview(self, host: str, rev: str) -> RestorePlan:
        raw = self.raw["details"][host].get("restore", {})
        return RestorePlan(host, "cisco_xe", rev, list(raw.get("commands", [])), list(raw.get("manual", [])))

    def run_job(self, kind: JobKind, hosts: list[str], on_result: OnResult, rev: str | None = None) -> None:
        outcomes = self.raw.get("jobs", {}).get(kind, {})
        for host in hosts:
            time.sleep(self.job_delay)
            status, reason = outcomes.get(host, ["ok", None])
            on_result(DeviceResult(host, Status(status), reason, elapsed=self.job_delay))
