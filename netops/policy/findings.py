"""What a check produces: findings (rule violations) and notices (everything else worth saying)."""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field
from typing import Any

SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low", "info")  # most severe first


def severity_rank(severity: str) -> int:
    """0 for critical … 4 for info: sort key and ``--fail-on`` comparison."""
    return SEVERITIES.index(severity)


def report_order(finding: Finding) -> tuple[str, int, str, str, str]:
    """How reports list findings: by site, most severe first, then rule, host and object."""
    return finding.site, severity_rank(finding.severity), finding.rule, finding.host, finding.object


@dataclass(frozen=True)
class Detail:
    """One failed condition, NAPALM-validate style: the key, what the rule wants, what the device has."""

    key: str
    expected: str
    actual: str

    def __str__(self) -> str:
        return f"{self.key}: expected {self.expected}; actual {self.actual}"


@dataclass(frozen=True)
class Finding:
    """A rule violated by one object (SSID or interface) of one host."""

    rule: str
    title: str
    severity: str
    host: str
    site: str
    object: str
    kind: str  # the rule kind: wlan, switchport, svi, segregation, dhcp
    details: tuple[Detail, ...] = ()
    waived: bool = False
    waiver: str | None = None  # reason and expiry of the waiver that matched (also when expired)
    line: int | None = None  # line of the object in the host's configuration
    source: str = "policy"  # who found it: "policy" (configurations) or a probe ("segregation", "dhcp", "wifi")
    scope: str = ""  # probes: what the observation covered (a newer probe of the same scope replaces it)
    observed: str | None = None  # probes: when (ISO 8601 with offset)
    origin: str = ""  # probes: where from (an interface, a capture file); policy: the configurations checked
    fix: tuple[str, ...] = ()  # commands that fix it (kind: lines); a step netops must not push starts with "! manual: "

    @property
    def message(self) -> str:
        return "; ".join(str(d) for d in self.details)

    @property
    def expected(self) -> str:
        return "; ".join(d.expected for d in self.details)

    @property
    def actual(self) -> str:
        return "; ".join(d.actual for d in self.details)

    def waive(self, waiver: str | None, waived: bool) -> Finding:
        """This finding with its waiver state."""
        return dataclasses.replace(self, waiver=waiver, waived=waived)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["details"] = [asdict(d) for d in self.details]
        out["fix"] = list(self.fix)
        out["message"] = self.message
        return out


@dataclass(frozen=True)
class Notice:
    """Something the reader must know that is not a rule violation (expired or stale waiver, missing config…)."""

    kind: str  # waiver-expired, waiver-stale, no-config, no-host, parse-issues, missing-peer
    message: str
    host: str | None = None
    rule: str | None = None
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file and self.line else ""
        return f"{where}{self.message}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RuleStats:
    """How many objects a rule looked at, for JUnit and summaries."""

    rule: str
    title: str
    severity: str
    kind: str
    checked: int = 0
    source: list[str] = field(default_factory=list)  # the rule's citations


@dataclass
class CheckResult:
    """Everything one run of ``netops check`` found."""

    findings: list[Finding] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    rules: list[RuleStats] = field(default_factory=list)
    hosts: int = 0  # configurations checked

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if not f.waived]

    def failing(self, fail_on: str) -> list[Finding]:
        """Active findings at or above ``fail_on``."""
        limit = severity_rank(fail_on)
        return [f for f in self.active if severity_rank(f.severity) <= limit]

    def summary(self) -> dict[str, Any]:
        by_severity = {s: 0 for s in SEVERITIES}
        for f in self.active:
            by_severity[f.severity] += 1
        return {
            "hosts": self.hosts,
            "rules": len(self.rules),
            "findings": len(self.findings),
            "active": len(self.active),
            "waived": len(self.findings) - len(self.active),
            "by_severity": by_severity,
            "notices": len(self.notices),
        }
