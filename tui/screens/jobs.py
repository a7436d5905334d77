"""Jobs: run backup / check / poll / facts on tagged (or all) devices, make the daily report; per-device progress, a log,
and the schedule the timers follow."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, ProgressBar, RichLog, Static

from netops.results import DeviceResult
from netops.services.schedule import JobView, Schedule
from netops.services.state import Snapshot
from tui.format import styled
from tui.jobs import Job, JobEvent
from tui.screens.base import NetopsScreen
from tui.widgets.tables import refill
from tui.widgets.virtual_table import VirtualTable

SCHEDULE_MIN_HEIGHT = 32  # terminal rows below which the schedule table is left out


class JobsScreen(NetopsScreen):
    BINDINGS = [
        Binding("b", "run('backup')", "Backup"),
        Binding("c", "run('check')", "Check"),
        Binding("o", "run('poll')", "Poll"),
        Binding("f", "run('facts')", "Facts"),
        Binding("r", "report", "Report"),
    ]
    REPORT = "daily report"  # the one "device" of a report job

    def __init__(self) -> None:
        super().__init__()
        self.shown: Job | None = None

    def body(self) -> ComposeResult:
        yield Static(id="scope")
        yield Static("engine: …", id="engine")
        jobs: DataTable = DataTable(id="jobs", cursor_type="row")
        jobs.border_title = "Jobs"
        yield jobs
        yield ProgressBar(id="progress", show_eta=False)
        yield VirtualTable([("device", "Device"), ("status", "Status"), ("elapsed", "Elapsed"), ("reason", "Reason")],
                           min_widths={"status": 9, "elapsed": 7}, flex=("reason",), id="job-devices")
        log = RichLog(id="job-log", max_lines=2000, wrap=False)
        log.border_title = "Log"
        yield log
        schedule: DataTable = DataTable(id="schedule", cursor_type="none")
        schedule.border_title = "Schedule"
        yield schedule

    def on_mount(self) -> None:
        jobs = self.query_one("#jobs", DataTable)
        for label in ("Job", "Started", "State", "Done", "Failed"):
            jobs.add_column(label, key=label.lower())
        log = self.query_one(RichLog)
        for job in self.napp.jobs:
            log.write("\n".join(job.log))
        self.napp.job_signal.subscribe(self, self.on_job_event)
        self.query_one("#schedule", DataTable).add_columns("Job", "Rhythm", "Next run", "Installed")
        self.load_schedule()
        self.load_engine()
        self.list_jobs()
        if self.napp.jobs:
            self.show_job(self.napp.jobs[-1])

    def on_screen_resume(self) -> None:
        if self.napp.snapshot is not None:  # devices tagged on another view since: the scope line says so
            self.show(self.napp.snapshot)

    def show(self, snapshot: Snapshot) -> None:
        tagged = len(self.napp.tagged)
        scope = f"{tagged} tagged device(s)" if tagged else f"all {len(snapshot.devices)} devices"
        text = Text(f"b backup · c check · o poll · f facts — on {scope} · r daily report")  # the screen's bindings say the same
        if self.napp.read_only:
            text = Text("read-only mode: jobs are disabled", style="bold yellow")
        self.query_one("#scope", Static).update(text)

    def list_jobs(self) -> None:
        """Newest job first; rows of known jobs are updated in place (the cursor stays)."""
        table = self.query_one("#jobs", DataTable)
        if any(str(job.id) not in table.rows for job in self.napp.jobs):
            table.clear()
            for job in reversed(self.napp.jobs):
                table.add_row(*self._job_cells(job), key=str(job.id))
            return
        for job in self.napp.jobs:
            for key, value in zip(("job", "started", "state", "done", "failed"), self._job_cells(job)):
                table.update_cell(str(job.id), key, value, update_width=True)

    @staticmethod
    def _job_cells(job: Job) -> tuple:
        failed = sum(r.failed for r in job.results.values())
        return (job.title, f"{job.started:%H:%M:%S}", styled(job.state), f"{len(job.results)}/{len(job.hosts)}",
                Text(str(failed), style="red" if failed else ""))

    def show_job(self, job: Job) -> None:
        self.shown = job
        self.query_one(VirtualTable).set_rows([(h, self._cells(h, job.results.get(h), job)) for h in job.hosts])
        self.query_one(ProgressBar).update(total=len(job.hosts), progress=len(job.results))

    def _cells(self, host: str, result: DeviceResult[Any] | None, job: Job) -> tuple:
        if result is None:
            return host, styled("running" if job.finished is None else "skipped"), "", ""
        return host, styled(result.status.value), f"{result.elapsed:.1f}s", Text(result.reason or "")

    def on_job_event(self, event: JobEvent) -> None:
        job = event.job
        self.query_one(RichLog).write("\n".join(event.lines))
        self.list_jobs()
        if self.shown is None or (job is not self.shown and not event.updates and job.id > self.shown.id):
            self.show_job(job)
        elif job is self.shown:
            if not event.updates:
                self.show_job(job)
                return
            table = self.query_one(VirtualTable)
            for update in event.updates:
                table.update_row(update.host, self._cells(update.host, update, job))
            self.query_one(ProgressBar).update(progress=len(job.results))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "jobs" and event.row_key.value is not None:
            job = next(j for j in self.napp.jobs if str(j.id) == event.row_key.value)
            if job is not self.shown:
                self.show_job(job)

    def action_run(self, kind: str) -> None:
        self.napp.start_job(kind)  # type: ignore[arg-type]

    def on_resize(self, event: events.Resize) -> None:
        """The schedule shows where there is room for it beside the jobs, their devices and the log."""
        self.query_one("#schedule").display = event.size.height >= SCHEDULE_MIN_HEIGHT

    def action_report(self) -> None:
        self.napp.start_job("report", [self.REPORT])

    @work(thread=True, exclusive=True, group="engine", exit_on_error=False)
    def load_engine(self) -> None:
        """Where the jobs run (asking the workers takes up to a second: off the event loop)."""
        line = self.napp.source.engine().line()
        self.app.call_from_thread(self.query_one("#engine", Static).update, line)

    @work(thread=True, exclusive=True, group="schedule", exit_on_error=False)
    def load_schedule(self) -> None:
        try:
            schedule = self.napp.source.schedule()
        except Exception as exc:  # a worker boundary: a broken schedule section is said in the table's title
            self.app.call_from_thread(self._schedule_error, str(exc).splitlines()[0])
            return
        self.app.call_from_thread(self.show_schedule, schedule)

    def _schedule_error(self, message: str) -> None:
        self.query_one("#schedule", DataTable).border_title = f"Schedule: {message}"

    def show_schedule(self, schedule: Schedule) -> None:
        table = self.query_one("#schedule", DataTable)
        table.border_title = f"Schedule ({schedule.timezone}; netops schedule install writes the timers)"
        refill(table, ((view.job.name, (view.job.name, view.job.rhythm, f"{view.next[0]:%a %H:%M}" if view.next else "-",
                                        installed(view)))
                       for view in schedule.jobs))



def installed(view: JobView) -> Text:
    how = f" ({view.installed_as})" if view.installed_as else ""
    return Text(view.installed + how, style="green" if view.installed == "yes" else "yellow")
