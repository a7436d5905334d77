"""The daily infrastructure status report: gather a day, render it, keep it, mail it, and say whether it went out.

Every rendered report is kept under ``<data_dir>/reports/<date>/`` (``report.directory``),
so a report whose mail failed can be sent by hand.
"""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import closing
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from netops.errors import InputError
from netops.files import write_atomic
from netops.inventory import Filters
from netops.mail import Delivery, MailError, MailSettings, send
from netops.report import render
from netops.report import store as deliveries
from netops.report.collect import Inputs, collect
from netops.report.model import DailyReport
from netops.report.options import Day, ReportOptions
from netops.services import alerts, check, inventory
from netops.services.audit import recorded
from netops.settings import Settings
from netops.snmp.thresholds import load_thresholds

log = logging.getLogger("netops.report")
BACKUP_MAX_AGE = 86400.0  # a good backup older than a day is stale (as the dashboard and backup status count it)
EXTENSIONS = {"html": "html", "pdf": "pdf", "json": "json", "md": "md"}


def options(settings: Settings) -> ReportOptions:
    return ReportOptions.from_sections(settings.section("report"), settings.section("schedule"), settings.zone)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.timezone.utc)


def day(settings: Settings, date: dt.date | None = None, now: dt.datetime | None = None) -> Day:
    """The period of the report of ``date`` (default: today in the configured zone)."""
    moment = _now(now)
    date = date or moment.astimezone(settings.zone).date()
    return Day.of(date, options(settings).at, settings.zone, moment)


def daily(settings: Settings, date: dt.date | None = None, sites: tuple[str, ...] = (), now: dt.datetime | None = None) -> DailyReport:
    """The report of ``date`` for ``sites`` (default: every site), from the stores as they are now."""
    moment = _now(now)
    opts = options(settings)
    hosts = inventory.hosts(settings, Filters.of(sites=sites) if sites else None)
    waivers = tuple(check.policy(settings).waivers)
    down_after = load_thresholds(settings.thresholds).device_down.after_polls
    inputs = Inputs(settings.data_dir, settings.backup_dir, hosts, waivers, down_after, BACKUP_MAX_AGE, tuple(sites))
    return collect(inputs, day(settings, date, moment), opts, moment)


def directory(settings: Settings) -> Path:
    return options(settings).directory or settings.data_dir / "reports"


def file_name(report: DailyReport, fmt: str) -> str:
    sites = "-".join(report.sites) if report.sites and len(report.sites) == 1 else ""
    return f"netops-daily-{report.day.date}{'-' + sites if sites else ''}.{EXTENSIONS[fmt]}"


def rendered(report: DailyReport, fmt: str) -> bytes:
    if fmt == "html":
        return render.html(report).encode("utf-8")
    if fmt == "pdf":
        return render.pdf(report)
    if fmt == "json":
        return render.as_json(report).encode("utf-8")
    if fmt == "md":
        return render.markdown(report).encode("utf-8")
    raise InputError(f"{fmt!r} is not one of {', '.join(render.FORMATS)}", key="--format")


def write(path: Path, content: bytes) -> Path:
    """Write a rendered report atomically, readable by the team (it holds no secret)."""
    return write_atomic(path, content, mode=0o644)


def keep(settings: Settings, report: DailyReport, formats: tuple[str, ...]) -> list[Path]:
    """Render ``formats`` into the report directory (``<dir>/<date>/``); the audit trail records it."""
    with recorded(settings, "report", report.day.date.isoformat()) as entry:
        entry.detail = {"date": report.day.date.isoformat(), "sites": list(report.sites), "formats": list(formats),
                        "sent_to": None}
        files = _keep(settings, report, formats)
        entry.detail["files"] = [f.name for f in files]
    return files


def _keep(settings: Settings, report: DailyReport, formats: tuple[str, ...]) -> list[Path]:
    folder = directory(settings) / report.day.date.isoformat()
    html = render.html(report)
    out = []
    for fmt in formats:
        content = html.encode("utf-8") if fmt == "html" else render.pdf(report, html) if fmt == "pdf" else rendered(report, fmt)
        out.append(write(folder / file_name(report, fmt), content))
    return out


def message(report: DailyReport, html: str, pdf: bytes) -> EmailMessage:
    """Plain-text headlines, the HTML report as the alternative, the PDF attached."""
    msg = EmailMessage()
    states = ", ".join(f"{name.capitalize()} {site.headline.status}" for name, site in report.sites.items())
    msg["Subject"] = f"Infrastructure status {report.day.date}: {states}" + (" (so far)" if report.day.partial else "")
    msg["Message-ID"] = make_msgid(domain="netops.invalid")
    msg.set_content(render.headlines(report))
    msg.add_alternative(html, subtype="html")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=file_name(report, "pdf"))
    return msg


