"""How long netops keeps each class of data: the ``retention`` section of netops.yaml.

```yaml
retention:
  client_history: 30d   # pseudonymised Wi-Fi client sightings (snmp_client)
  poll_history: 30d     # SNMP polls: devices, interfaces, APs, SSIDs, events
  findings: 365d        # check runs and their findings
```

The fourth class, the audit log, is kept as long as the audit trail's own
``audit.retention`` says (180 days unless ``audit.allow_short_retention``: the
CERT-In minimum); ``netops db prune`` enforces it with the others.

Every key is optional (the defaults above); a value is an age (``90d``, ``12w``).
``netops db prune`` enforces them and the schedule runs it daily.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from netops.ages import parse_age
from netops.config import Entry
from netops.errors import InputError, unknown

DAY = 86400.0
CLASSES = ("client_history", "poll_history", "findings", "audit_log")
DEFAULTS = {"client_history": "30d", "poll_history": "30d", "findings": "365d", "audit_log": "180d"}
PURPOSE = {
    "client_history": "pseudonymised Wi-Fi client sightings (MAC, user, IP as keyed hashes; AP, SSID, VLAN, signal)",
    "poll_history": "SNMP polls: devices, interfaces, APs, clients per SSID, events",
    "findings": "check runs with their findings and notices",
    "audit_log": "the audit trail: who ran or changed what, when",
}


@dataclass(frozen=True)
class Retention:
    """Seconds each data class is kept, and where each value was written."""

    seconds: Mapping[str, float]
    origins: Mapping[str, str]

    def days(self, data_class: str) -> float:
        return self.seconds[data_class] / DAY

    def to_dict(self) -> dict[str, dict[str, object]]:
        return {c: {"days": round(self.days(c), 3), "origin": self.origins[c]} for c in CLASSES}


def retention(section: Mapping[str, Entry]) -> Retention:
    """The typed ``retention`` section (``Settings.section("retention")``); a mistake is an :class:`InputError`
    naming file, line and key."""
    seconds: dict[str, float] = {}
    origins: dict[str, str] = {}
    for key, entry in sorted(section.items()):
        if key == "audit_log":
            raise InputError("the audit log's retention is audit.retention (one place: the audit trail checks the CERT-In "
                             "minimum there)", key="retention.audit_log", file=entry.file, line=entry.line)
        if key not in CLASSES:
            raise unknown("data class", key, CLASSES[:-1], key=f"retention.{key}", file=entry.file, line=entry.line)
        value = parse_age(str(entry.value), key=f"retention.{key}", file=str(entry.file), line=entry.line)
        if value <= 0:
            raise InputError("must be longer than 0s", key=f"retention.{key}", file=entry.file, line=entry.line)
        seconds[key] = value
        origins[key] = entry.where()
    for key in CLASSES:
        if key not in seconds:
            seconds[key] = parse_age(DEFAULTS[key])
            origins[key] = "default"
    return Retention(seconds, origins)
