"""The daily report as HTML (one self-contained file), PDF (from that HTML, by WeasyPrint), Markdown, JSON and
the plain-text headlines a mail carries."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from netops import __version__, defaults
from netops.policy.findings import SEVERITIES
from netops.report import charts
from netops.report.model import DailyReport, FindingRow

FORMATS = ("html", "pdf", "json", "md")


@cache
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(defaults.path("report"))), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    return env


def _duration(seconds: float) -> str:
    return f"{seconds / 60:g} min" if seconds < 3600 else f"{seconds / 3600:g} h"


def _colour(diff: str) -> Markup:
    lines = []
    for line in diff.splitlines():
        css = "hunk" if line.startswith("@@") else "add" if line.startswith("+") else "del" if line.startswith("-") else ""
        lines.append(Markup(f'<span class="{css}">{escape(line)}</span>') if css else escape(line))
    return Markup("\n").join(lines)


def _findings(rows: list[FindingRow]) -> Markup:
    head = "<table><tr><th>severity</th><th>campus</th><th>host</th><th>rule</th><th>object</th><th>detail</th></tr>"
    body = "".join(
        f'<tr><td><span class="badge {escape(f.severity)}">{escape(f.severity)}</span></td><td>{escape(f.site)}</td>'
        f"<td>{escape(f.host)}</td><td>{escape(f.rule)}</td><td>{escape(f.object)}</td><td>{escape(f.message)}</td></tr>"
        for f in rows)
    return Markup(head + body + "</table>")


def html(report: DailyReport) -> str:
    zone = report.zone
    start, end = report.day.start.timestamp(), report.day.end.timestamp()

    def when(moment: dt.datetime) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")

    def clock(ts: float) -> str:
        return dt.datetime.fromtimestamp(ts, dt.timezone.utc).astimezone(zone).strftime("%H:%M")

    def short(text: str | None) -> str:
        if not text:
            return ""
        return dt.datetime.fromisoformat(text).astimezone(zone).strftime("%d %b %H:%M")

    sites = list(report.sites)
    return _environment().get_template("daily.html.j2").render(
        r=report, css=Markup(defaults.path("report", "daily.css").read_text(encoding="utf-8")), version=__version__,
        title_sites=", ".join(s.capitalize() for s in sites) or "no site",
        strips={name: Markup(charts.strip(site.availability.devices + site.availability.aps, start, end, zone))
                for name, site in report.sites.items()},
        charts={name: Markup(charts.clients(site.wifi.ssids, zone, report.day.start, report.day.end))
                for name, site in report.sites.items() if site.wifi.ssids},
        severities=SEVERITIES, pct=lambda v: "no data" if v is None else f"{v:.2f} %", gap=_duration(report.gap),
        when=when, clock=clock, short=short, colour=_colour, findings=_findings,
    )


def pdf(report: DailyReport, rendered_html: str | None = None) -> bytes:
    """The HTML laid out on A4 by WeasyPrint: the same content and charts, no second layout."""
    from weasyprint import HTML

    return bytes(HTML(string=rendered_html or html(report)).write_pdf())


def as_json(report: DailyReport) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def headlines(report: DailyReport) -> str:
    """The plain-text part of the mail: what a reader who reads nothing else needs."""
    lines = [f"Infrastructure status {report.day.date} ({report.day.zone})", ""]
    for name, site in report.sites.items():
        a = site.availability
        lines.append(f"{name.capitalize()}: {site.headline.status.upper()} - {site.headline.reason}")
        lines.append(f"  availability: devices {_pct(a.devices_percent)}, APs {_pct(a.aps_percent)}; "
                     f"backups failed {site.backups_failed}, stale {site.backups_stale}")
    c = report.compliance
    if c.run is not None:
        lines += ["", f"Findings: {len(c.active)} active, {len(c.new)} new today, {len(c.resolved)} resolved today"]
    if report.version_changes:
        lines += ["", f"Software version changes: {len(report.version_changes)} ("
                  + ", ".join(f"{v.host} {v.old} -> {v.new}" for v in report.version_changes[:5])
                  + (", ..." if len(report.version_changes) > 5 else "") + ")"]
    lines += ["", f"Configuration changes: {len(report.config_changes)}; alerts: {len(report.alerts)}",
              "The full report is attached (PDF) and in the HTML part of this mail."]
    if report.day.partial:
        lines.insert(1, f"(the day so far, up to {report.day.end:%H:%M})")
    return "\n".join(lines) + "\n"


def markdown(report: DailyReport) -> str:
    zone = report.zone
    out = [f"# Infrastructure status {report.day.date}", "",
           f"Period {report.day.start:%Y-%m-%d %H:%M} to {report.day.end:%Y-%m-%d %H:%M} ({report.day.zone})"
           + (" - the day so far" if report.day.partial else ""), ""]
    out += ["| campus | state | reason | devices | APs |", "|---|---|---|---|---|"]
    for name, site in report.sites.items():
        a = site.availability
        out.append(f"| {name} | {site.headline.status} | {site.headline.reason} | {_pct(a.devices_percent)} | {_pct(a.aps_percent)} |")
    out += ["", "## Downtime", ""]
    down = [(e, s, t) for site in report.sites.values() for e, s, t in site.availability.down()]
    if down:
        out += ["| host | from | to | minutes |", "|---|---|---|---|"]
        for e, s, t in sorted(down, key=lambda d: d[1]):
            out.append(f"| {e.name} | {_clock(s, zone)} | {_clock(t, zone)} | {(t - s) / 60:.0f} |")
    else:
        out.append(report.missing.get("availability", "none"))
    out += ["", "## Backups", ""]
    bad = [b for b in report.backups if b.status != "ok"]
    out.append(f"{len(report.backups) - len(bad)} of {len(report.backups)} devices have a good backup for the day.")
    for b in bad:
        out.append(f"- {b.host} ({b.site}): {b.status}{': ' + b.reason if b.reason else ''}")
    firsts = [ch.host for ch in report.config_changes if ch.first]
    if firsts:
        out.append(f"First backup stored for {len(firsts)} device(s): {', '.join(firsts)}.")
    for ch in report.config_changes:
        if not ch.first:
            out += ["", f"### {ch.host} at {ch.time}", "", "```diff", ch.diff.rstrip("\n"), "```"]
    out += ["", "## Software versions", ""]
    if report.version_changes:
        out += ["| time | host | site | old | new |", "|---|---|---|---|---|"]
        out += [f"| {v.time} | {v.host}{f' (AP of {v.controller})' if v.controller else ''} | {v.site} | {v.old} | {v.new} |"
                for v in report.version_changes]
    else:
        out.append("no version change recorded today (netops inventory facts)")
    out += ["", "## Compliance", ""]
    c = report.compliance
    if c.run is None:
        out.append(report.missing.get("compliance", "no check run"))
    else:
        out.append(f"Active: {', '.join(f'{n} {s}' for s, n in c.by_severity().items()) or 'none'}; "
                   f"new today {len(c.new)}; resolved today {len(c.resolved)}.")
        for label, rows in (("New", c.new), ("Resolved", c.resolved)):
            for f in rows:
                out.append(f"- {label}: [{f.severity}] {f.rule} {f.host} {f.object}: {f.message}")
    for w in report.waivers_expiring:
        out.append(f"- Waiver {w.rule} {w.host or 'any'} {w.object or ''} expires {w.expires}: {w.reason}")
    out += ["", "## Wi-Fi", ""]
    for name, site in report.sites.items():
        peaks = ", ".join(f"{s.ssid} {s.peak}" for s in site.wifi.ssids) or "no client counts"
        out.append(f"- {name}: APs down {', '.join(site.wifi.aps_down) or 'none'}; peak clients {peaks}")
    out += ["", "## Alerts", ""]
    out += [f"- {a.time} {a.state} {a.host} {a.kind}: {a.message}" for a in report.alerts] or ["none"]
    return "\n".join(out) + "\n"


def _pct(value: float | None) -> str:
    return "no data" if value is None else f"{value:.2f} %"


def _clock(ts: float, zone: dt.tzinfo) -> str:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).astimezone(zone).strftime("%H:%M")
