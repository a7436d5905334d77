"""Check runs, their findings and notices in the netops database (read by the dashboard and later runs).

``source`` says who produced a run or finding: ``policy`` for ``netops check``
(whose stored run holds every finding it reported, probe findings included);
each active probe stores its own runs under its name, with the scopes the run
covered, so a later ``netops check`` takes per scope the newest observation.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
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
    added=(
        ("check_runs", "scopes_json", "TEXT NOT NULL DEFAULT '[]'"),
        ("check_findings", "scope", "TEXT NOT NULL DEFAULT ''"),
        ("check_findings", "observed", "TEXT"),
        ("check_findings", "origin", "TEXT NOT NULL DEFAULT ''"),
        ("check_findings", "fix_json", "TEXT NOT NULL DEFAULT '[]'"),
    ),
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
    scopes: Sequence[str] = (),
) -> int:
    """Store a run with its findings and notices in one transaction; its id. A probe names the ``scopes``
    it covered (also those where it found nothing)."""
    finished = dt.datetime.now(dt.timezone.utc)
    rules = json.dumps([vars(r) for r in result.rules])
    with conn:
        conn.execute("BEGIN")
        run_id = conn.execute(
            "INSERT INTO check_runs (source, started, finished, policy, configs, hosts, rules_json, scopes_json)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (source, started.isoformat(), finished.isoformat(), policy, configs, result.hosts, rules, json.dumps(list(scopes))),
        ).lastrowid
        conn.executemany(
            "INSERT INTO check_findings (run_id, source, rule, title, severity, host, site, object, kind, message,"
            " details_json, waived, waiver, line, scope, observed, origin, fix_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (run_id, f.source, f.rule, f.title, f.severity, f.host, f.site, f.object, f.kind, f.message,
                 json.dumps([vars(d) for d in f.details]), int(f.waived), f.waiver, f.line, f.scope, f.observed, f.origin,
                 json.dumps(list(f.fix)))
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


def run_before(conn: sqlite3.Connection, moment: dt.datetime, source: str = "policy") -> int | None:
    """The latest run of ``source`` that finished before ``moment``."""
    row = conn.execute("SELECT max(id) FROM check_runs WHERE source = ? AND finished < ?",
                       (source, moment.astimezone(dt.timezone.utc).isoformat())).fetchone()
    return row[0]


def first_run_after(conn: sqlite3.Connection, moment: dt.datetime, source: str = "policy") -> int | None:
    """The first run of ``source`` that finished at or after ``moment``."""
    row = conn.execute("SELECT min(id) FROM check_runs WHERE source = ? AND finished >= ?",
                       (source, moment.astimezone(dt.timezone.utc).isoformat())).fetchone()
    return row[0]


def probe_runs_after(conn: sqlite3.Connection, run_id: int | None) -> int:
    """How many probe runs were stored after check run ``run_id`` (all of them when None)."""
    return int(conn.execute("SELECT count(*) FROM check_runs WHERE source != 'policy' AND id > ?", (run_id or 0,)).fetchone()[0])


def _finding(row: sqlite3.Row) -> Finding:
    return Finding(
        rule=row["rule"], title=row["title"], severity=row["severity"], host=row["host"], site=row["site"],
        object=row["object"], kind=row["kind"], details=tuple(Detail(**d) for d in json.loads(row["details_json"])),
        waived=bool(row["waived"]), waiver=row["waiver"], line=row["line"], source=row["source"],
        scope=row["scope"], observed=row["observed"], origin=row["origin"], fix=tuple(json.loads(row["fix_json"])),
    )


def load_run(conn: sqlite3.Connection, run_id: int) -> tuple[dict[str, Any], CheckResult]:
    """A stored run: its metadata and the result as it was checked."""
    run = conn.execute("SELECT * FROM check_runs WHERE id = ?", (run_id,)).fetchone()
    if run is None:
        raise KeyError(run_id)
    result = CheckResult(hosts=run["hosts"], rules=[RuleStats(**r) for r in json.loads(run["rules_json"])])
    result.findings += [_finding(row) for row in conn.execute("SELECT * FROM check_findings WHERE run_id = ? ORDER BY id", (run_id,))]
    for row in conn.execute("SELECT kind, message, host, rule, file, line FROM check_notices WHERE run_id = ? ORDER BY id", (run_id,)):
        result.notices.append(Notice(**dict(row)))
    meta = {k: run[k] for k in ("id", "source", "started", "finished", "policy", "configs")}
    return meta, result


@dataclass(frozen=True)
class ProbeEvidence:
    """One probe run's findings that still stand for the scopes no newer run of the probe covered."""

    run: dict[str, Any]  # id, source, finished, configs (where the probe ran from)
    scopes: tuple[str, ...]
    findings: tuple[Finding, ...]


def current_probe_findings(conn: sqlite3.Connection, since: dt.datetime) -> list[ProbeEvidence]:
    """Per probe and scope, the newest run finished after ``since``: what it found in that scope.

    A narrower later run (one VLAN) replaces only the scopes it covered.
    """
    claimed: set[tuple[str, str]] = set()
    out: list[ProbeEvidence] = []
    runs = conn.execute(
        "SELECT id, source, finished, configs, scopes_json FROM check_runs WHERE source != 'policy' AND finished >= ?"
        " ORDER BY finished DESC, id DESC", (since.isoformat(),)
    ).fetchall()
    for run in runs:
        scopes = [s for s in (json.loads(run["scopes_json"]) or [""]) if (run["source"], s) not in claimed]
        if not scopes:
            continue
        claimed.update((run["source"], s) for s in scopes)
        rows = conn.execute("SELECT * FROM check_findings WHERE run_id = ? ORDER BY id", (run["id"],)).fetchall()
        found = tuple(f for f in map(_finding, rows) if f.scope in scopes or scopes == [""])
        meta = {k: run[k] for k in ("id", "source", "finished", "configs")}
        out.append(ProbeEvidence(meta, tuple(scopes), found))
    return out[::-1]
