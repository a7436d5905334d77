"""The frame every view shares: the top bar, the view's body, the key footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from netops.services.state import Snapshot
from tui.filtering import RowFilter
from tui.widgets.filter_input import FilterInput
from tui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from tui.app import NetopsApp


class NetopsScreen(Screen):
    """A view: subclasses yield their widgets from :meth:`body` and redraw in :meth:`show`."""

    @property
    def napp(self) -> NetopsApp:
        return cast("NetopsApp", self.app)

    def compose(self) -> ComposeResult:
        napp = self.napp
        yield TopBar(napp.clock, napp.options.refresh, napp.read_only)
        yield from self.body()
        yield Footer()

    def body(self) -> ComposeResult:
        raise NotImplementedError

    JOB_ACTIONS = frozenset({"backup", "check", "run", "restore", "report"})  # what read-only mode hides

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In read-only mode the footer offers no job: backup, check, poll and restore are hidden and disabled."""
        return not (self.napp.read_only and action in self.JOB_ACTIONS)

    _shown: Snapshot | None = None  # the snapshot this view last drew

    def on_mount(self) -> None:
        # Textual calls every class's on_mount along the MRO (a view's own first): subclasses never call this one
        self.watch(self.app, "snapshot", self._snapshot_changed)
        self.watch(self.app, "paused", self._paused_changed)

    def on_screen_resume(self) -> None:
        self._snapshot_changed(self.napp.snapshot)

    def _paused_changed(self, paused: bool) -> None:
        self.query_one(TopBar).paused = paused

    def _snapshot_changed(self, snapshot: Snapshot | None) -> None:
        """Draw a new snapshot if this view is on screen; a hidden view draws the latest one when it comes back
        (every view redrawing every refresh kept the UI thread busy and keypresses waiting)."""
        if snapshot is not None and snapshot is not self._shown and self.is_current:
            self._shown = snapshot
            self.show(snapshot)

    def show(self, snapshot: Snapshot) -> None:
        """Redraw from a new snapshot (called on the UI thread)."""


class FilteredScreen(NetopsScreen):
    """A view whose rows ``/`` filters (k9s style): subclasses yield a :class:`FilterInput` and redraw with
    :attr:`row_filter` in :meth:`redraw`."""

    BINDINGS = [
        # priority: the app handles ``/`` as the key arrives, so the keys typed right behind it (a terminal delivers
        # ``/jmu-acc-2`` in one read) already go to the filter instead of the table that had the focus
        Binding("slash", "filter", "Filter", priority=True),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.row_filter = RowFilter()
        self.filter_text = ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "filter" and isinstance(self.focused, FilterInput):
            return False  # a "/" typed in the filter is part of the regex (Gi1/0/24)
        return super().check_action(action, parameters)

    def action_filter(self) -> None:
        self.set_focus(self.query_one(FilterInput))

    def action_clear_filter(self) -> None:
        self.query_one(FilterInput).action_close()

    def on_filter_input_filter_changed(self, message: FilterInput.FilterChanged) -> None:
        self.row_filter, self.filter_text = message.row_filter, message.text
        self.redraw()

    def redraw(self) -> None:
        raise NotImplementedError
