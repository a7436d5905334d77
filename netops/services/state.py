"""The operational picture of both campuses, read in one pass: what the dashboard (and every summary) shows.

:class:`State` reads the inventory (as the active mode maps it), the backup
records, the latest stored check run, the policy's waivers, the SNMP history
and the latest backups' WLANs and switch ports, and joins them: devices with
their reachability, backup state and findings; access points with their
controller and cabling; SSIDs with their clients; each AP's switch port against
the VLANs its WLANs need. A section whose store is empty or unreadable is named
in ``Snapshot.missing`` and never hides the others. :func:`site_summary` is the
one place every count of a campus comes from.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from netops.backup.gitstore import GitStore
from netops.errors import NetopsError
from netops.inventory.hosts import HostInfo
from netops.model import ParsedConfig
from netops.policy.configs import find_configs, parse_texts, read_files
from netops.policy.findings import SEVERITIES, Finding
from netops.policy.policy import Policy, Waiver
from netops.policy.segregation import carried, find_port
from netops.policy.store import latest_run_id, probe_runs_after
from netops.policy.store import open_db as open_checks
from netops.services import backup, check, inventory, report
from netops.services import facts as facts_service
from netops.services.report import ReportStatus
from netops.settings import Settings
from netops.snmp import history
from netops.snmp import status as snmp_status

FRESH = timedelta(days=1)  # a backup older than this is stale (as `netops backup status --max-age 1d`)


@dataclass(frozen=True)
class Device:
    """One device netops looks after, with its latest reachability, backup and findings."""

    name: str
    site: str
    role: str
    platform: str
    address: str
    model: str = ""
    reachable: bool | None = None  # None: never polled
    uptime: float | None = None  # seconds
    last_backup: datetime | None = None  # last successful backup
    backup_status: str | None = None  # status of the latest backup attempt
    backup_reason: str | None = None
    findings: int = 0  # active (unwaived) findings
    alerts: int = 0

    @property
    def faults(self) -> list[str]:
        """Why this device needs attention (empty: healthy)."""
        out = []
        if self.reachable is False:
            out.append("unreachable")
        if self.backup_status == "failed":
            out.append(f"backup failed: {self.backup_reason or 'unknown'}")
        if self.alerts:
            out.append(f"{self.alerts} alert(s)")
        return out


@dataclass(frozen=True)
class Ssid:
    controller: str
    site: str
    ssid: str
    security: str
    pmf: str
    vlans: tuple[int, ...]
    clients: int | None = None
    enabled: bool = True
    bands: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccessPoint:
    name: str
    site: str
    controller: str
    status: str  # "up" / "down" / "unknown"
    clients: int | None = None
    model: str = ""
    switch: str = ""
    switch_port: str = ""


@dataclass(frozen=True)
class Cabling:
    """An AP's switch port: the VLANs its WLANs need against what the port carries."""

    ap: str
    switch: str
    port: str
    port_vlans: tuple[int, ...]
    wlan_vlans: tuple[int, ...]

    @property
    def missing(self) -> tuple[int, ...]:
        """VLANs a WLAN of the AP needs that the port does not carry."""
        return tuple(v for v in self.wlan_vlans if v not in self.port_vlans)

    @property
    def other(self) -> tuple[int, ...]:
        """VLANs on the port that no WLAN of the AP uses (AP management, or a leak)."""
        return tuple(v for v in self.port_vlans if v not in self.wlan_vlans)


@dataclass(frozen=True)
class Alert:
    host: str
    kind: str
    message: str
    since: datetime | None = None


@dataclass(frozen=True)
class Snapshot:
    """Everything the overview and list screens need, read in one pass."""

    taken: datetime
    devices: tuple[Device, ...] = ()
    findings: tuple[Finding, ...] = ()  # the latest stored check run, exactly as stored
    waivers: tuple[Waiver, ...] = ()
    ssids: tuple[Ssid, ...] = ()
    aps: tuple[AccessPoint, ...] = ()
    cabling: tuple[Cabling, ...] = ()
    alerts: tuple[Alert, ...] = ()
    missing: dict[str, str] = field(default_factory=dict)  # section -> why there is no data yet
    check_run: int | None = None  # the check run the findings come from
    newer_probes: int = 0  # probe runs stored after it: counted by the next check
    report: ReportStatus | None = None  # today's daily report: sent, due or overdue

    def site_of(self, host: str) -> str:
        """The site of a device or access point ("" when unknown)."""
        found = next((d.site for d in self.devices if d.name == host), None)
        return found if found is not None else next((a.site for a in self.aps if a.name == host), "")


