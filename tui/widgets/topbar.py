"""The one-line bar on top of every screen: views, refresh state, clock."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

VIEWS = (  # key, mode, label, short label (below 100 columns)
    ("1", "overview", "Overview", "Over"), ("2", "devices", "Devices", "Dev"),
    ("3", "compliance", "Compliance", "Comp"), ("4", "wifi", "Wi-Fi", "WiFi"),
    ("5", "backups", "Backups", "Bkp"), ("6", "jobs", "Jobs", "Jobs"),
)


class TopBar(Widget):
    """Numbered views (lazygit-style), the active one highlighted."""

    def on_mount(self) -> None:
        self.watch(self.app, "paused", lambda _: self.refresh())
        self.watch(self.app, "snapshot", lambda _: self.refresh())
        self.set_interval(1, self.refresh)

    def render(self) -> Text:
        app = self.app
        wide = self.size.width >= 100
        bar = Text(" netops " if wide else " ", style="bold")
        for key, mode, label, short in VIEWS:
            style = "reverse bold" if app.current_mode == mode else ""
            bar.append(key, style=style or "bold cyan")
            bar.append(f" {label if wide or style else short} ", style=style)
        right = Text()
        if app.read_only:
            right.append(" READ-ONLY ", style="bold black on yellow")
        refresh = app.options.refresh
        state = "paused" if app.paused else (f"⟳{refresh:g}s" if refresh > 0 else "manual")
        right.append(f" {state} {app.clock():%H:%M:%S} ")
        pad = max(1, self.size.width - bar.cell_len - right.cell_len)
        return bar + Text(" " * pad) + right
