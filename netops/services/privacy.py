"""Personal data (DPDP Act 2023, DPDP Rules 2025): retention per data class, erasure, and what netops holds.

- :func:`poll_options`: a poll reads the controllers' client tables and stores them
  pseudonymised, under the retention netops.yaml gives each data class.
- :func:`prune` (``netops db prune``, daily in the schedule): deletes what is older
  than each class' retention, or with ``client`` every sighting of one data principal
  (DPDP s.12, erasure). Deleted rows are overwritten in the database file
  (``secure_delete``) and the write-ahead log is truncated.
- :func:`report` (``netops privacy report``): what personal data netops holds, where,
  in what form, for how long, how many, and the safeguards: the basis for the
  secretariat's DPDP records.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import stat
import time
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from netops import audit
from netops.errors import InputError, NetopsError
from netops.privacy.pseudonym import Pseudonymiser, kinds_of
from netops.privacy.retention import DAY, Retention, retention
from netops.settings import Settings
from netops.snmp import history
from netops.snmp.cycle import PollOptions
from netops.stores.db import connect, db_path


def retention_of(settings: Settings) -> Retention:
    """netops.yaml's ``retention`` section, with the audit log's from the audit trail's ``audit.retention``."""
    found = retention(settings.section("retention"))
    own = audit.retention(settings.section("audit"))
    entry = settings.section("audit").get("retention")
    seconds = dict(found.seconds) | {"audit_log": own.days * DAY}
    origins = dict(found.origins) | {"audit_log": f"audit.retention ({entry.where()})" if entry else "default (audit trail)"}
    return Retention(seconds, origins)


def poll_options(settings: Settings, options: PollOptions) -> PollOptions:
    """``options`` with the retention of poll and client history (a ``--retention-days`` flag wins for the poll
    history) and the pseudonymiser that turns client tables into stored sightings."""
    kept = retention_of(settings)
    return dataclasses.replace(
        options,
        retention_days=kept.days("poll_history") if options.retention_days is None else options.retention_days,
        client_retention_days=kept.days("client_history") if options.client_retention_days is None
        else options.client_retention_days,
        pseudonyms=options.pseudonyms or Pseudonymiser.for_data_dir(settings.data_dir),
    )


# --------------------------------------------------------------------------- prune


@dataclass(frozen=True)
class ClassPrune:
    """What a prune did (or would do) to one data class."""

    data_class: str
    keep_days: float
    cutoff: datetime
    removed: int | None  # rows/records; None: not pruned (see note)
    where: str
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["cutoff"] = self.cutoff.isoformat(timespec="seconds")
        return out


@dataclass(frozen=True)
class Erasure:
    """Every sighting of one data principal, found by the pseudonyms of the query."""

    kinds: tuple[str, ...]
    removed: int

    def to_dict(self) -> dict[str, Any]:
        return {"as": list(self.kinds), "removed": self.removed}


@dataclass(frozen=True)
class PruneResult:
    dry_run: bool
    classes: list[ClassPrune] = field(default_factory=list)
    erasure: Erasure | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"dry_run": self.dry_run, "classes": [c.to_dict() for c in self.classes]}
        if self.erasure is not None:
            out["erasure"] = self.erasure.to_dict()
        return out


def _secure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten, not left in free pages


