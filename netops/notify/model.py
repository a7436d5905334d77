"""Alert transitions: what is delivered, and the key that makes an alert the same one across runs.

An alert is a condition that holds for a while (a device down, a backup failing, a finding, the report
not sent). What netops delivers are its *transitions*: raised, then cleared. A transition knows when the
alert was raised, so a cleared message says how long it lasted, and the outbox stores each transition
once: unique per (key, state, time of the raise).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from netops.policy.findings import SEVERITIES  # critical, high, medium, low, info: most severe first

SOURCES = ("snmp", "backup", "check", "report")
RAISED, CLEARED = "raised", "cleared"
STATES = (RAISED, CLEARED)
TARGETS = ("mail", "webhook", "syslog")  # in the order they are tried and shown

# netops/snmp/thresholds.py grades SNMP alerts critical, major, minor, warning; alerts use the policy's scale
SNMP_SEVERITY = {"critical": "critical", "major": "high", "minor": "medium", "warning": "low", "info": "info"}


def rank(severity: str) -> int:
    """0 for critical … 4 for info; an unknown severity ranks below info."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def at_least(severity: str, threshold: str) -> bool:
    """True when ``severity`` is ``threshold`` or more severe."""
    return rank(severity) <= rank(threshold)


def alert_key(source: str, kind: str, host: str, subject: str) -> str:
    """``snmp/device_down/jmu-acc-2/jmu-acc-2``: stable across runs (the subject may hold slashes, nothing before it does)."""
    return f"{source}/{kind}/{host}/{subject}"


def utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, timezone.utc)


@dataclass(frozen=True)
class Alert:
    """One transition of one alert."""

    source: str  # snmp, backup, check, report
    kind: str  # device_down, ap_down, interface_errors, cpu, memory, backup_failed, backup_stale, finding, report_not_sent
    host: str  # the device concerned ("" for the report)
    subject: str  # what on it: the host itself, an interface, rule/object, "daily report"
    severity: str  # critical, high, medium, low, info
    state: str  # raised, cleared
    message: str
    time: datetime  # when this transition happened (timezone-aware)
    raised: datetime | None = None  # when the alert was raised; None: this transition raises it
    site: str = ""

    @property
    def key(self) -> str:
        return alert_key(self.source, self.kind, self.host, self.subject)

    @property
    def raised_at(self) -> datetime:
        return self.raised or self.time

    @property
    def label(self) -> str:
        """Where, in a few words: ``jmu-acc-2``, ``jmu-acc-1 Gi1/0/3``, ``daily report``."""
        if not self.host:
            return self.subject
        return self.host if self.subject in ("", self.host) else f"{self.host} {self.subject}"

    @property
    def headline(self) -> str:
        """``RAISED critical device_down jmu-acc-2``: a mail subject, a syslog line, a digest entry."""
        return f"{self.state.upper()} {self.severity} {self.kind} {self.label}"

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "source": self.source, "kind": self.kind, "host": self.host, "subject": self.subject,
                "site": self.site, "severity": self.severity, "state": self.state, "message": self.message,
                "time": self.time.isoformat(timespec="seconds"), "raised": self.raised_at.isoformat(timespec="seconds")}
