"""The one exception hierarchy of netops.

Every error a user can cause derives from :class:`NetopsError`; the CLI turns it
into a one-line message and the exit code it carries. Failures of single
devices are not exceptions: they travel in :class:`netops.results.DeviceResult`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path


class NetopsError(Exception):
    """Base class of every netops error; ``exit_code`` is what the CLI returns."""

    exit_code = 1


class InputError(NetopsError):
    """Bad input from a file or the command line: names the file, line and key."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.key = key
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "")
        if self.key:
            where = f"{where}: {self.key}" if where else self.key
        return f"{where}: {self.message}" if where else self.message


class InputErrors(InputError):
    """Several input errors found in one pass (e.g. ``inventory check``)."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class LockedError(NetopsError):
    """Another run holds the lock (cron overlap)."""

    exit_code = 1


class EngineError(NetopsError):
    """The distributed engine cannot run the work: its broker is unreachable or was lost, no worker serves a queue."""

    exit_code = 1


class LabError(NetopsError):
    """The lab cannot be started, reached or stopped."""

    exit_code = 2


def unknown(what: str, value: str, known: Iterable[str], key: str | None = None, file: str | Path | None = None,
            line: int | None = None) -> InputError:
    """``unknown host 'jmu-acc-9' (did you mean jmu-acc-1, jmu-acc-2?)``: the closest names, or every
    name when there are few, never a wall of them."""
    names = sorted({k for k in known if k})
    close = difflib.get_close_matches(value, names, n=3, cutoff=0.6)
    if close:
        hint = f" (did you mean {', '.join(close)}?)"
    elif len(names) <= 8:
        hint = f" (known: {', '.join(names) or 'none'})"
    else:
        hint = f" ({len(names)} known, e.g. {', '.join(names[:3])})"
    return InputError(f"unknown {what} {value!r}{hint}", key=key, file=file, line=line)
