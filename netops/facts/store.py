"""The facts netops last read from each device (and each AP a controller lists), and every change of them.

Tables in ``<data dir>/netops.db``:

- ``facts_current``: the latest facts per device (``kind`` "device") and per AP of a controller's list (``kind``
  "ap", keyed by the AP's name, with the controller that listed it), as JSON, with when they were read;
- ``facts_changes``: one row per changed field (name, kind, time, field, old, new): a new software version, a
  replaced chassis (serials), a model, an AP that moved to another controller. A first sighting is not a change;
- ``facts_attempts``: the outcome of the last attempt per device, so a device that stopped answering shows as
  such beside its last good facts.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from netops.model import ApFacts, DeviceFacts
from netops.results import DeviceResult, Status
from netops.stores.db import Schema, connect

SCHEMA = Schema(
    "facts",
    """
    CREATE TABLE IF NOT EXISTS facts_current (
        name TEXT NOT NULL,
        kind TEXT NOT NULL,            -- device | ap
        controller TEXT,               -- an AP: the controller whose AP list said it
        site TEXT NOT NULL DEFAULT '',
        collected TEXT NOT NULL,       -- ISO 8601, UTC
        facts TEXT NOT NULL,           -- JSON: DeviceFacts (without its APs) or ApFacts
        PRIMARY KEY (name, kind)
    );
    CREATE TABLE IF NOT EXISTS facts_changes (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        controller TEXT,
        site TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL,
        field TEXT NOT NULL,
        old TEXT NOT NULL,
        new TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS facts_changes_at ON facts_changes (at);
    CREATE TABLE IF NOT EXISTS facts_attempts (
        name TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        status TEXT NOT NULL,
        reason TEXT
    );
    """,
)

DEVICE_FIELDS = ("vendor", "model", "serials", "os_name", "os_version", "hostname")  # a change of these is an event
AP_FIELDS = ("model", "serial", "version", "controller")
VERSION_FIELDS = ("os_version", "version")  # the software version of a device, of an AP


def open_db(data_dir: Path) -> sqlite3.Connection:
    return connect(data_dir, SCHEMA)


@dataclass(frozen=True)
class Stored:
    """The last facts read of one device or AP."""

    name: str
    kind: str  # "device" or "ap"
    site: str
    collected: str  # ISO 8601
    facts: DeviceFacts | ApFacts
    controller: str | None = None  # an AP: the controller that listed it

    @property
    def model(self) -> str:
        return self.facts.model

    @property
    def version(self) -> str:
        return self.facts.os_version if isinstance(self.facts, DeviceFacts) else self.facts.version

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "site": self.site, "controller": self.controller,
                "collected": self.collected} | self.facts.to_dict()


@dataclass(frozen=True)
class Change:
    """One changed field of a device or AP."""

    name: str
    kind: str
    at: str  # ISO 8601
    field: str
    old: str
    new: str
    site: str = ""
    controller: str | None = None

    @property
    def version(self) -> bool:
        """A software version change (an upgrade, a downgrade)."""
        return self.field in VERSION_FIELDS

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "site": self.site, "controller": self.controller, "at": self.at,
                "field": self.field, "old": self.old, "new": self.new}


def device_facts(data: dict[str, Any]) -> DeviceFacts:
    """DeviceFacts from their JSON (as :meth:`DeviceFacts.to_dict` wrote them)."""
    known = {f.name for f in fields(DeviceFacts)}
    values = {k: v for k, v in data.items() if k in known}
    values["serials"] = tuple(values.get("serials") or ())
    values["aps"] = tuple(ap_facts(a) for a in values.get("aps") or ())
    return DeviceFacts(**values)


def ap_facts(data: dict[str, Any]) -> ApFacts:
    known = {f.name for f in fields(ApFacts)}
    return ApFacts(**{k: v for k, v in data.items() if k in known})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def _current(conn: sqlite3.Connection, name: str, kind: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute("SELECT * FROM facts_current WHERE name = ? AND kind = ?", (name, kind)).fetchone()
    return row


def _put(conn: sqlite3.Connection, name: str, kind: str, site: str, controller: str | None, at: str, data: dict[str, Any],
         tracked: Sequence[str]) -> list[Change]:
    """Store one device's or AP's facts; the changes against the stored ones (none on a first sighting)."""
    before = _current(conn, name, kind)
    changes = []
    if before is not None:
        old = json.loads(before["facts"]) | {"controller": before["controller"]}
        new = data | {"controller": controller}
        for key in tracked:
            if _text(old.get(key)) != _text(new.get(key)):
                changes.append(Change(name, kind, at, key, _text(old.get(key)), _text(new.get(key)), site, controller))
    conn.execute("INSERT INTO facts_current (name, kind, controller, site, collected, facts) VALUES (?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (name, kind) DO UPDATE SET controller = excluded.controller, site = excluded.site, "
                 "collected = excluded.collected, facts = excluded.facts",
                 (name, kind, controller, site, at, json.dumps(data, sort_keys=True)))
    conn.executemany("INSERT INTO facts_changes (name, kind, controller, site, at, field, old, new) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     [(c.name, c.kind, c.controller, c.site, c.at, c.field, c.old, c.new) for c in changes])
    return changes


def save(conn: sqlite3.Connection, results: Iterable[DeviceResult[DeviceFacts]], at: datetime | None = None) -> list[Change]:
    """Store a run's facts: every answered device and the APs its controller lists; every attempt's outcome.

    A device that failed keeps its last good facts (its attempt says why it failed). Returns the changes."""
    when = _utc(at or datetime.now(timezone.utc))
    changes: list[Change] = []
    listed: set[str] = set()  # APs already stored by this run: the first controller (in host order) that lists one keeps it
    conn.execute("BEGIN IMMEDIATE")
    try:
        for result in sorted(results, key=lambda r: r.host):
            conn.execute("INSERT INTO facts_attempts (name, at, status, reason) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE "
                         "SET at = excluded.at, status = excluded.status, reason = excluded.reason",
                         (result.host, when, result.status.value, result.reason))
            facts = result.payload
            if result.status is not Status.OK or facts is None:
                continue
            device = facts.to_dict()
            device.pop("aps", None)
            changes += _put(conn, result.host, "device", result.site, None, when, device, DEVICE_FIELDS)
            for ap in facts.aps:
                if ap.name not in listed:  # both members of a controller cluster may list the same AP
                    changes += _put(conn, ap.name, "ap", result.site, result.host, when, ap.to_dict(), AP_FIELDS)
                    listed.add(ap.name)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return changes


def _stored(row: sqlite3.Row) -> Stored:
    data = json.loads(row["facts"])
    facts: DeviceFacts | ApFacts = device_facts(data) if row["kind"] == "device" else ap_facts(data)
    return Stored(row["name"], row["kind"], row["site"], row["collected"], facts, row["controller"])


def latest(conn: sqlite3.Connection) -> list[Stored]:
    """Every device's and AP's last facts, devices first, by name."""
    rows = conn.execute("SELECT * FROM facts_current ORDER BY kind DESC, name").fetchall()
    return [_stored(r) for r in rows]


def by_host(conn: sqlite3.Connection) -> dict[str, Stored]:
    """The last facts per name: a device's own, else the AP list entry of its controller."""
    out: dict[str, Stored] = {}
    for stored in latest(conn):
        if stored.kind == "device" or stored.name not in out:
            out[stored.name] = stored
    return out


def attempts(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """The last attempt per device: at, status, reason."""
    return {r["name"]: {"at": r["at"], "status": r["status"], "reason": r["reason"]}
            for r in conn.execute("SELECT * FROM facts_attempts")}


def changes(conn: sqlite3.Connection, since: datetime | None = None, until: datetime | None = None,
            names: Sequence[str] = ()) -> list[Change]:
    """The changes recorded in ``[since, until)`` (None: unbounded), of ``names`` (empty: all), oldest first."""
    sql, args = "SELECT * FROM facts_changes WHERE 1 = 1", list[str]()
    if since is not None:
        sql, args = sql + " AND at >= ?", [*args, _utc(since)]
    if until is not None:
        sql, args = sql + " AND at < ?", [*args, _utc(until)]
    if names:
        sql, args = sql + f" AND name IN ({', '.join('?' for _ in names)})", [*args, *names]
    rows = conn.execute(sql + " ORDER BY at, id", args).fetchall()
    return [Change(r["name"], r["kind"], r["at"], r["field"], r["old"], r["new"], r["site"], r["controller"]) for r in rows]
