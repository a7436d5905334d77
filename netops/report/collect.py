"""Gather one report day from the stores: SNMP history, backup records and repository, check runs, policy waivers.

Everything is read for the day's period only (the poll ids of the day, the commits
of the day); nothing is written.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from netops.backup import records
from netops.backup.gitstore import GitStore
from netops.facts import store as facts_store
from netops.inventory.hosts import HostInfo
from netops.policy.findings import SEVERITIES, Finding
from netops.policy.policy import Waiver
from netops.policy.store import first_run_after, load_run, open_db, run_before
from netops.report.availability import DOWN, Availability, Sample, timeline
from netops.report.headline import headline
from netops.report.model import (
    AlertEvent,
    BackupOutcome,
    Compliance,
    ConfigChange,
    Controller,
    DailyReport,
    FindingRow,
    InterfacePeak,
    SiteAvailability,
    SiteReport,
    SiteWifi,
    SsidClients,
    VersionChange,
    WaiverExpiring,
    iso,
)
from netops.report.options import Day, ReportOptions
from netops.snmp import history

AP_ROLE = "ap"
WLC_ROLES = frozenset({"wlc", "controller"})
CLEARED_KINDS = ("device_up", "ap_up")
WAIVER_HORIZON = dt.timedelta(days=14)
TOP = 10


@dataclass(frozen=True)
class Inputs:
    """What the service layer hands over: where the stores are and what the inventory and policy say."""

    data_dir: Path
    backup_dir: Path
    hosts: Mapping[str, HostInfo]
    waivers: tuple[Waiver, ...]
    down_after: int  # thresholds: consecutive failed polls that make a device down
    backup_max_age: float  # seconds: older good backups are stale
    sites: tuple[str, ...] = ()  # empty: every site


def collect(inputs: Inputs, day: Day, options: ReportOptions, now: dt.datetime) -> DailyReport:
    zone = day.start.tzinfo or dt.timezone.utc
    start, end = day.start.timestamp(), day.end.timestamp()
    missing: dict[str, str] = {}
    hosts = {n: h for n, h in inputs.hosts.items() if not inputs.sites or h.site in inputs.sites}
    sites = sorted({h.site for h in hosts.values()} or set(inputs.sites))
    with closing(history.open_history(inputs.data_dir)) as conn:
        devices = history.device_samples(conn, start - options.gap, end)
        aps = history.ap_samples(conn, start - options.gap, end)
        ssids = history.ssid_clients(conn, start, end)
        events = history.events_between(conn, start, end)
        peaks = history.interface_peaks(conn, start, end)
    if not devices:
        missing["availability"] = f"no SNMP poll recorded between {day.start:%Y-%m-%d %H:%M} and {day.end:%H:%M} (is netops poll running?)"
    availability = _availability(hosts, devices, aps, day, options, inputs.down_after)
    wifi = _wifi(hosts, devices, ssids, availability)
    backups, changes = _backups(inputs, hosts, day, missing)
    compliance = _compliance(inputs.data_dir, day, set(hosts), missing)
    site_reports = {}
    for site in sites:
        outcome = [b for b in backups if b.site == site]
        avail, site_wifi = availability.get(site, SiteAvailability()), wifi.get(site, SiteWifi())
        new = sum(f.site == site for f in compliance.new)
        state = headline(avail, site_wifi, None if compliance.run is None else compliance.by_severity(site), new, outcome,
                         options.slo, {n: h.role for n, h in hosts.items() if h.site == site}, day.end)
        site_reports[site] = SiteReport(
            name=site, headline=state, availability=avail, wifi=site_wifi,
            findings=None if compliance.run is None else compliance.by_severity(site),
            backups_failed=sum(b.status == "failed" for b in outcome),
            backups_stale=sum(b.status in ("stale", "never") for b in outcome),
        )
    expiring = [
        WaiverExpiring(w.rule, w.host, w.object, w.expires, w.reason, w.file, w.line)
        for w in inputs.waivers
        if day.end.date() <= w.expires <= (day.end + WAIVER_HORIZON).date() and (not w.host or w.host in hosts or not inputs.sites)
    ]
    alerts = [_event(e, zone) for e in events if e["host"] in hosts or not inputs.sites]
    interface_rows = [InterfacePeak(r["host"], hosts[r["host"]].site if r["host"] in hosts else "", r["name"],
                                    r["error_rate"], None if r["utilisation"] is None else round(r["utilisation"], 1))
                      for r in peaks if r["host"] in hosts]
    return DailyReport(
        day=day, generated=now, slo=options.slo, down_after=inputs.down_after, gap=options.gap, sites=site_reports,
        maintenance=[m for m in options.maintenance if m.end > day.start and m.start < day.end],
        config_changes=changes, backups=backups, compliance=compliance, waivers_expiring=sorted(expiring, key=lambda w: w.expires),
        alerts=alerts,
        errors_top=sorted((i for i in interface_rows if i.error_rate), key=lambda i: -(i.error_rate or 0))[:TOP],
        utilisation_top=sorted((i for i in interface_rows if i.utilisation), key=lambda i: -(i.utilisation or 0))[:TOP],
        missing=missing, version_changes=_version_changes(inputs, hosts, day),
    )


def _version_changes(inputs: Inputs, hosts: Mapping[str, HostInfo], day: Day) -> list[VersionChange]:
    """The software version changes the facts read during the day recorded (``netops inventory facts``), of the
    report's hosts and the APs their controllers list."""
    zone = day.start.tzinfo or dt.timezone.utc
    with closing(facts_store.open_db(inputs.data_dir)) as conn:
        changes = facts_store.changes(conn, day.start, day.end)
    out = []
    for c in changes:
        if not c.version or not (c.name in hosts or c.controller in hosts or not inputs.sites):
            continue
        site = hosts[c.name].site if c.name in hosts else c.site
        out.append(VersionChange(c.name, site, c.kind, iso(dt.datetime.fromisoformat(c.at), zone) or c.at, c.old, c.new,
                                 c.controller))
    return out


