"""Alert thresholds from YAML (the configured ``thresholds`` file), validated with file, line and key."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from netops.errors import InputError
from netops.yamlfile import YamlMap, load

SEVERITIES = ("critical", "major", "minor", "warning")


@dataclass(frozen=True)
class DeviceDown:
    after_polls: int = 1
    severity: str = "critical"


@dataclass(frozen=True)
class ApDown:
    severity: str = "major"


@dataclass(frozen=True)
class InterfaceErrors:
    per_second: float = 1.0
    severity: str = "minor"


@dataclass(frozen=True)
class Percent:
    percent: float = 85.0
    severity: str = "major"


@dataclass(frozen=True)
class Thresholds:
    device_down: DeviceDown = field(default_factory=DeviceDown)
    ap_down: ApDown = field(default_factory=ApDown)
    interface_errors: InterfaceErrors = field(default_factory=InterfaceErrors)
    cpu: Percent = field(default_factory=Percent)
    memory: Percent = field(default_factory=lambda: Percent(90.0, "warning"))


def _section(raw: YamlMap, name: str, default: Any) -> Any:
    value = raw[name]
    if not isinstance(value, dict):
        raise InputError("must be a mapping", file=raw.file, line=raw.where(name), key=name)
    known = {f.name: f for f in fields(default)}
    changes: dict[str, Any] = {}
    for key, item in value.items():
        line = value.where(key) if isinstance(value, YamlMap) else raw.where(name)
        path = f"{name}.{key}"
        if key not in known:
            raise InputError(f"unknown key (expected one of: {', '.join(known)})", file=raw.file, line=line, key=path)
        if key == "severity":
            if not isinstance(item, str) or item not in SEVERITIES:
                raise InputError(f"must be one of {', '.join(SEVERITIES)}", file=raw.file, line=line, key=path)
        elif key == "after_polls":
            if not isinstance(item, int) or isinstance(item, bool) or item < 1:
                raise InputError("must be a whole number of polls, at least 1", file=raw.file, line=line, key=path)
        else:
            if not isinstance(item, (int, float)) or isinstance(item, bool) or not 0 <= item < 1e300:
                raise InputError("must be a non-negative number", file=raw.file, line=line, key=path)  # not NaN, inf
            if key == "percent" and item > 100:
                raise InputError("must be at most 100", file=raw.file, line=line, key=path)
            item = float(item)
        changes[key] = item
    return replace(default, **changes)


def load_thresholds(path: Path) -> Thresholds:
    """Thresholds from ``path``; keys it does not set keep their defaults."""
    raw = load(path)
    defaults = Thresholds()
    if raw is None:
        return defaults
    if not isinstance(raw, YamlMap):
        raise InputError("must be a mapping of threshold sections", file=path, line=1)
    known = {f.name for f in fields(Thresholds)}
    sections: dict[str, Any] = {}
    for name in raw:
        if name not in known:
            raise InputError(f"unknown section (expected one of: {', '.join(sorted(known))})", file=path, line=raw.where(name), key=str(name))
        sections[name] = _section(raw, name, getattr(defaults, name))
    return replace(defaults, **sections)
