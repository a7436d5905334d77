"""A loaded policy: zones, compiled rules and waivers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from netops.policy.conditions import Condition

if TYPE_CHECKING:
    from netops.policy.lines import LineSpec


@dataclass(frozen=True)
class Zone:
    name: str
    vlans: frozenset[int]
    vrf: str | None = None  # the VRF its SVIs must be in (segregation)


@dataclass
class Rule:
    id: str
    title: str
    severity: str
    kind: str
    host_match: list[Condition] = field(default_factory=list)  # host, site, group, platform
    match: list[Condition] = field(default_factory=list)  # object fields
    require: list[Condition] = field(default_factory=list)
    forbid: list[Condition] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)  # segregation options, defaults filled in
    source: list[str] = field(default_factory=list)  # citations
    lines: LineSpec | None = None  # kind: lines: parent, present, absent, fix
    line: int = 0
    file: str = ""


@dataclass
class Waiver:
    rule: str
    reason: str
    expires: dt.date
    host: str | None = None
    object: str | None = None  # the ``ssid`` or ``interface`` it is limited to
    line: int = 0
    file: str = ""

    def covers(self, rule: str, host: str, obj: str) -> bool:
        return (
            self.rule == rule
            and (self.host is None or self.host == host)
            and (self.object is None or self.object == obj)
        )

    def expired(self, today: dt.date) -> bool:
        """A waiver is valid through its ``expires`` day."""
        return today > self.expires

    def describe(self) -> str:
        return f"{self.reason} (expires {self.expires.isoformat()})"


@dataclass
class Policy:
    files: tuple[str, ...]  # checked together
    zones: dict[str, Zone]
    rules: list[Rule]
    waivers: list[Waiver]

    @property
    def label(self) -> str:
        """The files, for reports and run records."""
        return ", ".join(self.files)
