"""``netops schedule``: jobs from netops.yaml, systemd units and crontab blocks (golden files), next runs, and the
calendar lines checked by systemd itself (``systemd-analyze calendar``, which needs no running systemd).

Case directories: ``tests/data/schedule/<case>/netops.yaml`` with the expected units under ``expected/`` and the
expected /etc/cron.d file ``expected/netops.cron`` (regenerate with ``NETOPS_REGEN_GOLDEN=1``; review the diff).
Nothing here touches the machine outside temporary directories: units go to ``--unit-dir``, crontabs to
``--crontab-file``, and systemctl is never run (``/run/systemd/system`` is absent in the test environment, and a
temporary unit directory is never one systemd reads).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from netops.config import Entry
from netops.errors import InputError
from netops.schedule import cron, systemd
from netops.schedule.jobs import Job, base_command, command, executable, jobs, next_runs
from netops.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "schedule"
CASES = sorted(p.name for p in DATA.iterdir() if (p / "netops.yaml").is_file())
ERRORS = sorted(p.stem for p in (DATA / "errors").glob("*.yaml"))
NETOPS = ROOT / ".venv" / "bin" / "netops"
REGEN = os.environ.get("NETOPS_REGEN_GOLDEN") == "1"
KOLKATA = ZoneInfo("Asia/Kolkata")
# how the golden files run netops: an operations server's layout, not this checkout's
BASE = ("/opt/netops/bin/netops", "--config", "/etc/netops/netops.yaml")
TARGET = dict(base=BASE, user="netops", environment_file=Path("/etc/netops/netops.env"),
              config_file=Path("/etc/netops/netops.yaml"), docs=("man:systemd.timer(5)", "man:systemd.time(7)"))
GOLDEN_DAY = date(2026, 5, 4)
ANALYZE = shutil.which("systemd-analyze")
needs_analyze = pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed (Debian package systemd; "
                                   "scripts/install-system-deps.sh installs it)")


def settings_of(case: str) -> Settings:
    return Settings.resolve(env={}, config=DATA / case / "netops.yaml")


def case_jobs(case: str) -> tuple[Settings, list[Job]]:
    settings = settings_of(case)
    return settings, jobs(settings.section("schedule"))


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``netops`` as an operator runs it: the venv's script, from a neutral directory, no netops variables."""
    base_env = {"PATH": "/usr/bin:/bin", "COLUMNS": "200", "HOME": os.environ.get("HOME", "/root"), "TZ": "UTC"}
    return subprocess.run([str(NETOPS), *args], capture_output=True, text=True, timeout=120, cwd=cwd or "/",
                          env=base_env | (env or {}))


def golden(path: Path, text: str) -> None:
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run with NETOPS_REGEN_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"differs from {path}"


# --- jobs ------------------------------------------------------------------------------------------------------


def test_default_schedule_is_the_issues() -> None:
    settings, loaded = case_jobs("default")
    assert settings.timezone == "Asia/Kolkata"
    assert [(j.name, j.rhythm, j.service, j.enabled) for j in loaded] == [
        ("poll", "service, every 1m", True, True), ("backup", "every 4h", False, True),
        ("facts", "at 17:45", False, True), ("check", "at 18:00", False, True), ("report", "at 18:30", False, True), ("prune", "at 03:15", False, True)]
    assert all(j.file is not None and j.line for j in loaded)  # each knows where it is written


def test_a_job_the_file_writes_replaces_the_built_in_one() -> None:
    _, loaded = case_jobs("custom")
    by_name = {j.name: j for j in loaded}
    assert by_name["backup"].at == (time(2, 0), time(14, 0)) and by_name["backup"].every is None  # sorted, no 4h left
    assert by_name["poll"].every == 300 and not by_name["poll"].service
    assert by_name["check"].every == 5400
    assert not by_name["report"].enabled
    assert by_name["backup"].file == DATA / "custom" / "netops.yaml" and by_name["backup"].line == 9


