"""The frame every view shares: the top bar, the view's body, the key footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from netops.services.state import Snapshot
from tui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from tui.app import NetopsApp


class NetopsScreen(Screen):
    """A view: subclasses yield their widgets from :meth:`body` and redraw in :meth:`show`."""

    @property
    def napp(self) -> NetopsApp:
        return cast("NetopsApp", self.app)

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield from self.body()
        yield Footer()

    def body(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.watch(self.app, "snapshot", self._snapshot_changed)

    def _snapshot_changed(self, snapshot: Snapshot | None) -> None:
        if snapshot is not None:
            self.show(snapshot)

    def show(self, snapshot: Snapshot) -> None:
        """Redraw from a new snapshot (called on the UI thread)."""
