"""A :class:`tui.source.Source` read from one JSON file.

For snapshot tests, screenshots in the docs and demos without a lab: the same
file always renders the same screen. Jobs take ``job_delay`` seconds per device
(and report exactly that as the elapsed time) with the status the file gives
for that host (``ok`` otherwise).

The resilience audit and what-if run netops' own campus model
(:mod:`netops.resilience`) on the file's devices, APs, SSIDs and clients, cabled
and configured by the small hand-made campus below (:data:`UPLINKS`, HSRP on
the cores, the controllers' AP failover): its single points of failure and
what-if answers are computed, not written down.

The audit trail (:data:`AUDIT_TRAIL`), the controllers' Wi-Fi clients and their
pseudonymised history (:data:`WIFI_CLIENTS`, :data:`SIGHTINGS`) and the privacy
report are made up here too: every MAC address is locally administered
(``02:...``), every user name and address invented. A remediation plans the
fix commands of the file's findings; it ends as the file's ``remediate`` entry
for the host says (``{"remaining": [...]}`` or ``{"error": ...}``), else fixed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import ipaddress
import json
import re
import time
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from netops import defaults
from netops.backup.offsite import LastPush, RemoteState
from netops.backup.restore import RestorePlan
from netops.errors import InputError
from netops.model import ApJoin, ControllerRef, Fhrp, Neighbor, ParsedConfig, Svi, Wlan
from netops.notify.model import Alert as AlertTransition
from netops.policy.findings import Detail, Finding
from netops.policy.policy import Waiver
from netops.resilience import audit as spof
from netops.resilience import whatif as impact
from netops.resilience.campus import Campus, CampusInputs, Clients
from netops.results import DeviceResult, Status
from netops.services import schedule
from netops.services.alerts import TargetDelivery, Transition
from netops.services.audit import AuditLog, Record, Verification
from netops.services.backup import Drift, Match
from netops.services.drill import DrillSummary, DrState
from netops.services.engine import EngineState
from netops.services.inventory import HostInfo  # the record the services return (tui never imports netops.inventory)
from netops.services.privacy import BASIS, Holding, PrivacyReport, Safeguard
from netops.services.report import ReportStatus
from netops.services.resilience import Audit
from netops.services.schedule import Schedule
from netops.services.state import (
    AccessPoint,
    Alert,
    Cabling,
    Device,
    DeviceDetail,
    Interface,
    Revision,
    Snapshot,
    Ssid,
)
from netops.settings import Settings
from netops.snapshot.diff import SnapshotDiff
from netops.snapshot.diff import diff as snapshot_diff
from netops.snapshot.record import DeviceSnapshot
from netops.snapshot.record import Snapshot as StateSnapshot
from tui.source import JobKind, OnResult

if TYPE_CHECKING:  # loaded when first used (SNMP, nornir): importing the fixture stays light
    from netops.services.clients import ClientsResult
    from netops.services.remediate import HostPlan


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _dated(raw: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: (_when(v) if k in keys else v) for k, v in raw.items()}


def _finding(raw: dict[str, Any]) -> Finding:
    return Finding(**(raw | {"details": tuple(Detail(**d) for d in raw["details"]), "fix": tuple(raw.get("fix", ()))}))


# -- the hand-made campus of the resilience view ---------------------------------------------------------------------

UPLINKS: dict[str, list[tuple[str, str, str]]] = {  # device: (its port, the upstream device, that device's port), as LLDP shows
    "jmu-core-1": [("Te1/1/7", "jmu-core-2", "Te1/1/7"), ("Te1/1/8", "jmu-core-2", "Te1/1/8")],
    "jmu-acc-1": [("Te1/1/1", "jmu-core-1", "Te1/1/1"), ("Te1/1/2", "jmu-core-2", "Te1/1/1")],
    "jmu-acc-2": [("Te1/1/1", "jmu-core-1", "Te1/1/2"), ("Te1/1/2", "jmu-core-2", "Te1/1/2")],
    "jmu-acc-3": [("Te1/1/1", "jmu-core-1", "Te1/1/3"), ("Te1/1/2", "jmu-core-2", "Te1/1/3")],
    "jmu-acc-4": [("Te1/1/1", "jmu-core-2", "Te1/1/4")],  # the annex: its second fibre is not laid yet
    "jmu-wlc-1": [("Te0/1/0", "jmu-core-1", "Te1/1/5"), ("Te0/1/1", "jmu-core-2", "Te1/1/5")],
    "jmu-wlc-2": [("Te0/1/0", "jmu-core-1", "Te1/1/6"), ("Te0/1/1", "jmu-core-2", "Te1/1/6")],
    "srn-core-1": [("Te1/1/7", "srn-core-2", "Te1/1/7"), ("Te1/1/8", "srn-core-2", "Te1/1/8")],
    "srn-acc-1": [("Te1/1/1", "srn-core-1", "Te1/1/1"), ("Te1/1/2", "srn-core-2", "Te1/1/1")],
    "srn-acc-2": [("Te1/1/1", "srn-core-1", "Te1/1/2"), ("Te1/1/2", "srn-core-2", "Te1/1/2")],
    "srn-wlc-aireos": [("Te0/0/1", "srn-core-1", "Te1/1/5")],  # one distribution port in use
    "srn-wlc-aruba": [("GE0/0/0", "srn-core-1", "Te1/1/6"), ("GE0/0/1", "srn-core-2", "Te1/1/6")],
}
STANDALONE_APS = {"jmu-owrt-guesthouse": ("jmu-acc-4", "Gi1/0/48"), "srn-iap-annex": ("srn-acc-2", "Gi1/0/46")}  # their cabling
MANAGEMENT_VLAN = 10
ZONE_VLANS = (20, 110, 111, 700, 900)
SITE_PREFIX = {"jammu": "10.10", "srinagar": "10.20"}
SAME_WLANS = {"jmu-wlc-2": "jmu-wlc-1"}  # N+1: the standby controller serves the same WLANs
AP_FAILOVER = {  # controller: the controllers its APs join (primary first), as its configuration says
    "jmu-wlc-1": ApJoin([ControllerRef("jmu-wlc-1", "10.10.0.21"), ControllerRef("jmu-wlc-2", "10.10.0.22")],
                        source="ap profile AP-B1"),
    "srn-wlc-aruba": ApJoin([ControllerRef(address="10.20.0.22"), ControllerRef(address="10.20.0.23")],
                            source="ap system-profile default"),  # backup-LMS: the data centre's controller
}
RESILIENCE_FINDINGS = [  # rule, severity, host, object, key, expected, actual, waiver
    ("RES-001", "high", "jmu-acc-4", "uplinks", "uplinks", "links to 2 distinct upstream devices", "1: jmu-core-2 (Te1/1/1)",
     "Annex fibre to jmu-core-1 ordered (expires 2027-01-31)"),
    ("RES-001", "high", "srn-wlc-aireos", "uplinks", "uplinks", "links to 2 distinct upstream devices", "1: srn-core-1 (Te0/0/1)", None),
    ("RES-004", "high", "jmu-wlc-2", "jmu-ap-b2-f2-01", "backup controller",
     "an HA peer, or a backup controller on another chassis", "none (ap profile default-ap-profile)", None),
    ("RES-004", "high", "srn-wlc-aireos", "srn-ap-b1-f1-01", "backup controller",
     "an HA peer, or a backup controller on another chassis", "none (no secondary controller)", None),
    ("RES-005", "medium", "srn-acc-2", "Te1/1/2", "allowed VLANs", "20,110,111,700,900 (as srn-core-2 Te1/1/2)", "20,110,900", None),
]
RESILIENCE_TITLES = {
    "RES-001": "Access switches and controllers have uplinks to two distinct upstream switches",
    "RES-004": "Every controller has an HA peer, or every AP it serves a backup controller on another chassis",
    "RES-005": "Both ends of every trunk carry the same VLANs and native VLAN",
}


# -- the audit trail, the Wi-Fi clients and the privacy report (made up) ---------------------------------------------

ZONE = ZoneInfo("Asia/Kolkata")  # the secretariat's time zone (netops.yaml's default)
DATA_DIR = "/var/lib/netops"
SERVER = "ops-jmu-1"
AUDIT_TRAIL: list[tuple[str, str, str | None, str, str, dict[str, Any], str, str | None]] = [
    # time (UTC), user, sudo user, action, target, detail, result, reason
    ("2026-11-20T20:30:04+00:00", "netops", None, "backup", "all",
     {"devices": 16, "changed": 2, "failed": 0, "commit": "4f889303c66b2e1d9a0c"}, "ok", None),
    ("2026-11-21T00:30:11+00:00", "netops", None, "check", "all", {"run_id": 40, "findings": 9, "hosts": 16}, "ok", None),
    ("2026-11-21T09:12:40+00:00", "rkoul", None, "restore", "jmu-acc-2",
     {"rev": "3ab9d41", "commit": "3ab9d41e0b7f55a2c1d0", "trigger": "rkoul (dashboard)",
      "commands": ["interface GigabitEthernet1/0/12", " switchport access vlan 110"], "manual": [], "verified": True,
      "remaining": []}, "ok", "INC-20431"),
    ("2026-11-21T13:00:02+00:00", "netops", None, "report", "2026-11-21", {"format": "html,pdf", "sent_to": 3}, "ok", None),
    ("2026-11-21T20:30:05+00:00", "netops", None, "backup", "all",
     {"devices": 16, "changed": 1, "failed": 1, "commit": "7c1e2f0a4b9d03e6f812"}, "failed: 1 of 16 device(s) (jmu-acc-3)", None),
    ("2026-11-22T00:30:09+00:00", "netops", None, "check", "all", {"run_id": 41, "findings": 9, "hosts": 16}, "ok", None),
    ("2026-11-22T03:45:17+00:00", "snanda", None, "remediate", "srn-acc-1",
     {"trigger": "snanda", "commands": ["line vty 0 15", " transport input ssh"], "manual": [], "rules": ["HARD-IOS-002"],
      "remaining": []}, "ok", "CHG-1187"),
    ("2026-11-22T04:10:52+00:00", "snanda", None, "remediate", "srn-acc-2",
     {"trigger": "snanda", "commands": ["no ip http server", "ip http secure-server"], "manual": [], "rules": ["HARD-IOS-009"],
      "remaining": [{"rule": "HARD-IOS-009", "object": "(top level)", "line": None,
                     "message": "ip http secure-server: expected present, got absent"}]},
     "failed: 1 finding(s) remain", "CHG-1187"),
    ("2026-11-22T05:02:33+00:00", "root", "rkoul", "inventory.trust", "srn-wlc-aruba",
     {"fingerprint": "SHA256:q5Kx0mYtR3pWb8hJvL2nC7dFa9sE1uGi4oZk6TyXwQc"}, "ok", "RMA 7731: chassis replaced"),
    ("2026-11-22T08:00:41+00:00", "netops", None, "drill", "jammu", {"devices": 9, "verified": 9, "rto_seconds": 7.2}, "ok", None),
    ("2026-11-22T09:05:12+00:00", "rkoul", None, "restore", "jmu-acc-1",
     {"dry_run": True, "rev": "3ab9d41", "commit": "3ab9d41e0b7f55a2c1d0",
      "commands": ["interface GigabitEthernet1/0/47", " switchport trunk allowed vlan 20,110,111", "no vlan 111"],
      "manual": ["username netops secret <removed by netops>"]}, "dry run", None),
]
WIFI_CLIENTS: list[tuple[str, str, str | None, str | None, str, str, int, int, int]] = [
    # controller, MAC, user, IP, AP, SSID, VLAN, RSSI, SNR
    ("jmu-wlc-1", "02:1a:7c:3e:41:0b", "a.sharma", "10.10.110.57", "jmu-ap-b1-f1-01", "JKS-Staff", 110, -58, 36),
    ("jmu-wlc-1", "02:5f:e2:90:13:c4", "m.wani", "10.10.110.88", "jmu-ap-b1-f2-01", "JKS-Staff", 110, -77, 17),
    ("jmu-wlc-1", "02:88:0d:b1:6a:2f", "guest-4471", "10.10.144.23", "jmu-ap-b1-f2-01", "JKS-Guest", 900, -66, 27),
    ("jmu-wlc-1", "02:c3:14:77:e5:90", None, "10.10.188.12", "jmu-ap-b1-f1-01", "JKS-IoT", 700, -61, 31),
    ("srn-wlc-aireos", "02:4d:b6:0a:9e:71", "a.sharma", "10.20.111.19", "srn-ap-b1-f1-01", "JKS-Staff-Legacy", 111, -70, 22),
    ("srn-wlc-aruba", "02:e7:21:5c:08:d3", "s.mir", "10.20.110.140", "srn-ap-b2-f1-01", "JKS-Staff", 110, -63, 30),
]
CONTROLLERS = (("jmu-wlc-1", "jammu", "cisco_xe", 0.41), ("jmu-wlc-2", "jammu", "cisco_xe", 0.22),
               ("srn-wlc-aireos", "srinagar", "cisco_wlc", 0.63), ("srn-wlc-aruba", "srinagar", "aruba_os", 0.52))
SIGHTINGS: list[tuple[str, str, str, str, int, int, tuple[str, str, str]]] = [
    # time (UTC), controller, AP, SSID, VLAN, RSSI, (MAC, user, IP) it was stored under (as pseudonyms, in the real store)
    ("2026-11-22T09:25:00+00:00", "jmu-wlc-1", "jmu-ap-b1-f2-01", "JKS-Staff", 110, -76, ("02:5f:e2:90:13:c4", "m.wani", "10.10.110.88")),
    ("2026-11-22T08:40:00+00:00", "jmu-wlc-1", "jmu-ap-b1-f1-01", "JKS-Staff", 110, -59, ("02:5f:e2:90:13:c4", "m.wani", "10.10.110.88")),
    ("2026-11-21T15:10:00+00:00", "jmu-wlc-1", "jmu-ap-b2-f1-01", "JKS-Staff", 110, -64, ("02:5f:e2:90:13:c4", "m.wani", "10.10.110.31")),
    ("2026-11-22T09:25:00+00:00", "jmu-wlc-1", "jmu-ap-b1-f1-01", "JKS-Staff", 110, -58, ("02:1a:7c:3e:41:0b", "a.sharma", "10.10.110.57")),
    ("2026-11-21T11:00:00+00:00", "srn-wlc-aireos", "srn-ap-b1-f1-01", "JKS-Staff-Legacy", 111, -69,
     ("02:4d:b6:0a:9e:71", "a.sharma", "10.20.111.19")),
    ("2026-11-20T10:30:00+00:00", "jmu-wlc-1", "jmu-ap-b1-f2-01", "JKS-Staff", 110, -71, ("02:9b:33:c8:52:e6", "d.bhat", "10.10.110.65")),
]


def _kinds(query: str) -> tuple[str, ...]:
    """What a lookup can be: a MAC (any notation), an IP address, and always a user name (as netops clients says)."""
    out = ["mac"] if re.fullmatch(r"[0-9a-f]{12}", re.sub(r"[:.\-]", "", query.lower())) else []
    try:
        ipaddress.ip_address(query)
        out.append("ip")
    except ValueError:
        pass
    return (*out, "user")


def _matched(query: str, mac: str, user: str | None, ip: str | None) -> tuple[str, ...]:
    q = query.strip().lower()
    bare = re.sub(r"[:.\-]", "", q)
    out = []
    if len(bare) == 12 and bare == mac.replace(":", ""):
        out.append("mac")
    if ip is not None and q == ip:
        out.append("ip")
    if user is not None and q == user.lower():
        out.append("user")
    return tuple(out)


def _record(seq: int, prev: str, entry: tuple[str, str, str | None, str, str, dict[str, Any], str, str | None]) -> Record:
    when, user, sudo, action, target, detail, result, reason = entry
    body = json.dumps([seq, when, user, action, target, detail, result, reason, prev], sort_keys=True)
    return Record(seq, when, user, sudo, SERVER, 4100 + seq, action, target, detail, result, reason, prev,
                  hashlib.sha256(body.encode()).hexdigest(), line=seq)


class FixtureSource:
    def __init__(self, path: Path, job_delay: float = 0.0) -> None:
        self.raw = json.loads(Path(path).read_text(encoding="utf-8"))
        self.job_delay = job_delay

    def snapshot(self) -> Snapshot:
        r = self.raw
        return Snapshot(
            taken=_when(r["taken"]),  # type: ignore[arg-type]
            devices=tuple(Device(**_dated(d, "last_backup")) for d in r.get("devices", [])),
            findings=tuple(_finding(f) for f in r.get("findings", [])),
            waivers=tuple(Waiver(**(w | {"expires": dt.date.fromisoformat(w["expires"])})) for w in r.get("waivers", [])),
            ssids=tuple(Ssid(**(s | {"vlans": tuple(s["vlans"]), "bands": tuple(s.get("bands", ()))})) for s in r.get("ssids", [])),
            aps=tuple(AccessPoint(**a) for a in r.get("aps", [])),
            cabling=tuple(
                Cabling(**(c | {"port_vlans": tuple(c["port_vlans"]), "wlan_vlans": tuple(c["wlan_vlans"])}))
                for c in r.get("cabling", [])
            ),
            alerts=tuple(Alert(**_dated(a, "since")) for a in r.get("alerts", [])),
            missing=dict(r.get("missing", {})),
            check_run=r.get("check_run", 1),
            report=self._report_status(),
        )

    def _report_status(self) -> ReportStatus:
        """The fixture's day: the report not sent yet, due at 19:00 IST."""
        zone = ZoneInfo("Asia/Kolkata")
        taken = _when(self.raw["taken"])
        assert taken is not None
        day = taken.astimezone(zone).date()
        deadline = dt.datetime.combine(day, dt.time(19, 0), tzinfo=zone)
        return ReportStatus(day, deadline, None, None, taken >= deadline)

    def detail(self, host: str) -> DeviceDetail:
        snap = self.snapshot()
        device = next(d for d in snap.devices if d.name == host)
        raw = self.raw.get("details", {}).get(host, {})
        return DeviceDetail(
            device=device,
            facts=dict(raw.get("facts", {})),
            interfaces=self.interfaces(host),
            revisions=tuple(Revision(**_dated(r, "date")) for r in raw.get("revisions", [])),
            findings=tuple(f for f in snap.findings if f.host == host),
            missing=dict(raw.get("missing", {})),
        )

    def interfaces(self, host: str) -> tuple[Interface, ...]:
        raw = self.raw.get("details", {}).get(host, {})
        return tuple(Interface(**i) for i in raw.get("interfaces", []))

    def diff(self, host: str, old: str, new: str) -> str:
        configs = self.raw["details"][host]["configs"]
        lines = difflib.unified_diff(
            configs[old].splitlines(keepends=True), configs[new].splitlines(keepends=True),
            fromfile=f"{host}@{old}", tofile=f"{host}@{new}",
        )
        return "".join(lines)

    def _latest(self, host: str) -> str | None:
        raw = self.raw.get("details", {}).get(host, {})
        revisions = raw.get("revisions", [])
        return raw.get("configs", {}).get(revisions[0]["rev"]) if revisions else None

    def drift(self, host: str) -> DeviceResult[Drift]:
        """The fixture's ``running`` text of the device against its newest revision."""
        stored, running = self._latest(host), self.raw.get("details", {}).get(host, {}).get("running")
        if stored is None:
            return DeviceResult(host, Status.FAILED, "no backup to compare with", payload=Drift(None))
        text = "".join(difflib.unified_diff(stored.splitlines(keepends=True), (running or stored).splitlines(keepends=True),
                                            fromfile=f"{host} (last backup)", tofile=f"{host} (running)"))
        return DeviceResult(host, Status.CHANGED if text else Status.UNCHANGED, payload=Drift(text))

    def grep(self, pattern: str) -> list[Match]:
        found = re.compile(pattern)
        sites = {d.name: d.site for d in self.snapshot().devices}
        return [Match(host, sites.get(host, ""), number, line, f"{sites.get(host, '')}/{host}.cfg")
                for host in sorted(self.raw.get("details", {})) if (text := self._latest(host)) is not None
                for number, line in enumerate(text.splitlines(), 1) if found.search(line)]

    def alert_history(self, since: datetime) -> list[Transition]:
        """The fixture's ``alert_history`` transitions (time, state, severity, host, kind, message, deliveries)."""
        out = []
        for n, raw in enumerate(self.raw.get("alert_history", []), 1):
            when = _when(raw["time"])
            assert when is not None
            if when < since:
                continue
            alert = AlertTransition(raw.get("source", "snmp"), raw["kind"], raw["host"], raw.get("subject", raw["host"]), raw["severity"],
                          raw["state"], raw["message"], when)
            sent = tuple(TargetDelivery(d["target"], d["status"], d.get("attempts", 1), when if d["status"] == "sent" else None,
                                        d.get("error"), d.get("digest", False)) for d in raw.get("deliveries", []))
            out.append(Transition(n, alert, sent))
        return sorted(out, key=lambda t: t.alert.time, reverse=True)

    def offsite(self) -> list[RemoteState]:
        """The fixture's ``offsite`` list (none in the default data set)."""
        out = []
        for r in self.raw.get("offsite", []):
            pushes = {k: LastPush(**_dated(r[k], "time")) if r.get(k) else None for k in ("last_push", "last_success")}
            out.append(RemoteState(**(_dated(r, "oldest_missing") | pushes)))
        return out

    def dr(self) -> DrState:
        """The fixture's ``dr`` entry (none in the default data set: the vault off, no drill)."""
        raw = self.raw.get("dr", {})
        drills = tuple(DrillSummary(**(d | {"finished": _when(d["finished"]), "evidence": Path(d["evidence"])}))
                       for d in raw.get("drills", []))
        return DrState(bool(raw.get("vault_on")), raw.get("stored", 0), raw.get("devices", 0), raw.get("flagged", 0), drills)

    def engine(self) -> EngineState:
        """The fixture's jobs run here: no broker."""
        return EngineState(None)

    def schedule(self) -> Schedule:
        """The built-in schedule at the fixture's time, installed nowhere (no unit directory, an empty crontab)."""
        builtin = Settings.resolve(env={}, config=defaults.path("netops.yaml"))
        return schedule.show(builtin, unit_dir=Path("/nonexistent/netops-fixture"), crontab_file=Path("/nonexistent/crontab"),
                             now=_when(self.raw["taken"]), netops_command=("netops",))

    def _campus(self, site: str | None) -> Campus:
        """The campus model of ``site`` (None: both): the file's devices and APs, :data:`UPLINKS`, HSRP on every core
        for the zone VLANs, the file's SSIDs on their controllers with :data:`AP_FAILOVER`, the file's clients."""
        r = self.raw
        hosts = {d["name"]: HostInfo(d["name"], d["site"], d["role"], d["platform"], d.get("model", ""), d["address"],
                                     switch=STANDALONE_APS.get(d["name"], ("", ""))[0] or None,
                                     switch_port=STANDALONE_APS.get(d["name"], ("", ""))[1] or None)
                 for d in r.get("devices", [])}
        ap_platform = {name: "aruba_ap" if h.platform == "aruba_os" else "cisco_ap" for name, h in hosts.items()}
        hosts |= {a["name"]: HostInfo(a["name"], a["site"], "ap", ap_platform.get(a["controller"], "cisco_ap"), a.get("model", ""),
                                      controller=a["controller"], switch=a.get("switch"), switch_port=a.get("switch_port"),
                                      managed_by="controller")
                  for a in r.get("aps", [])}
        if site is not None:
            if site not in {h.site for h in hosts.values()}:
                known = ", ".join(sorted({h.site for h in hosts.values()}))
                raise InputError(f"no device of site {site!r} in the inventory (sites: {known})", key="--site")
            hosts = {n: h for n, h in hosts.items() if h.site == site}
        neighbors: dict[str, list[Neighbor]] = {}
        for device, uplinks in UPLINKS.items():
            for port, upstream, their_port in uplinks:
                neighbors.setdefault(upstream, []).append(Neighbor(their_port, device, port, "lldp"))
                neighbors.setdefault(device, []).append(Neighbor(port, upstream, their_port, "lldp"))
        configs = {name: self._config(h) for name, h in hosts.items() if h.role != "ap" or h.controller is None}
        clients = Clients({a["name"]: a["clients"] or 0 for a in r.get("aps", [])},
                          {(s["controller"], s["ssid"]): s["clients"] or 0 for s in r.get("ssids", [])})
        return Campus(CampusInputs(hosts, configs, {h: t for h, t in neighbors.items() if h in hosts}, clients=clients))

    def _config(self, host: HostInfo) -> ParsedConfig:
        prefix = SITE_PREFIX.get(host.site, "10.99")
        if host.role != "core":  # the management VLAN's address
            svis = [Svi(host.name, MANAGEMENT_VLAN, f"{host.address}/24")] if host.address else []
        else:  # HSRP on every VLAN the cores route (management: .254, zones: .1), core-1 active
            me = int(host.name[-1])
            svis = [Svi(host.name, MANAGEMENT_VLAN, f"{host.address}/24",
                        fhrp=[Fhrp("hsrp", MANAGEMENT_VLAN, f"{prefix}.0.254", priority=120 - 10 * me, preempt=True)])]
            svis += [Svi(host.name, vlan, f"{prefix}.{vlan % 256}.{1 + me}/24", fhrp=[Fhrp("hsrp", vlan, f"{prefix}.{vlan % 256}.1",
                                                                                        priority=120 - 10 * me, preempt=True)])
                     for vlan in ZONE_VLANS]
        source = SAME_WLANS.get(host.name, host.name)
        wlans = [Wlan(**{"host": host.name, "platform": host.platform, "profile": s["ssid"], "ssid": s["ssid"], "enabled": s["enabled"],
                         "security": s["security"], "pmf": s["pmf"], "vlans": list(s["vlans"]), "bands": list(s.get("bands", []))})
                 for s in self.raw.get("ssids", []) if s["controller"] == source]
        joins = [AP_FAILOVER[host.name]] if host.name in AP_FAILOVER else []
        return ParsedConfig(host.name, host.platform, wlans=wlans, svis=svis, ap_joins=joins)

    def resilience(self, site: str | None) -> Audit:
        """netops' single points of failure of the hand-made campus, with :data:`RESILIENCE_FINDINGS` as its findings."""
        model = self._campus(site)
        points = spof.single_points(model)
        findings = [
            Finding(rule, RESILIENCE_TITLES[rule], severity, host, model.site_of(host), obj, "redundancy", (Detail(key, expected, actual),),
                    waived=waiver is not None, waiver=waiver)
            for rule, severity, host, obj, key, expected, actual, waiver in RESILIENCE_FINDINGS if host in model.hosts
        ]
        return Audit(single_points=points, findings=findings, notices=[], devices=spof.summary(model, points), rules=[],
                     configurations=len(model.configs), links=model.links, clients_known=True,
                     waived=sum(f.waived for f in findings), meta={"site": site})

    def whatif(self, devices: list[str], links: list[str], site: str | None) -> impact.Impact:
        model = self._campus(site)
        return impact.whatif(model, [impact.device(model, name) for name in devices], [impact.link(model, spec) for spec in links])

    def restore_preview(self, host: str, rev: str) -> RestorePlan:
        raw = self.raw["details"][host].get("restore", {})
        return RestorePlan(host, "cisco_xe", rev, list(raw.get("commands", [])), list(raw.get("manual", [])))

    def remediate_preview(self, host: str, rule: str) -> HostPlan:
        """The fix commands of the file's active findings of ``rule`` on ``host`` (steps marked manual apart)."""
        from netops.services.remediate import HostPlan

        device = next(d for d in self.snapshot().devices if d.name == host)
        found = [f for f in self.snapshot().findings if f.host == host and f.rule == rule and not f.waived and f.fix]
        commands = [c for f in found for c in f.fix]
        manual = [c.removeprefix("! manual: ") for c in commands if c.startswith("! manual: ")]
        return HostPlan(host, device.platform, [{"rule": f.rule, "object": f.object, "line": f.line, "message": f.message}
                                                for f in found],
                        [c for c in commands if not c.startswith("! manual: ")], manual)

    def _remediate(self, host: str, rule: str | None) -> DeviceResult[HostPlan]:
        """The plan pushed, ending as the file's ``remediate`` entry for ``host`` says (fixed without one)."""
        plan = self.remediate_preview(host, rule or "")
        end = self.raw.get("remediate", {}).get(host, {})
        plan.error = end.get("error")
        plan.pushed = plan.error is None and bool(plan.commands)
        plan.remaining = list(end.get("remaining", [])) if plan.pushed else []
        status = Status.OK if plan.status == "fixed" else Status.FAILED if plan.status in ("failed", "incomplete") else Status.SKIPPED
        reason = plan.error or (f"{plan.status}: {len(plan.commands)} command(s), {len(plan.manual)} manual, "
                                f"{len(plan.remaining)} finding(s) remain")
        return DeviceResult(host, status, reason, elapsed=self.job_delay, payload=plan)

    def zone(self) -> tzinfo:
        return ZONE

    def audit_log(self) -> AuditLog:
        """:data:`AUDIT_TRAIL`, chained (its hashes are made up: nothing verifies them but :meth:`audit_verify`)."""
        records: list[Record] = []
        for seq, entry in enumerate(AUDIT_TRAIL, 1):
            records.append(_record(seq, records[-1].hash if records else "", entry))
        return AuditLog(Path(DATA_DIR, "audit", "audit.log"), records, len(records))

    def audit_verify(self) -> Verification:
        """Intact (a test breaks it by overriding this method)."""
        return Verification(Path(DATA_DIR, "audit", "audit.log"), len(AUDIT_TRAIL), 1, len(AUDIT_TRAIL), [])

    def clients(self, query: str) -> ClientsResult:
        """:data:`WIFI_CLIENTS` matching ``query`` on every controller, and the :data:`SIGHTINGS` stored under it."""
        from netops.services.clients import Client, ClientRecord, ClientsResult, ControllerStatus, Sighting  # the services' records

        query = query.strip()
        if not query:
            raise InputError("give a MAC address, a user name or an IP address", key="--find")
        sites = dict((c, site) for c, site, _, _ in CONTROLLERS)
        found = []
        for controller, mac, user, ip, ap, ssid, vlan, rssi, snr in WIFI_CLIENTS:
            matched = _matched(query, mac, user, ip)
            if matched:
                found.append(Client(controller, sites[controller], ClientRecord(mac, ip, user, ap, None, ssid, vlan, None, rssi, snr,
                                                                                "associated"), matched))
        statuses = [ControllerStatus(c, site, platform, sum(w[0] == c for w in WIFI_CLIENTS), None, elapsed)
                    for c, site, platform, elapsed in CONTROLLERS]
        history = []
        for when, controller, ap, ssid, vlan, rssi, (mac, user, ip) in SIGHTINGS:
            matched = _matched(query, mac, user, ip)
            if matched:
                history.append(Sighting(datetime.fromisoformat(when), controller, sites[controller], ap, ssid, vlan, rssi, matched))
        history.sort(key=lambda h: h.time, reverse=True)
        return ClientsResult(found, statuses, query, _kinds(query), history)

    def privacy(self) -> PrivacyReport:
        """A privacy report of an operations server that has polled the controllers for a week."""
        db = f"{DATA_DIR}/netops.db"
        holdings = [
            Holding("Wi-Fi client history", "client_history", f"{db}: table snmp_client", "pseudonymised",
                    "client MAC address, user name and IP address as HMAC-SHA256 pseudonyms; AP, SSID, VLAN, signal in clear",
                    "30 days (default)", {"rows": 48213, "devices": 1187, "users": 642, "oldest": "2026-11-15T09:30:00+00:00"},
                    "clear identifiers are never stored"),
            Holding("Wi-Fi clients, live", None, "controllers' client tables, read by netops clients", "not stored",
                    "client MAC, user name, IP shown in clear on the admin's terminal only", "not kept", {}),
            Holding("SNMP poll history", "poll_history", f"{db}: tables snmp_poll, snmp_device, snmp_interface, ...",
                    "not personal", "none: devices, counters, clients per AP and SSID (counts only)", "30 days (default)",
                    {"polls": 10080, "events": 212}),
            Holding("check findings", "findings", f"{db}: tables check_runs, check_findings, check_notices", "not personal",
                    "none: configuration findings per device", "365 days (default)", {"runs": 41, "findings": 377}),
            Holding("audit trail", "audit_log", f"{DATA_DIR}/audit/audit.log", "clear",
                    "OS user names of the administrators who ran netops, the server's host name, ticket references",
                    "180 days (default (audit trail))", {"records": len(AUDIT_TRAIL)},
                    "staff data for accountability (CERT-In logs); client identifiers never enter it"),
            Holding("configuration backups", None, f"{DATA_DIR}/backups (git repository)", "clear",
                    "device configurations: local account names, contacts; secrets redacted or in the vault",
                    "git history, not pruned", {"files": 16}),
        ]
        safeguards = [
            Safeguard("keyed pseudonyms", "in place", "HMAC-SHA256, key /etc/netops/privacy.key (mode 0600); held outside the "
                      "database"),
            Safeguard("file modes", "in place", f"data directory {DATA_DIR} mode 0700, netops.db mode 0600"),
            Safeguard("deletion", "in place", "prune and erasure overwrite deleted rows and truncate the write-ahead log"),
            Safeguard("secrets vault", "off", "secrets are redacted from backups and not kept (no vault.recipients)"),
            Safeguard("SSH host key verification", "in place", f"known hosts {DATA_DIR}/known_hosts (present)"),
            Safeguard("audit trail", "in place", f"{DATA_DIR}/audit/audit.log: hash-chained record of every run and change"),
        ]
        retention = {c: {"days": days, "origin": "default"} for c, days in
                     (("client_history", 30), ("poll_history", 30), ("findings", 365), ("audit_log", 180))}
        taken = _when(self.raw["taken"])
        assert taken is not None
        return PrivacyReport(taken, DATA_DIR, holdings, safeguards, retention, list(BASIS))

    def _state_snapshots(self) -> list[StateSnapshot]:
        """Three snapshots of the file's campus an hour apart: ``before-upgrade`` and ``after-upgrade`` differ by
        the first AP's switch port shut (the port down, the neighbour lost, the AP gone from its controller, the
        staff SSID's clients down) and a counter."""
        taken = _when(self.raw["taken"])
        assert taken is not None
        base: dict[str, DeviceSnapshot] = {}
        aps = self.raw.get("aps", [])
        for d in self.raw.get("devices", []):
            features: dict[str, dict[str, dict[str, Any]]] = {"interfaces": {
                "TenGigabitEthernet1/1/1": {"admin": "up", "oper": "up", "speed_mbps": 10000, "in_errors": 0, "out_errors": 0}}}
            ports = [a for a in aps if a.get("switch") == d["name"]]
            for ap in ports:
                features["interfaces"][ap["switch_port"]] = {"admin": "up", "oper": "up", "speed_mbps": 1000, "in_errors": 0,
                                                            "out_errors": 0}
            if ports:
                features["neighbors"] = {f"{a['switch_port']} {a['name']}": {"port": "GigabitEthernet0", "protocol": "cdp"}
                                         for a in ports}
            joined = [a for a in aps if a.get("controller") == d["name"]]
            if d.get("role") == "wlc":
                features["aps"] = {a["name"]: {"model": a.get("model", ""), "state": a.get("status", "up"), "address": ""}
                                   for a in joined}
                features["ssid_clients"] = {x["ssid"]: {"clients": x.get("clients", 0)} for x in self.raw.get("ssids", [])
                                            if x.get("controller") == d["name"]}
            base[d["name"]] = DeviceSnapshot(d["name"], d.get("platform", ""), d.get("site", ""), "", {"ssh": True, "snmp": True},
                                             {}, features)

        def copy(name: str, hours: int, origin: str) -> StateSnapshot:
            when = (taken - dt.timedelta(hours=hours)).isoformat(timespec="seconds")
            devices = {h: DeviceSnapshot(d.host, d.platform, d.site, when, dict(d.reachable), dict(d.reasons),
                                         json.loads(json.dumps(d.features))) for h, d in base.items()}
            return StateSnapshot(name, when, "site jammu", origin, devices)

        nightly, before, after = copy("nightly", 3, "manual"), copy("before-upgrade", 2, "manual"), copy("after-upgrade", 1, "manual")
        if aps:
            ap = aps[0]
            switch, controller = after.devices.get(ap.get("switch", "")), after.devices.get(ap.get("controller", ""))
            if switch is not None:
                switch.features["interfaces"][ap["switch_port"]].update(admin="down", oper="down")
                switch.features["interfaces"]["TenGigabitEthernet1/1/1"]["in_errors"] = 12
                switch.features["neighbors"].pop(f"{ap['switch_port']} {ap['name']}", None)
            if controller is not None:
                controller.features["aps"].pop(ap["name"], None)
                for ssid in controller.features.get("ssid_clients", {}).values():
                    ssid["clients"] = ssid["clients"] // 3
        return [nightly, before, after]

    def state_snapshots(self) -> list[StateSnapshot]:
        return self._state_snapshots()

    def state_diff(self, a: str, b: str) -> SnapshotDiff:
        known = {s.name: s for s in self._state_snapshots()}
        for name in (a, b):
            if name not in known:
                raise InputError(f"no snapshot named {name!r}; snapshots: {', '.join(known)}", key="NAME")
        return snapshot_diff(known[a], known[b])

    def run_job(self, kind: JobKind, hosts: list[str], on_result: OnResult, rev: str | None = None,
                rule: str | None = None, reason: str | None = None) -> None:
        """Every job, a snapshot too, reports each host as the file's ``jobs`` entry says (``ok`` otherwise)."""
        outcomes = self.raw.get("jobs", {}).get(kind, {})
        for host in hosts:
            time.sleep(self.job_delay)
            if kind == "remediate":
                on_result(self._remediate(host, rule))
                continue
            status, why = outcomes.get(host, ["ok", None])
            on_result(DeviceResult(host, Status(status), why, elapsed=self.job_delay))