def _windows(options: ReportOptions, host: str, site: str) -> list[tuple[float, float]]:
    return [(m.start.timestamp(), m.end.timestamp()) for m in options.maintenance if m.covers(host, site)]


def _availability(hosts: Mapping[str, HostInfo], devices: list[sqlite3.Row], aps: list[sqlite3.Row], day: Day,
                  options: ReportOptions, down_after: int) -> dict[str, SiteAvailability]:
    start, end = day.start.timestamp(), day.end.timestamp()
    out: dict[str, SiteAvailability] = defaultdict(SiteAvailability)
    by_host: dict[str, list[Sample]] = defaultdict(list)
    controller_polls: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for row in devices:
        by_host[row["host"]].append(Sample(row["ts"], bool(row["reachable"])))
        if row["controller"] or row["role"] in WLC_ROLES:
            controller_polls[row["host"]].append((row["ts"], bool(row["reachable"])))
    for name, info in sorted(hosts.items()):
        if info.controller_managed:
            continue
        samples = by_host.get(name)
        if not samples:
            out[info.site].unpolled.append(name)
            continue
        kind = "ap" if info.role == AP_ROLE else "device"
        entity = Availability(name, info.site, kind, timeline(samples, start, end, options.gap, down_after,
                                                              _windows(options, name, info.site)))
        (out[info.site].aps if kind == "ap" else out[info.site].devices).append(entity)
    listed: dict[tuple[str, float], dict[str, str]] = defaultdict(dict)  # (controller, poll time) -> AP -> status
    seen: dict[str, str] = {}  # AP -> its controller in the day's data
    for row in aps:
        listed[(row["controller"], row["ts"])][row["name"]] = row["status"] or ""
        seen[row["name"]] = row["controller"]
    managed = {n: h.controller for n, h in hosts.items() if h.controller_managed and h.controller}
    for ap in sorted(set(managed) | {a for a, c in seen.items() if c in hosts}):
        controller = seen.get(ap) or managed[ap]
        site = hosts[ap].site if ap in hosts else hosts[controller].site
        polls = controller_polls.get(controller, [])
        if not polls:
            out[site].unpolled.append(ap)
            continue
        samples = [Sample(ts, None if not ok else listed[(controller, ts)].get(ap) == "up") for ts, ok in polls]
        out[site].aps.append(Availability(ap, site, "ap", timeline(samples, start, end, options.gap, down_after,
                                                                   _windows(options, ap, site))))
    return out


def _wifi(hosts: Mapping[str, HostInfo], devices: list[sqlite3.Row], ssids: list[sqlite3.Row],
          availability: Mapping[str, SiteAvailability]) -> dict[str, SiteWifi]:
    out: dict[str, SiteWifi] = defaultdict(SiteWifi)
    for site, avail in availability.items():
        out[site].aps_down = sorted(e.name for e in avail.aps if e.timeline and e.timeline[-1].state == DOWN)
    series: dict[tuple[str, str], dict[float, int]] = defaultdict(lambda: defaultdict(int))
    for row in ssids:  # one point per poll: the campus' controllers summed
        site = hosts[row["controller"]].site if row["controller"] in hosts else ""
        series[(site, row["ssid"])][row["ts"]] += row["clients"] or 0
    for (site, ssid), points in sorted(series.items()):
        ordered = tuple(sorted(points.items()))
        peak_at, peak = max(ordered, key=lambda p: (p[1], -p[0]))
        out[site].ssids.append(SsidClients(ssid, peak, peak_at, ordered))
    latest: dict[str, sqlite3.Row] = {}
    for row in devices:
        if (row["controller"] or row["role"] in WLC_ROLES) and row["host"] in hosts:
            latest[row["host"]] = row  # rows come oldest first
    for name, info in sorted(hosts.items()):
        if info.role in WLC_ROLES:
            last = latest.get(name)
            out[info.site].controllers.append(Controller(
                name, None if last is None else bool(last["reachable"]), last["aps_up"] if last else None,
                last["aps_down"] if last else None, last["clients"] if last else None))
    return out