def test_poll_with_every_is_a_service_unless_it_says_otherwise() -> None:
    where = Path("netops.yaml")
    [poll] = jobs({"poll.every": Entry("2m", where, 3)})
    assert poll.service and command(poll, ["netops"]) == ["netops", "poll", "--interval", "120"]
    [poll] = jobs({"poll.every": Entry("2m", where, 3), "poll.service": Entry(False, where, 4)})
    assert not poll.service and command(poll, ["netops"]) == ["netops", "poll", "--once"]
    [poll] = jobs({"poll.every": Entry("30s", where, 3)})  # a service polls at any interval
    assert command(poll, ["netops"])[-1] == "30"


def test_commands_of_the_jobs() -> None:
    _, loaded = case_jobs("default")
    base = base_command(["/opt/netops/bin/netops"], Path("/etc/netops/netops.yaml"))
    assert {j.name: " ".join(command(j, base)) for j in loaded} == {
        "poll": "/opt/netops/bin/netops --config /etc/netops/netops.yaml poll --interval 60",
        "backup": "/opt/netops/bin/netops --config /etc/netops/netops.yaml backup",
        "facts": "/opt/netops/bin/netops --config /etc/netops/netops.yaml inventory facts",
        "check": "/opt/netops/bin/netops --config /etc/netops/netops.yaml check",
        "report": "/opt/netops/bin/netops --config /etc/netops/netops.yaml report daily --send",
        "prune": "/opt/netops/bin/netops --config /etc/netops/netops.yaml db prune",
    }
    assert base_command(["/opt/netops/bin/netops"], None) == ["/opt/netops/bin/netops"]  # only the built-in configuration


def test_executable_is_the_running_netops(tmp_path: Path) -> None:
    assert executable(str(NETOPS)) == [str(NETOPS.resolve())]
    link = tmp_path / "netops"
    link.symlink_to(NETOPS)
    assert executable(str(link)) == [str(NETOPS.resolve())]  # resolved: the venv's script, not a link to it
    started_as_module = executable(str(ROOT / "netops" / "__main__.py"))
    assert started_as_module[-2:] == ["-m", "netops"] or Path(started_as_module[0]).name == "netops"
    assert Path(started_as_module[0]).is_absolute()


@pytest.mark.parametrize("case", ERRORS)
def test_mistakes_name_file_line_and_key(case: str) -> None:
    """Through the CLI: one line ``error: FILE:LINE: KEY: message``, exit 2, for show and install alike."""
    path = DATA / "errors" / f"{case}.yaml"
    expected = (DATA / "errors" / f"{case}.err").read_text().strip().replace("@FILE@", str(path))
    for args in (("schedule", "show"), ("schedule", "install", "--unit-dir", "/nonexistent/units", "--dry-run")):
        proc = run("--config", str(path), *args)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.strip() == f"error: {expected}"
        assert proc.stdout == ""


def test_unknown_job_in_a_section_without_schema() -> None:
    """The built-in file is not checked by the schema: the section reader refuses unknown jobs itself."""
    with pytest.raises(InputError, match=r"x\.yaml:7: schedule\.backups: unknown job 'backups' \(did you mean backup\?\)"):
        jobs({"backups.every": Entry("4h", Path("x.yaml"), 7)})


# --- next runs -------------------------------------------------------------------------------------------------


def ist(*args: int) -> datetime:
    return datetime(*args, tzinfo=KOLKATA)  # type: ignore[misc]


def test_next_runs_across_midnight() -> None:
    _, loaded = case_jobs("default")
    by_name = {j.name: j for j in loaded}
    now = ist(2026, 5, 4, 23, 50)
    assert next_runs(by_name["backup"], KOLKATA, now) == [ist(2026, 5, 5, 0, 0), ist(2026, 5, 5, 4, 0), ist(2026, 5, 5, 8, 0)]
    assert next_runs(by_name["check"], KOLKATA, now) == [ist(2026, 5, 5, 18, 0), ist(2026, 5, 6, 18, 0), ist(2026, 5, 7, 18, 0)]
    assert next_runs(by_name["poll"], KOLKATA, now) == []  # a service: no runs to list
    late = Job("report", None, (time(0, 5), time(23, 55)))
    assert next_runs(late, KOLKATA, now) == [ist(2026, 5, 4, 23, 55), ist(2026, 5, 5, 0, 5), ist(2026, 5, 5, 23, 55)]
    # exactly at a run: the next one (systemd's "next elapse" is after the base time too)
    assert next_runs(by_name["check"], KOLKATA, ist(2026, 5, 4, 18, 0), 1) == [ist(2026, 5, 5, 18, 0)]
    # every that does not divide a day starts again at midnight (00:00, 07:00, 14:00, 21:00, 00:00 …)
    seven = Job("backup", 7 * 3600)
    assert next_runs(seven, KOLKATA, ist(2026, 5, 4, 20, 0), 3) == [ist(2026, 5, 4, 21, 0), ist(2026, 5, 5, 0, 0),
                                                                      ist(2026, 5, 5, 7, 0)]


