"""SNMP history in the netops SQLite database: polls, device/interface/AP/SSID
figures, events and active alerts, with retention; and the pseudonymised client
history (``snmp_client``: keyed hashes of MAC, user and IP, never the clear values),
kept for its own retention (no foreign key to ``snmp_poll``: the two classes are
pruned separately)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from netops.snmp.sample import DeviceSample
from netops.stores.db import Schema, connect

SCHEMA = Schema(
    "snmp",
    """
CREATE TABLE IF NOT EXISTS snmp_poll (
  id INTEGER PRIMARY KEY, started REAL NOT NULL, finished REAL NOT NULL,
  devices INTEGER NOT NULL, failed INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS snmp_poll_started ON snmp_poll(started);
CREATE TABLE IF NOT EXISTS snmp_device (
  poll_id INTEGER NOT NULL REFERENCES snmp_poll(id) ON DELETE CASCADE,
  ts REAL NOT NULL, host TEXT NOT NULL, site TEXT, platform TEXT, role TEXT,
  reachable INTEGER NOT NULL, error TEXT, sys_name TEXT, sys_descr TEXT, sys_uptime INTEGER,
  cpu REAL, memory REAL, controller INTEGER NOT NULL, aps_up INTEGER, aps_down INTEGER, clients INTEGER,
  PRIMARY KEY (poll_id, host));
CREATE INDEX IF NOT EXISTS snmp_device_host ON snmp_device(host, poll_id);
CREATE TABLE IF NOT EXISTS snmp_interface (
  poll_id INTEGER NOT NULL REFERENCES snmp_poll(id) ON DELETE CASCADE,
  host TEXT NOT NULL, ifindex INTEGER NOT NULL, name TEXT, admin_status TEXT, oper_status TEXT,
  in_octets INTEGER, out_octets INTEGER, counter_bits INTEGER, in_errors INTEGER, out_errors INTEGER,
  in_discards INTEGER, out_discards INTEGER, speed_mbps INTEGER,
  in_bps REAL, out_bps REAL, error_rate REAL,
  PRIMARY KEY (poll_id, host, ifindex));
CREATE TABLE IF NOT EXISTS snmp_ap (
  poll_id INTEGER NOT NULL REFERENCES snmp_poll(id) ON DELETE CASCADE,
  controller TEXT NOT NULL, name TEXT NOT NULL, status TEXT, model TEXT, clients INTEGER,
  PRIMARY KEY (poll_id, controller, name));
CREATE TABLE IF NOT EXISTS snmp_ssid (
  poll_id INTEGER NOT NULL REFERENCES snmp_poll(id) ON DELETE CASCADE,
  controller TEXT NOT NULL, ssid TEXT NOT NULL, clients INTEGER,
  PRIMARY KEY (poll_id, controller, ssid));
CREATE TABLE IF NOT EXISTS snmp_event (
  id INTEGER PRIMARY KEY, ts REAL NOT NULL, host TEXT NOT NULL, kind TEXT NOT NULL,
  subject TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS snmp_event_ts ON snmp_event(ts);
CREATE TABLE IF NOT EXISTS snmp_client (
  poll_id INTEGER NOT NULL, ts REAL NOT NULL, controller TEXT NOT NULL, site TEXT,
  mac_hash TEXT NOT NULL, user_hash TEXT, ip_hash TEXT,
  ap TEXT, ssid TEXT, vlan INTEGER, interface TEXT, rssi INTEGER, snr INTEGER, status TEXT,
  PRIMARY KEY (poll_id, controller, mac_hash));
CREATE INDEX IF NOT EXISTS snmp_client_mac ON snmp_client(mac_hash, ts);
CREATE INDEX IF NOT EXISTS snmp_client_user ON snmp_client(user_hash, ts);
CREATE INDEX IF NOT EXISTS snmp_client_ip ON snmp_client(ip_hash, ts);
CREATE INDEX IF NOT EXISTS snmp_client_ts ON snmp_client(ts);
CREATE TABLE IF NOT EXISTS snmp_alert (
  host TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, severity TEXT NOT NULL,
  since REAL NOT NULL, message TEXT NOT NULL,
  PRIMARY KEY (host, kind, subject));
""",
)


def open_history(data_dir: Path) -> sqlite3.Connection:
    return connect(data_dir, SCHEMA)


def latest_device(conn: sqlite3.Connection, host: str, answered: bool = False) -> sqlite3.Row | None:
    """``host``'s row of its latest poll (``answered``: of the latest poll it answered)."""
    return conn.execute(
        f"SELECT * FROM snmp_device WHERE host = ? {'AND reachable' if answered else ''} ORDER BY poll_id DESC LIMIT 1",
        (host,),
    ).fetchone()


# Each host's latest poll, as a subquery with columns (host, poll_id). A skip scan of the (host, poll_id) index: one
# seek per host, where ``GROUP BY host`` read every row of the history (30 ms at 60,000 polls of 8 hosts, and
# growing with the retention; this stays under 1 ms).
LATEST_POLLS = """(WITH RECURSIVE h(host) AS (
      SELECT min(host) FROM snmp_device
      UNION ALL SELECT (SELECT min(host) FROM snmp_device WHERE host > h.host) FROM h WHERE h.host IS NOT NULL)
    SELECT host, (SELECT max(poll_id) FROM snmp_device d WHERE d.host = h.host) AS poll_id FROM h
    WHERE host IS NOT NULL)"""


def latest_devices(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every device's row of its latest poll, by site and host."""
    return conn.execute(
        f"""SELECT d.* FROM snmp_device d JOIN {LATEST_POLLS} l ON d.host = l.host AND d.poll_id = l.poll_id
            ORDER BY d.site, d.host"""
    ).fetchall()


def latest_sites(conn: sqlite3.Connection) -> dict[str, str]:
    """Each device's site, as its latest poll says ("" when it had none)."""
    rows = conn.execute(f"SELECT d.host, d.site FROM snmp_device d JOIN {LATEST_POLLS} l "
                        "ON d.host = l.host AND d.poll_id = l.poll_id")
    return {host: site or "" for host, site in rows}


def recent_reachability(conn: sqlite3.Connection, host: str, polls: int) -> list[bool]:
    """Reachability of ``host`` in its last ``polls`` stored polls, newest first."""
    rows = conn.execute(
        "SELECT reachable FROM snmp_device WHERE host = ? ORDER BY poll_id DESC LIMIT ?", (host, polls)
    ).fetchall()
    return [bool(r["reachable"]) for r in rows]


def latest_interfaces(conn: sqlite3.Connection, host: str) -> dict[int, sqlite3.Row]:
    """The interface rows of the last poll in which ``host`` answered."""
    row = conn.execute(
        "SELECT max(poll_id) FROM snmp_interface WHERE host = ?", (host,)
    ).fetchone()
    if row[0] is None:
        return {}
    rows = conn.execute("SELECT * FROM snmp_interface WHERE host = ? AND poll_id = ?", (host, row[0]))
    return {r["ifindex"]: r for r in rows}


def _latest_controller_rows(conn: sqlite3.Connection, table: str, key: str, controller: str) -> dict[str, sqlite3.Row]:
    """Rows of ``table`` from the last poll in which ``controller`` listed any, keyed by ``key``."""
    row = conn.execute(f"SELECT max(poll_id) FROM {table} WHERE controller = ?", (controller,)).fetchone()
    if row[0] is None:
        return {}
    rows = conn.execute(f"SELECT * FROM {table} WHERE controller = ? AND poll_id = ?", (controller, row[0]))
    return {r[key]: r for r in rows}


def latest_aps(conn: sqlite3.Connection, controller: str) -> dict[str, sqlite3.Row]:
    """AP name -> its row (status, model, clients) in the last poll in which ``controller`` listed APs."""
    return _latest_controller_rows(conn, "snmp_ap", "name", controller)


def latest_ssid_clients(conn: sqlite3.Connection, controller: str) -> dict[str, int]:
    """SSID -> clients in the last poll in which ``controller`` listed SSIDs."""
    return {ssid: r["clients"] for ssid, r in _latest_controller_rows(conn, "snmp_ssid", "ssid", controller).items()}


# -- a period (the daily report) ---------------------------------------------
def _polls(conn: sqlite3.Connection, start: float, end: float) -> tuple[int, int] | None:
    """The first and last poll id started in [start, end): the device, AP and SSID rows are keyed by poll id."""
    row = conn.execute("SELECT min(id), max(id) FROM snmp_poll WHERE started >= ? AND started < ?", (start, end)).fetchone()
    return None if row[0] is None else (row[0], row[1])


def device_samples(conn: sqlite3.Connection, start: float, end: float) -> list[sqlite3.Row]:
    """host, site, role, ts, reachable, controller, aps_up, aps_down, clients of every device row of the polls started in [start, end)."""
    ids = _polls(conn, start, end)
    if ids is None:
        return []
    return conn.execute("SELECT host, site, role, ts, reachable, controller, aps_up, aps_down, clients FROM snmp_device"
                        " WHERE poll_id BETWEEN ? AND ? ORDER BY host, ts", ids).fetchall()


def ap_samples(conn: sqlite3.Connection, start: float, end: float) -> list[sqlite3.Row]:
    """ts (the controller's poll), controller, name, status, clients of every AP row of the polls in [start, end)."""
    ids = _polls(conn, start, end)
    if ids is None:
        return []
    return conn.execute(
        """SELECT d.ts, a.controller, a.name, a.status, a.clients FROM snmp_ap a
           JOIN snmp_device d ON d.poll_id = a.poll_id AND d.host = a.controller
           WHERE a.poll_id BETWEEN ? AND ? ORDER BY a.name, d.ts""", ids).fetchall()


def ssid_clients(conn: sqlite3.Connection, start: float, end: float) -> list[sqlite3.Row]:
    """poll_id, ts (the poll's start), controller, ssid, clients of every SSID row of the polls in [start, end)."""
    ids = _polls(conn, start, end)
    if ids is None:
        return []
    return conn.execute(
        """SELECT s.poll_id, p.started AS ts, s.controller, s.ssid, s.clients FROM snmp_ssid s
           JOIN snmp_poll p ON p.id = s.poll_id
           WHERE s.poll_id BETWEEN ? AND ? ORDER BY s.poll_id""", ids).fetchall()


def events_between(conn: sqlite3.Connection, start: float, end: float) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM snmp_event WHERE ts >= ? AND ts < ? ORDER BY ts, id", (start, end)).fetchall()


def interface_peaks(conn: sqlite3.Connection, start: float, end: float) -> list[sqlite3.Row]:
    """Per host and interface over the polls in [start, end): the highest error rate and the highest utilisation
    (percent of the link speed, the busier direction)."""
    ids = _polls(conn, start, end)
    if ids is None:
        return []
    return conn.execute(
        """SELECT host, name, max(error_rate) AS error_rate,
                  max(100.0 * max(coalesce(in_bps, 0), coalesce(out_bps, 0)) / (speed_mbps * 1e6)) AS utilisation
           FROM snmp_interface WHERE poll_id BETWEEN ? AND ? AND (error_rate > 0 OR (speed_mbps > 0 AND
                (in_bps > 0 OR out_bps > 0)))
           GROUP BY host, name""", ids).fetchall()


def store_poll(conn: sqlite3.Connection, samples: list[DeviceSample], started: float, finished: float) -> int:
    """Write one poll cycle in one transaction; returns the poll id."""
    with conn:
        conn.execute("BEGIN")
        cur = conn.execute(
            "INSERT INTO snmp_poll (started, finished, devices, failed) VALUES (?, ?, ?, ?)",
            (started, finished, len(samples), sum(1 for s in samples if s.error)),
        )
        poll_id = cur.lastrowid
        assert poll_id is not None  # set by the INSERT
        for s in samples:
            aps = s.aps or []
            conn.execute(
                "INSERT INTO snmp_device VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (poll_id, s.time, s.host, s.site, s.platform, s.role, int(s.reachable), s.error,
                 s.sys_name, s.sys_descr, s.sys_uptime, s.cpu_percent, s.memory_percent,
                 int(s.is_controller), sum(a.status == "up" for a in aps), sum(a.status != "up" for a in aps),
                 sum((s.clients_per_ssid or {}).values()) if s.clients_per_ssid is not None
                 else sum(a.clients or 0 for a in aps)),
            )
            conn.executemany(
                "INSERT OR REPLACE INTO snmp_interface VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(poll_id, s.host, i.index, i.name, i.admin_status, i.oper_status, i.in_octets, i.out_octets,
                  i.counter_bits, i.in_errors, i.out_errors, i.in_discards, i.out_discards, i.speed_mbps,
                  i.in_bps, i.out_bps, i.error_rate) for i in s.interfaces],
            )
            conn.executemany(
                "INSERT OR REPLACE INTO snmp_ap VALUES (?,?,?,?,?,?)",
                [(poll_id, s.host, a.name, a.status, a.model, a.clients) for a in aps],
            )
            conn.executemany(
                "INSERT OR REPLACE INTO snmp_ssid VALUES (?,?,?,?)",
                [(poll_id, s.host, ssid, n) for ssid, n in (s.clients_per_ssid or {}).items()],
            )
            conn.executemany(
                "INSERT OR REPLACE INTO snmp_client VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(poll_id, s.time, s.host, s.site, c.mac, c.user, c.ip, c.ap, c.ssid, c.vlan, c.interface, c.rssi,
                  c.snr, c.status) for c in s.clients or []],
            )
    return poll_id


