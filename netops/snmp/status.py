"""The latest state per campus from the SNMP history (``netops status``, dashboard)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from typing import Any

from netops.snmp.history import LATEST_POLLS, latest_devices
from netops.snmp.thresholds import SEVERITIES

WORST_INTERFACES = 5


def iso(ts: float | None) -> str | None:
    """A Unix time of the history as ISO 8601 with its offset (UTC)."""
    return None if ts is None else datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds")


def summary(conn: sqlite3.Connection) -> dict[str, Any]:
    """Per site: devices up/down, APs up/down, clients, worst interfaces and active alerts."""
    devices = latest_devices(conn)
    last = conn.execute("SELECT max(finished) FROM snmp_poll").fetchone()[0]
    alerts = sorted(
        conn.execute("SELECT * FROM snmp_alert ORDER BY since").fetchall(),
        key=lambda a: SEVERITIES.index(a["severity"]) if a["severity"] in SEVERITIES else len(SEVERITIES),
    )  # most severe first, oldest first within a severity
    site_of = {d["host"]: d["site"] or "-" for d in devices}
    silent = {d["host"] for d in devices if not d["reachable"]}  # their interface figures are not current
    sites: dict[str, dict[str, Any]] = {}
    for d in devices:
        site = sites.setdefault(d["site"] or "-", {
            "devices_up": 0, "devices_down": 0, "down": [], "aps_up": 0, "aps_down": 0, "clients": 0,
            "worst_interfaces": [], "alerts": []})
        if d["reachable"]:
            site["devices_up"] += 1
        else:
            site["devices_down"] += 1
            site["down"].append(d["host"])
        site["aps_up"] += d["aps_up"] or 0
        site["aps_down"] += d["aps_down"] or 0
        site["clients"] += d["clients"] or 0
    worst = conn.execute(
        f"""SELECT i.host, i.name, i.oper_status, i.error_rate, i.in_bps, i.out_bps, i.speed_mbps
           FROM snmp_interface i
           JOIN {LATEST_POLLS} l ON i.host = l.host AND i.poll_id = l.poll_id
           WHERE i.error_rate > 0 OR i.in_bps > 0 OR i.out_bps > 0
           ORDER BY coalesce(i.error_rate, 0) DESC,
                    max(coalesce(i.in_bps, 0), coalesce(i.out_bps, 0)) / max(coalesce(i.speed_mbps, 0) * 1e6, 1) DESC"""
    ).fetchall()
    for row in worst:
        row_site = sites.get(site_of.get(row["host"], "-"))
        if row["host"] not in silent and row_site is not None and len(row_site["worst_interfaces"]) < WORST_INTERFACES:
            util = None
            if row["speed_mbps"]:
                util = round(100 * max(row["in_bps"] or 0, row["out_bps"] or 0) / (row["speed_mbps"] * 1e6), 1)
            row_site["worst_interfaces"].append({
                "host": row["host"], "name": row["name"], "oper_status": row["oper_status"],
                "error_rate": row["error_rate"], "utilisation_percent": util})
    for a in alerts:
        alert_site = sites.get(site_of.get(a["host"], "-"))
        if alert_site is not None:
            alert_site["alerts"].append({k: a[k] for k in ("host", "kind", "subject", "severity", "message")} | {"since": iso(a["since"])})
    return {"last_poll": iso(last), "sites": sites}


def recent_events(conn: sqlite3.Connection, limit: int = 20) -> list[dict[str, Any]]:
    rows = conn.execute("SELECT * FROM snmp_event ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    return [dict(r) | {"ts": iso(r["ts"])} for r in rows]
