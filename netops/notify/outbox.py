"""The alert outbox in the netops database: transitions, their delivery per target, what went out, cursors.

- ``notify_alert``: one row per transition, unique per (key, state, time of the raise): the same transition
  is never queued twice, however often and however concurrently the sources are read.
- ``notify_delivery``: per transition and target: pending, sent, failed (retried by a later run) or
  gave_up, with the attempts, the last error and the message that carried it.
- ``notify_message``: every message sent or tried (one alert, a digest, a test): the rate limit counts these.
- ``notify_cursor``: how far each source has been read (the SNMP event id, the check run id).
- ``notify_run``: every delivery run: what it queued and sent, and why it failed when it did.

Times are Unix seconds. No secret is ever written here: errors are scrubbed of the token and password
before they are stored.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netops.notify.model import CLEARED, RAISED, Alert, utc
from netops.notify.plan import Pending
from netops.stores.db import Schema, connect

SCHEMA = Schema(
    "notify",
    """
CREATE TABLE IF NOT EXISTS notify_alert (
  id INTEGER PRIMARY KEY, key TEXT NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL, host TEXT NOT NULL,
  subject TEXT NOT NULL, site TEXT NOT NULL DEFAULT '', severity TEXT NOT NULL, state TEXT NOT NULL,
  message TEXT NOT NULL, time REAL NOT NULL, raised REAL NOT NULL, queued REAL NOT NULL,
  UNIQUE (key, state, raised));