def prune(conn: sqlite3.Connection, retention_days: float, now: float | None = None) -> int:
    """Delete polls and events older than the retention; returns the polls deleted."""
    cutoff = (now or time.time()) - retention_days * 86400
    with conn:
        deleted = conn.execute("DELETE FROM snmp_poll WHERE started < ?", (cutoff,)).rowcount
        conn.execute("DELETE FROM snmp_event WHERE ts < ?", (cutoff,))
    return deleted


# -- the pseudonymised client history ------------------------------------------
HASH_COLUMNS = {"mac": "mac_hash", "user": "user_hash", "ip": "ip_hash"}


def client_sightings(conn: sqlite3.Connection, hashes: dict[str, str], limit: int = 50) -> list[sqlite3.Row]:
    """The newest sightings whose MAC, user or IP pseudonym (``kind -> hash``) matches, newest first."""
    where = " OR ".join(f"{HASH_COLUMNS[kind]} = ?" for kind in hashes)
    if not where:
        return []
    return conn.execute(
        f"SELECT * FROM snmp_client WHERE {where} ORDER BY ts DESC, controller LIMIT ?", (*hashes.values(), limit)
    ).fetchall()


def client_summary(conn: sqlite3.Connection) -> dict[str, object]:
    """Rows, distinct devices (MAC pseudonyms), users with a name, oldest and newest sighting."""
    row = conn.execute("SELECT count(*) AS rows, count(DISTINCT mac_hash) AS devices, count(DISTINCT user_hash) AS users,"
                       " min(ts) AS oldest, max(ts) AS newest FROM snmp_client").fetchone()
    return dict(row)


