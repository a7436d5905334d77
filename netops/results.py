"""The one result type: a device's outcome in any run, carrying failures instead of raising them.

In the spirit of nornir's ``Result`` / ``AggregatedResult``: a :class:`DeviceResult`
holds the status, the reason, the timing and a typed payload of the capability
that produced it (a backup's file, a poll's sample, a restore's plan); a
:class:`RunResult` holds every device of one run.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

P = TypeVar("P")


class Status(str, enum.Enum):
    OK = "ok"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    FAILED = "failed"
    SKIPPED = "skipped"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, enum.Enum):
        return value.value
    if hasattr(value, "to_dict") and not isinstance(value, type):  # a record that says how it reads as JSON
        return _plain(value.to_dict())
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def plain(value: Any) -> Any:
    """A result, payload or record as JSON types: times in ISO 8601 with their offset."""
    return _plain(value)


@dataclass(frozen=True)
class DeviceResult(Generic[P]):
    """What happened to one device in one run."""

    host: str
    status: Status
    reason: str | None = None
    site: str = ""
    started: datetime | None = None  # timezone-aware
    elapsed: float = 0.0  # seconds
    payload: P | None = None

    @property
    def failed(self) -> bool:
        return self.status is Status.FAILED

    @property
    def ok(self) -> bool:
        return self.status in (Status.OK, Status.CHANGED, Status.UNCHANGED)

    def to_dict(self) -> dict[str, Any]:
        """Flat JSON: the common fields, then the payload's."""
        out = {"host": self.host, "site": self.site, "status": self.status.value, "reason": self.reason,
               "started": plain(self.started), "elapsed": round(self.elapsed, 3)}
        if self.payload is not None:
            out |= {k: v for k, v in plain(self.payload).items() if k not in out}
        return out


@dataclass
class RunResult(Generic[P]):
    """Every device of one run (backup, poll, restore …), in host order."""

    kind: str
    started: datetime
    results: list[DeviceResult[P]] = field(default_factory=list)
    elapsed: float = 0.0
    run_id: int | None = None

    @property
    def failed(self) -> list[DeviceResult[P]]:
        return [r for r in self.results if r.failed]

    def counts(self) -> dict[str, int]:
        """Devices, ``ok`` (every device that did not fail or get skipped: ok, changed or unchanged), then per status."""
        by = {s.value: sum(r.status is s for r in self.results) for s in Status if s is not Status.OK}
        return {"devices": len(self.results), "ok": sum(r.ok for r in self.results), **by}

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "run_id": self.run_id, "started": plain(self.started), "elapsed": round(self.elapsed, 2),
                "summary": self.counts(), "devices": [r.to_dict() for r in self.results]}
