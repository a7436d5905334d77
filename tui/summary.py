"""Per-campus figures of the overview, computed from a snapshot (pure)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tui.records import SEVERITIES, Snapshot

FRESH = timedelta(days=1)  # a backup older than this is stale (as `netops backup status --max-age 1d`)


@dataclass(frozen=True)
class SiteSummary:
    site: str
    devices_up: int = 0
    devices_down: int = 0
    devices_unknown: int = 0
    aps_up: int = 0
    aps_down: int = 0
    clients: int | None = None
    findings: dict[str, int] = field(default_factory=dict)  # severity -> active findings
    waived: int = 0
    backups_fresh: int = 0
    backups_stale: int = 0
    backups_failed: int = 0
    backups_never: int = 0
    alerts: int = 0


def site_summary(snap: Snapshot, site: str, now: datetime) -> SiteSummary:
    devices = [d for d in snap.devices if d.site == site]
    aps = [a for a in snap.aps if a.site == site]
    clients = [s.clients for s in snap.ssids if s.site == site and s.clients is not None]
    findings = [f for f in snap.findings if f.site == site]
    severities = Counter(f.severity for f in findings if not f.waived)
    return SiteSummary(
        site=site,
        devices_up=sum(d.reachable is True for d in devices),
        devices_down=sum(d.reachable is False for d in devices),
        devices_unknown=sum(d.reachable is None for d in devices),
        aps_up=sum(a.status == "up" for a in aps),
        aps_down=sum(a.status == "down" for a in aps),
        clients=sum(clients) if clients else None,
        findings={s: severities.get(s, 0) for s in SEVERITIES},
        waived=sum(f.waived for f in findings),
        backups_fresh=sum(d.last_backup is not None and now - d.last_backup <= FRESH for d in devices),
        backups_stale=sum(d.last_backup is not None and now - d.last_backup > FRESH for d in devices),
        backups_failed=sum(d.backup_status == "failed" for d in devices),
        backups_never=sum(d.last_backup is None for d in devices),
        alerts=sum(snap.site_of(a.host) == site for a in snap.alerts),
    )