@dataclass(frozen=True)
class SiteSummary:
    site: str
    devices_up: int = 0
    devices_down: int = 0
    devices_unpolled: int = 0  # never answered a poll: no SNMP data yet
    aps_up: int = 0
    aps_down: int = 0
    clients: int | None = None
    findings: dict[str, int] = field(default_factory=dict)  # severity -> active findings
    waived: int = 0
    backups_fresh: int = 0  # each device in exactly one of fresh, stale, failed, never
    backups_stale: int = 0
    backups_failed: int = 0
    backups_never: int = 0
    alerts: int = 0

    @property
    def devices(self) -> int:
        return self.devices_up + self.devices_down + self.devices_unpolled


def backup_state(device: Device, now: datetime) -> str:
    """``failed`` (the latest attempt), ``never`` (no success yet), ``stale`` (older than a day) or ``fresh``."""
    if device.backup_status == "failed":
        return "failed"
    if device.last_backup is None:
        return "never"
    return "stale" if now - device.last_backup > FRESH else "fresh"


def severity_counts(findings: tuple[Finding, ...] | list[Finding]) -> dict[str, int]:
    """Active (unwaived) findings per severity, most severe first: every finding count on every screen."""
    counted = Counter(f.severity for f in findings if not f.waived)
    return {s: counted.get(s, 0) for s in SEVERITIES}


def site_summary(snap: Snapshot, site: str, now: datetime) -> SiteSummary:
    """Every figure of one campus, from one snapshot at one time."""
    devices = [d for d in snap.devices if d.site == site]
    aps = [a for a in snap.aps if a.site == site]
    clients = [s.clients for s in snap.ssids if s.site == site and s.clients is not None]
    findings = [f for f in snap.findings if f.site == site]
    states = Counter(backup_state(d, now) for d in devices)
    return SiteSummary(
        site=site,
        devices_up=sum(d.reachable is True for d in devices),
        devices_down=sum(d.reachable is False for d in devices),
        devices_unpolled=sum(d.reachable is None for d in devices),
        aps_up=sum(a.status == "up" for a in aps),
        aps_down=sum(a.status == "down" for a in aps),
        clients=sum(clients) if clients else None,
        findings=severity_counts(findings),
        waived=sum(f.waived for f in findings),
        backups_fresh=states["fresh"], backups_stale=states["stale"], backups_failed=states["failed"],
        backups_never=states["never"],
        alerts=sum(snap.site_of(a.host) == site for a in snap.alerts),
    )


@dataclass(frozen=True)
class Interface:
    name: str
    oper_status: str
    in_octets: int | None = None
    out_octets: int | None = None
    in_bps: float | None = None
    out_bps: float | None = None
    in_errors: int | None = None
    speed_mbps: int | None = None


@dataclass(frozen=True)
class Revision:
    rev: str
    date: datetime | None
    message: str


@dataclass(frozen=True)
class DeviceDetail:
    """The drill-down of one device."""

    device: Device
    facts: dict[str, str] = field(default_factory=dict)
    interfaces: tuple[Interface, ...] = ()
    revisions: tuple[Revision, ...] = ()
    findings: tuple[Finding, ...] = ()
    missing: dict[str, str] = field(default_factory=dict)


def _when(value: str | float | None) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, timezone.utc)
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


@lru_cache(maxsize=4)
def _policy(settings: Settings, stamps: tuple[int, ...]) -> Policy:
    """``stamps`` (the files' mtimes) only key the cache: a policy is linted again only when a file changes."""
    return check.policy(settings)


