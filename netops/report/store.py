"""Which daily reports were rendered and sent: one row per attempt to deliver (``netops report status``)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from netops.stores.db import Schema, connect

SCHEMA = Schema(
    "report",
    """
CREATE TABLE IF NOT EXISTS report_deliveries (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL,
    sites TEXT NOT NULL DEFAULT '',
    time TEXT NOT NULL,
    status TEXT NOT NULL,
    recipients TEXT NOT NULL DEFAULT '[]',
    server TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    message_id TEXT,
    error TEXT,
    files TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS report_deliveries_date ON report_deliveries(date, time);
""",
)
SENT, FAILED = "sent", "failed"


@dataclass(frozen=True)
class DeliveryRecord:
    date: str
    sites: str  # comma-separated; empty: every site
    time: str  # ISO 8601 UTC
    status: str  # sent, failed
    recipients: tuple[str, ...]
    server: str | None
    attempts: int
    message_id: str | None
    error: str | None
    files: tuple[str, ...]


def open_db(data_dir: Path) -> sqlite3.Connection:
    return connect(data_dir, SCHEMA)


def record(conn: sqlite3.Connection, rec: DeliveryRecord) -> None:
    with conn:
        conn.execute(
            "INSERT INTO report_deliveries (date, sites, time, status, recipients, server, attempts, message_id, error, files)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            (rec.date, rec.sites, rec.time, rec.status, json.dumps(list(rec.recipients)), rec.server, rec.attempts,
             rec.message_id, rec.error, json.dumps(list(rec.files))),
        )


def deliveries(conn: sqlite3.Connection, date: dt.date) -> list[DeliveryRecord]:
    """Every delivery attempt of the report of ``date``, oldest first."""
    rows = conn.execute("SELECT * FROM report_deliveries WHERE date = ? ORDER BY time, id", (date.isoformat(),)).fetchall()
    return [DeliveryRecord(r["date"], r["sites"], r["time"], r["status"], tuple(json.loads(r["recipients"])), r["server"],
                           r["attempts"], r["message_id"], r["error"], tuple(json.loads(r["files"]))) for r in rows]
