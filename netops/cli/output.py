"""Terminal and JSON output shared by every command."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, TextIO

from rich.console import Console

PIPE_WIDTH = 200  # columns when writing to a pipe or file (cron mail, logs) and COLUMNS is unset


def _width(stream: TextIO) -> int | None:
    """None (the terminal's width) on a terminal or with COLUMNS set; else wide enough that tables keep
    whole host names instead of rich's 80-column default."""
    return None if stream.isatty() or os.environ.get("COLUMNS") else PIPE_WIDTH


console = Console(width=_width(sys.stdout))
err_console = Console(stderr=True, width=_width(sys.stderr))


def print_json(data: Any) -> None:
    """Write ``data`` as JSON to stdout (always plain, never coloured)."""
    sys.stdout.write(json.dumps(data, indent=2, default=str, sort_keys=False) + "\n")
    sys.stdout.flush()
