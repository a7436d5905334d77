"""``netops schedule show|install|remove``: the schedule of netops.yaml as systemd timers (or a crontab block).

``show`` computes each job's next runs in the configured zone; ``install`` writes
exactly the units (or the block) the schedule asks for — atomically, leaving
files netops did not write alone — and runs ``systemctl`` only where systemd is
running and reads the unit directory; ``remove`` deletes exactly what install
wrote. Every step is returned as data (files, commands, notes) for the CLI to
print or ``--json`` to show; ``dry_run`` computes the same and changes nothing.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from netops import defaults
from netops.config import CONFIG_NAME
from netops.errors import InputError
from netops.files import write_atomic
from netops.schedule import cron, systemd
from netops.schedule.jobs import Job, base_command, command, executable, jobs, next_runs
from netops.settings import Settings

SYSTEM_UNIT_DIR = Path("/etc/systemd/system")
SYSTEMD_RUNNING = Path("/run/systemd/system")  # exists while systemd is PID 1 (sd_booted(3))
SYSTEMD_DIRS = (SYSTEM_UNIT_DIR, Path("/run/systemd/system"), Path("/usr/local/lib/systemd/system"),
                Path("/usr/lib/systemd/system"), Path("/lib/systemd/system"))  # where systemd looks for system units
DEFAULT_ENVIRONMENT_FILE = Path("/etc/netops/netops.env")
CRON_D_NAME = re.compile(r"^[A-Za-z0-9_-]+$")  # cron(8): files in /etc/cron.d with other names are ignored


# --- show ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobView:
    """One job as ``netops schedule show`` reports it."""

    job: Job
    command: tuple[str, ...]
    calendar: tuple[str, ...]  # its OnCalendar= lines (none for a service or a disabled job)
    next: tuple[datetime, ...]  # its next runs, in the configured zone
    installed: str  # "yes", "no", "differs" (installed, but not as the schedule is now), "partly"
    installed_as: str = ""  # "systemd", "crontab", or ""
    origin: str = ""  # where its rhythm is written: "FILE:LINE", or "built in"


@dataclass(frozen=True)
class Schedule:
    """The schedule in effect and where it is installed."""

    timezone: str
    server_zone: str
    now: datetime
    config_file: Path | None
    unit_dir: Path
    crontab: str | None  # where a crontab was read ("crontab -l", a file), None: none read
    jobs: tuple[JobView, ...]
    notes: tuple[str, ...] = ()


def load(settings: Settings) -> list[Job]:
    """The jobs of the configuration in effect (an InputError names file, line and key of any mistake)."""
    return jobs(settings.section("schedule"))


def show(settings: Settings, unit_dir: Path | None = None, crontab_file: Path | None = None, now: datetime | None = None,
         netops_command: tuple[str, ...] | None = None, count: int = 3) -> Schedule:
    """Every job with its command, its next ``count`` runs after ``now`` and whether it is installed (units in
    ``unit_dir``, default /etc/systemd/system; or the crontab block, of ``crontab_file`` or ``crontab -l``)."""
    loaded = load(settings)
    now = now or datetime.now(UTC)
    unit_dir = (unit_dir or SYSTEM_UNIT_DIR).absolute()
    base = base_command(netops_command or executable(), settings.config_file)
    target = systemd.Target(tuple(base), "-", None, settings.timezone, settings.config_file)
    wanted = {u.name: u for u in systemd.units(loaded, target)}
    tab, source = _read_crontab_for_show(crontab_file)
    server = server_zone()
    day = now.astimezone(settings.zone).date()
    views = []
    for job in loaded:
        state, where = _installed(job, unit_dir, wanted)
        if state == "no" and tab is not None:
            state, where = _in_crontab(job, tab, base, settings, server, day)
        views.append(JobView(job, tuple(command(job, base)),
                             tuple(systemd.calendar(job, settings.timezone)) if job.enabled and not job.service else (),
                             tuple(next_runs(job, settings.zone, now, count)), state, where, _origin(job)))
    return Schedule(settings.timezone, server.name, now, settings.config_file, unit_dir, source, tuple(views),
                    tuple(_unseen(settings)))


def _origin(job: Job) -> str:
    if job.file is None:
        return ""
    if job.file.resolve() == defaults.path(CONFIG_NAME).resolve():
        return "built in"
    return f"{job.file}:{job.line}"


def _installed(job: Job, unit_dir: Path, wanted: dict[str, systemd.UnitFile]) -> tuple[str, str]:
    names = systemd.unit_names(job)
    present = [unit_dir / n for n in names if systemd.is_ours(unit_dir / n)]
    if not present:
        return "no", ""
    if len(present) < len(names):
        return "partly", "systemd"
    for path in present:
        unit = wanted.get(path.name)
        if unit is None or systemd.schedule_lines(unit.text) != systemd.schedule_lines(path.read_text(encoding="utf-8")):
            return "differs", "systemd"
    return ("yes" if job.enabled else "differs"), "systemd"


def _in_crontab(job: Job, tab: str, base: list[str], settings: Settings, server: cron.ServerZone, day: date) -> tuple[str, str]:
    """Whether the crontab's netops block runs ``job`` at the times and with the command the schedule has now."""
    lines = cron.job_lines(tab, job.name)
    if lines is None:
        return "no", ""
    try:
        expected = cron.entries(job, settings.zone, server.tz, day) if job.enabled else []
    except InputError:
        return "differs", "crontab"
    entries = [line for line in lines[1:] if line.strip()]
    runs = cron.shell_line(command(job, base, service=False), None).removeprefix("exec ")
    same = [" ".join(e.split()[:5]) for e in entries] == expected and all(runs in e for e in entries)
    return ("yes" if same else "differs"), "crontab"


