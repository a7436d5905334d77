"""The one-line bar on top of every screen: views, refresh state, clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

VIEWS = (  # key, mode, label, short label (below 100 columns)
    ("1", "overview", "Overview", "Over"), ("2", "devices", "Devices", "Dev"),
    ("3", "compliance", "Compliance", "Comp"), ("4", "wifi", "Wi-Fi", "WiFi"),
    ("5", "backups", "Backups", "Bkp"), ("6", "jobs", "Jobs", "Jobs"), ("7", "resilience", "Resilience", "Res"),
    ("8", "audit", "Audit", "Aud"),
)


class TopBar(Widget):
    """Numbered views (lazygit-style), the active one highlighted; the owner sets :attr:`paused`."""

    paused: reactive[bool] = reactive(False)

    def __init__(self, clock: Callable[[], datetime], refresh_every: float, read_only: bool) -> None:
        super().__init__()
        self.clock, self.refresh_every, self.read_only = clock, refresh_every, read_only

    def on_mount(self) -> None:
        self.set_interval(1, self.refresh)

    def render(self) -> Text:
        right = self._right()
        # (every label long, the current view's long, the name in front)
        choices = [(True, True, True), (True, True, False)] if self.size.width >= 100 else []
        for long_labels, current_long, name in [*choices, (False, True, False), (False, False, False)]:
            bar = self._views(long_labels, current_long, name)
            if bar.cell_len + right.cell_len < self.size.width:
                break
        pad = max(1, self.size.width - bar.cell_len - right.cell_len)
        return bar + Text(" " * pad) + right

    def _views(self, long_labels: bool, current_long: bool, name: bool = True) -> Text:
        """The numbered views: every label long (from 100 columns, when it fits; with the name in front when that
        fits too), else short but the current one's."""
        bar = Text(" netops " if long_labels and name else " ", style="bold")
        for key, mode, label, short in VIEWS:
            style = "reverse bold" if self.app.current_mode == mode else ""
            bar.append(key, style=style or "bold cyan")
            bar.append(f" {label if long_labels or (style and current_long) else short} ", style=style)
        return bar

    def _right(self) -> Text:
        right = Text()
        if self.read_only:
            right.append(" READ-ONLY ", style="bold black on yellow")
        every = self.refresh_every
        state = "paused" if self.paused else (f"⟳{every:g}s" if every > 0 else "manual")
        right.append(f" {state} {self.clock():%H:%M:%S} ")
        return right
