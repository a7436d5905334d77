"""Progress of a running job, as events the CLI draws as bars and the dashboard as job rows.

A job announces the devices it will handle (:class:`Started`), then one
:class:`Finished` per device the moment that device is done (failures
included), so a caller always knows which devices are still pending. Work that
is not per device (parsing configurations, probing zones) is a :class:`Step`
with :class:`Advanced` ticks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Union

from netops.results import DeviceResult


@dataclass(frozen=True)
class Started:
    kind: str  # backup, poll, check, restore, probe …
    hosts: tuple[str, ...]


@dataclass(frozen=True)
class Finished:
    result: DeviceResult[Any]


@dataclass(frozen=True)
class Step:
    label: str
    total: int  # 0: unknown


@dataclass(frozen=True)
class Advanced:
    label: str


Event = Union[Started, Finished, Step, Advanced]
Listener = Callable[[Event], None]


def ignore(_event: Event) -> None:
    """The listener of callers that do not show progress."""


def steps(listener: Listener) -> Callable[[str, int], Callable[[], None]]:
    """A capability's ``progress(label, total)`` callback feeding ``listener``."""

    def start(label: str, total: int) -> Callable[[], None]:
        listener(Step(label, total))
        return lambda: listener(Advanced(label))

    return start
