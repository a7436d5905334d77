"""The schedule as a crontab block, for servers without systemd.

netops owns the lines between ``# BEGIN netops schedule`` and ``# END netops
schedule`` and never touches any other line of a crontab.

Time zones: Debian's cron (3.0pl1, bookworm) runs every entry in one zone, the
daemon's ("The daemon will use, if present, the definition from /etc/timezone
for the timezone … cron will only handle tasks in a single timezone", cron(8)),
and its binary has no ``CRON_TZ``; only cronie's crontab(5) has "The CRON_TZ
variable specifies the time zone specific for the cron table". netops relies
on neither: it converts the configured zone's times into the server's zone when
the block is written and says so in the block. A change of either zone (or a
daylight-saving change of the server's zone) needs ``netops schedule install``
again.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

from netops.errors import InputError
from netops.schedule.jobs import DAY, Job, at_day, command, hours_and_minutes, progression

BEGIN = "# BEGIN netops schedule"
END = "# END netops schedule"


@dataclass(frozen=True)
class ServerZone:
    """The zone cron runs its entries in."""

    tz: tzinfo
    name: str


def _field(values: Sequence[int], maximum: int) -> str:
    if list(values) == list(range(maximum + 1)):
        return "*"
    step = progression(values, maximum)
    if step is not None:
        return f"*/{step[1]}" if step[0] == 0 else f"{step[0]}-{maximum}/{step[1]}"
    return ",".join(str(v) for v in values)


def _check(job: Job) -> None:
    """Refuse what cron cannot run as written: intervals that do not divide a day, sub-minute services."""
    if job.every is None:
        return
    key = f"{job.key}.every"
    if job.every % 60:
        raise InputError(f"{job.rhythm.split()[-1]}: cron runs a job at most once a minute; give whole minutes "
                         "for a crontab", file=job.file, line=job.line, key=key)
    if DAY % job.every:
        raise InputError(f"every {job.rhythm.split()[-1]} does not divide a day evenly; a crontab takes only intervals "
                         "that do (1m, 5m, 15m, 1h, 2h, 3h, 4h, 6h, 8h, 12h, 1d …) or at: times (systemd timers take "
                         "it, starting again at each midnight)", file=job.file, line=job.line, key=key)


def server_times(job: Job, zone: tzinfo, server: tzinfo, day: date) -> list[tuple[int, int]]:
    """The job's times of ``day`` in ``zone`` as (hour, minute) of the server's zone."""
    out = set()
    for seconds in job.times():
        there = at_day(day, seconds, zone).astimezone(UTC).astimezone(server)
        out.add((there.hour, there.minute))
    return sorted(out)


def entries(job: Job, zone: tzinfo, server: tzinfo, day: date) -> list[str]:
    """The five time fields of each crontab line of ``job``."""
    _check(job)
    return [f"{_field(minutes, 59)} {_field(hours, 23)} * * *"
            for hours, minutes in hours_and_minutes(server_times(job, zone, server, day))]


def shell_line(words: Sequence[str], environment_file: Path | None, quiet: bool = False) -> str:
    """The command part of a crontab line (run by /bin/sh): credentials exported from the environment file, ``%``
    escaped (cron turns a bare ``%`` into a newline)."""
    run = "exec " + " ".join(shlex.quote(w) for w in words) + (" >/dev/null" if quiet else "")
    if environment_file is not None:
        run = f"set -a; . {shlex.quote(str(environment_file))}; set +a; {run}"
    return run.replace("%", "\\%")


def block(jobs: Sequence[Job], base: Sequence[str], zone_name: str, zone: tzinfo, server: ServerZone, day: date,
          environment_file: Path | None, user: str | None = None) -> str:
    """The crontab block of the enabled jobs; ``user``: the user column of a system crontab (/etc/cron.d)."""
    offset = datetime(day.year, day.month, day.day, 12, tzinfo=server.tz).strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}"
    lines = [BEGIN,
             "# Written by `netops schedule install`; `netops schedule remove` deletes this block and nothing else.",
             f"# Times are {zone_name}'s (netops.yaml: timezone), converted when this block was written into this",
             f"# server's zone, {server.name} (UTC{offset}): Debian's cron runs every entry in the daemon's one zone",
             "# and has no CRON_TZ. After a change of either zone, run `netops schedule install` again."]
    if _has_dst(server.tz, day.year):
        lines.append(f"# {server.name} changes its offset for daylight saving time: install again after each change.")
    if environment_file is None:
        lines.append("# No environment file was given: credentials must reach netops some other way.")
    who = f" {user}" if user else ""
    for job in jobs:
        if not job.enabled:
            continue
        words = command(job, base, service=False)
        converted = server_times(job, zone, server.tz, day)
        times = ", ".join(f"{h:02d}:{m:02d}" for h, m in converted) if len(converted) <= 8 else ""
        if job.every is not None:
            what = f"every {job.rhythm.split()[-1]} from 00:00 {zone_name}"
        else:
            what = f"{job.rhythm} {zone_name}"
        note = f" = {times} {server.name}" if times else ""
        if job.service:
            note += "; a service under systemd, here poll --once each time"
        if job.name == "poll":
            note += " (its table to /dev/null: no mail a run; errors are mailed)"
        lines.append(f"# job {job.name}: {what}{note}")
        for fields in entries(job, zone, server.tz, day):
            lines.append(f"{fields}{who} {shell_line(words, environment_file, quiet=job.name == 'poll')}")
    lines.append(END)
    return "\n".join(lines) + "\n"


def _has_dst(tz: tzinfo, year: int) -> bool:
    return datetime(year, 1, 1, 12, tzinfo=tz).utcoffset() != datetime(year, 7, 1, 12, tzinfo=tz).utcoffset()


def find(text: str) -> str | None:
    """The netops block of a crontab (markers included), or None."""
    lines = text.splitlines(keepends=True)
    try:
        start = next(i for i, line in enumerate(lines) if line.rstrip("\n") == BEGIN)
        end = next(i for i in range(start, len(lines)) if lines[i].rstrip("\n") == END)
    except StopIteration:
        return None
    return "".join(lines[start:end + 1])


def merge(text: str, new: str | None) -> str:
    """``text`` with its netops block replaced by ``new`` (appended when there was none; removed when ``new`` is
    None); every other line as it was."""
    old = find(text)
    if old is not None:
        merged = text.replace(old, new or "", 1)
    elif new is None:
        merged = text
    else:
        merged = text + ("" if not text or text.endswith("\n") else "\n") + new
    return merged


def job_lines(text: str, job: str) -> list[str] | None:
    """The lines of ``job`` in a netops block (its comment and entries), None when the block does not run it."""
    found = find(text)
    if found is None:
        return None
    lines = found.splitlines()
    try:
        start = lines.index(next(line for line in lines if line.startswith(f"# job {job}:")))
    except StopIteration:
        return None
    out = [lines[start]]
    for line in lines[start + 1:]:
        if line.startswith("#"):
            break
        out.append(line)
    return out