class State:
    """Reads the picture for one configuration; parsed backups are cached by file size and time."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._parsed: dict[str, tuple[tuple[int, int], ParsedConfig]] = {}
        self._lock = threading.Lock()

    # -- sections (one function each) ---------------------------------------
    def policy(self) -> Policy:
        stamps = []
        for path in self.settings.policy:
            try:
                stamps.append(path.stat().st_mtime_ns)
            except OSError:
                stamps.append(-1)  # load_policy reports the missing file
        return _policy(self.settings, tuple(stamps))

    def findings(self) -> tuple[tuple[Finding, ...], int | None, int]:
        """The latest check run's findings, its id, and how many probe runs came after it."""
        with closing(open_checks(self.settings.data_dir)) as conn:
            run_id = latest_run_id(conn)
            newer = probe_runs_after(conn, run_id)
        stored = check.latest(self.settings, run_id) if run_id is not None else None
        return (tuple(stored.result.findings) if stored else ()), run_id, newer

    def snmp(self, names: list[str]) -> tuple[dict[str, sqlite3.Row], list[Alert], dict[str, dict[str, Any]], dict[str, dict[str, int]]]:
        """Latest device rows, active alerts, latest APs per controller and clients per SSID."""
        with closing(history.open_history(self.settings.data_dir)) as conn:
            devices = {n: row for n in names if (row := history.latest_device(conn, n)) is not None}
            summary = snmp_status.summary(conn)
            alerts = [Alert(a["host"], a["kind"], a["message"], _when(a["since"]))
                      for site in summary["sites"].values() for a in site["alerts"]]
            controllers = [n for n, row in devices.items() if row["controller"]]
            aps = {c: history.latest_aps(conn, c) for c in controllers}
            ssids = {c: history.latest_ssid_clients(conn, c) for c in controllers}
        return devices, alerts, aps, ssids

    def no_poll_reason(self, hosts: int) -> str:
        """Why no host has a poll: none recorded yet, or polls of other hosts (another inventory, lab or real)."""
        with closing(history.open_history(self.settings.data_dir)) as conn:
            others = [r["host"] for r in history.latest_devices(conn)]
        where = f"the {hosts} hosts of inventory {self.settings.inventory}"
        if not others:
            return f"no poll of {where} recorded in {self.settings.data_dir}; run netops poll --once"
        named = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
        return (f"no poll of {where}, but {self.settings.data_dir} holds polls of {len(others)} other host(s) ({named}): "
                "a different inventory, or lab mode (--lab) on one side only?")

    def parsed_configs(self, hosts: dict[str, HostInfo]) -> dict[str, ParsedConfig]:
        """Each host's latest backup, parsed by its driver (cached by file size and mtime)."""
        if not self.settings.backup_dir.is_dir():
            return {}
        files = find_configs(self.settings.backup_dir)
        with self._lock:
            stale: dict[str, Path] = {}
            for host, path in files.items():
                st = path.stat()
                cached = self._parsed.get(host)
                if host in hosts and (cached is None or cached[0] != (st.st_mtime_ns, st.st_size)):
                    stale[host] = path
            if stale:
                parsed, _ = parse_texts(hosts, read_files(stale))
                for host, config in parsed.items():
                    st = stale[host].stat()
                    self._parsed[host] = ((st.st_mtime_ns, st.st_size), config)
            return {h: e[1] for h, e in self._parsed.items() if h in files}

    # -- the picture -----------------------------------------------------------
    def snapshot(self) -> Snapshot:
        missing: dict[str, str] = {}

        def section(name: str, read: Callable[[], Any], empty: Any) -> Any:
            try:
                return read()
            except NetopsError as exc:
                missing[name] = str(exc).splitlines()[0]
            except Exception as exc:  # one broken section must not hide the others
                missing[name] = f"error: {type(exc).__name__}: {exc}"
            return empty

        taken = datetime.now(timezone.utc)
        hosts: dict[str, HostInfo] = section("inventory", lambda: inventory.hosts(self.settings), {})
        backups = section("backup", lambda: {b.host: b for b in backup.states(self.settings, FRESH.total_seconds())}, {})
        if not any(b.last_attempt for b in backups.values()) and "backup" not in missing:
            missing["backup"] = f"no backup run recorded in {self.settings.data_dir} yet (netops backup)"
        findings, run_id, newer = section("policy", self.findings, ((), None, 0))
        if run_id is None and "policy" not in missing:
            missing["policy"] = f"no check run recorded in {self.settings.data_dir} yet (netops check)"
        waivers = section("waivers", lambda: tuple(self.policy().waivers), ())
        devices_snmp, alerts, ap_rows, ssid_clients = section("snmp", lambda: self.snmp(list(hosts)), ({}, [], {}, {}))
        if not devices_snmp and "snmp" not in missing:
            missing["snmp"] = self.no_poll_reason(len(hosts))
        parsed = section("wifi", lambda: self.parsed_configs(hosts), {})
        active = Counter(f.host for f in findings if not f.waived)
        alerting = Counter(a.host for a in alerts)
        devices = []
        for h in hosts.values():
            if h.controller_managed:
                continue
            b, s = backups.get(h.name), devices_snmp.get(h.name)
            devices.append(Device(
                name=h.name, site=h.site, role=h.role, platform=h.platform, address=h.address, model=h.model,
                reachable=bool(s["reachable"]) if s is not None else None,
                uptime=s["sys_uptime"] / 100 if s is not None and s["reachable"] and s["sys_uptime"] is not None else None,
                last_backup=b.last_success if b else None,
                backup_status=b.last_status if b else None, backup_reason=b.last_reason if b else None,
                findings=active[h.name], alerts=alerting[h.name],
            ))
        aps = []
        for controller, rows in ap_rows.items():
            for name, row in sorted(rows.items()):
                info = hosts.get(name)
                aps.append(AccessPoint(
                    name=name, site=info.site if info else hosts[controller].site, controller=controller,
                    status=row["status"] or "unknown", clients=row["clients"], model=row["model"] or (info.model if info else ""),
                    switch=(info.switch or "") if info else "", switch_port=(info.switch_port or "") if info else "",
                ))
        ssids = [
            Ssid(controller=host, site=hosts[host].site if host in hosts else "", ssid=w.ssid, security=w.security,
                 pmf=w.pmf, vlans=tuple(w.vlans), clients=ssid_clients.get(host, {}).get(w.ssid), enabled=w.enabled,
                 bands=tuple(w.bands))
            for host, config in sorted(parsed.items()) for w in config.wlans
        ]
        return Snapshot(
            taken=taken, devices=tuple(devices), findings=tuple(findings), waivers=waivers, ssids=tuple(ssids),
            aps=tuple(aps), cabling=tuple(_cabling(hosts, parsed)), alerts=tuple(alerts), missing=missing,
            check_run=run_id, newer_probes=newer,
            report=section("report", lambda: report.status(self.settings), None),
        )

    def detail(self, host: str) -> DeviceDetail:
        snap = self.snapshot()
        device = next((d for d in snap.devices if d.name == host), None)
        if device is None:
            raise NetopsError(f"{host} is not in the inventory")
        missing: dict[str, str] = {}
        facts = {"model": device.model, "address": device.address}
        stored, why = facts_service.detail_rows(self.settings, host, device.model)  # netops inventory facts
        facts |= stored | ({"hardware": why} if why else {})
        with closing(history.open_history(self.settings.data_dir)) as conn:
            row = history.latest_device(conn, host)
        if row is None:
            missing["interfaces"] = "not polled yet (netops poll --once)"
        elif not row["reachable"]:
            missing["interfaces"] = f"no answer to the last poll ({row['error'] or 'unreachable'}): no current interface figures"
        if row is not None:
            facts |= {"sys_name": row["sys_name"] or "",
                      "sys_descr": (row["sys_descr"] or "").splitlines()[0] if row["sys_descr"] else "",
                      "cpu": f"{row['cpu']:.0f}%" if row["cpu"] is not None else "-",
                      "memory": f"{row['memory']:.0f}%" if row["memory"] is not None else "-",
                      "last poll": f"{_when(row['ts']):%Y-%m-%d %H:%M:%S}"}
            if row["error"]:
                facts["poll error"] = row["error"]
        if device.backup_status:
            facts["last backup run"] = device.backup_status + (f" ({device.backup_reason})" if device.backup_reason else "")
        try:
            revisions = tuple(Revision(v.short, _when(v.date), v.message) for v in GitStore(self.settings.backup_dir).history(host))
        except NetopsError as exc:
            revisions = ()
            missing["backups"] = str(exc)
        return DeviceDetail(device=device, facts=facts, interfaces=self.interfaces(host), revisions=revisions,
                            findings=tuple(f for f in snap.findings if f.host == host), missing=missing)

    def interfaces(self, host: str) -> tuple[Interface, ...]:
        with closing(history.open_history(self.settings.data_dir)) as conn:
            device = history.latest_device(conn, host)
            rows = history.latest_interfaces(conn, host) if device is not None and device["reachable"] else {}
        return tuple(
            Interface(r["name"] or str(i), r["oper_status"] or "unknown", r["in_octets"], r["out_octets"],
                      r["in_bps"], r["out_bps"], r["in_errors"], r["speed_mbps"])
            for i, r in sorted(rows.items())
        )


def _cabling(hosts: dict[str, HostInfo], parsed: dict[str, ParsedConfig]) -> list[Cabling]:
    """AP → switch port → VLANs, with the join of :mod:`netops.policy.segregation`."""
    out = []
    for ap in hosts.values():
        if not (ap.switch and ap.switch_port):
            continue
        wlans, switch = parsed.get(ap.controller or ap.name), parsed.get(ap.switch)
        port = find_port(switch.ports, ap.switch_port) if switch else None
        needed = sorted({v for w in (wlans.wlans if wlans else []) if w.enabled for v in w.vlans})
        out.append(Cabling(ap.name, ap.switch, port.name if port else f"{ap.switch_port} (not found)",
                           tuple(sorted(carried(port))) if port else (), tuple(needed)))
    return out
