"""The schedule as systemd units: ``netops-<job>.service`` and ``netops-<job>.timer`` (poll: one long-running service).

Every unit netops writes carries ``X-Netops-Schedule=1`` in ``[Unit]`` (systemd
ignores keys starting with ``X-``; systemd.unit(5)), which is how ``netops
schedule remove`` and ``install`` tell their own files from anyone else's.

Time zones: a timer's ``OnCalendar=`` names the configured zone itself
(``*-*-* 18:30:00 Asia/Kolkata``), so the server's own zone never shifts a
job. systemd accepts an IANA zone name at the end of a calendar event since
version 235 (NEWS, "CHANGES WITH 235": "timer units now accept calendar
specifications in other timezones than UTC or the local timezone";
systemd.time(7), "Calendar Events": "Timezone can be specified as the literal
string "UTC", or the local timezone, … or the timezone in the IANA timezone
database format"). Debian 12 has 252; ``systemd-analyze calendar`` checks a
line without a running systemd.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from netops.schedule.jobs import PURPOSE, Job, command, hours_and_minutes, progression

MARKER = "X-Netops-Schedule=1"
PREFIX = "netops-"
UNIT_NAME = re.compile(r"^netops-[a-z0-9_-]+\.(service|timer)$")


@dataclass(frozen=True)
class Target:
    """How and as whom the jobs run."""

    base: tuple[str, ...]  # the netops command line before a job's own arguments (executable, --config FILE)
    user: str
    environment_file: Path | None  # the operator's KEY=value file of credentials; None: none
    zone: str  # IANA name of the configured time zone
    config_file: Path | None = None  # the netops.yaml in effect (None: the built-in configuration)
    # Documentation= URIs. netops has no published URL and its wheel carries no docs/, so a file: URI would point into
    # a source checkout an operations server does not have: the units name docs/schedule.md in their header instead.
    docs: tuple[str, ...] = ("man:systemd.timer(5)", "man:systemd.time(7)")


@dataclass(frozen=True)
class UnitFile:
    name: str
    job: str
    text: str


def unit_names(job: Job) -> tuple[str, ...]:
    """The units of ``job``: the poll service alone, or a service and its timer."""
    if job.service:
        return (f"{PREFIX}{job.name}.service",)
    return (f"{PREFIX}{job.name}.service", f"{PREFIX}{job.name}.timer")


def calendar(job: Job, zone: str) -> list[str]:
    """The ``OnCalendar=`` values of a timer job: as few as possible, each naming ``zone``."""
    times = [(s // 3600, s % 3600 // 60) for s in job.times()]
    return [f"*-*-* {_field(hours, 23)}:{_field(minutes, 59)}:00 {zone}" for hours, minutes in hours_and_minutes(times)]


def _field(values: Sequence[int], maximum: int) -> str:
    if list(values) == list(range(maximum + 1)):
        return "*"
    step = progression(values, maximum)
    if step is not None:
        return f"{step[0]:02d}/{step[1]}"
    return ",".join(f"{v:02d}" for v in values)


def exec_line(words: Sequence[str]) -> str:
    """A command line as ``ExecStart=`` reads it: ``%`` and ``$`` escaped (specifiers, variables), words with
    blanks, quotes or backslashes double-quoted (systemd.service(5), "Command lines")."""
    out = []
    for word in words:
        escaped = word.replace("%", "%%").replace("$", "$$")
        if escaped and not re.search(r"[\s\"'\\;]", escaped):
            out.append(escaped)
        else:
            out.append('"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(out)


def _header(name: str, target: Target) -> list[str]:
    source = f"the schedule in effect for {target.config_file}" if target.config_file else "netops' built-in schedule"
    return [f"# {name}: written by `netops schedule install` from {source}",
            "# (`netops schedule show`; netops' docs/schedule.md). Change netops.yaml and install again rather than",
            "# editing this file; `netops schedule remove` deletes it."]


def _unit_section(description: str, target: Target, network: bool = True) -> list[str]:
    network_lines = ["Wants=network-online.target", "After=network-online.target"] if network else []
    return ["[Unit]", f"Description={description}", f"Documentation={' '.join(target.docs)}", *network_lines, MARKER]


def _service_lines(job: Job, target: Target) -> list[str]:
    lines = ["[Service]", "Type=simple" if job.service else "Type=oneshot", f"User={target.user}"]
    if target.environment_file is not None:
        lines += ["# Credentials (NETOPS_USERNAME, NETOPS_PASSWORD, NETOPS_SNMP_*, …) come from this file, never from a unit.",
                  f"EnvironmentFile={target.environment_file}"]
    else:
        lines += ["# No EnvironmentFile: none was given and /etc/netops/netops.env did not exist at install time.",
                  "# Credentials must reach netops some other way (install again with --environment-file FILE)."]
    lines.append(f"ExecStart={exec_line(command(job, target.base))}")
    if job.name == "check":
        lines += ["# Exit 1 means findings at or above --fail-on, not a failed run.", "SuccessExitStatus=1"]
    if job.service:  # `systemctl reload` reads the inventory again (systemd.service(5), ExecReload=)
        lines += ["ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure", "RestartSec=10"]
    return lines


def units(jobs: Sequence[Job], target: Target) -> list[UnitFile]:
    """The unit files of the enabled jobs, in job order."""
    out = []
    for job in jobs:
        if not job.enabled:
            continue
        service = f"{PREFIX}{job.name}.service"
        if job.service:
            text = _header(service, target) + _unit_section(
                f"netops {job.name}: {PURPOSE[job.name]} {job.rhythm.removeprefix('service, ')}", target) + [""] + _service_lines(job, target) + [
                "", "[Install]", "WantedBy=multi-user.target"]
            out.append(UnitFile(service, job.name, "\n".join(text) + "\n"))
            continue
        text = _header(service, target) + _unit_section(
            f"netops {job.name}: {PURPOSE[job.name]}", target) + [""] + _service_lines(job, target)
        out.append(UnitFile(service, job.name, "\n".join(text) + "\n"))
        timer = f"{PREFIX}{job.name}.timer"
        zone_note = [f"# Times are {target.zone}'s: OnCalendar= names the zone itself (systemd >= 235, systemd.time(7)",
                     "# \"Calendar Events\"), so the server's own time zone does not shift them."]
        if job.every is not None:
            zone_note.append(f"# every {job.rhythm.removeprefix('every ')} counts from 00:00 {target.zone} and starts again at each midnight.")
        text = _header(timer, target) + _unit_section(
            f"netops {job.name} {job.rhythm} ({target.zone})", target, network=False) + ["", "[Timer]"] + zone_note + [
            f"OnCalendar={line}" for line in calendar(job, target.zone)] + [
            "# A run missed while the server was off starts at boot.", "Persistent=true", "AccuracySec=1min",
            f"Unit={service}", "", "[Install]", "WantedBy=timers.target"]
        out.append(UnitFile(timer, job.name, "\n".join(text) + "\n"))
    return out


def is_ours(path: Path) -> bool:
    """A unit file netops wrote (named ``netops-*.service|timer`` and carrying the marker)."""
    if not UNIT_NAME.match(path.name) or not path.is_file():
        return False
    try:
        return MARKER in path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False


def installed(unit_dir: Path) -> list[Path]:
    """The unit files netops wrote into ``unit_dir``."""
    if not unit_dir.is_dir():
        return []
    return sorted(p for p in unit_dir.iterdir() if is_ours(p))


def schedule_lines(text: str) -> list[str]:
    """The lines of a unit that decide what runs when (``OnCalendar=``, ``ExecStart=``)."""
    return [line for line in text.splitlines() if line.startswith(("OnCalendar=", "ExecStart="))]
