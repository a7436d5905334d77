"""The netops dashboard: one Textual app, one screen per view (k9s-style modes).

All I/O happens in thread workers that call a :class:`tui.source.Source`; the
workers post messages back, and the app keeps the latest :class:`Snapshot` in a
reactive that every screen watches. The clock is injected so screens (and the
snapshot tests) render ages against a known time.
"""

from __future__ import annotations

import io
import itertools
import queue
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from rich.console import Console
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.signal import Signal
from textual.timer import Timer
from textual.worker import get_current_worker

from netops.results import DeviceResult
from netops.services.state import Snapshot
from tui.jobs import Job, JobEvent, JobFinished, SnapshotLoaded
from tui.screens import MODES
from tui.screens.clients import ClientsScreen
from tui.screens.command import ALIASES, CommandScreen
from tui.screens.help import HelpScreen
from tui.screens.privacy import PrivacyScreen
from tui.screens.snapshots import SnapshotsScreen
from tui.source import JOB_KINDS, JobKind, Source

Clock = Callable[[], datetime]
JOB_BATCH_SECONDS = 0.1  # per-device job results reach the screens in batches at most this often


def utc_now() -> datetime:
    return datetime.now(timezone.utc)

STDOUT = Path("-")  # --snapshot -: the overview as text on stdout


@dataclass(frozen=True)
class TuiOptions:
    """How the dashboard runs (``netops tui`` flags)."""

    read_only: bool = False
    refresh: float = 5.0  # seconds between automatic reloads; 0 disables them
    snapshot: Path | None = None  # render the overview once to this .svg/.txt file (STDOUT: text to stdout) and exit
    headless_seconds: float | None = None  # run without a terminal for this long, then exit
    size: tuple[int, int] = (100, 30)  # terminal size of the non-interactive modes