def test_next_runs_in_utc_are_the_zone_times() -> None:
    _, loaded = case_jobs("default")
    check = {j.name: j for j in loaded}["check"]
    [first] = next_runs(check, KOLKATA, datetime(2026, 5, 4, 6, 0, tzinfo=UTC), 1)
    assert first.astimezone(UTC) == datetime(2026, 5, 4, 12, 30, tzinfo=UTC)  # 18:00 IST = 12:30 UTC


def test_next_runs_do_not_depend_on_the_server_clock_zone() -> None:
    """The same computation in a process whose local zone is New York (or Kolkata, or UTC) gives the same instants."""
    code = (
        "import json; from datetime import datetime, timezone; from pathlib import Path; from netops.settings import Settings;"
        "from netops.schedule.jobs import jobs, next_runs;"
        f"s = Settings.resolve(env={{}}, config=Path({str(DATA / 'default' / 'netops.yaml')!r}));"
        "now = datetime(2026, 3, 8, 6, 45, tzinfo=timezone.utc);"  # the night New York changes to daylight saving time
        "print(json.dumps({j.name: [n.isoformat() for n in next_runs(j, s.zone, now)] for j in jobs(s.section('schedule'))}))"
    )
    results = {}
    for tz in ("America/New_York", "Asia/Kolkata", "UTC"):
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd="/",
                              env={"PATH": "/usr/bin:/bin", "TZ": tz, "HOME": os.environ.get("HOME", "/root")})
        assert proc.returncode == 0, proc.stderr
        results[tz] = json.loads(proc.stdout)
    assert results["America/New_York"] == results["Asia/Kolkata"] == results["UTC"]
    assert results["UTC"]["check"][0] == "2026-03-08T18:00:00+05:30"
    # 06:45 UTC is 12:15 in Kolkata: the next 4-hourly runs are 16:00, 20:00 and midnight
    assert results["UTC"]["backup"] == ["2026-03-08T16:00:00+05:30", "2026-03-08T20:00:00+05:30", "2026-03-09T00:00:00+05:30"]


def test_show_json_under_another_server_zone(tmp_path: Path) -> None:
    """The CLI with TZ=America/New_York: times in Asia/Kolkata with their offset, the same instants in UTC."""
    proc = run("--config", str(DATA / "default" / "netops.yaml"), "schedule", "show", "--json", "--unit-dir", str(tmp_path),
               env={"TZ": "America/New_York"})
    assert proc.returncode == 0, proc.stderr
    shown = json.loads(proc.stdout)
    assert shown["timezone"] == "Asia/Kolkata" and shown["server_zone"] == "America/New_York"
    check = {j["name"]: j for j in shown["jobs"]}["check"]
    assert check["on_calendar"] == ["*-*-* 18:00:00 Asia/Kolkata"] and check["installed"] == "no"
    for run_ in check["next"]:
        local, utc = datetime.fromisoformat(run_["local"]), datetime.fromisoformat(run_["utc"])
        assert run_["local"].endswith("+05:30") and (local.hour, local.minute) == (18, 0)
        assert run_["utc"].endswith("+00:00") and local == utc and (utc.hour, utc.minute) == (12, 30)
    assert check["command"][:3] == [str(NETOPS.resolve()), "--config", str(DATA / "default" / "netops.yaml")]


# --- systemd units ---------------------------------------------------------------------------------------------


def render(case: str) -> list[systemd.UnitFile]:
    settings, loaded = case_jobs(case)
    return systemd.units(loaded, systemd.Target(zone=settings.timezone, **TARGET))  # type: ignore[arg-type]


