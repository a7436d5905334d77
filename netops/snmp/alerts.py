"""Events and alerts from one poll cycle.

An *alert* is a condition that holds now (device down, AP down, interface error
rate, CPU, memory over its threshold); it is stored while active. Opening or
clearing one records an *event*, as does a reboot (sysUpTime went backwards).
Conditions of a host that did not answer stay as they were, except device down;
so do conditions a poll cannot measure (an interface's first poll has no rate).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from netops.snmp import history
from netops.snmp.sample import DeviceSample
from netops.snmp.thresholds import Thresholds

CLEARED_KIND = {"device_down": "device_up", "ap_down": "ap_up"}


@dataclass(frozen=True)
class Alert:
    host: str
    kind: str  # device_down, ap_down, interface_errors, cpu, memory
    subject: str  # the host, AP or interface concerned
    severity: str
    message: str


def conditions(sample: DeviceSample, previous_aps: dict[str, str], down_streak: int, th: Thresholds) -> list[Alert]:
    """The alert conditions that hold for ``sample``."""
    host = sample.host
    if not sample.reachable:
        if down_streak >= th.device_down.after_polls:
            return [Alert(host, "device_down", host, th.device_down.severity,
                          f"{host} does not answer SNMP ({sample.error})")]
        return []
    out: list[Alert] = []
    if sample.aps is not None:
        listed = {a.name for a in sample.aps}
        for ap in sample.aps:
            if ap.status != "up":
                out.append(Alert(host, "ap_down", ap.name, th.ap_down.severity, f"AP {ap.name} is {ap.status} on {host}"))
        for name in sorted(set(previous_aps) - listed):
            out.append(Alert(host, "ap_down", name, th.ap_down.severity, f"AP {name} left the AP table of {host}"))
    for i in sample.interfaces:
        if i.error_rate is not None and i.error_rate > th.interface_errors.per_second:
            out.append(Alert(host, "interface_errors", i.name, th.interface_errors.severity,
                             f"{i.name} on {host}: {i.error_rate:.2f} errors/s (threshold {th.interface_errors.per_second:g})"))
    if sample.cpu_percent is not None and sample.cpu_percent > th.cpu.percent:
        out.append(Alert(host, "cpu", host, th.cpu.severity, f"CPU {sample.cpu_percent:g} % on {host} (threshold {th.cpu.percent:g} %)"))
    if sample.memory_percent is not None and sample.memory_percent > th.memory.percent:
        out.append(Alert(host, "memory", host, th.memory.severity,
                         f"memory {sample.memory_percent:g} % on {host} (threshold {th.memory.percent:g} %)"))
    return out


def undecided(sample: DeviceSample) -> set[tuple[str, str]]:
    """(kind, subject) of the conditions this sample cannot decide: an interface without a rate yet (the first poll
    after a gap or a counter reset), CPU or memory not reported. Their alerts stay as they were rather than flap."""
    out = {("interface_errors", i.name) for i in sample.interfaces if i.error_rate is None}
    if sample.cpu_percent is None:
        out.add(("cpu", sample.host))
    if sample.memory_percent is None:
        out.add(("memory", sample.host))
    return out


def record_event(conn: sqlite3.Connection, ts: float, host: str, kind: str, subject: str, severity: str, message: str) -> None:
    conn.execute(
        "INSERT INTO snmp_event (ts, host, kind, subject, severity, message) VALUES (?,?,?,?,?,?)",
        (ts, host, kind, subject, severity, message),
    )


def update(conn: sqlite3.Connection, sample: DeviceSample, now: list[Alert], ts: float) -> None:
    """Replace ``sample.host``'s active alerts by ``now``, recording opened/cleared events."""
    active = {(r["kind"], r["subject"]): r for r in conn.execute("SELECT * FROM snmp_alert WHERE host = ?", (sample.host,))}
    current = {(a.kind, a.subject): a for a in now}
    unknown = undecided(sample)
    with conn:
        conn.execute("BEGIN")
        for key, alert in current.items():
            if key not in active:
                conn.execute("INSERT INTO snmp_alert VALUES (?,?,?,?,?,?)",
                             (alert.host, alert.kind, alert.subject, alert.severity, ts, alert.message))
                record_event(conn, ts, alert.host, alert.kind, alert.subject, alert.severity, alert.message)
            else:
                conn.execute("UPDATE snmp_alert SET message = ?, severity = ? WHERE host = ? AND kind = ? AND subject = ?",
                             (alert.message, alert.severity, alert.host, alert.kind, alert.subject))
        for (kind, subject), row in active.items():
            if (kind, subject) in current:
                continue
            if (not sample.reachable and kind != "device_down") or (kind, subject) in unknown:
                continue  # unknown while the host is silent, or while the condition cannot be measured
            conn.execute("DELETE FROM snmp_alert WHERE host = ? AND kind = ? AND subject = ?", (sample.host, kind, subject))
            cleared = CLEARED_KIND.get(kind, f"{kind}_cleared")
            what = {"device_up": f"{sample.host} answers again", "ap_up": f"AP {subject} is up again on {sample.host}"}
            record_event(conn, ts, sample.host, cleared, subject, "info", what.get(cleared, f"cleared: {row['message']}"))


def process(conn: sqlite3.Connection, sample: DeviceSample, th: Thresholds, ts: float, reboot: bool) -> None:
    """Record the reboot event and update alerts for one freshly polled (not yet stored) sample."""
    if reboot:
        record_event(conn, ts, sample.host, "reboot", sample.host, "warning",
                     f"{sample.host} rebooted (sysUpTime went back to {(sample.sys_uptime or 0) / 100:.0f} s)")
    streak = 0
    if not sample.reachable:
        past = history.recent_reachability(conn, sample.host, th.device_down.after_polls)
        streak = 1 + next((n for n, ok in enumerate(past) if ok), len(past))
    previous_aps = {name: row["status"] for name, row in history.latest_aps(conn, sample.host).items()} if sample.aps is not None else {}
    previous_aps.update({r["subject"]: "down" for r in conn.execute(
        "SELECT subject FROM snmp_alert WHERE host = ? AND kind = 'ap_down'", (sample.host,))})
    update(conn, sample, conditions(sample, previous_aps, streak, th), ts)
