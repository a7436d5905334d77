"""How severities and states look in the CLI's tables and the dashboard: one table of rich styles each."""

from __future__ import annotations

SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim",
                  "major": "red", "minor": "yellow", "warning": "cyan"}
STATUS_STYLE = {
    "ok": "green", "up": "green", "unchanged": "green", "changed": "cyan", "failed": "bold red", "error": "bold red",
    "done": "green", "down": "bold red", "skipped": "dim", "running": "yellow", "queued": "dim",
}