@pytest.mark.parametrize("case", CASES)
def test_units_match_the_golden_files(case: str) -> None:
    rendered = render(case)
    expected_dir = DATA / case / "expected"
    for unit in rendered:
        golden(expected_dir / unit.name, unit.text)
    if not REGEN:
        assert sorted(p.name for p in expected_dir.glob("netops-*")) == sorted(u.name for u in rendered)


def test_units_say_what_the_issue_asks() -> None:
    units = {u.name: u.text for u in render("default")}
    assert set(units) == {"netops-poll.service", "netops-backup.service", "netops-backup.timer", "netops-facts.service",
                          "netops-facts.timer", "netops-check.service",
                          "netops-check.timer", "netops-report.service", "netops-report.timer", "netops-prune.service",
                          "netops-prune.timer"}
    poll = units["netops-poll.service"]
    for line in ("Type=simple", "Restart=on-failure", "RestartSec=10", "WantedBy=multi-user.target",
                 "ExecStart=/opt/netops/bin/netops --config /etc/netops/netops.yaml poll --interval 60"):
        assert line in poll.splitlines()
    assert "SuccessExitStatus=1" in units["netops-check.service"].splitlines()
    assert "SuccessExitStatus=1" not in units["netops-backup.service"]
    for name, text in units.items():
        lines = text.splitlines()
        assert systemd.MARKER in lines and any(x.startswith("Description=") for x in lines)
        assert "Documentation=man:systemd.timer(5) man:systemd.time(7)" in lines
        if name.endswith(".timer"):
            assert {"Persistent=true", "AccuracySec=1min", "WantedBy=timers.target"} <= set(lines)
            assert all(x.endswith(" Asia/Kolkata") for x in lines if x.startswith("OnCalendar="))
        else:
            assert {"User=netops", "EnvironmentFile=/etc/netops/netops.env"} <= set(lines)
        assert not re.search(r"(?i)password=|secret=|community=", text)  # credentials only through the environment file
    assert [x for x in units["netops-backup.timer"].splitlines() if x.startswith("OnCalendar=")] == [
        "OnCalendar=*-*-* 00/4:00:00 Asia/Kolkata"]


def test_exec_start_quoting() -> None:
    assert systemd.exec_line(["/opt/net ops/bin/netops", "--config", "/etc/50%/netops.yaml", "check"]) == \
        '"/opt/net ops/bin/netops" --config /etc/50%%/netops.yaml check'
    assert systemd.exec_line(["a$b", 'q"uote']) == 'a$$b "q\\"uote"'


CALENDAR_JOBS = [
    Job("poll", 60), Job("poll", 300), Job("check", 7 * 60), Job("check", 45 * 60), Job("check", 90 * 60), Job("backup", 3600),
    Job("backup", 4 * 3600), Job("backup", 7 * 3600), Job("backup", 12 * 3600), Job("backup", 86400),
    Job("check", None, (time(18, 0),)), Job("report", None, (time(0, 0), time(6, 30), time(18, 30), time(23, 59))),
    Job("report", None, (time(2, 30),)),
]


def analyze(lines: list[str], base: datetime, iterations: int) -> subprocess.CompletedProcess[str]:
    assert ANALYZE is not None
    return subprocess.run([ANALYZE, "calendar", f"--base-time={base.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC",
                           f"--iterations={iterations}", *lines], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "TZ": "UTC", "SYSTEMD_COLORS": "0"})


def elapses(output: str) -> list[datetime]:
    """Every ``Next elapse`` / ``Iter. #n`` of ``systemd-analyze calendar`` (printed in UTC with TZ=UTC)."""
    found = re.findall(r"(?:Next elapse|Iter\. #\d+): \w{3} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC", output)
    return [datetime.fromisoformat(f).replace(tzinfo=UTC) for f in found]


@needs_analyze
@pytest.mark.parametrize("case", CASES)
def test_systemd_accepts_every_oncalendar_line_of_the_cases(case: str) -> None:
    lines = [x.removeprefix("OnCalendar=") for u in render(case) for x in u.text.splitlines() if x.startswith("OnCalendar=")]
    assert lines
    proc = analyze(lines, datetime(2026, 5, 4, tzinfo=UTC), 1)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("Normalized form:") == len(lines)