def _settle(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no copy of deleted pages left in the write-ahead log


def _prune_findings(conn: sqlite3.Connection, cutoff: datetime, dry_run: bool) -> int:
    """Check runs (and, by cascade, their findings and notices) finished before ``cutoff``; the newest run of each
    source is kept whatever its age: it is what the dashboard and the next check compare against."""
    where = ("finished < ? AND id NOT IN (SELECT max(id) FROM check_runs GROUP BY source)", (cutoff.isoformat(),))
    count = int(conn.execute(f"SELECT count(*) FROM check_findings WHERE run_id IN (SELECT id FROM check_runs WHERE "
                             f"{where[0]})", where[1]).fetchone()[0])
    if not dry_run:
        with conn:
            conn.execute(f"DELETE FROM check_runs WHERE {where[0]}", where[1])
    return count


def _audit_older(data_dir: Path, cutoff: datetime) -> int:
    return sum(1 for r in audit.read(data_dir) if r.action != "audit.anchor" and r.when < cutoff)


def prune(settings: Settings, dry_run: bool = False, client: str | None = None, now: float | None = None) -> PruneResult:
    """Enforce the retention of every data class (``dry_run``: count only). With ``client`` (a MAC address or user
    name), erase that data principal's client history instead, whatever its age."""
    data_dir = settings.data_dir
    if client is not None:
        return PruneResult(dry_run, [], erase(settings, client, dry_run))
    kept = retention_of(settings)
    moment = time.time() if now is None else now
    results = []
    db = str(db_path(data_dir))

    def cutoff(data_class: str) -> datetime:
        return datetime.fromtimestamp(moment - kept.seconds[data_class], timezone.utc)

    with closing(history.open_history(data_dir)) as conn:
        _secure(conn)
        days = kept.days("client_history")
        removed = history.prune_clients(conn, days, moment, dry_run)
        results.append(ClassPrune("client_history", days, cutoff("client_history"), removed, f"{db}: snmp_client"))
        days = kept.days("poll_history")
        removed = history.count_older(conn, days, moment) if dry_run else history.prune(conn, days, moment)
        results.append(ClassPrune("poll_history", days, cutoff("poll_history"), removed,
                                  f"{db}: snmp_poll and its device, interface, AP, SSID rows; snmp_event"))
        if not dry_run:
            _settle(conn)
    from netops.policy.store import open_db  # the check store's schema; the prune itself is plain SQL

    with closing(open_db(data_dir)) as conn:
        _secure(conn)
        removed = _prune_findings(conn, cutoff("findings"), dry_run)
        results.append(ClassPrune("findings", kept.days("findings"), cutoff("findings"), removed,
                                  f"{db}: check_runs, check_findings, check_notices",
                                  "counts findings; the newest run of each source is always kept"))
        if not dry_run:
            _settle(conn)
    results.append(_prune_audit(data_dir, kept.days("audit_log"), cutoff("audit_log"), dry_run,
                                audit.retention(settings.section("audit")).allow_short))
    return PruneResult(dry_run, results)


def _prune_audit(data_dir: Path, days: float, cutoff: datetime, dry_run: bool, allow_short: bool) -> ClassPrune:
    where = str(audit.log_path(data_dir))
    if not hasattr(audit, "prune"):
        return ClassPrune("audit_log", days, cutoff, None, where, "kept by the audit trail (no prune available)")
    try:
        if dry_run:
            return ClassPrune("audit_log", days, cutoff, _audit_older(data_dir, cutoff), where)
        return ClassPrune("audit_log", days, cutoff, audit.prune(data_dir, days, allow_short=allow_short), where)
    except NetopsError as exc:  # a log that does not verify is never pruned: the prune of the others goes on
        return ClassPrune("audit_log", days, cutoff, None, where, f"not pruned: {exc}")


def erase(settings: Settings, query: str, dry_run: bool = False) -> Erasure:
    """Delete every client sighting whose MAC or user pseudonym is the query's (DPDP s.12 erasure). An IP address
    alone is refused: addresses are reused (DHCP), so it would erase other people's history too."""
    query = query.strip()
    found = kinds_of(query)
    if not query or ("ip" in found and "mac" not in found):
        raise InputError("give the data principal's MAC address or user name (an IP address is shared over time: "
                         "it would erase other people's history too)", key="--client")
    kinds = tuple(k for k in found if k != "ip")
    pseudonyms = Pseudonymiser.for_data_dir(settings.data_dir)
    if not pseudonyms.exists:
        return Erasure(kinds, 0)
    hashes = {k: v for k, v in pseudonyms.query(query).items() if k in kinds}
    with closing(history.open_history(settings.data_dir)) as conn:
        _secure(conn)
        removed = history.erase_client(conn, hashes, dry_run)
        if not dry_run:
            _settle(conn)
    return Erasure(tuple(hashes), removed)


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class Holding:
    """One kind of data netops holds."""

    name: str
    data_class: str | None  # the retention class that governs it (None: not pruned by netops db prune)
    where: str
    form: str  # "pseudonymised", "clear", "not personal", "not stored"
    personal_data: str  # which personal data, or "none"
    retention: str
    count: dict[str, Any]
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Safeguard:
    name: str
    state: str  # "in place", "missing", "off"
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PrivacyReport:
    generated: datetime
    data_dir: str
    holdings: list[Holding]
    safeguards: list[Safeguard]
    retention: dict[str, Any]
    basis: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"generated": self.generated.isoformat(timespec="seconds"), "data_dir": self.data_dir,
                "holdings": [h.to_dict() for h in self.holdings], "safeguards": [s.to_dict() for s in self.safeguards],
                "retention": self.retention, "basis": self.basis}


