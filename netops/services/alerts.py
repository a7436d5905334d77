"""Alerts delivered as they are raised and cleared: gathered from the stores, queued once, sent to the targets.

Sources (read from the netops database at every delivery run; a cursor per source so nothing is read twice):

- **snmp**: new rows of ``snmp_event``: a raised kind (``device_down``, ``ap_down``, ``interface_errors``,
  ``cpu``, ``memory``) at or above ``alerts.severity`` (SNMP's critical/major/minor/warning read as
  critical/high/medium/low), and its cleared counterpart (``device_up``, ``ap_up``, ``<kind>_cleared``) when
  the raise was queued. The first run takes the alerts active then, not the whole history.
- **backup**: a device whose last attempt failed (``backup_failed``, cleared by its next success); a device
  whose last good backup is older than ``alerts.backup_max_age`` (``backup_stale``, cleared when fresh).
- **check**: active findings at or above the severity that the previous stored check run did not have
  (``finding``, subject ``rule/object``); cleared when a later run no longer has them.
- **report**: :func:`report_overdue`, called by the daily report (``report_not_sent``).

:func:`deliver` gathers, queues and sends (mail, webhook, syslog; rate limit and digest in
:mod:`netops.notify.plan`). The poll, backup and check services call :func:`after_run` when they finish: a
delivery problem never fails them; it is recorded and logged as a warning (stderr).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sqlite3
import time
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from netops.ages import short
from netops.backup import records
from netops.errors import InputError
from netops.inventory import Filters
from netops.notify import outbox
from netops.notify.config import AlertSettings
from netops.notify.deliver import Sent, delivery_lock, send_due, send_test
from netops.notify.model import CLEARED, RAISED, SNMP_SEVERITY, TARGETS, Alert, alert_key, at_least, rank, utc
from netops.notify.targets import targets as make_targets
from netops.policy import store as check_store
from netops.settings import Settings
from netops.snmp import history as snmp_history
from netops.snmp.alerts import CLEARED_KIND
from netops.stores.db import connect

log = logging.getLogger("netops.alerts")

BACKUP_SEVERITY = "high"  # a device without a usable backup: what Oxidized's and rConfig's users alert on
REPORT_SEVERITY = "high"
REPORT_SUBJECT = "daily report"
RETENTION = 180 * 86400.0  # transitions of finished alerts, messages and runs are kept this long
_RAISED_OF = {cleared: raised for raised, cleared in CLEARED_KIND.items()}  # device_up -> device_down


def settings_of(settings: Settings) -> AlertSettings:
    """The ``alerts`` section (and the report's SMTP server); an InputError naming file, line and key."""
    return AlertSettings.from_sections(settings.section("alerts"), settings.section("report"))


def _connect(settings: Settings) -> sqlite3.Connection:
    return connect(settings.data_dir, outbox.SCHEMA, snmp_history.SCHEMA, records.SCHEMA, check_store.SCHEMA)


# ---------------------------------------------------------------- sources


def _raised_kind(kind: str) -> str | None:
    """The raised kind an SNMP event clears (``device_up`` -> ``device_down``); None for a raising event."""
    if kind in _RAISED_OF:
        return _RAISED_OF[kind]
    return kind[: -len("_cleared")] if kind.endswith("_cleared") else None


def _snmp_alert(kind: str, host: str, subject: str, severity: str, state: str, message: str, ts: float, sites: Mapping[str, str],
                raised: datetime | None = None) -> Alert:
    if kind == "ap_down":
        site, host = sites.get(host, ""), subject  # the AP is the device concerned; its controller says so
    else:
        site = sites.get(host, "")
    return Alert("snmp", kind, host, subject, severity, state, message, utc(ts), raised, site)


def _snmp(conn: sqlite3.Connection, cfg: AlertSettings) -> tuple[list[Alert], Any]:
    sites = snmp_history.latest_sites(conn)
    last = conn.execute("SELECT coalesce(max(id), 0), coalesce(max(ts), 0) FROM snmp_event").fetchone()
    position = outbox.cursor(conn, "snmp")
    out: list[Alert] = []
    if position is None:  # the first read: what is active now, not the history
        for r in conn.execute("SELECT * FROM snmp_alert ORDER BY since"):
            severity = SNMP_SEVERITY.get(r["severity"], "info")
            if at_least(severity, cfg.severity):
                out.append(_snmp_alert(r["kind"], r["host"], r["subject"], severity, RAISED, r["message"], r["since"], sites))
        return out, {"id": last[0], "ts": last[1]}
    opened = outbox.open_alerts(conn, "snmp")
    rows = conn.execute("SELECT * FROM snmp_event WHERE id > ? OR ts > ? ORDER BY ts, id", (position["id"], position["ts"]))
    for r in rows:
        raised_kind = _raised_kind(r["kind"])
        if raised_kind is None:
            severity = SNMP_SEVERITY.get(r["severity"], "info")
            if r["kind"] == "reboot" or not at_least(severity, cfg.severity):
                continue  # a reboot is an event of its own, never raised nor cleared
            alert = _snmp_alert(r["kind"], r["host"], r["subject"], severity, RAISED, r["message"], r["ts"], sites)
            opened[alert.key] = alert
            out.append(alert)
            continue
        host = r["subject"] if raised_kind == "ap_down" else r["host"]
        key = alert_key("snmp", raised_kind, host, r["subject"])
        raise_ = opened.pop(key, None)
        if raise_ is not None and raise_.raised_at.timestamp() <= r["ts"]:
            out.append(_snmp_alert(raised_kind, r["host"], r["subject"], raise_.severity, CLEARED, r["message"], r["ts"], sites,
                                   raise_.raised_at))
    return out, {"id": max(last[0], position["id"]), "ts": max(last[1], position["ts"])}


def _backup_conditions(settings: Settings, cfg: AlertSettings, now: float) -> tuple[dict[str, Alert], dict[str, Any]]:
    """Key -> raised alert of every device whose backup failed or is stale now; and every device's state."""
    from netops.services import backup as backups  # (services.backup calls after_run: imported when needed)
    from netops.services import inventory

    names = set(inventory.hosts(settings))
    states = {s.host: s for s in backups.states(settings, cfg.backup_max_age, at=utc(now)) if s.host in names}
    out: dict[str, Alert] = {}
    for s in states.values():
        if s.last_attempt is None:
            continue  # never tried: nothing failed yet
        if s.last_status == "failed":
            alert = Alert("backup", "backup_failed", s.host, s.host, BACKUP_SEVERITY, RAISED,
                          f"backup of {s.host} failed: {s.last_reason or 'no reason given'}", s.last_attempt, site=s.site)
            out[alert.key] = alert
        if s.last_success is not None and s.age is not None and s.age > cfg.backup_max_age:
            became = utc(s.last_success.timestamp() + cfg.backup_max_age)
            alert = Alert("backup", "backup_stale", s.host, s.host, BACKUP_SEVERITY, RAISED,
                          f"no good backup of {s.host} for {short(s.age)} (alerts.backup_max_age {short(cfg.backup_max_age)}); "
                          f"last good backup {s.last_success.isoformat(timespec='seconds')}", became, site=s.site)
            out[alert.key] = alert
    out.update(_offsite_conditions(settings, now))
    return out, states


OFFSITE_KINDS = ("offsite_failed", "offsite_lag")


def _offsite_conditions(settings: Settings, now: float) -> dict[str, Alert]:
    """Key -> raised alert of every off-site remote (``dr.remotes``) whose last push failed (``offsite_failed``) or
    that lacks a commit older than ``dr.max_lag`` (``offsite_lag``). Host: none (the store, not a device); subject:
    ``remote NAME``."""
    from netops.services import dr  # (services.backup calls after_run: imported when needed)

    out: dict[str, Alert] = {}
    for r in dr.remote_states(settings, utc(now)):
        subject = f"remote {r.remote}"
        if r.failing and r.last_push is not None:
            alert = Alert("backup", "offsite_failed", "", subject, BACKUP_SEVERITY, RAISED,
                          f"push of the backups to {r.remote} ({r.url}) failed: {r.last_push.status}: {r.last_push.reason or '-'}",
                          r.last_push.time)
            out[alert.key] = alert
        if r.lagging and r.oldest_missing is not None:
            became = utc(r.oldest_missing.timestamp() + r.max_lag)
            alert = Alert("backup", "offsite_lag", "", subject, BACKUP_SEVERITY, RAISED,
                          f"off-site copy {r.remote} is {r.commits_behind} commit(s) and {short(r.behind_seconds)} behind "
                          f"(dr.max_lag {short(r.max_lag)})" + (f"; last push {r.last_push.status}" if r.last_push else "; never pushed"),
                          became)
            out[alert.key] = alert
    return out


def _offsite_cleared(settings: Settings, raise_: Alert, now: float) -> Alert:
    """The clearing transition of an off-site alert whose condition no longer holds."""
    from netops.services import dr

    name = raise_.subject.removeprefix("remote ")
    state = next((r for r in dr.remote_states(settings, utc(now)) if r.remote == name), None)
    when, message = utc(now), f"{name} is no longer in dr.remotes"
    if state is not None and raise_.kind == "offsite_failed":
        when = state.last_push.time if state.last_push else when
        message = f"push of the backups to {name} works again ({state.last_push.status if state.last_push else '-'})"
    elif state is not None:
        message = (f"off-site copy {name} caught up" if state.commits_behind == 0 else
                   f"off-site copy {name} is within dr.max_lag ({state.commits_behind} commit(s), {short(state.behind_seconds)} behind)")
    return Alert("backup", raise_.kind, raise_.host, raise_.subject, raise_.severity, CLEARED, message, max(when, raise_.raised_at),
                 raise_.raised_at, raise_.site)


def _backup(conn: sqlite3.Connection, settings: Settings, cfg: AlertSettings, now: float) -> list[Alert]:
    current, states = _backup_conditions(settings, cfg, now)
    opened = outbox.open_alerts(conn, "backup")
    out = [a for key, a in current.items() if key not in opened and at_least(a.severity, cfg.severity)]
    for key, raise_ in opened.items():
        if key in current:
            continue
        if raise_.kind in OFFSITE_KINDS:
            out.append(_offsite_cleared(settings, raise_, now))
            continue
        s = states.get(raise_.host)
        when, message = utc(now), f"{raise_.host} is no longer in the inventory"
        if s is not None and raise_.kind == "backup_failed" and s.last_attempt is not None:
            when, message = s.last_attempt, f"backup of {raise_.host} works again ({s.last_status})"
        elif s is not None and raise_.kind == "backup_stale" and s.last_success is not None:
            when, message = s.last_success, f"{raise_.host} has a good backup again ({s.last_success.isoformat(timespec='seconds')})"
        out.append(Alert("backup", raise_.kind, raise_.host, raise_.subject, raise_.severity, CLEARED, message,
                         max(when, raise_.raised_at), raise_.raised_at, raise_.site))
    return out


def _findings(conn: sqlite3.Connection, run_id: int) -> tuple[dict[str, Any], dict[str, Alert]]:
    """A stored check run's metadata and its active (not waived) findings as raised alerts, by key."""
    meta, result = check_store.load_run(conn, run_id)
    finished = datetime.fromisoformat(meta["finished"])
    out: dict[str, Alert] = {}
    for f in result.findings:
        if f.waived:
            continue
        alert = Alert("check", "finding", f.host, f"{f.rule}/{f.object}", f.severity, RAISED,
                      f"{f.title}: {f.message}" if f.message else f.title, finished, site=f.site)
        out.setdefault(alert.key, alert)
    return meta, out


def _check(conn: sqlite3.Connection, cfg: AlertSettings) -> tuple[list[Alert], Any]:
    position = outbox.cursor(conn, "check")
    ids = [r[0] for r in conn.execute("SELECT id FROM check_runs WHERE source = 'policy' AND id > ? ORDER BY id", (position or 0,))]
    if position is None:
        ids = ids[-1:]  # the first read: the latest run against the one before it
    if not ids:
        return [], position
    opened = outbox.open_alerts(conn, "check")
    out: list[Alert] = []
    for run_id in ids:
        meta, active = _findings(conn, run_id)
        before = conn.execute("SELECT max(id) FROM check_runs WHERE source = 'policy' AND id < ?", (run_id,)).fetchone()[0]
        known = set(_findings(conn, before)[1]) if before is not None else set()
        finished = datetime.fromisoformat(meta["finished"])
        for key, alert in active.items():
            if key not in opened and key not in known and at_least(alert.severity, cfg.severity):
                opened[key] = alert
                out.append(alert)
        for key, raise_ in list(opened.items()):
            if key not in active:
                del opened[key]
                out.append(Alert("check", raise_.kind, raise_.host, raise_.subject, raise_.severity, CLEARED,
                                 f"resolved: check run {run_id} no longer finds {raise_.subject} on {raise_.host}",
                                 max(finished, raise_.raised_at), raise_.raised_at, raise_.site))
    return out, ids[-1]


def gather(conn: sqlite3.Connection, settings: Settings, cfg: AlertSettings, now: float) -> tuple[list[Alert], dict[str, Any]]:
    """The transitions of every source since the last read, and the new cursors."""
    snmp, snmp_position = _snmp(conn, cfg)
    check, check_position = _check(conn, cfg)
    return snmp + _backup(conn, settings, cfg, now) + check, {"snmp": snmp_position, "check": check_position}


# ---------------------------------------------------------------- delivery


@dataclass
class DeliveryRun:
    """One delivery run: what it queued, what it sent to which target, what waits."""

    started: datetime
    trigger: str  # poll, backup, check, report, cli
    targets: dict[str, str] = field(default_factory=dict)  # name -> where (never a secret)
    queued: list[Alert] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    held: dict[str, int] = field(default_factory=dict)  # target -> transitions waiting for the rate limit
    next_at: dict[str, datetime] = field(default_factory=dict)  # target -> when its rate limit lets them go
    retrying: dict[str, int] = field(default_factory=dict)  # target -> failed deliveries waiting to be retried
    retry_at: dict[str, datetime] = field(default_factory=dict)  # target -> when the first of them is retried
    gave_up: int = 0
    busy: bool = False  # another delivery was running: it (or the next run) sends what this one queued
    elapsed: float = 0.0

    @property
    def failed(self) -> list[Sent]:
        return [s for s in self.sent if not s.ok]

    def to_dict(self) -> dict[str, Any]:
        return {"started": self.started.isoformat(timespec="seconds"), "trigger": self.trigger, "targets": self.targets,
                "queued": [a.to_dict() for a in self.queued], "messages": [s.to_dict() for s in self.sent],
                "failed": len(self.failed), "held": self.held,
                "next_at": {k: v.isoformat(timespec="seconds") for k, v in self.next_at.items()},
                "retrying": self.retrying, "retry_at": {k: v.isoformat(timespec="seconds") for k, v in self.retry_at.items()},
                "gave_up": self.gave_up, "busy": self.busy, "elapsed": round(self.elapsed, 3)}


def deliver(settings: Settings, now: datetime | None = None, trigger: str = "cli", wait: float = 60.0,
            env: Mapping[str, str] | None = None) -> DeliveryRun:
    """Gather every source, queue the new transitions and send what the rate limit allows to every configured
    target (without targets: only recorded). ``wait``: seconds to wait for another delivery run to finish."""
    begun = time.monotonic()
    at = now or datetime.now(timezone.utc)
    ts = at.timestamp()
    cfg = settings_of(settings)
    run = DeliveryRun(at, trigger, cfg.describe())
    with closing(_connect(settings)) as conn:
        run_id = outbox.start_run(conn, trigger, ts)
        error: str | None = None
        try:
            transitions, positions = gather(conn, settings, cfg, ts)
            run.queued = [q.alert for q in outbox.queue(conn, transitions, cfg.targets, ts)]
            for source, position in positions.items():
                if position is not None:
                    outbox.set_cursor(conn, source, position, ts)
            targets = make_targets(cfg, settings.zone, env)
            if targets:
                with delivery_lock(settings.data_dir, wait) as held:
                    if held:
                        outcome = send_due(conn, targets, cfg.limits, ts)
                        run.sent = outcome.sent
                        run.held = {t: len(ids) for t, ids in outcome.plan.held.items()}
                        run.next_at = {t: utc(v) for t, v in outcome.plan.next_at.items()}
                        run.retrying = {t: len(ids) for t, ids in outcome.plan.backoff.items()}
                        run.retry_at = {t: utc(v) for t, v in outcome.plan.retry_at.items()}
                        run.gave_up = len(outcome.plan.give_up) + conn.execute(
                            "SELECT count(*) FROM notify_delivery WHERE status = ? AND last_try = ?", (outbox.GAVE_UP, ts)).fetchone()[0]
                    else:
                        run.busy = True
            outbox.prune(conn, ts - RETENTION)
        except BaseException as exc:
            error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            run.elapsed = time.monotonic() - begun
            outbox.finish_run(conn, run_id, time.time(), len(run.queued), len(run.sent), len(run.failed),
                              error or ("; ".join(f"{s.target}: {s.detail}" for s in run.failed) or None))
    return run


def after_run(settings: Settings, trigger: str) -> DeliveryRun | None:
    """Deliver at the end of a poll, backup or check: never raises; problems are logged as warnings (stderr) and
    recorded in the outbox's runs."""
    try:
        run = deliver(settings, trigger=trigger, wait=5.0)
    except Exception as exc:  # a delivery problem never fails the job that called it
        log.warning("warning: alerts not delivered after %s: %s", trigger, exc)
        if isinstance(exc, InputError):
            _record_error(settings, trigger, str(exc))
        return None
    for sent in run.failed:
        log.warning("warning: alert delivery to %s failed: %s (%d alert(s) kept in the outbox, retried by a later run)", sent.target,
                    sent.detail, len(sent.alerts))
    return run


def _record_error(settings: Settings, trigger: str, error: str) -> None:
    try:
        with closing(outbox.open_outbox(settings.data_dir)) as conn:
            now = time.time()
            outbox.finish_run(conn, outbox.start_run(conn, trigger, now), now, 0, 0, 0, error)
    except Exception:  # recording the problem is best effort: it was logged
        pass


def report_overdue(settings: Settings, overdue: bool, message: str, now: datetime | None = None) -> DeliveryRun | None:
    """Raise (``overdue``) or clear the ``report_not_sent`` alert, then deliver. For the daily report: call it with
    True when the report has not gone out by its deadline (``report.deadline``, default 19:00) and with False once it
    has. Never raises (like :func:`after_run`); returns the delivery run, None when it could not run."""
    at = now or datetime.now(timezone.utc)
    try:
        cfg = settings_of(settings)
        with closing(_connect(settings)) as conn:
            key = alert_key("report", "report_not_sent", "", REPORT_SUBJECT)
            raise_ = outbox.open_alerts(conn, "report").get(key)
            if overdue and raise_ is None and at_least(REPORT_SEVERITY, cfg.severity):
                outbox.queue(conn, [Alert("report", "report_not_sent", "", REPORT_SUBJECT, REPORT_SEVERITY, RAISED, message, at)],
                             cfg.targets, at.timestamp())
            elif not overdue and raise_ is not None:
                outbox.queue(conn, [Alert("report", "report_not_sent", "", REPORT_SUBJECT, raise_.severity, CLEARED, message,
                                          max(at, raise_.raised_at), raise_.raised_at)], cfg.targets, at.timestamp())
    except Exception as exc:
        log.warning("warning: report alert not recorded: %s", exc)
        return None
    run = after_run(settings, "report")
    return run


def test(settings: Settings, env: Mapping[str, str] | None = None) -> list[Sent]:
    """One test message to every configured target; an InputError when none is configured."""
    cfg = settings_of(settings)
    targets = make_targets(cfg, settings.zone, os.environ if env is None else env)
    if not targets:
        where = f" in {settings.config_file}" if settings.config_file else " (no netops.yaml found: netops config show)"
        raise InputError(f"no alert target configured{where}: add alerts.mail, alerts.webhook or alerts.syslog", key="alerts")
    return send_test(targets)


# ---------------------------------------------------------------- what the CLI and the dashboard show


@dataclass(frozen=True)
class TargetDelivery:
    """A transition's delivery to one target."""

    target: str
    status: str  # pending, sent, failed (retried later), gave_up
    attempts: int
    sent: datetime | None
    error: str | None
    digest: bool  # it went out in a digest

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "status": self.status, "attempts": self.attempts,
                "sent": self.sent.isoformat(timespec="seconds") if self.sent else None, "error": self.error, "digest": self.digest}