@needs_analyze
@pytest.mark.parametrize("zone", ["Asia/Kolkata", "America/New_York", "UTC"])
@pytest.mark.parametrize("job", CALENDAR_JOBS, ids=lambda j: j.rhythm.replace(" ", "_"))
def test_systemd_computes_the_same_next_runs(job: Job, zone: str) -> None:
    """Each OnCalendar= set netops writes is valid, and systemd's next elapses are the runs `netops schedule show`
    lists — across midnight and, for New York, across the night daylight saving time begins."""
    lines = systemd.calendar(job, zone)
    # 00:30 on the days New York springs forward and falls back (the 02:00-03:00 gap, the repeated 01:00-02:00 hour),
    # and ten minutes before midnight. (systemd 252 itself fails with EDEADLK for some patterns computed from shortly
    # before midnight on the spring-forward day in a zone with daylight saving time; Asia/Kolkata has none.)
    for base in (datetime(2026, 3, 8, 0, 30, tzinfo=ZoneInfo(zone)), datetime(2026, 11, 1, 0, 30, tzinfo=ZoneInfo(zone)),
                 datetime(2026, 5, 4, 23, 50, tzinfo=ZoneInfo(zone))):
        count = 6
        proc = analyze(lines, base, count)
        assert proc.returncode == 0, proc.stderr
        theirs = sorted(elapses(proc.stdout))  # each line's own next runs, merged: the timer's runs
        ours = next_runs(job, ZoneInfo(zone), base, count)
        assert [r.astimezone(UTC) for r in ours] == theirs[:count], (lines, base)


def test_calendar_lines_are_few() -> None:
    assert systemd.calendar(Job("poll", 60), "Asia/Kolkata") == ["*-*-* *:*:00 Asia/Kolkata"]
    assert systemd.calendar(Job("check", 90 * 60), "Asia/Kolkata") == ["*-*-* 00/3:00:00 Asia/Kolkata",
                                                                        "*-*-* 01/3:30:00 Asia/Kolkata"]
    assert systemd.calendar(Job("check", None, (time(6, 0), time(18, 0))), "UTC") == ["*-*-* 06,18:00:00 UTC"]


# --- install and remove into a temporary unit directory --------------------------------------------------------


def files(directory: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(directory.iterdir())} if directory.is_dir() else {}


