"""The jobs of netops.yaml's ``schedule`` section: their rhythm, the command each runs, their next runs.

A job has exactly one rhythm: ``every`` (an age such as ``4h``, counted from
midnight in the configured time zone and starting again at each midnight, so
``4h`` is 00:00, 04:00, … 20:00) or ``at`` (times of day, ``"18:30"`` or a
list). Every time is a wall-clock time in ``Settings.timezone`` (Asia/Kolkata
unless netops.yaml says otherwise), whatever the server's own zone is. ``poll``
with ``every`` runs by default as one long-running service
(``netops poll --interval SECONDS``); ``service: false`` makes it a timer of
``netops poll --once`` like the others.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

from netops.ages import parse_age, short
from netops.config import Entry
from netops.errors import InputError, unknown

JOB_NAMES = ("poll", "backup", "facts", "check", "report", "prune")  # in the order netops shows them
DAY = 86400
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")

# what each job is, for unit descriptions and `netops schedule show`
PURPOSE = {
    "poll": "SNMP polling of every inventory host",
    "backup": "configuration backup of every SSH-managed device",
    "facts": "hardware and software facts of every SSH-managed device, with history",
    "check": "Wi-Fi and VLAN policy check of the latest backups",
    "report": "the daily report, sent",
    "prune": "retention per data class enforced (netops db prune)",
}


@dataclass(frozen=True)
class Job:
    """One scheduled job as netops.yaml (or the built-in configuration) writes it."""

    name: str
    every: float | None  # seconds; None: at times of day
    at: tuple[time, ...] = ()
    enabled: bool = True
    service: bool = False  # poll only: one long-running `netops poll --interval` instead of a timer
    file: Path | None = None  # where its rhythm is written
    line: int | None = None

    @property
    def key(self) -> str:
        return f"schedule.{self.name}"

    @property
    def rhythm(self) -> str:
        """``every 4h``, ``at 18:30``, ``service, every 1m``."""
        if self.every is not None:
            return f"{'service, ' if self.service else ''}every {_age(self.every)}"
        return "at " + ", ".join(t.strftime("%H:%M") for t in self.at)

    def times(self) -> tuple[int, ...]:
        """The seconds after midnight (in the configured zone) at which the job runs each day."""
        if self.every is not None:
            return tuple(range(0, DAY, int(self.every)))
        return tuple(t.hour * 3600 + t.minute * 60 for t in self.at)


def _age(seconds: float) -> str:
    """``1m``, ``4h``, ``90m``, ``1d``: the largest unit that divides the interval."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s" if seconds < 60 else short(seconds)


def jobs(section: Mapping[str, Entry]) -> list[Job]:
    """The typed jobs of a ``schedule`` section (``Settings.section("schedule")``); every mistake is an
    :class:`InputError` naming file, line and key."""
    fields: dict[str, dict[str, Entry]] = {}
    for key, entry in section.items():
        name, _, field = key.partition(".")
        fields.setdefault(name, {})[field] = entry
    for name, entries in fields.items():
        if name not in JOB_NAMES:
            first = min(entries.values(), key=lambda e: e.line)
            raise unknown("job", name, JOB_NAMES, key=f"schedule.{name}", file=first.file, line=first.line)
    return [_job(name, fields[name]) for name in JOB_NAMES if name in fields]


def _job(name: str, entries: dict[str, Entry]) -> Job:
    key = f"schedule.{name}"
    every_entry, at_entry = entries.get("every"), entries.get("at")
    first = min(entries.values(), key=lambda e: e.line)
    for field in sorted(set(entries) - {"every", "at", "enabled", "service"}):
        entry = entries[field]
        raise unknown("key", field, ("every", "at", "enabled", "service"), key=f"{key}.{field}", file=entry.file,
                      line=entry.line)
    if every_entry is not None and at_entry is not None:
        later = max(every_entry, at_entry, key=lambda e: e.line)
        raise InputError(f"has both every (line {every_entry.line}) and at (line {at_entry.line}); a job has one rhythm: "
                         "give one of them", file=later.file, line=later.line, key=key)
    if every_entry is None and at_entry is None:
        raise InputError('needs every (an interval such as 4h) or at (times of day such as "18:30")', file=first.file,
                         line=first.line, key=key)
    enabled = _flag(entries.get("enabled"), f"{key}.enabled", True)
    service_entry = entries.get("service")
    if service_entry is not None and name != "poll":
        raise InputError("only poll runs as a service", file=service_entry.file, line=service_entry.line, key=f"{key}.service")
    service = _flag(service_entry, f"{key}.service", name == "poll" and every_entry is not None)
    if every_entry is not None:
        seconds = parse_age(str(every_entry.value), key=f"{key}.every", file=str(every_entry.file), line=every_entry.line)
        _check_every(seconds, service, every_entry, f"{key}.every")
        return Job(name, seconds, (), enabled, service, every_entry.file, every_entry.line)
    assert at_entry is not None
    if service:
        assert service_entry is not None
        raise InputError("a service polls every `every`; it takes no at (give every, or service: false)",
                         file=service_entry.file, line=service_entry.line, key=f"{key}.service")
    return Job(name, None, _times(at_entry, f"{key}.at"), enabled, False, at_entry.file, at_entry.line)


def _flag(entry: Entry | None, key: str, default: bool) -> bool:
    if entry is None:
        return default
    if not isinstance(entry.value, bool):
        raise InputError(f"{entry.value!r} is not true or false", file=entry.file, line=entry.line, key=key)
    return entry.value


