"""A campus in one line: green, amber or red, and the reason a reader who reads nothing else needs.

Red: nothing measured, device availability below ``slo.red_below``, a switch, router
or controller down at the end of the day, or a critical finding. Amber: availability
below its target, an AP down at the end of the day, a failed or stale backup, a high
finding, a finding new today, or a host that was never polled. Green otherwise. The
reason is the first of the worst level, with how many more there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from netops.report.availability import DOWN
from netops.report.model import AMBER, GREEN, RED, BackupOutcome, Headline, SiteAvailability, SiteWifi
from netops.report.options import Slo


def headline(availability: SiteAvailability, wifi: SiteWifi, findings: dict[str, int] | None, new_findings: int,
             backups: list[BackupOutcome], slo: Slo, roles: Mapping[str, str], end: dt.datetime) -> Headline:
    red: list[str] = []
    amber: list[str] = []
    devices, aps = availability.devices_percent, availability.aps_percent
    if devices is None and aps is None:
        red.append("no SNMP data for the day: availability unknown")
    if devices is not None and devices < slo.red_below:
        red.append(f"device availability {devices:.2f} % (red below {slo.red_below:g} %)")
    for entity in availability.devices:
        last = entity.timeline[-1] if entity.timeline else None
        if last is not None and last.state == DOWN and last.end >= end.timestamp():
            since = dt.datetime.fromtimestamp(last.start, dt.timezone.utc).astimezone(end.tzinfo)
            red.append(f"{entity.name} ({roles.get(entity.name, 'device')}) down since {since:%H:%M}")
    if findings and findings.get("critical"):
        red.append(f"{findings['critical']} critical finding(s)")
    if devices is not None and slo.red_below <= devices < slo.devices:
        amber.append(f"device availability {devices:.2f} % (target {slo.devices:g} %)")
    if aps is not None and aps < slo.aps:
        amber.append(f"AP availability {aps:.2f} % (target {slo.aps:g} %)")
    if wifi.aps_down:
        amber.append(f"{len(wifi.aps_down)} AP(s) down: {', '.join(wifi.aps_down[:3])}{' ...' if len(wifi.aps_down) > 3 else ''}")
    failed = [b.host for b in backups if b.status == "failed"]
    stale = [b.host for b in backups if b.status in ("stale", "never")]
    if failed:
        amber.append(f"backup failed: {', '.join(failed[:3])}{' ...' if len(failed) > 3 else ''}")
    if stale:
        amber.append(f"no recent backup: {', '.join(stale[:3])}{' ...' if len(stale) > 3 else ''}")
    if findings and findings.get("high"):
        amber.append(f"{findings['high']} high finding(s)")
    if new_findings:
        amber.append(f"{new_findings} new finding(s) today")
    if availability.unpolled:
        amber.append(f"{len(availability.unpolled)} host(s) never polled: {', '.join(availability.unpolled[:3])}")
    for level, reasons in ((RED, red), (AMBER, amber)):
        if reasons:
            more = f" (+{len(reasons) - 1} more)" if len(reasons) > 1 else ""
            return Headline(level, reasons[0] + more)
    parts = []
    if devices is not None:
        parts.append(f"{len(availability.devices)} devices {devices:.2f} %")
    if aps is not None:
        parts.append(f"{len(availability.aps)} APs {aps:.2f} %")
    return Headline(GREEN, ", ".join(parts) + "; backups current; no high or critical finding")