def test_install_remove_in_a_unit_dir(tmp_path: Path) -> None:
    units = tmp_path / "units"
    units.mkdir()
    (units / "netops-mine.service").write_text("[Service]\nExecStart=/bin/true\n")  # someone else's, named like ours
    (units / "other.timer").write_text("[Timer]\nOnCalendar=daily\n")
    foreign = files(units)
    config = ["--config", str(DATA / "default" / "netops.yaml")]

    dry = run(*config, "schedule", "install", "--unit-dir", str(units), "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    planned = json.loads(dry.stdout)
    assert files(units) == foreign  # --dry-run writes nothing
    assert planned["dry_run"] and planned["mode"] == "systemd" and not planned["systemd_running"]
    assert [f["action"] for f in planned["files"]] == ["create"] * 11
    assert [c["command"] for c in planned["commands"]] == [
        ["systemctl", "daemon-reload"],
        ["systemctl", "enable", "--now", "netops-backup.timer", "netops-facts.timer", "netops-check.timer", "netops-report.timer", "netops-prune.timer", "netops-poll.service"]]
    assert not any(c["ran"] for c in planned["commands"])

    first = run(*config, "schedule", "install", "--unit-dir", str(units))
    assert first.returncode == 0, first.stderr
    assert "systemd is not running here (no /run/systemd/system)" in first.stdout
    assert "  systemctl enable --now netops-backup.timer netops-facts.timer netops-check.timer netops-report.timer netops-prune.timer netops-poll.service" in first.stdout
    written = files(units)
    assert {k: v for k, v in written.items() if k in foreign} == foreign
    ours = sorted(set(written) - set(foreign))
    assert len(ours) == 11 and all((units / n).stat().st_mode & 0o777 == 0o644 for n in ours)
    assert not list(units.glob(".*"))  # no temporary file left behind
    assert {f["content"] for f in planned["files"]} == {written[n] for n in ours}  # the dry run showed exactly these

    again = run(*config, "schedule", "install", "--unit-dir", str(units), "--json")
    assert [f["action"] for f in json.loads(again.stdout)["files"]] == ["unchanged"] * 11  # idempotent
    assert files(units) == written

    shown = json.loads(run(*config, "schedule", "show", "--json", "--unit-dir", str(units)).stdout)
    assert {j["name"]: (j["installed"], j["installed_as"]) for j in shown["jobs"]} == {
        n: ("yes", "systemd") for n in ("poll", "backup", "facts", "check", "report", "prune")}

    # the schedule changes: poll becomes a timer, report is switched off -> its units go, poll gets a timer
    custom = ["--config", str(DATA / "custom" / "netops.yaml")]
    shown = json.loads(run(*custom, "schedule", "show", "--json", "--unit-dir", str(units)).stdout)
    assert {j["name"]: j["installed"] for j in shown["jobs"]} == {"poll": "partly", "backup": "differs", "facts": "differs", "check": "differs",
                                                                    "report": "differs", "prune": "differs"}
    changed = json.loads(run(*custom, "schedule", "install", "--unit-dir", str(units), "--json").stdout)
    actions = {Path(f["path"]).name: f["action"] for f in changed["files"]}
    assert actions == {"netops-poll.service": "update", "netops-poll.timer": "create", "netops-backup.service": "update",
                       "netops-backup.timer": "update", "netops-facts.service": "update", "netops-facts.timer": "update",
                       "netops-check.service": "update", "netops-check.timer": "update",
                       "netops-report.service": "remove", "netops-report.timer": "remove",
                       "netops-prune.service": "update", "netops-prune.timer": "update"}
    assert ["systemctl", "disable", "--now", "netops-report.service", "netops-report.timer"] in [c["command"] for c in changed["commands"]]

    removed = run(*custom, "schedule", "remove", "--unit-dir", str(units))
    assert removed.returncode == 0, removed.stderr
    assert files(units) == foreign  # exactly ours gone, the others untouched
    assert "left alone (not written by netops): netops-mine.service" in removed.stderr
    assert run(*custom, "schedule", "remove", "--unit-dir", str(units)).returncode == 0  # nothing left: still fine


def test_install_never_overwrites_a_unit_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "netops-backup.service").write_text("[Service]\nExecStart=/usr/local/bin/my-backup\n")
    proc = run("--config", str(DATA / "default" / "netops.yaml"), "schedule", "install", "--unit-dir", str(tmp_path))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: --unit-dir: {tmp_path}/netops-backup.service exists and netops did not write it")
    assert [p.name for p in tmp_path.iterdir()] == ["netops-backup.service"]


def test_install_options_reach_the_units(tmp_path: Path) -> None:
    env_file = tmp_path / "netops.env"
    env_file.write_text("NETOPS_USERNAME=noc\nNETOPS_PASSWORD=s3cr3t-value\n")
    units = tmp_path / "units"
    proc = run("--config", str(DATA / "custom" / "netops.yaml"), "schedule", "install", "--unit-dir", str(units),
               "--user", "nobody", "--environment-file", str(env_file))
    assert proc.returncode == 0, proc.stderr
    text = (units / "netops-backup.service").read_text()
    assert "User=nobody" in text and f"EnvironmentFile={env_file}" in text
    assert f"ExecStart={NETOPS.resolve()} --config {DATA / 'custom' / 'netops.yaml'} backup" in text
    assert "s3cr3t-value" not in "".join(p.read_text() for p in units.iterdir())  # the file's name, never its content
    noted = run("--config", str(DATA / "custom" / "netops.yaml"), "schedule", "show", "--unit-dir", str(units),
                env={"NETOPS_DATA_DIR": str(tmp_path / "data")})
    assert ("note: data_dir comes from environment NETOPS_DATA_DIR, which the scheduled jobs do not see: put it in "
            f"{DATA / 'custom' / 'netops.yaml'} (or the environment file) for them") in noted.stderr
    bad = run("--config", str(DATA / "custom" / "netops.yaml"), "schedule", "install", "--unit-dir", str(units), "--user",
              "no-such-user-here", "--dry-run")
    assert bad.returncode == 2 and bad.stderr.strip() == "error: --user: no user 'no-such-user-here' on this server"


@pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed")
def test_systemd_verifies_the_written_units(tmp_path: Path) -> None:
    for case in CASES:
        units = tmp_path / case
        proc = run("--config", str(DATA / case / "netops.yaml"), "schedule", "install", "--unit-dir", str(units))
        assert proc.returncode == 0, proc.stderr
        assert ANALYZE is not None
        check = subprocess.run([ANALYZE, "verify", "--man=no", *sorted(str(p) for p in units.iterdir())], capture_output=True,
                               text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "SYSTEMD_LOG_COLOR": "0"})
        assert check.returncode == 0 and check.stderr.strip() == "", check.stderr


# --- crontab ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_crontab_block_matches_the_golden_file(case: str) -> None:
    settings, loaded = case_jobs(case)
    text = cron.block(loaded, BASE, settings.timezone, settings.zone, cron.ServerZone(ZoneInfo("Etc/UTC"), "Etc/UTC"),
                      GOLDEN_DAY, Path("/etc/netops/netops.env"), user="netops")
    golden(DATA / case / "expected" / "netops.cron", text)


def test_crontab_file_install_and_remove(tmp_path: Path) -> None:
    tab = tmp_path / "netops"
    before = "# the team's own jobs\nMAILTO=noc@example.org\n17 3 * * * root /usr/local/bin/rotate-logs\n"
    tab.write_text(before)
    config = ["--config", str(DATA / "default" / "netops.yaml")]
    args = ("schedule", "install", "--crontab-file", str(tab), "--user", "nobody")

    dry = run(*config, *args, "--dry-run")
    assert dry.returncode == 0 and tab.read_text() == before
    assert dry.stdout.startswith(f"would add the netops block to {tab}\n    # BEGIN netops schedule")

    new_york = run(*config, *args, env={"TZ": "America/New_York"})
    assert new_york.returncode == 0, new_york.stderr
    text = tab.read_text()
    assert text.startswith(before) and text.count(cron.BEGIN) == 1
    lines = text.splitlines()
    assert "# job check: at 18:00 Asia/Kolkata = 08:30 America/New_York" in lines or \
        "# job check: at 18:00 Asia/Kolkata = 07:30 America/New_York" in lines  # EDT or EST on the day of the run
    assert any(x.startswith("30 ") and x.endswith(" * * * nobody exec " + f"{NETOPS.resolve()} --config "
                                                  f"{DATA / 'default' / 'netops.yaml'} check") for x in lines)
    assert "* * * * * nobody exec " + f"{NETOPS.resolve()} --config {DATA / 'default' / 'netops.yaml'} poll --once >/dev/null" in lines
    assert "America/New_York changes its offset for daylight saving time: install again after each change." in text[len(before):]
    assert tab.stat().st_mode & 0o777 == 0o644

    utc = run(*config, *args)  # the server's zone "changed": the block is replaced, the rest stays
    assert utc.returncode == 0 and "replaced the netops block in" in utc.stdout
    text = tab.read_text()
    assert text.startswith(before) and text.count(cron.BEGIN) == 1
    assert "# job check: at 18:00 Asia/Kolkata = 12:30 UTC" in text.splitlines()
    assert "30 12 * * * nobody exec" in text and "30 2-23/4 * * * nobody exec" in text
    assert run(*config, *args).stdout.startswith("the netops block is unchanged in")  # idempotent
    shown = json.loads(run(*config, "schedule", "show", "--json", "--crontab-file", str(tab), "--unit-dir", str(tmp_path)).stdout)
    assert {j["name"]: (j["installed"], j["installed_as"]) for j in shown["jobs"]} == {
        n: ("yes", "crontab") for n in ("poll", "backup", "facts", "check", "report", "prune")}

    removed = run(*config, "schedule", "remove", "--crontab-file", str(tab))
    assert removed.returncode == 0 and removed.stdout.startswith("removed the netops block from")
    assert tab.read_text() == before
    assert run(*config, "schedule", "remove", "--crontab-file", str(tab)).stdout.startswith("no netops block in")