@dataclass(frozen=True)
class Transition:
    """One stored transition and its deliveries (``alerts history``, the dashboard)."""

    id: int
    alert: Alert
    deliveries: tuple[TargetDelivery, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, **self.alert.to_dict(), "deliveries": [d.to_dict() for d in self.deliveries]}


def _deliveries(rows: Sequence[sqlite3.Row]) -> tuple[TargetDelivery, ...]:
    order = {name: n for n, name in enumerate(TARGETS)}
    return tuple(_delivery(r) for r in sorted(rows, key=lambda r: order.get(r["target"], len(order))))


def _delivery(row: sqlite3.Row) -> TargetDelivery:
    return TargetDelivery(row["target"], row["status"], row["attempts"], utc(row["sent"]) if row["sent"] else None, row["error"],
                          (row["message_kind"] == "digest") if "message_kind" in row.keys() else False)


def history(settings: Settings, since: datetime | None = None, hosts: Sequence[str] | None = None,
            limit: int | None = None) -> list[Transition]:
    """Stored transitions since ``since`` (of ``hosts``: None for all), newest first, with their deliveries per target."""
    with closing(outbox.open_outbox(settings.data_dir)) as conn:
        rows = outbox.history(conn, since.timestamp() if since else None, hosts, limit)
    return [Transition(alert_id, alert, _deliveries(deliveries)) for alert_id, alert, deliveries in rows]


