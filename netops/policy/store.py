"""Check runs, their findings and notices in the netops database (read by the dashboard and later runs).

``source`` says who produced a run or finding: ``policy`` for ``netops check``;
active probes add their own runs with another source.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

from netops.policy.findings import CheckResult, Detail, Finding, Notice, RuleStats
from netops.stores.db import Schema, connect

SCHEMA = Schema(
    name="check",
    ddl="""
CREATE TABLE IF NOT EXISTS check_runs (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL DEFAULT 'policy',
    started TEXT NOT NULL,
    finished TEXT NOT NULL,
    policy TEXT,
    configs TEXT,
    hosts INTEGER NOT NULL,
    rules_json TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS check_findings (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES check_runs(id) ON DELETE CASCADE,
    source TEXT NOT NULL DEFAULT 'policy',
    rule TEXT NOT NULL,
    title TEXT NOT NULL,
    severity TEXT NOT NULL,
    host TEXT NOT NULL,
    site TEXT NOT NULL,
    object TEXT NOT NULL,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    details_json TEXT NOT NULL,
    waived INTEGER NOT NULL,
    waiver TEXT,
    line INTEGER
);
CREATE INDEX IF NOT EXISTS check_findings_run ON check_findings(run_id);
CREATE INDEX IF NOT EXISTS check_findings_host ON check_findings(host);
CREATE TABLE IF NOT EXISTS check_notices (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES check_runs(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    host TEXT,
    rule TEXT,
    file TEXT,
    line INTEGER
);
""",
)


def open_db(data_dir: Path) -> sqlite3.Connection:
    return connect(data_dir, SCHEMA)


def save_run(
    conn: sqlite3.Connection,
    result: CheckResult,
    *,
    started: dt.datetime,
    policy: str | None,
    configs: str | None,
    source: str = "policy",
) -> int:
    """Store a run with its findings and notices in one transaction; its id."""
    finished = dt.datetime.now(dt.timezone.utc)
    rules = json.dumps([vars(r) for r in result.rules])
    with conn:
        conn.execute("BEGIN")
        run_id = conn.execute(
            "INSERT INTO check_runs (source, started, finished, policy, configs, hosts, rules_json) VALUES (?,?,?,?,?,?,?)",
            (source, started.isoformat(), finished.isoformat(), policy, configs, result.hosts, rules),
        ).lastrowid
        conn.executemany(
            "INSERT INTO check_findings (run_id, source, rule, title, severity, host, site, object, kind, message,"
            " details_json, waived, waiver, line) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (run_id, f.source, f.rule, f.title, f.severity, f.host, f.site, f.object, f.kind, f.message,
                 json.dumps([vars(d) for d in f.details]), int(f.waived), f.waiver, f.line)
                for f in result.findings
            ],
        )
        conn.executemany(
            "INSERT INTO check_notices (run_id, kind, message, host, rule, file, line) VALUES (?,?,?,?,?,?,?)",
            [(run_id, n.kind, n.message, n.host, n.rule, n.file, n.line) for n in result.notices],
        )
    assert run_id is not None
    return run_id


def latest_run_id(conn: sqlite3.Connection, source: str = "policy") -> int | None:
    row = conn.execute("SELECT max(id) FROM check_runs WHERE source = ?", (source,)).fetchone()
    return row[0]


def load_run(conn: sqlite3.Connection, run_id: int) -> tuple[dict[str, Any], CheckResult]:
    """A stored run: its metadata and the result as it was checked."""
    run = conn.execute("SELECT * FROM check_runs WHERE id = ?", (run_id,)).fetchone()
    if run is None:
        raise KeyError(run_id)
    result = CheckResult(hosts=run["hosts"], rules=[RuleStats(**r) for r in json.loads(run["rules_json"])])
    for row in conn.execute("SELECT * FROM check_findings WHERE run_id = ? ORDER BY id", (run_id,)):
        result.findings.append(
            Finding(
                rule=row["rule"], title=row["title"], severity=row["severity"], host=row["host"], site=row["site"],
                object=row["object"], kind=row["kind"], details=[Detail(**d) for d in json.loads(row["details_json"])],
                waived=bool(row["waived"]), waiver=row["waiver"], line=row["line"], source=row["source"],
            )
        )
    for row in conn.execute("SELECT kind, message, host, rule, file, line FROM check_notices WHERE run_id = ? ORDER BY id", (run_id,)):
        result.notices.append(Notice(**dict(row)))
    meta = {k: run[k] for k in ("id", "source", "started", "finished", "policy", "configs")}
    return meta, result


def latest_probe_runs(conn: sqlite3.Connection) -> list[tuple[dict[str, Any], CheckResult]]:
    """The latest run of every source other than ``policy`` (active probes), oldest source first."""
    rows = conn.execute(
        "SELECT max(id) AS id FROM check_runs WHERE source != 'policy' GROUP BY source ORDER BY id"
    ).fetchall()
    return [load_run(conn, row["id"]) for row in rows]