def test_cron_refuses_an_interval_that_does_not_divide_a_day(tmp_path: Path) -> None:
    config = tmp_path / "netops.yaml"
    config.write_text("schedule:\n  backup:\n    every: 7h\n")
    units = run("--config", str(config), "schedule", "install", "--unit-dir", str(tmp_path / "units"))
    assert units.returncode == 0, units.stderr  # a timer takes it: 00:00, 07:00, 14:00, 21:00 each day
    assert "OnCalendar=*-*-* 00/7:00:00 Asia/Kolkata" in (tmp_path / "units" / "netops-backup.timer").read_text()
    proc = run("--config", str(config), "schedule", "install", "--crontab-file", str(tmp_path / "netops"))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: {config}:3: schedule.backup.every: every 7h does not divide a day evenly; "
                                  "a crontab takes only intervals that do")
    assert not (tmp_path / "netops").exists()


def test_cron_d_file_names_cron_would_ignore_are_refused() -> None:
    proc = run("--config", str(DATA / "default" / "netops.yaml"), "schedule", "install", "--crontab-file",
               "/etc/cron.d/netops.cron", "--dry-run")
    assert proc.returncode == 2
    assert "cron ignores /etc/cron.d/netops.cron: names in /etc/cron.d may hold only letters, digits, _ and -" in proc.stderr


def test_crontab_merge_keeps_every_other_line() -> None:
    block = f"{cron.BEGIN}\n0 1 * * * x\n{cron.END}\n"
    assert cron.merge("", block) == block
    assert cron.merge("a\nb", block) == "a\nb\n" + block
    assert cron.merge("a\n" + block + "z\n", None) == "a\nz\n"
    assert cron.merge("a\n" + block + "z\n", block.replace("x", "y")) == "a\n" + block.replace("x", "y") + "z\n"
    assert cron.merge("a\n", None) == "a\n"
    assert cron.shell_line(["netops", "report", "--subject", "50% done"], Path("/etc/netops/netops.env")) == \
        "set -a; . /etc/netops/netops.env; set +a; exec netops report --subject '50\\% done'"


FAKE_CRONTAB = """#!/bin/sh
# a stand-in for crontab(1) that keeps the table in $FAKE_CRONTAB: -l prints it, - replaces it with stdin
case "$1" in
  -l) if [ -f "$FAKE_CRONTAB" ]; then exec /bin/cat "$FAKE_CRONTAB"; fi; echo "no crontab for tester" >&2; exit 1;;
  -) exec /bin/cat > "$FAKE_CRONTAB";;
esac
exit 2
"""


def test_without_systemctl_the_users_crontab_is_used(tmp_path: Path) -> None:
    """A server without systemd but with crontab: install goes through `crontab -l` / `crontab -` by itself (here a
    stand-in crontab on a PATH without systemctl; the machine's crontabs are never touched)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "crontab").write_text(FAKE_CRONTAB)
    (bin_dir / "crontab").chmod(0o755)
    table = tmp_path / "table"
    env = {"PATH": str(bin_dir), "FAKE_CRONTAB": str(table)}
    config = ["--config", str(DATA / "default" / "netops.yaml")]

    proc = run(*config, "schedule", "install", env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("added the netops block to crontab of ")
    assert "note: systemd is absent on this server (no systemctl): the schedule goes into the crontab" in proc.stderr
    first = table.read_text()
    assert first.startswith(cron.BEGIN) and "30 12 * * * exec " in first  # a user's crontab: no user column
    table.write_text("MAILTO=noc@example.org\n" + first + "5 4 * * * /usr/local/bin/mine\n")
    assert run(*config, "schedule", "install", env=env).stdout.startswith("the netops block is unchanged in crontab of ")
    shown = json.loads(run(*config, "schedule", "show", "--json", "--unit-dir", str(tmp_path), env=env).stdout)
    assert shown["crontab"] == "crontab -l" and {j["installed"] for j in shown["jobs"]} == {"yes"}
    removed = run(*config, "schedule", "remove", env=env)
    assert removed.returncode == 0 and removed.stdout.startswith("removed the netops block from crontab of ")
    assert table.read_text() == "MAILTO=noc@example.org\n5 4 * * * /usr/local/bin/mine\n"