def _check_every(seconds: float, service: bool, entry: Entry, key: str) -> None:
    def refuse(message: str) -> InputError:
        return InputError(message, file=entry.file, line=entry.line, key=key)

    if seconds <= 0:
        raise refuse("must be longer than 0s")
    if service:
        return  # `netops poll --interval` takes any positive interval
    if seconds % 60:
        raise refuse(f"{entry.value} is not a whole number of minutes: a timer runs at most once a minute "
                     "(AccuracySec=1min; cron's resolution)")
    if seconds > DAY:
        raise refuse(f"{entry.value} is longer than a day: every counts from midnight each day; give at: with "
                     "times of day instead")


def _times(entry: Entry, key: str) -> tuple[time, ...]:
    values = entry.value if isinstance(entry.value, list) else [entry.value]
    if not values:
        raise InputError("names no time of day", file=entry.file, line=entry.line, key=key)
    out = set()
    for value in values:
        match = _TIME.match(str(value).strip()) if isinstance(value, str) else None
        if not match:
            raise InputError(f"{value!r} is not a time of day (HH:MM, 00:00 to 23:59)", file=entry.file, line=entry.line,
                             key=key)
        out.add(time(int(match.group(1)), int(match.group(2))))
    return tuple(sorted(out))


# --- what a job runs -------------------------------------------------------------------------------------------


def executable(argv0: str | None = None) -> list[str]:
    """How to start the netops that is running now: its ``netops`` script (``sys.argv[0]``, resolved), else the
    ``netops`` on PATH when it belongs to this Python environment, else ``python -m netops`` of this Python."""
    path = Path(sys.argv[0] if argv0 is None else argv0)
    if path.name == "netops" and path.is_file() and os.access(path, os.X_OK):
        return [str(path.resolve())]
    found = shutil.which("netops")
    if found and Path(found).absolute().parent == Path(sys.executable).absolute().parent:
        return [str(Path(found).resolve())]
    return [str(Path(sys.executable).absolute()), "-m", "netops"]


def base_command(netops: Sequence[str], config_file: Path | None) -> list[str]:
    """The netops command line every job starts with: the executable and the configuration file in effect, so a
    timer runs with exactly what ``netops config show`` shows."""
    return [*netops, *(["--config", str(config_file.resolve())] if config_file is not None else [])]


def command(job: Job, base: Sequence[str], service: bool | None = None) -> list[str]:
    """The command line of ``job`` (``service``: run poll as a service, default: as the job says)."""
    as_service = job.service if service is None else service
    if job.name == "poll":
        if as_service:
            assert job.every is not None
            seconds = int(job.every) if job.every == int(job.every) else job.every
            return [*base, "poll", "--interval", str(seconds)]
        return [*base, "poll", "--once"]
    if job.name == "report":
        return [*base, "report", "daily", "--send"]
    if job.name == "prune":
        return [*base, "db", "prune"]
    if job.name == "facts":
        return [*base, "inventory", "facts"]
    return [*base, job.name]


# --- when a job runs -------------------------------------------------------------------------------------------


def _exists(wall: datetime) -> bool:
    """False for a wall-clock time a daylight-saving change skips (systemd and cron skip it too)."""
    again = wall.astimezone(UTC).astimezone(wall.tzinfo)
    return again.replace(tzinfo=None) == wall.replace(tzinfo=None)


def at_day(day: date, seconds: int, zone: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, seconds // 3600, seconds % 3600 // 60, seconds % 60, tzinfo=zone)


def next_runs(job: Job, zone: tzinfo, now: datetime, count: int = 3) -> list[datetime]:
    """The next ``count`` runs after ``now`` (aware), in ``zone``; none for a service or a disabled job.

    Like systemd: a time a daylight-saving change skips does not run that day, a time it repeats runs once
    (the first)."""
    if job.service or not job.enabled or count <= 0:
        return []
    now = now.astimezone(UTC)
    day = now.astimezone(zone).date() - timedelta(days=1)
    out: list[datetime] = []
    while len(out) < count:
        for seconds in job.times():
            wall = at_day(day, seconds, zone)
            if _exists(wall) and wall.astimezone(UTC) > now:
                out.append(wall)
                if len(out) == count:
                    break
        day += timedelta(days=1)
    return out


def hours_and_minutes(times: Iterable[tuple[int, int]]) -> list[tuple[list[int], list[int]]]:
    """(hour, minute) pairs as few (hours, minutes) products as possible: the hours that run at the same minutes
    share one entry (``4h`` -> one entry, hours 0, 4, … 20 at minute 0)."""
    minutes: dict[int, set[int]] = {}
    for hour, minute in times:
        minutes.setdefault(hour, set()).add(minute)
    groups: dict[tuple[int, ...], list[int]] = {}
    for hour in sorted(minutes):
        groups.setdefault(tuple(sorted(minutes[hour])), []).append(hour)
    return sorted(((hours, list(mins)) for mins, hours in groups.items()), key=lambda g: (g[0][0], g[1][0]))


def progression(values: Sequence[int], maximum: int) -> tuple[int, int] | None:
    """(start, step) when ``values`` (three or more) are start, start+step, … up to ``maximum`` (the field's
    last value): what ``start/step`` (systemd) or ``start-maximum/step`` (cron) means."""
    if len(values) < 3:
        return None
    step = values[1] - values[0]
    if all(b - a == step for a, b in zip(values, values[1:])) and values[-1] + step > maximum:
        return values[0], step
    return None