def _backups(inputs: Inputs, hosts: Mapping[str, HostInfo], day: Day, missing: dict[str, str]) -> tuple[list[BackupOutcome], list[ConfigChange]]:
    zone = day.start.tzinfo or dt.timezone.utc
    with closing(records.open_db(inputs.data_dir)) as conn:
        results = records.results_between(conn, day.start, day.end)
        status = {d.host: d for d in records.device_status(conn)}
    if not results:
        missing["backups"] = "no backup ran during the day"
    last: dict[str, sqlite3.Row] = {r["host"]: r for r in results}  # oldest first: the last one wins
    good_today = {r["host"]: r for r in results if r["status"] in records.SUCCESS}
    out = []
    for name, info in sorted(hosts.items()):
        if not info.ssh_managed:
            continue
        row = last.get(name)
        if row is not None and row["status"] not in records.SUCCESS:
            out.append(BackupOutcome(name, info.site, "failed", iso(dt.datetime.fromisoformat(row["time"]), zone), row["reason"]))
            continue
        success = good_today.get(name)
        if success is not None:
            out.append(BackupOutcome(name, info.site, "ok", iso(dt.datetime.fromisoformat(success["time"]), zone)))
            continue
        recorded = status.get(name)
        if recorded is None or recorded.last_success is None:
            out.append(BackupOutcome(name, info.site, "never", None, "no good backup recorded"))
            continue
        at = dt.datetime.fromisoformat(recorded.last_success)
        age = (day.end - at).total_seconds()
        out.append(BackupOutcome(name, info.site, "stale" if age > inputs.backup_max_age else "ok", iso(at, zone),
                                 f"last good backup {age / 3600:.0f} h before the end of the day" if age > inputs.backup_max_age else None))
    store = GitStore(inputs.backup_dir)
    changes = [
        ConfigChange(c.host, c.site, iso(dt.datetime.fromisoformat(c.date), zone) or c.date, c.commit, c.diff, c.first)
        for c in store.changes(day.start.isoformat(), day.end.isoformat()) if c.host in hosts
    ]
    return out, changes


def _rows(findings: Iterable[Finding], hosts: set[str]) -> list[FindingRow]:
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    rows = [FindingRow(f.rule, f.severity, f.host, f.site, f.object, f.message, f.source)
            for f in findings if not f.waived and (not hosts or f.host in hosts)]
    return sorted(rows, key=lambda f: (rank.get(f.severity, len(rank)), f.site, f.host, f.rule, f.object))


def _compliance(data_dir: Path, day: Day, hosts: set[str], missing: dict[str, str]) -> Compliance:
    with closing(open_db(data_dir)) as conn:
        end_id, start_id = run_before(conn, day.end), run_before(conn, day.start)
        if start_id is None:  # no run before the day: compare with the day's first run
            start_id = first_run_after(conn, day.start)
        if end_id is None:
            missing["compliance"] = "no check run recorded yet (netops check)"
            return Compliance(None, None)
        end_meta, end_result = load_run(conn, end_id)
        previous = load_run(conn, start_id) if start_id is not None and start_id != end_id else None
    if end_meta["finished"] < day.start.astimezone(dt.timezone.utc).isoformat():
        missing["compliance"] = f"no check ran during the day; the findings are those of run {end_id} ({end_meta['finished'][:16]})"
    active = _rows(end_result.findings, hosts)
    before = _rows(previous[1].findings, hosts) if previous else []
    now_keys, before_keys = {f.key() for f in active}, {f.key() for f in before}
    zone = day.start.tzinfo or dt.timezone.utc
    return Compliance(
        run={"id": end_id, "finished": iso(dt.datetime.fromisoformat(end_meta["finished"]), zone)},
        previous={"id": start_id, "finished": iso(dt.datetime.fromisoformat(previous[0]["finished"]), zone)} if previous else None,
        active=active,
        new=[f for f in active if f.key() not in before_keys] if previous else [],
        resolved=[f for f in before if f.key() not in now_keys],
        waived=sum(f.waived for f in end_result.findings if not hosts or f.host in hosts),
    )


def _event(row: sqlite3.Row, zone: dt.tzinfo) -> AlertEvent:
    kind = row["kind"]
    state = "cleared" if kind in CLEARED_KINDS or kind.endswith("_cleared") else ("event" if kind == "reboot" else "raised")
    return AlertEvent(iso(row["ts"], zone) or "", row["host"], kind, row["subject"], row["severity"], row["message"], state)