def _read_crontab_for_show(crontab_file: Path | None) -> tuple[str | None, str | None]:
    if crontab_file is not None:
        return (crontab_file.read_text(encoding="utf-8") if crontab_file.is_file() else ""), str(crontab_file)
    if shutil.which("crontab") is None:
        return None, None
    try:
        text, _ = _crontab_list(None)
    except InputError:
        return None, None  # unreadable (cron refuses this user): show what it can
    return text, "crontab -l"


def server_zone() -> cron.ServerZone:
    """The zone of this server's clock as cron sees it: $TZ when set, else /etc/timezone, else /etc/localtime."""
    candidates = []
    if os.environ.get("TZ"):
        candidates.append(os.environ["TZ"].lstrip(":"))
    try:
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except OSError:
        pass
    try:
        target = os.readlink("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        try:
            return cron.ServerZone(ZoneInfo(name), name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    local = datetime.now().astimezone().tzinfo
    assert local is not None
    return cron.ServerZone(local, datetime.now().astimezone().strftime("%Z"))


def _unseen(settings: Settings) -> list[str]:
    """Settings the scheduled jobs will not see: they come from this shell's environment or flags."""
    out = []
    for key in settings.rows():
        origin = str(key["origin"])
        if origin.startswith(("flag", "environment")):
            out.append(f"{key['key']} comes from {origin}, which the scheduled jobs do not see: put it in "
                       f"{settings.config_file or 'a netops.yaml'} (or the environment file) for them")
    return out


# --- install and remove ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstallOptions:
    unit_dir: Path | None = None  # default /etc/systemd/system
    user: str | None = None  # default: the invoking user (SUDO_USER under sudo)
    environment_file: Path | None = None  # default /etc/netops/netops.env when it exists
    crontab: bool = False  # a crontab block instead of systemd units
    crontab_file: Path | None = None  # a crontab file (with a user column, for /etc/cron.d) instead of `crontab -`
    dry_run: bool = False
    netops_command: tuple[str, ...] | None = None  # how the jobs start netops (default: as it was started now)


@dataclass(frozen=True)
class FileChange:
    path: str  # a file, or "crontab of USER"
    action: str  # "create", "update", "unchanged", "remove"
    text: str | None = None  # the new content (None for a removal)


@dataclass(frozen=True)
class Command:
    args: tuple[str, ...]
    input: str | None = None
    ran: bool = False
    returncode: int | None = None
    output: str = ""

    def __str__(self) -> str:
        return " ".join(self.args)


@dataclass
class Change:
    """What install or remove did (or, with ``dry_run``, would do)."""

    action: str  # "install", "remove"
    mode: str  # "systemd", "crontab", "crontab-file"
    dry_run: bool
    systemd_running: bool
    files: list[FileChange] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pending: bool = False  # commands were not run (systemd is not running, or the directory is not systemd's)

    @property
    def ok(self) -> bool:
        return all(c.returncode in (None, 0) for c in self.commands)


def systemd_running() -> bool:
    return SYSTEMD_RUNNING.is_dir()


def default_user() -> str:
    """The invoking user: the one who ran sudo, else the one running netops."""
    sudo_user = os.environ.get("SUDO_USER")
    if sudo_user and os.geteuid() == 0 and sudo_user != "root":
        return sudo_user
    return pwd.getpwuid(os.geteuid()).pw_name


def _mode(options: InstallOptions) -> tuple[str, str | None]:
    if options.crontab_file is not None:
        return "crontab-file", None
    if options.crontab:
        if shutil.which("crontab") is None:
            raise InputError("crontab is not installed here (apt install cron), or write a file for /etc/cron.d with "
                             "--crontab-file FILE", key="--crontab")
        return "crontab", None
    if options.unit_dir is None and shutil.which("systemctl") is None:
        if shutil.which("crontab") is not None:
            return "crontab", "systemd is absent on this server (no systemctl): the schedule goes into the crontab"
        return "systemd", ("neither systemctl nor crontab is installed here: the units are written for a server with "
                           "systemd (--crontab-file FILE writes a file for /etc/cron.d instead)")
    return "systemd", None


def _check_value(value: str, key: str) -> str:
    if "\n" in value or "\r" in value:
        raise InputError("must be on one line", key=key)
    return value


def install(settings: Settings, options: InstallOptions = InstallOptions()) -> Change:
    """Write the units (or the crontab block) of the schedule in effect; remove netops units it no longer has."""
    loaded = load(settings)
    user = _check_value(options.user or default_user(), "--user")
    try:
        pwd.getpwnam(user)
    except KeyError:
        raise InputError(f"no user {user!r} on this server", key="--user") from None
    env_file, env_note = _environment_file(options.environment_file)
    base = tuple(base_command(options.netops_command or executable(), settings.config_file))
    for word in base:
        _check_value(word, "--config")
    mode, mode_note = _mode(options)
    change = Change("install", mode, options.dry_run, systemd_running())
    change.notes += [n for n in (mode_note, env_note) if n]
    if user == "root":
        change.notes.append("the jobs run as root; --user NAME runs them as a service account")
    change.notes += _unseen(settings)
    if mode == "systemd":
        target = systemd.Target(base, user, env_file, settings.timezone, settings.config_file)
        _install_units(change, (options.unit_dir or SYSTEM_UNIT_DIR).absolute(), systemd.units(loaded, target), options.dry_run)
    else:
        day = datetime.now(settings.zone).date()
        server = server_zone()
        block = cron.block(loaded, base, settings.timezone, settings.zone, server, day, env_file,
                           user=user if mode == "crontab-file" else None)
        change.notes.append(f"times converted from {settings.timezone} to this server's zone, {server.name}; install "
                            "again after a change of either zone")
        _apply_crontab(change, options, user, block)
    return change


def _environment_file(given: Path | None) -> tuple[Path | None, str | None]:
    if given is not None:
        path = Path(_check_value(str(given), "--environment-file")).expanduser().absolute()
        if not path.is_file():
            return path, f"{path} does not exist yet: the jobs will not start until it does (KEY=value lines, mode 0600)"
        return path, f"credentials from {path} (EnvironmentFile=)"
    if DEFAULT_ENVIRONMENT_FILE.is_file():
        return DEFAULT_ENVIRONMENT_FILE, f"credentials from {DEFAULT_ENVIRONMENT_FILE} (it exists; --environment-file names another)"
    return None, (f"no environment file: {DEFAULT_ENVIRONMENT_FILE} does not exist and --environment-file was not given; "
                  "the jobs get no credentials from a file (write NETOPS_USERNAME=… lines there, mode 0600, and install again)")


def _reads_units(unit_dir: Path) -> bool:
    try:
        resolved = unit_dir.resolve()
    except OSError:
        return False
    return any(resolved == d.resolve() for d in SYSTEMD_DIRS if d.exists()) or resolved in SYSTEMD_DIRS


def _install_units(change: Change, unit_dir: Path, wanted: list[systemd.UnitFile], dry_run: bool) -> None:
    names = {u.name for u in wanted}
    for unit in wanted:
        path = unit_dir / unit.name
        if path.exists() and not systemd.is_ours(path):
            raise InputError(f"{path} exists and netops did not write it (no {systemd.MARKER}); move it away, or give "
                             "another --unit-dir", key="--unit-dir")
    stale = [p for p in systemd.installed(unit_dir) if p.name not in names]
    for unit in wanted:
        path = unit_dir / unit.name
        old = path.read_text(encoding="utf-8") if path.exists() else None
        action = "create" if old is None else "unchanged" if old == unit.text else "update"
        change.files.append(FileChange(str(path), action, unit.text))
    change.files += [FileChange(str(p), "remove") for p in stale]
    commands: list[Command] = []
    if stale:
        commands.append(Command(("systemctl", "disable", "--now", *[p.name for p in stale])))
    commands.append(Command(("systemctl", "daemon-reload")))
    started = [u.name for u in wanted if u.name.endswith(".timer")] + [u.name for u in wanted if u.name.endswith(".service")
                                                                      and not any(w.name == u.name[:-8] + ".timer" for w in wanted)]
    if started:
        commands.append(Command(("systemctl", "enable", "--now", *started)))
    updated = [Path(f.path).name for f in change.files if f.action == "update"]
    if updated:
        commands.append(Command(("systemctl", "try-restart", *updated)))
    run = change.systemd_running and _reads_units(unit_dir)
    if dry_run:
        change.commands = commands
        change.pending = not run
        return
    if run and stale:
        commands[0] = _run(commands[0])
        if not change.ok:
            change.commands = commands[:1]
            return
    try:
        unit_dir.mkdir(parents=True, exist_ok=True)
        for f in change.files:
            if f.action in ("create", "update"):
                assert f.text is not None
                write_atomic(Path(f.path), f.text, 0o644)
            elif f.action == "remove":
                Path(f.path).unlink(missing_ok=True)
    except OSError as exc:
        raise InputError(f"cannot write {exc.filename or unit_dir}: {exc.strerror} (root writes {SYSTEM_UNIT_DIR}; or "
                         "give --unit-dir DIR)", key="--unit-dir") from None
    change.pending = not run
    change.commands = _run_all(commands, skip=1 if (run and stale) else 0) if run else commands


def _run_all(commands: list[Command], skip: int = 0) -> list[Command]:
    out = list(commands[:skip])
    for cmd in commands[skip:]:
        done = _run(cmd)
        out.append(done)
        if done.returncode:
            break
    return out


def _run(cmd: Command) -> Command:
    try:
        proc = subprocess.run(cmd.args, input=cmd.input, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Command(cmd.args, cmd.input, True, 127, str(exc))
    return Command(cmd.args, cmd.input, True, proc.returncode, (proc.stdout + proc.stderr).strip())


def _crontab_args(user: str | None) -> tuple[str, ...]:
    if user is None or user == pwd.getpwuid(os.geteuid()).pw_name:
        return ("crontab",)
    return ("crontab", "-u", user)


def _crontab_list(user: str | None) -> tuple[str, Command]:
    cmd = _run(Command((*_crontab_args(user), "-l")))
    if cmd.returncode == 0:
        return cmd.output + ("\n" if cmd.output else ""), cmd
    if cmd.returncode == 1 and "no crontab" in cmd.output.lower():
        return "", cmd
    raise InputError(f"crontab -l failed: {cmd.output or f'exit {cmd.returncode}'}", key="--crontab")


def _check_crontab_file(path: Path) -> Path:
    path = Path(_check_value(str(path), "--crontab-file")).expanduser().absolute()
    if path.parent.resolve() == Path("/etc/cron.d") and not CRON_D_NAME.match(path.name):
        raise InputError(f"cron ignores {path}: names in /etc/cron.d may hold only letters, digits, _ and - (cron(8)); "
                         "e.g. /etc/cron.d/netops", key="--crontab-file")
    return path


def _apply_crontab(change: Change, options: InstallOptions | RemoveOptions, user: str | None, block: str | None) -> None:
    """Put ``block`` into the crontab (None: take the netops block out), leaving every other line as it was."""
    if options.crontab_file is not None:
        path = _check_crontab_file(options.crontab_file)
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        merged = cron.merge(current, block)
        action = _crontab_action(current, merged, block)
        change.files.append(FileChange(str(path), action, block))
        if not options.dry_run and action not in ("unchanged", "absent"):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, merged, 0o644)  # cron(8): not group- or other-writable
            except OSError as exc:
                raise InputError(f"cannot write {path}: {exc.strerror}", key="--crontab-file") from None
        return
    current, _ = _crontab_list(user)  # a read: not one of the commands install reports
    merged = cron.merge(current, block)
    action = _crontab_action(current, merged, block)
    change.files.append(FileChange(f"crontab of {user or default_user()}", action, block))
    write = Command((*_crontab_args(user), "-"), merged)
    if action in ("unchanged", "absent"):
        change.commands = []
    elif options.dry_run:
        change.commands = [write]
    else:
        change.commands = [_run(write)]


def _crontab_action(current: str, merged: str, block: str | None) -> str:
    if merged == current:
        return "unchanged" if block is not None else "absent"
    if block is None:
        return "remove"
    return "update" if cron.find(current) is not None else "create"


@dataclass(frozen=True)
class RemoveOptions:
    unit_dir: Path | None = None
    crontab: bool = False
    crontab_file: Path | None = None
    dry_run: bool = False


def remove(settings: Settings, options: RemoveOptions = RemoveOptions()) -> Change:
    """Disable and delete the units netops wrote (or take its block out of the crontab); nothing else."""
    mode, mode_note = _mode(InstallOptions(unit_dir=options.unit_dir, crontab=options.crontab,
                                           crontab_file=options.crontab_file))
    change = Change("remove", mode, options.dry_run, systemd_running())
    if mode_note:
        change.notes.append(mode_note.replace("goes into", "is in"))
    if mode != "systemd":
        _apply_crontab(change, options, None, None)
        return change
    unit_dir = (options.unit_dir or SYSTEM_UNIT_DIR).absolute()
    ours = systemd.installed(unit_dir)
    change.files = [FileChange(str(p), "remove") for p in ours]
    foreign = sorted(p.name for p in unit_dir.glob("netops-*") if p.is_file() and p not in ours) if unit_dir.is_dir() else []
    if foreign:
        change.notes.append(f"left alone (not written by netops): {', '.join(foreign)}")
    if not ours:
        change.notes.append(f"no netops units in {unit_dir}")
        return change
    run = change.systemd_running and _reads_units(unit_dir)
    change.pending = False
    commands = [Command(("systemctl", "disable", "--now", *[p.name for p in ours])), Command(("systemctl", "daemon-reload"))]
    if not run:
        change.notes.append(f"systemd is not running here (no {SYSTEMD_RUNNING}): nothing to disable" if not change.systemd_running
                            else f"systemd does not read {unit_dir}: nothing to disable")
        commands = []
    if options.dry_run:
        change.commands = commands
        return change
    if run:
        first = _run(commands[0])
        change.commands = [first]
        if first.returncode:
            return change
    try:
        for path in ours:
            path.unlink(missing_ok=True)
    except OSError as exc:
        raise InputError(f"cannot remove {exc.filename}: {exc.strerror}", key="--unit-dir") from None
    if run:
        change.commands.append(_run(commands[1]))
    return change