def prune_clients(conn: sqlite3.Connection, retention_days: float, now: float | None = None, dry_run: bool = False) -> int:
    """Delete client sightings older than the retention; returns how many (would be) deleted."""
    cutoff = (now or time.time()) - retention_days * 86400
    if dry_run:
        return int(conn.execute("SELECT count(*) FROM snmp_client WHERE ts < ?", (cutoff,)).fetchone()[0])
    with conn:
        return conn.execute("DELETE FROM snmp_client WHERE ts < ?", (cutoff,)).rowcount


def erase_client(conn: sqlite3.Connection, hashes: dict[str, str], dry_run: bool = False) -> int:
    """Delete every sighting of one data principal (any of their MAC, user or IP pseudonyms); how many."""
    where = " OR ".join(f"{HASH_COLUMNS[kind]} = ?" for kind in hashes)
    if not where:
        return 0
    if dry_run:
        return int(conn.execute(f"SELECT count(*) FROM snmp_client WHERE {where}", tuple(hashes.values())).fetchone()[0])
    with conn:
        return conn.execute(f"DELETE FROM snmp_client WHERE {where}", tuple(hashes.values())).rowcount


def poll_summary(conn: sqlite3.Connection) -> dict[str, object]:
    """Polls stored, events, oldest and newest poll."""
    row = conn.execute("SELECT count(*) AS polls, min(started) AS oldest, max(started) AS newest FROM snmp_poll").fetchone()
    out = dict(row)
    out["events"] = conn.execute("SELECT count(*) FROM snmp_event").fetchone()[0]
    return out


def count_older(conn: sqlite3.Connection, retention_days: float, now: float | None = None) -> int:
    """Polls a prune with ``retention_days`` would delete."""
    cutoff = (now or time.time()) - retention_days * 86400
    return int(conn.execute("SELECT count(*) FROM snmp_poll WHERE started < ?", (cutoff,)).fetchone()[0])