@dataclass(frozen=True)
class ActiveAlert:
    """A condition that holds now, and what became of its alert."""

    alert: Alert  # raised; ``time``: since when
    queued: bool  # in the outbox (at or above the severity when it was raised)
    deliveries: tuple[TargetDelivery, ...]

    def to_dict(self) -> dict[str, Any]:
        out = self.alert.to_dict()
        del out["state"], out["raised"]
        out["since"] = out.pop("time")
        return out | {"queued": self.queued, "deliveries": [d.to_dict() for d in self.deliveries]}


def active(settings: Settings, severity: str | None = None, filters: Filters | None = None,
           now: datetime | None = None) -> list[ActiveAlert]:
    """Every alert condition that holds now, from every source, at or above ``severity`` (default:
    ``alerts.severity``), most severe first; ``filters`` select hosts (the report's alert has none)."""
    from netops.services import inventory

    cfg = settings_of(settings)
    threshold = severity or cfg.severity
    at = (now or datetime.now(timezone.utc)).timestamp()
    conditions: dict[str, Alert] = {}
    with closing(_connect(settings)) as conn:
        sites = snmp_history.latest_sites(conn)
        for r in conn.execute("SELECT * FROM snmp_alert ORDER BY since"):
            a = _snmp_alert(r["kind"], r["host"], r["subject"], SNMP_SEVERITY.get(r["severity"], "info"), RAISED, r["message"],
                            r["since"], sites)
            conditions[a.key] = a
        conditions.update(_backup_conditions(settings, cfg, at)[0])
        latest = check_store.latest_run_id(conn)
        if latest is not None:
            conditions.update(_findings(conn, latest)[1])
        opened = outbox.open_alerts(conn)
        for key, a in opened.items():
            if a.source == "report":
                conditions[key] = a
        deliveries = outbox.deliveries_of(conn, [k for k in conditions if k in opened])
    for key, a in opened.items():  # since when: since it was raised
        if key in conditions:
            conditions[key] = dataclasses.replace(conditions[key], time=a.time)
    chosen = None if filters is None or filters == Filters() else set(inventory.hosts(settings, filters))
    out = [ActiveAlert(a, key in opened, _deliveries(deliveries.get(key, [])))
           for key, a in conditions.items()
           if at_least(a.severity, threshold) and (chosen is None or a.host in chosen)]
    out.sort(key=lambda x: (rank(x.alert.severity), x.alert.time, x.alert.key))
    return out