@dataclass(frozen=True)
class SendResult:
    delivery: Delivery
    files: tuple[Path, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"recipients": list(self.delivery.recipients), "server": self.delivery.server,
                "attempts": self.delivery.attempts, "files": [str(f) for f in self.files]}


def send_report(settings: Settings, report: DailyReport, mail: MailSettings) -> SendResult:
    """Keep the HTML, PDF and JSON in the report directory, then mail them; every attempt is recorded. A failed
    send raises :class:`MailError` after the retries, the files staying where they are for a send by hand."""
    with recorded(settings, "report", report.day.date.isoformat()) as entry:  # a failed send is recorded failed
        entry.detail = {"date": report.day.date.isoformat(), "sites": list(report.sites),
                        "formats": ["html", "pdf", "json"], "sent_to": list(mail.to)}
        files = _keep(settings, report, ("html", "pdf", "json"))
        entry.detail["files"] = [f.name for f in files]
        delivery = _send(settings, report, mail, files)
        entry.detail |= {"sent_to": list(delivery.recipients), "server": delivery.server, "attempts": delivery.attempts}
    watch_deadline(settings)  # clears a "report not sent" alert
    return SendResult(delivery, tuple(files))


def _send(settings: Settings, report: DailyReport, mail: MailSettings, files: list[Path]) -> Delivery:
    html, pdf = files[0].read_text(encoding="utf-8"), files[1].read_bytes()
    sites = ",".join(report.sites)
    stamp = _now(None).isoformat(timespec="seconds")
    try:
        delivery = send(mail, message(report, html, pdf))
    except MailError as exc:
        with closing(deliveries.open_db(settings.data_dir)) as conn:
            deliveries.record(conn, deliveries.DeliveryRecord(
                report.day.date.isoformat(), sites, stamp, deliveries.FAILED, mail.to, mail.describe(), mail.retries + 1,
                None, str(exc), tuple(str(f) for f in files)))
        raise MailError(f"{exc}; the report is kept in {files[0].parent}") from None
    with closing(deliveries.open_db(settings.data_dir)) as conn:
        deliveries.record(conn, deliveries.DeliveryRecord(
            report.day.date.isoformat(), sites, stamp, deliveries.SENT, delivery.recipients, delivery.server,
            delivery.attempts, delivery.message_id, None, tuple(str(f) for f in files)))
    return delivery


@dataclass(frozen=True)
class ReportStatus:
    """Whether the report of ``date`` went out, and whether it is late."""

    date: dt.date
    deadline: dt.datetime
    sent: deliveries.DeliveryRecord | None  # the last successful delivery
    last_failure: deliveries.DeliveryRecord | None  # the last failed attempt after the last successful one
    overdue: bool  # past the deadline and not sent

    def to_dict(self) -> dict[str, Any]:
        def rec(r: deliveries.DeliveryRecord | None) -> dict[str, Any] | None:
            return None if r is None else {"time": r.time, "recipients": list(r.recipients), "server": r.server,
                                           "attempts": r.attempts, "error": r.error, "files": list(r.files)}

        return {"date": self.date.isoformat(), "deadline": self.deadline.isoformat(timespec="minutes"),
                "sent": rec(self.sent), "last_failure": rec(self.last_failure), "overdue": self.overdue}


def watch_deadline(settings: Settings, now: dt.datetime | None = None) -> ReportStatus | None:
    """Raise the ``report_not_sent`` alert once the day's deadline passed without a sent report, clear it once the
    report went out (delivered through the alert targets). Never raises: a poll loop calls it."""
    try:
        state = status(settings, now=now)
        if state.overdue or state.sent is not None:
            late = f"the daily report of {state.date} was not sent by {state.deadline:%H:%M %Z}"
            if state.last_failure is not None:
                late += f" (last attempt: {state.last_failure.error})"
            alerts.report_overdue(settings, state.overdue, late if state.overdue else f"the daily report of {state.date} went out")
        return state
    except Exception as exc:  # an alert hook must not stop its caller
        log.warning("warning: report deadline not checked: %s", exc)
        return None


def status(settings: Settings, date: dt.date | None = None, now: dt.datetime | None = None) -> ReportStatus:
    moment = _now(now)
    date = date or moment.astimezone(settings.zone).date()
    deadline = dt.datetime.combine(date, options(settings).deadline, tzinfo=settings.zone)
    with closing(deliveries.open_db(settings.data_dir)) as conn:
        rows = deliveries.deliveries(conn, date)
    sent = next((r for r in reversed(rows) if r.status == deliveries.SENT), None)
    failure = next((r for r in reversed(rows) if r.status == deliveries.FAILED and (sent is None or r.time > sent.time)), None)
    return ReportStatus(date, deadline, sent, failure, sent is None and moment >= deadline)
