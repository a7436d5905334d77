"""Terminal and JSON output shared by every command.

The consoles never interpret markup or emoji codes: host names, descriptions,
SSIDs, MAC addresses and configuration lines are data (``ae:cd:…`` must not
become an emoji, ``[x]`` must not vanish as a style tag). Styles are applied
with :class:`rich.text.Text` objects only.
"""

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


def _console(stream: TextIO, stderr: bool = False) -> Console:
    return Console(stderr=stderr, width=_width(stream), markup=False, emoji=False, highlight=False)


console = _console(sys.stdout)
err_console = _console(sys.stderr, stderr=True)


def print_json(data: Any) -> None:
    """Write ``data`` as JSON to stdout (always plain, never coloured)."""
    json.dump(data, sys.stdout, indent=2, default=str, sort_keys=False)  # streamed: no second copy as one string
    sys.stdout.write("\n")
    sys.stdout.flush()
