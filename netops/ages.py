"""Durations as people write and read them: ``90m``, ``12h``, ``7d`` in, ``45s`` / ``3h`` / ``2d`` out.

The one place for both directions: options such as ``--max-age`` and config
keys such as ``probes.max_age`` parse here; every table and screen that shows an
age formats here.
"""

from __future__ import annotations

import re
from datetime import datetime

from netops.errors import InputError

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
PATTERN = r"^\d+(?:\.\d+)?[smhdw]$"  # also the JSON Schema pattern of age-valued config keys
_AGE = re.compile(r"^(\d+(?:\.\d+)?)([smhdw])$")


def parse_age(value: str, key: str = "--max-age", file: str | None = None, line: int | None = None) -> float:
    """``90m``, ``12h``, ``1d``, ``2w`` as seconds; anything else is an input error naming ``key``."""
    match = _AGE.match(str(value).strip())
    if not match:
        raise InputError(f"invalid age {value!r} (use e.g. 30m, 12h, 1d, 2w)", file=file, line=line, key=key)
    return float(match.group(1)) * UNITS[match.group(2)]


def short(seconds: float | None) -> str:
    """``45s``, ``12m``, ``5h``, ``3d``; ``-`` when unknown."""
    if seconds is None:
        return "-"
    s = max(0, int(seconds))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if s >= size:
            return f"{s // size}{unit}"
    return f"{s}s"


def since(when: datetime | None, now: datetime) -> str:
    """How long ago ``when`` was, in :func:`short` form; ``never`` when None."""
    if when is None:
        return "never"
    return short((now - when).total_seconds())