def _iso(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds")


def _mode(path: Path) -> str:
    try:
        return f"{stat.S_IMODE(path.stat().st_mode):04o}"
    except FileNotFoundError:
        return "absent"


def _private(path: Path) -> bool:
    try:
        return not path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO)
    except FileNotFoundError:
        return True


def _count(conn: sqlite3.Connection, sql: str) -> int:
    try:
        return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # a table its feature never created
        return 0


BASIS = [
    "DPDP Act 2023 s.7: processing for employment purposes and the network's security is a legitimate use "
    "(the secretariat's own staff and guests on its Wi-Fi).",
    "DPDP Act 2023 s.8(5) and DPDP Rules 2025 rule 6: reasonable security safeguards — client identifiers "
    "obfuscated by keyed hashing at collection, the key outside the database, access limited to the netops "
    "account (file modes), logs of processing (the audit trail), backups.",
    "DPDP Act 2023 s.8(7): personal data erased when its purpose is served — retention per data class, enforced "
    "daily by netops db prune.",
    "DPDP Act 2023 s.11-12: a data principal's access (netops clients --find) and erasure "
    "(netops db prune --client) requests.",
    "DPDP Rules 2025 rule 6: logs of processing kept at least one year: the audit trail (CERT-In: 180 days minimum; "
    "set audit.retention to 365d to meet both).",
]


