"""Terminal and JSON output shared by every command."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

console = Console()
err_console = Console(stderr=True)


def print_json(data: Any) -> None:
    """Write ``data`` as JSON to stdout (always plain, never coloured)."""
    sys.stdout.write(json.dumps(data, indent=2, default=str, sort_keys=False) + "\n")
    sys.stdout.flush()
