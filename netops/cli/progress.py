"""Progress of a service job on stderr, drawn from its events (nothing when stderr is not a terminal).

Per-device jobs show a bar; once few devices remain, their names, so a run that
waits on a slow device says which one. Steps (parsing, probing) show a bar of
their own.
"""

from __future__ import annotations

from types import TracebackType

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from netops.cli.output import err_console
from netops.services.events import Advanced, Event, Finished, Started, Step

PENDING_SHOWN = 3  # name the pending devices once this few remain


class JobProgress:
    """A listener for :mod:`netops.services.events`, used as a context manager around the job."""

    def __init__(self) -> None:
        self.bar = Progress(TextColumn("{task.description}", style="bold", markup=False), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            TextColumn("{task.fields[pending]}", markup=False), console=err_console, transient=True,
                            disable=not err_console.is_terminal)
        self.tasks: dict[str, TaskID] = {}
        self.pending: dict[str, set[str]] = {}

    def __enter__(self) -> JobProgress:
        self.bar.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.bar.__exit__(kind, exc, tb)

    def __call__(self, event: Event) -> None:
        if isinstance(event, Started):
            self.pending[event.kind] = set(event.hosts)
            self.tasks[event.kind] = self.bar.add_task(event.kind, total=len(event.hosts), pending=self._names(event.kind))
        elif isinstance(event, Finished):
            kind = next((k for k, hosts in self.pending.items() if event.result.host in hosts), None)
            if kind is not None:
                self.pending[kind].discard(event.result.host)
                self.bar.update(self.tasks[kind], advance=1, pending=self._names(kind))
        elif isinstance(event, Step):
            self.tasks[event.label] = self.bar.add_task(event.label, total=event.total or None, pending="")
        elif isinstance(event, Advanced) and event.label in self.tasks:
            self.bar.advance(self.tasks[event.label])

    def _names(self, kind: str) -> str:
        left = self.pending[kind]
        return f"waiting for {', '.join(sorted(left))}" if 0 < len(left) <= PENDING_SHOWN else ""