class NetopsApp(App[str | None]):
    CSS_PATH = "netops.tcss"
    TITLE = "netops"
    MODES = MODES
    DEFAULT_MODE = "overview"
    BINDINGS = [
        Binding("1", "switch_mode('overview')", "Overview", show=False),
        Binding("2", "switch_mode('devices')", "Devices", show=False),
        Binding("3", "switch_mode('compliance')", "Compliance", show=False),
        Binding("4", "switch_mode('wifi')", "Wi-Fi", show=False),
        Binding("5", "switch_mode('backups')", "Backups", show=False),
        Binding("6", "switch_mode('jobs')", "Jobs", show=False),
        Binding("7", "switch_mode('resilience')", "Resilience", show=False),
        Binding("8", "switch_mode('audit')", "Audit", show=False),
        Binding("S", "snapshots", "Snapshots", show=False),
        Binding("colon", "command_line", "Cmd"),
        Binding("question_mark", "help", "Help"),
        Binding("p", "toggle_refresh", "Pause"),
        Binding("ctrl+r", "reload", "Reload", show=False),
        Binding("q", "quit", "Quit"),
    ]

    snapshot: reactive[Snapshot | None] = reactive(None, always_update=True)
    paused: reactive[bool] = reactive(False)

    def __init__(self, source: Callable[[], Source], options: TuiOptions = TuiOptions(), clock: Clock = utc_now) -> None:
        """``source`` builds the data source; it is called in the first worker, so heavy imports never delay the first frame."""
        super().__init__()
        self._source_factory = source
        self._source: Source | None = None
        self._source_lock = threading.Lock()
        self.options = options
        self.clock = clock
        self.tagged: set[str] = set()
        self.jobs: list[Job] = []
        self.job_signal: Signal[JobEvent] = Signal(self, "job")
        self._job_ids = itertools.count(1)
        self._job_updates: queue.SimpleQueue[tuple[int, DeviceResult[Any]]] = queue.SimpleQueue()
        self._refresh_timer: Timer | None = None

    @property
    def source(self) -> Source:
        """The data source (built on first use, from a worker thread)."""
        with self._source_lock:
            if self._source is None:
                self._source = self._source_factory()
            return self._source

    @property
    def read_only(self) -> bool:
        return self.options.read_only

    # -- lifecycle ---------------------------------------------------------
    def on_mount(self) -> None:
        self.call_after_refresh(self.load_snapshot)  # paint the first frame before netops loads
        if self.options.refresh > 0:
            self._refresh_timer = self.set_interval(self.options.refresh, self.load_snapshot)
        if self.options.headless_seconds is not None:
            self.set_timer(self.options.headless_seconds, self.exit)
        self.set_interval(JOB_BATCH_SECONDS, self.apply_job_updates)

    @work(thread=True, exclusive=True, group="snapshot", exit_on_error=False)
    def load_snapshot(self) -> None:
        """Read every store in a thread; post the result back to the UI."""
        try:
            snap = self.source.snapshot()
        except Exception as exc:  # a worker boundary: errors become notifications
            if self.options.snapshot is not None:
                self.call_from_thread(self.exit, None, 1, f"reading data failed: {exc}")
            else:
                self.call_from_thread(self.notify, f"reading data failed: {exc}", severity="error", timeout=8)
            return
        if not get_current_worker().is_cancelled:
            self.post_message(SnapshotLoaded(snap))

    def on_snapshot_loaded(self, message: SnapshotLoaded) -> None:
        first = self.snapshot is None
        self.snapshot = message.snapshot
        if first and self.options.snapshot is not None:
            self.set_timer(0.3, self._write_snapshot)

    def _write_snapshot(self) -> None:
        path = self.options.snapshot
        assert path is not None
        if path == STDOUT:
            self.exit(result=self.screen_text())  # printed by run() once the app has let go of the terminal
            return
        path.write_text(self.export_screenshot() if path.suffix == ".svg" else self.screen_text(), encoding="utf-8")
        self.exit()

    def screen_text(self) -> str:
        """The current screen as plain text (what ``tmux capture-pane`` would show)."""
        width, height = self.size
        console = Console(width=width, height=height, file=io.StringIO(), record=True, color_system=None)
        console.print(self.screen._compositor.render_update(full=True, screen_stack=self._background_screens))
        return "\n".join(line.rstrip() for line in console.export_text(styles=False).splitlines()) + "\n"

    # -- refresh -----------------------------------------------------------
    def action_toggle_refresh(self) -> None:
        if self._refresh_timer is None:
            self.notify("automatic refresh is off (--refresh 0)")
            return
        self.paused = not self.paused
        if self.paused:
            self._refresh_timer.pause()
        else:
            self._refresh_timer.resume()
            self.load_snapshot()
        self.notify("refresh paused" if self.paused else "refresh resumed")

    def action_reload(self) -> None:
        self.load_snapshot()

    # -- navigation --------------------------------------------------------
    def action_command_line(self) -> None:
        self.push_screen(CommandScreen(), self.run_command)

    def run_command(self, command: str | None) -> None:
        """Act on a ``:`` command: a view alias, ``clients``, ``privacy``, ``help`` or ``quit``."""
        if not command:
            return
        target = ALIASES.get(command.strip().lower())
        if target is None:
            self.notify(f"unknown command :{command} (try :help)", severity="warning")
        elif target == "help":
            self.action_help()
        elif target == "quit":
            self.exit()
        elif target == "clients":
            self.action_clients()
        elif target == "privacy":
            self.action_privacy()
        elif target == "snapshots":
            self.action_snapshots()
        else:
            self.switch_mode(target)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_clients(self) -> None:
        """The help desk's client lookup (also ``l`` in the Wi-Fi view)."""
        if not isinstance(self.screen, ClientsScreen):
            self.push_screen(ClientsScreen())

    def action_privacy(self) -> None:
        """The privacy report (also ``P`` in the Audit view)."""
        if not isinstance(self.screen, PrivacyScreen):
            self.push_screen(PrivacyScreen())

    def action_snapshots(self) -> None:
        """Snapshots of operational state: list, diff two, take one (``S``, ``:snapshots``)."""
        if not isinstance(self.screen, SnapshotsScreen):
            self.push_screen(SnapshotsScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for mode in MODES:
            yield SystemCommand(f"Go to {mode}", f"Show the {mode} view", lambda m=mode: self.switch_mode(m))
        for kind in JOB_KINDS:
            yield SystemCommand(f"Run {kind}", f"Run {kind} on the tagged devices (all when none is tagged)",
                                lambda k=kind: self.start_job(k))
        yield SystemCommand("Look up a Wi-Fi client", "Which AP, SSID and VLAN a MAC, user or IP is on now, and its history",
                            self.action_clients)
        yield SystemCommand("Privacy report", "What personal data netops holds, for how long, and the safeguards (DPDP)",
                            self.action_privacy)
        yield SystemCommand("Snapshots of operational state", "Before/after a change: list, diff two (regressions), take one",
                            self.action_snapshots)
        yield SystemCommand("Pause/resume refresh", "Toggle the automatic refresh", self.action_toggle_refresh)
        yield SystemCommand("Reload now", "Read every store again", self.action_reload)

    # -- jobs --------------------------------------------------------------
    def job_scope(self) -> list[str]:
        """Tagged devices, or every device when none is tagged."""
        if self.tagged:
            return sorted(self.tagged)
        return [d.name for d in self.snapshot.devices] if self.snapshot else []

    def start_job(self, kind: JobKind, hosts: list[str] | None = None, rev: str | None = None, rule: str | None = None,
                  reason: str | None = None) -> Job | None:
        """Start a job in a thread worker; refused in read-only mode."""
        if self.read_only:
            self.notify(f"read-only mode: {kind} is disabled", severity="warning")
            return None
        hosts = hosts if hosts is not None else self.job_scope()
        if not hosts:
            self.notify(f"{kind}: no devices to run on", severity="warning")
            return None
        job = Job(next(self._job_ids), kind, hosts, self.clock(), rev=rev, rule=rule, reason=reason)
        self.jobs.append(job)
        self._job_log(job, [f"started on {len(hosts)} device(s)"])
        self._run_job(job)
        self.notify(f"{job.title} started (6: Jobs)")
        return job

    @work(thread=True, exit_on_error=False)
    def _run_job(self, job: Job) -> None:
        """Run in a thread; per-device results queue up for :meth:`apply_job_updates`."""
        try:
            self.source.run_job(job.kind, job.hosts, lambda u: self._job_updates.put((job.id, u)),  # type: ignore[arg-type]
                                rev=job.rev, rule=job.rule, reason=job.reason)
        except Exception as exc:  # a worker boundary: errors go to the job log
            self.post_message(JobFinished(job.id, str(exc) or type(exc).__name__))
        else:
            self.post_message(JobFinished(job.id, None))

    def _job(self, job_id: int) -> Job:
        return next(j for j in self.jobs if j.id == job_id)

    def _job_log(self, job: Job, lines: list[str], updates: list[DeviceResult[Any]] | None = None) -> None:
        """Add lines to the job's log and tell the screens."""
        stamped = [f"{self.clock():%H:%M:%S} #{job.id} {job.kind}: {line}" for line in lines]
        job.log.extend(stamped)
        self.job_signal.publish(JobEvent(job, stamped, updates or []))

    def apply_job_updates(self) -> None:
        """Move queued per-device results into their jobs: one screen update per job per batch."""
        batches: dict[int, list[DeviceResult[Any]]] = {}
        while not self._job_updates.empty():
            job_id, update = self._job_updates.get()
            batches.setdefault(job_id, []).append(update)
        for job_id, updates in batches.items():
            job = self._job(job_id)
            for update in updates:
                job.results[update.host] = update
            self._job_log(job, [f"{u.host} {u.status.value}" + (f" ({u.reason})" if u.reason else "") for u in updates], updates)

    def on_job_finished(self, message: JobFinished) -> None:
        self.apply_job_updates()
        job = self._job(message.job_id)
        job.finished, job.error = self.clock(), message.error
        failed = sum(r.failed for r in job.results.values())
        if message.error:
            self._job_log(job, [f"error: {message.error}"])
            self.notify(f"{job.title}: {message.error}", severity="error", timeout=8)
        else:
            self._job_log(job, [f"finished: {len(job.results)} done, {failed} failed"])
            self.notify(f"{job.title} finished: {failed} failed", severity="warning" if failed else "information")
        self.load_snapshot()


def run(source: Callable[[], Source], options: TuiOptions) -> None:
    """Run the dashboard in the terminal, or headless for ``--snapshot`` / ``--headless-seconds``."""
    app = NetopsApp(source, options)
    headless = options.snapshot is not None or options.headless_seconds is not None
    text = app.run(headless=headless, size=options.size if headless else None)
    if options.snapshot == STDOUT and text:
        sys.stdout.write(text)