def report(settings: Settings) -> PrivacyReport:
    """What personal data netops holds, where, in what form, for how long, how many; and the safeguards."""
    data_dir = settings.data_dir
    kept = retention_of(settings)
    db = db_path(data_dir)

    def days(data_class: str) -> str:
        return f"{kept.days(data_class):g} days ({kept.origins[data_class]})"

    holdings: list[Holding] = []
    clients: dict[str, Any] = {"rows": 0, "devices": 0, "users": 0, "oldest": None, "newest": None}
    polls: dict[str, Any] = {"polls": 0, "events": 0, "oldest": None, "newest": None}
    findings: dict[str, Any] = {"runs": 0, "findings": 0}
    outbox: dict[str, Any] = {"deliveries": 0}
    if db.exists():
        with closing(connect(data_dir)) as conn:
            if _count(conn, "SELECT count(*) FROM sqlite_master WHERE name = 'snmp_client'"):
                summary = history.client_summary(conn)
                clients = {**summary, "oldest": _iso(summary["oldest"]), "newest": _iso(summary["newest"])}  # type: ignore[arg-type]
            if _count(conn, "SELECT count(*) FROM sqlite_master WHERE name = 'snmp_poll'"):
                summary = history.poll_summary(conn)
                polls = {**summary, "oldest": _iso(summary["oldest"]), "newest": _iso(summary["newest"])}  # type: ignore[arg-type]
            findings = {"runs": _count(conn, "SELECT count(*) FROM check_runs"),
                        "findings": _count(conn, "SELECT count(*) FROM check_findings")}
            outbox = {"deliveries": _count(conn, "SELECT count(*) FROM notify_delivery")}
    holdings.append(Holding(
        "Wi-Fi client history", "client_history", f"{db}: table snmp_client", "pseudonymised",
        "client MAC address, user name and IP address as HMAC-SHA256 pseudonyms; AP, SSID, VLAN, signal in clear "
        "(not identifying on their own)", days("client_history"), clients,
        "written by netops poll from the controllers' client tables; clear identifiers are never stored"))
    holdings.append(Holding(
        "Wi-Fi clients, live", None, "controllers' client tables, read by netops clients", "not stored",
        "client MAC, user name, IP shown in clear on the admin's terminal (or --json to stdout) only", "not kept",
        {}, "nothing of a live answer is written to disk, logs or the audit trail"))
    holdings.append(Holding(
        "SNMP poll history", "poll_history", f"{db}: tables snmp_poll, snmp_device, snmp_interface, snmp_ap, "
        "snmp_ssid, snmp_event, snmp_alert", "not personal",
        "none: device, controller and AP names, counters, clients per AP and SSID (counts only)", days("poll_history"),
        polls))
    holdings.append(Holding(
        "check findings", "findings", f"{db}: tables check_runs, check_findings, check_notices", "not personal",
        "none: configuration findings per device (host names, SSIDs, VLANs)", days("findings"), findings))
    trail = audit.log_path(data_dir)
    records = 0
    if trail.exists():
        try:
            records = sum(1 for r in audit.read(data_dir) if r.action != "audit.anchor")
        except NetopsError:
            records = -1
    holdings.append(Holding(
        "audit trail", "audit_log", str(trail), "clear",
        "OS user names of the administrators who ran netops (and the sudo user), the server's host name, ticket "
        "references", days("audit_log"), {"records": records},
        "staff data for accountability (CERT-In logs); client identifiers never enter it"))
    backups = settings.backup_dir
    devices = sum(1 for p in backups.rglob("*") if p.is_file() and ".git" not in p.parts) if backups.exists() else 0
    holdings.append(Holding(
        "configuration backups", None, f"{backups} (git repository)", "clear",
        "device configurations: local account names of device administrators (username lines), contacts "
        "(snmp-server contact); secrets redacted, or encrypted in the vault", "git history, not pruned (configuration "
        "evidence for restore and audits)", {"files": devices}))
    holdings.append(Holding(
        "alert and report deliveries", None, f"{db}: tables notify_*, report_deliveries", "clear",
        "e-mail addresses of the network team (delivery targets)", "not pruned by netops db prune", outbox))
    key = Pseudonymiser.for_data_dir(data_dir)
    inside = key.path.resolve().is_relative_to(db.resolve().parent) if key.path.exists() else None
    safeguards = [
        Safeguard("keyed pseudonyms", "in place" if key.exists else "not yet",
                  f"HMAC-SHA256, key {key.path} (mode {_mode(key.path)}"
                  + (f", fingerprint {key.fingerprint()}" if key.exists and _private(key.path) else "")
                  + "); held outside the database" + (" file, in the data directory: set NETOPS_PRIVACY_KEY_FILE to "
                                                      "keep it on other storage" if inside else "")),
        Safeguard("file modes", "in place" if _private(data_dir) and _private(db) else "missing",
                  f"data directory {data_dir} mode {_mode(data_dir)}, {db.name} mode {_mode(db)}"),
        Safeguard("deletion", "in place", "prune and erasure overwrite deleted rows (SQLite secure_delete) and truncate "
                  "the write-ahead log"),
    ]
    vault = settings.section("vault").get("recipients")
    safeguards.append(Safeguard("secrets vault", "in place" if vault and vault.value else "off",
                                "device secrets encrypted with age to vault.recipients" if vault and vault.value
                                else "secrets are redacted from backups and not kept (no vault.recipients)"))
    known = data_dir / "known_hosts"
    safeguards.append(Safeguard("SSH host key verification", "in place",
                                f"known hosts {known} ({'present' if known.exists() else 'created on first contact'}); "
                                "a changed key refuses the connection"))
    safeguards.append(Safeguard("audit trail", "in place" if trail.exists() else "not yet",
                                f"{trail}: hash-chained record of every run and change (netops audit verify)"))
    return PrivacyReport(datetime.now(timezone.utc), str(data_dir), holdings, safeguards, kept.to_dict(), BASIS)

