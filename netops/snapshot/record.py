"""A snapshot as stored: per device its platform, site, time, which transports answered (and why not) and features."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from netops.model import DeviceState

FORMAT = 1  # the version of the stored JSON


@dataclass
class DeviceSnapshot:
    """One device in a snapshot. ``reachable`` holds the transports tried ("ssh", "snmp") and whether each answered;
    a device that answered none has no features (never "everything down")."""

    host: str
    platform: str
    site: str
    taken: str  # ISO 8601, UTC: when this device was read
    reachable: dict[str, bool] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)  # transport -> why it did not answer (or what went wrong)
    features: DeviceState = field(default_factory=dict)

    @property
    def answered(self) -> bool:
        """Whether any transport answered."""
        return any(self.reachable.values())

    @property
    def complete(self) -> bool:
        """Whether every transport tried answered."""
        return all(self.reachable.values())

    def to_dict(self) -> dict[str, Any]:
        return {"host": self.host, "platform": self.platform, "site": self.site, "taken": self.taken,
                "reachable": dict(self.reachable), "reasons": dict(self.reasons), "features": self.features}

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> DeviceSnapshot:
        return cls(str(doc["host"]), str(doc.get("platform", "")), str(doc.get("site", "")), str(doc.get("taken", "")),
                   {str(k): bool(v) for k, v in (doc.get("reachable") or {}).items()},
                   {str(k): str(v) for k, v in (doc.get("reasons") or {}).items()},
                   {str(f): dict(keys) for f, keys in (doc.get("features") or {}).items()})


@dataclass
class Snapshot:
    """Every device of one ``netops snapshot take`` (or of the before/after of a restore, remediate or drill)."""

    name: str
    taken: str  # ISO 8601, UTC: when the snapshot started
    scope: str  # "all devices", "site jammu", "host core1" ...
    origin: str = "manual"  # "manual", "restore core1", "remediate", "drill jammu" ...
    devices: dict[str, DeviceSnapshot] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # host -> why nothing is recorded of it
    elapsed: float = 0.0

    @property
    def unreachable(self) -> list[str]:
        """Devices a transport tried did not answer."""
        return sorted(h for h, d in self.devices.items() if not d.complete)

    def summary(self) -> dict[str, Any]:
        """What ``netops snapshot list`` shows of it."""
        return {"name": self.name, "taken": self.taken, "scope": self.scope, "origin": self.origin,
                "devices": len(self.devices), "unreachable": len(self.unreachable)}

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "name": self.name, "taken": self.taken, "scope": self.scope, "origin": self.origin,
                "elapsed": round(self.elapsed, 2), "skipped": dict(self.skipped),
                "devices": {h: d.to_dict() for h, d in sorted(self.devices.items())}}

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Snapshot:
        devices = {str(h): DeviceSnapshot.from_dict({"host": h, **d}) for h, d in (doc.get("devices") or {}).items()}
        return cls(str(doc["name"]), str(doc.get("taken", "")), str(doc.get("scope", "")), str(doc.get("origin", "manual")),
                   devices, {str(k): str(v) for k, v in (doc.get("skipped") or {}).items()}, float(doc.get("elapsed") or 0.0))
