"""The ``report`` section of ``netops.yaml`` as typed options, and the day a report covers.

A report day is the 24 hours that end at the report time (``schedule.report.at``,
18:30 by default) in the configured time zone, whatever the server's clock zone:
the report of 2026-12-04 covers 2026-12-03 18:30 to 2026-12-04 18:30 IST. Asked
for before that time, it covers the day so far and says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from netops.ages import parse_age
from netops.config import Entry
from netops.errors import InputError
from netops.mail import MailSettings

DEFAULT_AT = dt.time(18, 30)


@dataclass(frozen=True)
class Maintenance:
    """A maintenance window: excluded from availability, listed in the report."""

    start: dt.datetime
    end: dt.datetime
    reason: str = ""
    sites: tuple[str, ...] = ()  # empty: every site
    hosts: tuple[str, ...] = ()  # empty: every host of those sites

    def covers(self, host: str, site: str) -> bool:
        return (not self.sites or site in self.sites) and (not self.hosts or host in self.hosts)

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "reason": self.reason,
                "sites": list(self.sites), "hosts": list(self.hosts)}


@dataclass(frozen=True)
class Slo:
    """Availability targets, percent: below ``devices`` / ``aps`` a campus is amber, below ``red_below`` red."""

    devices: float = 99.9
    aps: float = 99.5
    red_below: float = 99.0


@dataclass(frozen=True)
class ReportOptions:
    deadline: dt.time = dt.time(19, 0)
    at: dt.time = DEFAULT_AT  # the end of a report day (schedule.report.at)
    slo: Slo = field(default_factory=Slo)
    gap: float = 300.0  # seconds: polls further apart leave "no data" between them
    maintenance: tuple[Maintenance, ...] = ()
    mail: MailSettings = field(default_factory=MailSettings)
    directory: Path | None = None  # None: <data_dir>/reports

    @classmethod
    def from_sections(cls, report: Mapping[str, Entry], schedule: Mapping[str, Entry], zone: ZoneInfo) -> ReportOptions:
        slo = Slo(**{k: float(report[f"slo.{k}"].value) for k in ("devices", "aps", "red_below") if f"slo.{k}" in report})
        gap = report.get("gap")
        directory = report.get("directory")
        return cls(
            deadline=_time(report["deadline"], "report.deadline") if "deadline" in report else cls.deadline,
            at=_report_time(schedule),
            slo=slo,
            gap=parse_age(str(gap.value), key="report.gap", file=str(gap.file), line=gap.line) if gap else cls.gap,
            maintenance=tuple(_windows(report.get("maintenance"), zone)),
            mail=MailSettings.from_section(report, "report"),
            directory=(directory.file.parent / Path(str(directory.value)).expanduser()) if directory else None,
        )


def _time(entry: Entry, key: str) -> dt.time:
    try:
        return dt.time.fromisoformat(str(entry.value))
    except ValueError:
        raise InputError(f"{entry.value!r} is not a time of day (HH:MM)", file=entry.file, line=entry.line, key=key) from None


def _report_time(schedule: Mapping[str, Entry]) -> dt.time:
    entry = schedule.get("report.at")
    if entry is None:
        return DEFAULT_AT
    value = entry.value[0] if isinstance(entry.value, list) else entry.value
    return _time(Entry(value, entry.file, entry.line), "schedule.report.at")


def _windows(entry: Entry | None, zone: ZoneInfo) -> list[Maintenance]:
    if entry is None:
        return []
    out = []
    for i, raw in enumerate(entry.value):
        where = raw.where("start") if hasattr(raw, "where") else entry.line
        start, end = _moment(raw["start"], zone, entry, where, i), _moment(raw["end"], zone, entry, where, i)
        if end <= start:
            raise InputError("a maintenance window ends after it starts", file=entry.file, line=where,
                             key=f"report.maintenance[{i}].end")
        out.append(Maintenance(start, end, str(raw.get("reason", "")), tuple(raw.get("sites", ())), tuple(raw.get("hosts", ()))))
    return out


def _moment(value: object, zone: ZoneInfo, entry: Entry, line: int, index: int) -> dt.datetime:
    try:
        moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{value!r} is not an ISO 8601 date and time", file=entry.file, line=line,
                         key=f"report.maintenance[{index}]") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


@dataclass(frozen=True)
class Day:
    """The period one report covers, in the configured zone."""

    date: dt.date
    start: dt.datetime
    end: dt.datetime  # the report time, or now for a day not over yet
    zone: str
    partial: bool  # asked for before the day ended
    closes: dt.datetime  # the report time that ends the day

    @classmethod
    def of(cls, date: dt.date, at: dt.time, zone: ZoneInfo, now: dt.datetime) -> Day:
        end = dt.datetime.combine(date, at, tzinfo=zone)
        start = end - dt.timedelta(days=1)
        if now <= start:
            raise InputError(f"the report day {date} has not started yet (it starts {start:%Y-%m-%d %H:%M %Z})", key="--date")
        partial = now < end
        return cls(date, start, min(end, now.astimezone(zone)), str(zone), partial, end)

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start.isoformat(timespec="seconds"), "end": self.end.isoformat(timespec="seconds"),
                "partial": self.partial}
