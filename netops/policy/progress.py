"""The progress callback long steps report through (the CLI draws a bar; tests pass nothing)."""

from __future__ import annotations

from collections.abc import Callable

#: ``progress(label, total)`` starts a step and returns the function called once per item done.
Progress = Callable[[str, int], Callable[[], None]]


def no_progress(label: str, total: int) -> Callable[[], None]:
    return lambda: None
