"""The one result type: a device's outcome, carrying failures instead of raising."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any


class Status(str, enum.Enum):
    OK = "ok"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass
class DeviceResult:
    """What happened to one device in one run."""

    host: str
    status: Status
    reason: str | None = None
    data: Any = None
    elapsed: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.status is Status.FAILED

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["status"] = self.status.value
        out.pop("data")
        return out
