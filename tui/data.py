"""The dashboard's data layer: reads what the netops CLI writes, runs what it runs.

:class:`NetopsSource` implements :class:`tui.source.Source` with netops' public
functions only: the inventory (``netops.inventory``), backup records and the git
store (``netops.backup``), the latest check run (``netops.policy``) and the SNMP
history (``netops.snmp``). Each section of a snapshot is read by one function;
a section whose store is empty or whose piece fails is named in
``Snapshot.missing`` (shown as "no data yet") and never hides the others.
Nothing here runs on the UI thread. The modules only jobs need (SSH and SNMP
clients) are imported by the jobs, so the first snapshot does not wait for them.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime, time, timezone
from pathlib import Path
from time import monotonic
from typing import Any, Callable

from netops.backup import records as backup_records
from netops.backup.gitstore import GitStore
from netops.errors import NetopsError
from netops.inventory import Filters, open_nornir
from netops.inventory import hosts as inv
from netops.model import ParsedConfig
from netops.policy import store as policy_store
from netops.policy.configs import find_configs, parse_texts, read_files
from netops.policy.findings import Finding as PolicyFinding
from netops.policy.hosts import load_hosts
from netops.policy.loader import load_policy
from netops.policy.policy import Policy
from netops.policy.segregation import carried, find_port
from netops.policy.waivers import waive
from netops.settings import Settings
from netops.snmp import history
from netops.snmp import status as snmp_status
from tui.records import (
    AccessPoint,
    Alert,
    Device,
    DeviceDetail,
    Finding,
    Interface,
    JobUpdate,
    RestorePreview,
    Revision,
    Segregation,
    Snapshot,
    Ssid,
    Waiver,
)
from tui.source import JobKind, Report


@dataclass(frozen=True)
class HostInfo:
    """What the dashboard shows of an inventory host."""

    name: str
    site: str
    role: str
    platform: str
    address: str
    model: str
    controller: str | None
    switch: str | None
    switch_port: str | None
    ssh_managed: bool
    managed_by_controller: bool


def _when(value: str | float | None) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, timezone.utc)
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _split_details(finding: PolicyFinding) -> tuple[str, str]:
    return "; ".join(d.expected for d in finding.details), "; ".join(d.actual for d in finding.details)


@dataclass
class _ParseCache:
    """Parsed backups, re-parsed only when a file changes (hundreds of configs, every refresh)."""

    entries: dict[str, tuple[tuple[int, int], ParsedConfig]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


@lru_cache(maxsize=4)
def _load_policy(path: Path, stamp: int) -> Policy:
    """``stamp`` (the file's mtime) only keys the cache."""
    return load_policy(path)


class NetopsSource:
    def __init__(self, settings: Settings, policy: Path) -> None:
        self.settings = settings
        self.policy = policy
        self._parsed = _ParseCache()

    # -- sections (one function each) ---------------------------------------
    def hosts(self) -> list[HostInfo]:
        """Every inventory host (lab-mapped in lab mode), without credentials."""
        nr = open_nornir(self.settings, credentials=False)
        return [
            HostInfo(
                name=name, site=inv.site(h), role=inv.role(h), platform=inv.platform(h), address=inv.address(h),
                model=inv.model(h), controller=inv.controller(h), switch=inv.switch(h), switch_port=inv.switch_port(h),
                ssh_managed=inv.is_ssh_managed(h), managed_by_controller=inv.managed_by(h) == inv.MANAGED_BY_CONTROLLER,
            )
            for name, h in sorted(nr.inventory.hosts.items())
        ]

    def backups(self) -> dict[str, backup_records.DeviceStatus]:
        with closing(backup_records.open_db(self.settings.data_dir)) as conn:
            return {s.host: s for s in backup_records.device_status(conn)}

    def findings(self) -> list[Finding] | None:
        """Findings of the latest ``netops check`` run plus the latest run of each probe, which the
        policy's waivers cover too (None: no run yet)."""
        with closing(policy_store.open_db(self.settings.data_dir)) as conn:
            run_id = policy_store.latest_run_id(conn)
            probes = [f for _, r in policy_store.latest_probe_runs(conn) for f in r.findings]
            if run_id is None and not probes:
                return None
            found = policy_store.load_run(conn, run_id)[1].findings if run_id is not None else []
        if probes:
            try:
                waive(self._policy(), probes, date.today())
            except NetopsError:
                pass  # a broken policy file is reported by the waivers section; the findings still show

        return [
            Finding(f.rule, f.host, f.site, f.object, f.severity, f.message, *_split_details(f), waived=f.waived)
            for f in found + probes
        ]

    def waivers(self) -> list[Waiver]:
        today = date.today()
        return [
            Waiver(w.rule, w.host or "*", w.object or "*", w.reason,
                   datetime.combine(w.expires, time(), timezone.utc), w.expired(today))
            for w in self._policy().waivers
        ]

    def _policy(self) -> Policy:
        """The policy file, linted and loaded again only when it changes (two sections read it every refresh)."""
        try:
            stamp = self.policy.stat().st_mtime_ns
        except OSError:
            stamp = -1  # load_policy reports the missing file
        return _load_policy(self.policy, stamp)

    def snmp(self, names: list[str]) -> tuple[dict[str, sqlite3.Row], list[Alert], dict[str, dict[str, Any]], dict[str, dict[str, int]]]:
        """Latest device rows, active alerts, latest APs per controller and clients per SSID."""
        with closing(history.open_history(self.settings.data_dir)) as conn:
            devices = {n: row for n in names if (row := history.latest_device(conn, n)) is not None}
            summary = snmp_status.summary(conn)
            alerts = [
                Alert(a["host"], a["kind"], a["message"], _when(a["since"]))
                for site in summary["sites"].values() for a in site["alerts"]
            ]
            controllers = [n for n, row in devices.items() if row["controller"]]
            aps = {c: history.latest_aps(conn, c) for c in controllers}
            ssids = {c: history.latest_ssid_clients(conn, c) for c in controllers}
        return devices, alerts, aps, ssids

    def parsed_configs(self, hosts: list[HostInfo]) -> dict[str, ParsedConfig]:
        """Each host's latest backup, parsed by its driver (cached by file size and mtime)."""
        if not self.settings.backup_dir.is_dir():
            return {}
        files = find_configs(self.settings.backup_dir)
        known = {h.name for h in hosts}
        with self._parsed.lock:
            stale = {}
            for host, path in files.items():
                st = path.stat()
                cached = self._parsed.entries.get(host)
                if host in known and (cached is None or cached[0] != (st.st_mtime_ns, st.st_size)):
                    stale[host] = path
            if stale:
                parsed, _ = parse_texts(load_hosts(self.settings), read_files(stale))
                for host, config in parsed.items():
                    st = stale[host].stat()
                    self._parsed.entries[host] = ((st.st_mtime_ns, st.st_size), config)
            return {h: e[1] for h, e in self._parsed.entries.items() if h in files}

    # -- Source --------------------------------------------------------------
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
        hosts = section("inventory", self.hosts, [])
        backups = section("backup", self.backups, {})
        if not backups and "backup" not in missing:
            missing["backup"] = "no backup run recorded yet (netops backup)"
        findings = section("policy", self.findings, None)
        if findings is None and "policy" not in missing:
            missing["policy"] = "no check run recorded yet (netops check)"
        waivers = section("waivers", self.waivers, [])
        devices_snmp, alerts, ap_rows, ssid_clients = section("snmp", lambda: self.snmp([h.name for h in hosts]), ({}, [], {}, {}))
        if not devices_snmp and "snmp" not in missing:
            missing["snmp"] = "no poll recorded yet (netops poll --once)"
        parsed = section("wifi", lambda: self.parsed_configs(hosts), {})

        by_name = {h.name: h for h in hosts}
        active = [f for f in (findings or []) if not f.waived]
        devices = []
        for h in hosts:
            if h.managed_by_controller:
                continue
            b, s = backups.get(h.name), devices_snmp.get(h.name)
            devices.append(Device(
                name=h.name, site=h.site, role=h.role, platform=h.platform, address=h.address, model=h.model,
                reachable=bool(s["reachable"]) if s is not None else None,
                uptime=s["sys_uptime"] / 100 if s is not None and s["reachable"] and s["sys_uptime"] is not None else None,
                last_backup=_when(b.last_success) if b else None,
                backup_status=b.last_status if b else None, backup_reason=b.last_reason if b else None,
                findings=sum(f.host == h.name for f in active),
                alerts=sum(a.host == h.name for a in alerts),
            ))
        aps = []
        for controller, rows in ap_rows.items():
            for name, row in sorted(rows.items()):
                info = by_name.get(name)
                aps.append(AccessPoint(
                    name=name, site=info.site if info else by_name[controller].site, controller=controller,
                    status=row["status"] or "unknown", clients=row["clients"], model=row["model"] or (info.model if info else ""),
                    switch=(info.switch or "") if info else "", switch_port=(info.switch_port or "") if info else "",
                ))
        ssids = [
            Ssid(controller=host, site=by_name[host].site if host in by_name else "", ssid=w.ssid, security=w.security,
                 pmf=w.pmf, vlans=tuple(w.vlans), clients=ssid_clients.get(host, {}).get(w.ssid), enabled=w.enabled)
            for host, config in sorted(parsed.items()) for w in config.wlans
        ]
        return Snapshot(
            taken=taken, devices=tuple(devices), findings=tuple(findings or ()), waivers=tuple(waivers),
            ssids=tuple(ssids), aps=tuple(aps), segregation=tuple(_segregation(hosts, parsed)),
            alerts=tuple(alerts), missing=missing,
        )

    def detail(self, host: str) -> DeviceDetail:
        snap = self.snapshot()
        device = next((d for d in snap.devices if d.name == host), None)
        if device is None:
            raise NetopsError(f"{host} is not in the inventory")
        missing: dict[str, str] = {}
        facts = {"model": device.model, "address": device.address}
        with closing(history.open_history(self.settings.data_dir)) as conn:
            row = history.latest_device(conn, host)
        if row is None:
            missing["interfaces"] = "not polled yet (netops poll --once)"
        else:
            facts |= {"sys_name": row["sys_name"] or "", "sys_descr": (row["sys_descr"] or "").splitlines()[0] if row["sys_descr"] else "",
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
            rows = history.latest_interfaces(conn, host)
        return tuple(
            Interface(r["name"] or str(i), r["oper_status"] or "unknown", r["in_octets"], r["out_octets"],
                      r["in_bps"], r["out_bps"], r["in_errors"])
            for i, r in sorted(rows.items())
        )

    def diff(self, host: str, old: str, new: str) -> str:
        return GitStore(self.settings.backup_dir).diff(host, old, new)

    def restore_preview(self, host: str, rev: str) -> RestorePreview:
        from netops.backup.fetch import FetchOptions
        from netops.backup.restore import plan_restore

        nr = open_nornir(self.settings, Filters.of(hosts=[host]))
        plan = plan_restore(nr, GitStore(self.settings.backup_dir), host, rev, FetchOptions())
        return RestorePreview(host, rev, tuple(plan.commands), tuple(plan.manual))

    def run_job(self, kind: JobKind, hosts: list[str], report: Report, rev: str | None = None) -> None:
        JOBS[kind](self, hosts, report, rev)

    # -- jobs ----------------------------------------------------------------
    def _backup(self, hosts: list[str], report: Report, rev: str | None) -> None:
        from netops.backup.lock import run_lock
        from netops.backup.run import BackupOptions, backs_up, run_backup

        nr = backs_up(open_nornir(self.settings, Filters.of(hosts=hosts)))
        for host in sorted(set(hosts) - set(nr.inventory.hosts)):
            report(JobUpdate(host, "skipped", "netops does not log into this device"))
        if not nr.inventory.hosts:
            return
        with run_lock(self.settings.data_dir, "backup"):
            run_backup(nr, self.settings.backup_dir, self.settings.data_dir, BackupOptions(),
                       on_result=lambda r: report(JobUpdate(r.host, r.status.value, r.reason, r.elapsed)))

    def _check(self, hosts: list[str], report: Report, rev: str | None) -> None:
        from netops.policy.run import CheckOptions, run_check

        options = CheckOptions(policy=self.policy, settings=self.settings, configs_dir=self.settings.backup_dir)
        _, result = run_check(options)
        no_config = {n.host for n in result.notices if n.kind == "no-config"}
        for host in hosts:
            active = [f for f in result.active if f.host == host]
            if host in no_config:
                report(JobUpdate(host, "skipped", "no configuration to check (back it up first)"))
            else:
                report(JobUpdate(host, "ok", f"{len(active)} finding(s)" if active else None))

    def _poll(self, hosts: list[str], report: Report, rev: str | None) -> None:
        from netops.snmp import targets
        from netops.snmp.cycle import PollOptions, run_cycle
        from netops.snmp.pysnmp_backend import PysnmpBackend
        from netops.snmp.thresholds import load_thresholds

        known = {t.host: t for t in targets.resolve(self.settings)}
        for host in hosts:
            if host not in known:
                report(JobUpdate(host, "skipped", "no SNMP target"))
        chosen = [known[h] for h in hosts if h in known]
        with closing(history.open_history(self.settings.data_dir)) as conn:
            run_cycle(conn, chosen, load_thresholds(None), PysnmpBackend, PollOptions(),
                      on_done=lambda s: report(JobUpdate(s.host, "failed" if s.error else "ok", s.error)))


    def _restore(self, hosts: list[str], report: Report, rev: str | None) -> None:
        """Plan again (the device may have changed since the preview), push, save, verify."""
        from netops.backup.fetch import FetchOptions
        from netops.backup.lock import run_lock
        from netops.backup.restore import apply_restore, plan_restore

        assert rev is not None and len(hosts) == 1
        host, store, options = hosts[0], GitStore(self.settings.backup_dir), FetchOptions()
        nr = open_nornir(self.settings, Filters.of(hosts=[host]))
        started = monotonic()
        with run_lock(self.settings.data_dir, f"netops tui restore {host}"):
            plan = apply_restore(nr, store, plan_restore(nr, store, host, rev, options), options)
        pushed = f"pushed {len(plan.commands)} command(s)" if plan.pushed else "nothing to push"
        if plan.verified:
            report(JobUpdate(host, "ok", f"{pushed}; verified against {plan.commit[:12]}", monotonic() - started))
        else:
            report(JobUpdate(host, "failed", f"{pushed}; still needs: {'; '.join(plan.remaining[:5])}", monotonic() - started))


JOBS: dict[str, Callable[[NetopsSource, list[str], Report, str | None], None]] = {
    "backup": NetopsSource._backup,
    "check": NetopsSource._check,
    "poll": NetopsSource._poll,
    "restore": NetopsSource._restore,
}


def _segregation(hosts: list[HostInfo], parsed: dict[str, ParsedConfig]) -> list[Segregation]:
    """AP → switch port → VLANs, with the join of ``netops.policy.segregation``."""
    out = []
    for ap in hosts:
        if not (ap.switch and ap.switch_port):
            continue
        wlans, switch = parsed.get(ap.controller or ap.name), parsed.get(ap.switch)
        port = find_port(switch.ports, ap.switch_port) if switch else None
        needed = sorted({v for w in (wlans.wlans if wlans else []) if w.enabled for v in w.vlans})
        out.append(Segregation(ap.name, ap.switch, port.name if port else f"{ap.switch_port} (not found)",
                               tuple(sorted(carried(port))) if port else (), tuple(needed)))
    return out
