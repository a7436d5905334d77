"""What a daily report holds: one record per section, JSON by ``to_dict``.

A section without data says why (``missing``) instead of showing zeros as if they
were measurements: a percentage is ``None`` when nothing was measured, a list of
findings is ``None`` when no check ran.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from netops.report.availability import DOWN, NODATA, Availability, campus_percent
from netops.report.options import Day, Maintenance, Slo

GREEN, AMBER, RED = "green", "amber", "red"


def iso(moment: float | dt.datetime | None, zone: dt.tzinfo) -> str | None:
    if moment is None:
        return None
    when = moment if isinstance(moment, dt.datetime) else dt.datetime.fromtimestamp(moment, dt.timezone.utc)
    return when.astimezone(zone).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Headline:
    status: str  # green, amber, red
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"status": self.status, "reason": self.reason}


@dataclass
class SiteAvailability:
    devices: list[Availability] = field(default_factory=list)  # switches, routers, controllers, standalone APs' peers
    aps: list[Availability] = field(default_factory=list)  # access points (controller-managed and standalone)
    unpolled: list[str] = field(default_factory=list)  # inventory hosts with no sample at all in the day

    @property
    def devices_percent(self) -> float | None:
        pct = campus_percent(self.devices)
        return None if pct is None else round(pct, 3)

    @property
    def aps_percent(self) -> float | None:
        pct = campus_percent(self.aps)
        return None if pct is None else round(pct, 3)

    def down(self) -> list[tuple[Availability, float, float]]:
        return [(e, i.start, i.end) for e in self.devices + self.aps for i in e.intervals(DOWN)]

    def to_dict(self, zone: dt.tzinfo) -> dict[str, Any]:
        def entity(e: Availability) -> dict[str, Any]:
            pct = e.percent
            return {"host": e.name, "kind": e.kind, "percent": None if pct is None else round(pct, 3),
                    "down_seconds": round(e.total(DOWN)), "no_data_seconds": round(e.total(NODATA))}

        return {
            "devices_percent": self.devices_percent, "aps_percent": self.aps_percent,
            "devices": len(self.devices), "aps": len(self.aps),
            "down": [{"host": e.name, "kind": e.kind, "from": iso(a, zone), "to": iso(b, zone), "seconds": round(b - a)}
                     for e, a, b in sorted(self.down(), key=lambda d: (d[1], d[0].name))],
            "below_100": [entity(e) for e in self.devices + self.aps if e.percent is not None and e.percent < 100.0],
            "no_data": [entity(e) for e in self.devices + self.aps if e.total(NODATA) > 0],
            "unpolled": self.unpolled,
        }


@dataclass(frozen=True)
class SsidClients:
    ssid: str
    peak: int
    peak_at: float
    series: tuple[tuple[float, int], ...]  # (time, clients summed over the campus' controllers)


@dataclass(frozen=True)
class Controller:
    host: str
    reachable: bool | None
    aps_up: int | None
    aps_down: int | None
    clients: int | None


@dataclass
class SiteWifi:
    aps_down: list[str] = field(default_factory=list)  # down at the end of the day
    ssids: list[SsidClients] = field(default_factory=list)
    controllers: list[Controller] = field(default_factory=list)

    def to_dict(self, zone: dt.tzinfo) -> dict[str, Any]:
        return {
            "aps_down": self.aps_down,
            "clients_per_ssid": [{"ssid": s.ssid, "peak": s.peak, "peak_at": iso(s.peak_at, zone)} for s in self.ssids],
            "controllers": [vars(c) for c in self.controllers],
        }


@dataclass
class SiteReport:
    name: str
    headline: Headline
    availability: SiteAvailability
    wifi: SiteWifi
    findings: dict[str, int] | None  # active findings by severity; None: no check run
    backups_failed: int
    backups_stale: int

    def to_dict(self, zone: dt.tzinfo) -> dict[str, Any]:
        return {"headline": self.headline.to_dict(), "availability": self.availability.to_dict(zone),
                "wifi": self.wifi.to_dict(zone), "findings": self.findings,
                "backups": {"failed": self.backups_failed, "stale": self.backups_stale}}


@dataclass(frozen=True)
class ConfigChange:
    host: str
    site: str
    time: str  # ISO 8601 in the report's zone
    commit: str
    diff: str  # redacted as stored; empty for a first backup
    first: bool

    @property
    def lines(self) -> tuple[int, int]:
        """(added, removed) lines of the diff."""
        body = [line for line in self.diff.splitlines() if not line.startswith(("+++", "---"))]
        return sum(line.startswith("+") for line in body), sum(line.startswith("-") for line in body)


@dataclass(frozen=True)
class VersionChange:
    """A device's (or a controller-listed AP's) software version changed: the facts of the day said so."""

    host: str
    site: str
    kind: str  # device, ap
    time: str  # ISO 8601 in the report's zone: when the facts that saw it were read
    old: str
    new: str
    controller: str | None = None  # an AP: the controller whose AP list said it


@dataclass(frozen=True)
class BackupOutcome:
    host: str
    site: str
    status: str  # ok (backed up today), failed, stale, never
    time: str | None  # the last attempt (failed) or the last good backup (ok, stale)
    reason: str | None = None


@dataclass(frozen=True)
class FindingRow:
    rule: str
    severity: str
    host: str
    site: str
    object: str
    message: str
    source: str  # policy or a probe

    def key(self) -> tuple[str, str, str]:
        return self.rule, self.host, self.object


@dataclass
class Compliance:
    run: dict[str, Any] | None  # the check run the day ends with (id, finished); None: none yet
    previous: dict[str, Any] | None  # the one the day started with
    active: list[FindingRow] = field(default_factory=list)
    new: list[FindingRow] = field(default_factory=list)
    resolved: list[FindingRow] = field(default_factory=list)
    waived: int = 0

    def by_severity(self, site: str | None = None) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.active:
            if site is None or f.site == site:
                out[f.severity] = out.get(f.severity, 0) + 1
        return out


@dataclass(frozen=True)
class WaiverExpiring:
    rule: str
    host: str | None
    object: str | None
    expires: dt.date
    reason: str
    file: str
    line: int


@dataclass(frozen=True)
class AlertEvent:
    time: str
    host: str
    kind: str
    subject: str
    severity: str
    message: str
    state: str  # raised, cleared, event (a reboot)


@dataclass(frozen=True)
class InterfacePeak:
    host: str
    site: str
    name: str
    error_rate: float | None  # errors per second, the day's highest
    utilisation: float | None  # percent of the link, the day's highest


@dataclass
class DailyReport:
    day: Day
    generated: dt.datetime
    slo: Slo
    down_after: int
    gap: float
    sites: dict[str, SiteReport]
    maintenance: list[Maintenance]
    config_changes: list[ConfigChange]
    backups: list[BackupOutcome]
    compliance: Compliance
    waivers_expiring: list[WaiverExpiring]
    alerts: list[AlertEvent]
    errors_top: list[InterfacePeak]
    utilisation_top: list[InterfacePeak]
    missing: dict[str, str] = field(default_factory=dict)  # section -> why it has no data
    version_changes: list[VersionChange] = field(default_factory=list)  # software upgrades and downgrades of the day

    @property
    def zone(self) -> dt.tzinfo:
        return self.day.start.tzinfo or dt.timezone.utc

    def to_dict(self) -> dict[str, Any]:
        zone = self.zone
        c = self.compliance

        def finding(f: FindingRow) -> dict[str, str]:
            return vars(f).copy()

        return {
            "date": self.day.date.isoformat(),
            "timezone": self.day.zone,
            "period": self.day.to_dict(),
            "generated": self.generated.astimezone(zone).isoformat(timespec="seconds"),
            "accounting": {"down_after_polls": self.down_after, "gap_seconds": self.gap,
                           "slo": vars(self.slo), "maintenance": [m.to_dict() for m in self.maintenance]},
            "sites": {name: site.to_dict(zone) for name, site in self.sites.items()},
            "config_changes": [vars(ch).copy() for ch in self.config_changes],
            "version_changes": [vars(v).copy() for v in self.version_changes],
            "backups": [vars(b).copy() for b in self.backups],
            "findings": {
                "run": c.run, "previous_run": c.previous,
                "active": None if c.run is None else [finding(f) for f in c.active],
                "by_severity": None if c.run is None else c.by_severity(),
                "new": None if c.run is None else [finding(f) for f in c.new],
                "resolved": None if c.run is None else [finding(f) for f in c.resolved],
                "probe": None if c.run is None else [finding(f) for f in c.active if f.source != "policy"],
                "waived": c.waived,
            },
            "waivers_expiring": [{**vars(w), "expires": w.expires.isoformat()} for w in self.waivers_expiring],
            "alerts": [vars(a).copy() for a in self.alerts],
            "interfaces": {"errors": [vars(i).copy() for i in self.errors_top],
                           "utilisation": [vars(i).copy() for i in self.utilisation_top]},
            "missing": self.missing,
        }