CREATE INDEX IF NOT EXISTS notify_alert_time ON notify_alert(time);
CREATE INDEX IF NOT EXISTS notify_alert_source ON notify_alert(source, key);
CREATE TABLE IF NOT EXISTS notify_message (
  id INTEGER PRIMARY KEY, target TEXT NOT NULL, time REAL NOT NULL, kind TEXT NOT NULL,
  alerts INTEGER NOT NULL, ok INTEGER NOT NULL, detail TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS notify_message_target ON notify_message(target, time);
CREATE TABLE IF NOT EXISTS notify_delivery (
  alert_id INTEGER NOT NULL REFERENCES notify_alert(id) ON DELETE CASCADE,
  target TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
  last_try REAL, sent REAL, message_id INTEGER REFERENCES notify_message(id) ON DELETE SET NULL, error TEXT,
  PRIMARY KEY (alert_id, target));
CREATE INDEX IF NOT EXISTS notify_delivery_open ON notify_delivery(status, target);
CREATE TABLE IF NOT EXISTS notify_cursor (source TEXT PRIMARY KEY, value TEXT NOT NULL, updated REAL NOT NULL);
CREATE TABLE IF NOT EXISTS notify_run (
  id INTEGER PRIMARY KEY, started REAL NOT NULL, finished REAL, trigger TEXT NOT NULL,
  queued INTEGER NOT NULL DEFAULT 0, messages INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,
  error TEXT);
""",
)

PENDING, SENT, FAILED, GAVE_UP = "pending", "sent", "failed", "gave_up"
OPEN = (PENDING, FAILED)  # still to be delivered


def open_outbox(data_dir: Path) -> sqlite3.Connection:
    return connect(data_dir, SCHEMA)


def _alert(row: sqlite3.Row) -> Alert:
    raised = utc(row["raised"])
    return Alert(row["source"], row["kind"], row["host"], row["subject"], row["severity"], row["state"], row["message"],
                 utc(row["time"]), raised, row["site"])


@dataclass(frozen=True)
class Queued:
    id: int
    alert: Alert


def queue(conn: sqlite3.Connection, alerts: Iterable[Alert], targets: Sequence[str], now: float) -> list[Queued]:
    """Store the transitions not stored yet, each with a pending delivery per target; the ones stored now.

    A cleared transition goes only to the targets that got (or are still to get) its raise."""
    out: list[Queued] = []
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        for a in alerts:
            cur = conn.execute(
                "INSERT OR IGNORE INTO notify_alert (key, source, kind, host, subject, site, severity, state, message, time,"
                " raised, queued) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (a.key, a.source, a.kind, a.host, a.subject, a.site, a.severity, a.state, a.message, a.time.timestamp(),
                 a.raised_at.timestamp(), now))
            if not cur.rowcount:
                continue  # queued before
            alert_id = cur.lastrowid
            assert alert_id is not None
            wanted = list(targets)
            if a.state == CLEARED:
                got = {r["target"] for r in conn.execute(
                    "SELECT d.target FROM notify_delivery d JOIN notify_alert r ON r.id = d.alert_id"
                    " WHERE r.key = ? AND r.state = ? AND r.raised = ? AND d.status != ?",
                    (a.key, RAISED, a.raised_at.timestamp(), GAVE_UP))}
                wanted = [t for t in wanted if t in got]
            conn.executemany("INSERT INTO notify_delivery (alert_id, target) VALUES (?, ?)", [(alert_id, t) for t in wanted])
            out.append(Queued(alert_id, a))
    return out


def open_alerts(conn: sqlite3.Connection, source: str | None = None) -> dict[str, Alert]:
    """Key -> the raised transition of every alert raised and not cleared (of ``source``)."""
    rows = conn.execute(
        "SELECT r.* FROM notify_alert r WHERE r.state = ?" + (" AND r.source = ?" if source else "") +
        " AND NOT EXISTS (SELECT 1 FROM notify_alert c WHERE c.key = r.key AND c.state = ? AND c.raised = r.raised)"
        " ORDER BY r.raised",
        (RAISED, source, CLEARED) if source else (RAISED, CLEARED)).fetchall()
    return {r["key"]: _alert(r) for r in rows}  # the latest raise of a key wins


def cursor(conn: sqlite3.Connection, source: str) -> Any:
    row = conn.execute("SELECT value FROM notify_cursor WHERE source = ?", (source,)).fetchone()
    return None if row is None else json.loads(row["value"])


def set_cursor(conn: sqlite3.Connection, source: str, value: Any, now: float) -> None:
    conn.execute("INSERT INTO notify_cursor (source, value, updated) VALUES (?,?,?) ON CONFLICT(source) DO UPDATE SET"
                 " value = excluded.value, updated = excluded.updated", (source, json.dumps(value), now))


def pending(conn: sqlite3.Connection, targets: Sequence[str]) -> list[Pending]:
    """Every delivery still to be made to one of ``targets``, oldest first."""
    if not targets:
        return []
    marks = ",".join("?" * len(targets))
    rows = conn.execute(
        f"SELECT d.alert_id, d.target, d.attempts, d.last_try, r.time, r.severity, r.key FROM notify_delivery d"
        f" JOIN notify_alert r ON r.id = d.alert_id WHERE d.status IN (?, ?) AND d.target IN ({marks})"
        f" ORDER BY r.time, r.id", (*OPEN, *targets)).fetchall()
    return [Pending(r["alert_id"], r["target"], r["time"], r["severity"], r["attempts"], r["last_try"], r["key"]) for r in rows]


def recent_messages(conn: sqlite3.Connection, since: float) -> dict[str, list[float]]:
    """Target -> times of the alert messages it accepted since ``since`` (what the rate limit counts)."""
    out: dict[str, list[float]] = {}
    for r in conn.execute("SELECT target, time FROM notify_message WHERE ok = 1 AND kind != 'test' AND time > ? ORDER BY time",
                          (since,)):
        out.setdefault(r["target"], []).append(r["time"])
    return out


def transitions(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, Alert]:
    wanted = list(ids)
    out: dict[int, Alert] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        for r in conn.execute(f"SELECT * FROM notify_alert WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            out[r["id"]] = _alert(r)
    return out


def record_message(conn: sqlite3.Connection, target: str, kind: str, ids: Sequence[int], ok: bool, detail: str, now: float,
                   max_attempts: int) -> int:
    """Record a message sent (or tried) to ``target`` carrying the transitions ``ids``; their deliveries become
    sent, or failed (gave_up once ``max_attempts`` are spent)."""
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        message_id = conn.execute("INSERT INTO notify_message (target, time, kind, alerts, ok, detail) VALUES (?,?,?,?,?,?)",
                                  (target, now, kind, len(ids), int(ok), detail)).lastrowid
        assert message_id is not None
        for alert_id in ids:
            if ok:
                conn.execute("UPDATE notify_delivery SET status = ?, attempts = attempts + 1, last_try = ?, sent = ?,"
                             " message_id = ?, error = NULL WHERE alert_id = ? AND target = ?",
                             (SENT, now, now, message_id, alert_id, target))
            else:
                conn.execute("UPDATE notify_delivery SET status = CASE WHEN attempts + 1 >= ? THEN ? ELSE ? END,"
                             " attempts = attempts + 1, last_try = ?, message_id = ?, error = ? WHERE alert_id = ? AND target = ?",
                             (max_attempts, GAVE_UP, FAILED, now, message_id, detail, alert_id, target))
    return message_id


def give_up(conn: sqlite3.Connection, pairs: Iterable[tuple[str, int]]) -> None:
    with conn:
        conn.executemany("UPDATE notify_delivery SET status = ? WHERE target = ? AND alert_id = ? AND status IN (?, ?)",
                         [(GAVE_UP, target, alert_id, *OPEN) for target, alert_id in pairs])


def start_run(conn: sqlite3.Connection, trigger: str, now: float) -> int:
    run_id = conn.execute("INSERT INTO notify_run (started, trigger) VALUES (?, ?)", (now, trigger)).lastrowid
    assert run_id is not None
    return run_id


def finish_run(conn: sqlite3.Connection, run_id: int, now: float, queued: int, messages: int, failed: int,
               error: str | None) -> None:
    conn.execute("UPDATE notify_run SET finished = ?, queued = ?, messages = ?, failed = ?, error = ? WHERE id = ?",
                 (now, queued, messages, failed, error, run_id))


def history(conn: sqlite3.Connection, since: float | None, hosts: Sequence[str] | None = None,
            limit: int | None = None) -> list[tuple[int, Alert, list[sqlite3.Row]]]:
    """Transitions since ``since`` (of ``hosts``), newest first, each with its delivery rows (and the message
    that carried each: kind, detail)."""
    where: list[str] = ["time >= ?"]
    args: list[Any] = [since or 0.0]
    if hosts is not None:
        where.append(f"host IN ({','.join('?' * len(hosts))})")
        args += list(hosts)
    rows = conn.execute(f"SELECT * FROM notify_alert WHERE {' AND '.join(where)} ORDER BY time DESC, id DESC"
                        + (" LIMIT ?" if limit else ""), (*args, limit) if limit else args).fetchall()
    deliveries: dict[int, list[sqlite3.Row]] = {}
    ids = [r["id"] for r in rows]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for d in conn.execute(
                "SELECT d.*, m.kind AS message_kind, m.alerts AS message_alerts FROM notify_delivery d"
                f" LEFT JOIN notify_message m ON m.id = d.message_id WHERE d.alert_id IN ({','.join('?' * len(chunk))})"
                " ORDER BY d.target", chunk):
            deliveries.setdefault(d["alert_id"], []).append(d)
    return [(r["id"], _alert(r), deliveries.get(r["id"], [])) for r in rows]


def deliveries_of(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, list[sqlite3.Row]]:
    """Key -> the delivery rows of its latest raise."""
    out: dict[str, list[sqlite3.Row]] = {}
    for key in keys:
        row = conn.execute("SELECT id FROM notify_alert WHERE key = ? AND state = ? ORDER BY raised DESC LIMIT 1",
                           (key, RAISED)).fetchone()
        if row is not None:
            out[key] = conn.execute("SELECT * FROM notify_delivery WHERE alert_id = ? ORDER BY target", (row["id"],)).fetchall()
    return out


def prune(conn: sqlite3.Connection, before: float) -> None:
    """Forget transitions older than ``before`` whose alert is over (an open alert keeps its raise), and old
    messages and runs."""
    with conn:
        conn.execute(
            "DELETE FROM notify_alert WHERE time < ? AND (state = ? OR EXISTS (SELECT 1 FROM notify_alert c WHERE"
            " c.key = notify_alert.key AND c.state = ? AND c.raised = notify_alert.raised))", (before, CLEARED, CLEARED))
        conn.execute("DELETE FROM notify_message WHERE time < ?", (before,))
        conn.execute("DELETE FROM notify_run WHERE started < ?", (before,))
