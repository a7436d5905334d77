"""The one SQLite database (``<data dir>/netops.db``) for runs, findings and metrics.

Each feature declares its tables as a :class:`Schema` and calls :func:`connect`
with it; the tables are created on first use. WAL mode lets cron jobs write
while the dashboard reads.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from netops.errors import NetopsError

DB_NAME = "netops.db"


@dataclass(frozen=True)
class Schema:
    name: str
    ddl: str  # idempotent statements (CREATE ... IF NOT EXISTS)
    added: tuple[tuple[str, str, str], ...] = ()  # (table, column, definition) added after a release: a database
    # written by an older netops gets them with ALTER TABLE on first use


def db_path(data_dir: Path) -> Path:
    return Path(data_dir) / DB_NAME


def connect(data_dir: Path, *schemas: Schema) -> sqlite3.Connection:
    """Open (creating if needed) the database and ensure ``schemas`` exist."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = db_path(data_dir)
    fresh = not path.exists()
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    if fresh:
        os.chmod(path, 0o600)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        for schema in schemas:
            conn.executescript(schema.ddl)
            for table, column, definition in schema.added:
                if column not in {row["name"] for row in conn.execute(f"PRAGMA table_info({table})")}:
                    conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
    except sqlite3.DatabaseError as exc:  # a damaged file: one clear line, not a traceback from every command
        conn.close()
        if isinstance(exc, sqlite3.OperationalError):
            raise
        raise NetopsError(
            f"{path}: {str(exc).splitlines()[0]} (damaged: restore it from a copy, or move it away for a new one)"
        ) from None
    return conn
