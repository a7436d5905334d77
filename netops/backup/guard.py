"""The completeness guard: decide whether a fetch is a whole configuration.

RANCID's rule (no end marker, no new file) and more: empty output, error
banners, too few lines, missing required sections, and a size drop beyond
``max_shrink`` against the previous good copy. A rejected fetch never replaces
the stored file.
"""

from __future__ import annotations

import re

from netops.backup.clean import any_of, lines_of, redact_line
from netops.drivers.base import BackupSpec

DEFAULT_MAX_SHRINK = 0.5


def rejection(raw: str, spec: BackupSpec) -> str | None:
    """Why ``raw`` is not a complete configuration, or None when it is."""
    lines = lines_of(raw)
    if not lines:
        return "empty output"
    errors = any_of(spec.error_patterns)  # cached on the tuple of strings
    for number, line in enumerate(lines, 1):
        if errors.search(line):
            return f"device error on line {number}: {redact_line(line, spec).strip()[:80]}"
    if len(lines) < spec.min_lines:
        return f"only {len(lines)} line(s); a configuration has at least {spec.min_lines}"
    if spec.end_marker and not re.search(spec.end_marker, lines[-1]):
        return f"incomplete: output stops after {len(lines)} lines without the end marker ({spec.end_marker})"
    text = "\n".join(lines)
    missing = [p for p in spec.required if not re.search(p, text, re.MULTILINE)]
    if missing:
        return f"incomplete: missing required section(s) {', '.join(missing)} after {len(lines)} lines"
    return None


def shrink_rejection(new: str, previous: str | None, max_shrink: float) -> str | None:
    """Why the cleaned ``new`` shrank too much against ``previous``, or None."""
    if not previous or max_shrink >= 1:
        return None
    old_size, new_size = len(previous.encode()), len(new.encode())
    drop = 1 - new_size / old_size
    if drop > max_shrink:
        return (
            f"shrank by {drop:.0%} ({old_size} -> {new_size} bytes; --max-shrink {max_shrink:g}):"
            " previous copy kept"
        )
    return None
