"""Run records in the netops database: every run and every device result, kept
across restarts so ``backup status`` and the dashboard can read them."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netops.results import DeviceResult, Status

if TYPE_CHECKING:
    from netops.backup.run import BackupPayload
from netops.stores.db import Schema, connect

SCHEMA = Schema(
    name="backup",
    ddl="""
CREATE TABLE IF NOT EXISTS backup_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started TEXT NOT NULL,
    finished TEXT,
    devices INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    commit_id TEXT
);
CREATE TABLE IF NOT EXISTS backup_results (
    run_id INTEGER NOT NULL REFERENCES backup_runs(id) ON DELETE CASCADE,
    host TEXT NOT NULL,
    site TEXT NOT NULL DEFAULT '',
    platform TEXT NOT NULL DEFAULT '',
    time TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    commit_id TEXT,
    bytes INTEGER,
    elapsed REAL,
    PRIMARY KEY (run_id, host)
);
CREATE INDEX IF NOT EXISTS backup_results_host ON backup_results(host, time);
""",
)

SUCCESS = (Status.CHANGED.value, Status.UNCHANGED.value)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def open_db(data_dir: Path) -> sqlite3.Connection:
    return connect(data_dir, SCHEMA)


def start_run(conn: sqlite3.Connection) -> int:
    run_id = conn.execute("INSERT INTO backup_runs(started) VALUES (?)", (now(),)).lastrowid
    assert run_id is not None
    return run_id


def finish_run(conn: sqlite3.Connection, run_id: int, results: list[DeviceResult[BackupPayload]], commit: str | None) -> None:
    """Record every device result and the run totals in one transaction."""
    count = {s: sum(r.status is s for r in results) for s in Status}
    with conn:
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO backup_results(run_id, host, site, platform, time, status, reason, commit_id, bytes, elapsed)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    run_id, r.host, r.site, r.payload.platform if r.payload else "",
                    (r.started.isoformat(timespec="seconds") if r.started else now()),
                    r.status.value, r.reason, commit if r.status is Status.CHANGED else None,
                    r.payload.bytes if r.payload else None, round(r.elapsed, 3),
                )
                for r in results
            ],
        )
        conn.execute(
            "UPDATE backup_runs SET finished=?, devices=?, changed=?, unchanged=?, failed=?, commit_id=? WHERE id=?",
            (now(), len(results), count[Status.CHANGED], count[Status.UNCHANGED], count[Status.FAILED], commit, run_id),
        )


@dataclass
class DeviceStatus:
    """A device's backup state: its last attempt and last success."""

    host: str
    site: str
    platform: str
    last_attempt: str
    last_status: str
    last_reason: str | None
    last_success: str | None
    last_commit: str | None

    def age_seconds(self, at: datetime) -> float | None:
        if not self.last_success:
            return None
        return (at - datetime.fromisoformat(self.last_success)).total_seconds()

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def device_status(conn: sqlite3.Connection) -> list[DeviceStatus]:
    """The backup state of every device ever recorded, by host name."""
    rows = conn.execute(
        """
        WITH last AS (SELECT host, MAX(run_id) AS run_id FROM backup_results GROUP BY host),
        ok AS (SELECT host, MAX(time) AS time FROM backup_results WHERE status IN (?, ?) GROUP BY host),
        cm AS (SELECT host, commit_id, MAX(run_id) FROM backup_results WHERE commit_id IS NOT NULL GROUP BY host)
        SELECT r.host, r.site, r.platform, r.time, r.status, r.reason, ok.time, cm.commit_id
        FROM backup_results r JOIN last ON r.host = last.host AND r.run_id = last.run_id
        LEFT JOIN ok ON ok.host = r.host LEFT JOIN cm ON cm.host = r.host
        ORDER BY r.host
        """,
        SUCCESS,
    ).fetchall()
    return [DeviceStatus(*row) for row in rows]


def results_between(conn: sqlite3.Connection, start: datetime, end: datetime) -> list[sqlite3.Row]:
    """host, site, time, status, reason, commit_id of every device result recorded in [start, end), oldest first."""
    bounds = (start.astimezone(timezone.utc).isoformat(), end.astimezone(timezone.utc).isoformat())
    return conn.execute("SELECT host, site, time, status, reason, commit_id FROM backup_results WHERE time >= ? AND time < ?"
                        " ORDER BY time, host", bounds).fetchall()


def recent_runs(conn: sqlite3.Connection, limit: int = 20) -> list[dict[str, Any]]:
    rows = conn.execute("SELECT * FROM backup_runs ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    return [dict(row) for row in rows]
