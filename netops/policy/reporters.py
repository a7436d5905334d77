"""Render a check result as a terminal table, JSON, JUnit XML or a self-contained HTML report."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from netops.policy.findings import SEVERITIES, CheckResult, Finding, severity_rank
from netops.styles import SEVERITY_STYLE

FORMATS = ("table", "json", "junit", "html")


def _by_site(findings: list[Finding]) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in sorted(findings, key=lambda f: (f.site, f.waived, severity_rank(f.severity), f.rule, f.host, f.object)):
        groups[f.site or "(no site)"].append(f)
    return dict(groups)


def _counts(findings: list[Finding]) -> str:
    active = [f for f in findings if not f.waived]
    parts = [f"{sum(f.severity == s for f in active)} {s}" for s in SEVERITIES if any(f.severity == s for f in active)]
    waived = len(findings) - len(active)
    return (", ".join(parts) or "no active finding") + (f", {waived} waived" if waived else "")


def render_table(meta: dict[str, Any], result: CheckResult, console: Console) -> None:
    """Findings grouped by site, most severe first; waived ones last and dimmed; then notices."""
    for site, findings in _by_site(result.findings).items():
        table = Table(title=f"{site}: {_counts(findings)}", title_justify="left", expand=False, show_lines=False)
        for col in ("severity", "rule", "host", "object", "expected vs actual"):
            table.add_column(col, overflow="fold")
        for f in findings:
            style = "dim" if f.waived else None
            sev = Text(f"{f.severity} (waived)") if f.waived else Text(f.severity, style=SEVERITY_STYLE[f.severity])
            message = "\n".join(str(d) for d in f.details)
            if f.waiver:
                message += f"\nwaiver: {f.waiver}"
            table.add_row(sev, Text(f.rule), Text(f.host), Text(f.object), Text(message), style=style)
        console.print(table)
    for notice in result.notices:
        console.print(Text.assemble(("notice", "yellow"), f" [{notice.kind}] {notice}"), soft_wrap=True)
    s = result.summary()
    console.print(
        f"run {meta.get('id', '-')}: {s['hosts']} configurations, {s['rules']} rules, "
        f"{s['active']} active findings, {s['waived']} waived, {s['notices']} notices",
        highlight=False,
    )


def render_json(meta: dict[str, Any], result: CheckResult) -> str:
    return json.dumps(
        {
            "run": meta,
            "summary": result.summary(),
            "findings": [f.to_dict() for f in result.findings],
            "notices": [n.to_dict() for n in result.notices],
            "rules": [vars(r) for r in result.rules],
        },
        indent=2,
        default=str,
    ) + "\n"


def render_junit(meta: dict[str, Any], result: CheckResult) -> str:
    """One testsuite per rule, one testcase per finding (waived = skipped); a clean rule is one passing case."""
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_rule[f.rule].append(f)
    root = ET.Element("testsuites", name="netops check")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for stats in result.rules:
        findings = by_rule.get(stats.rule, [])
        suite = ET.SubElement(root, "testsuite", name=f"{stats.rule} {stats.title}")
        counts = {"tests": max(len(findings), 1), "failures": sum(not f.waived for f in findings), "skipped": sum(f.waived for f in findings)}
        for f in findings:
            case = ET.SubElement(suite, "testcase", classname=f"netops.policy.{f.rule}", name=f"{f.host} {f.object}")
            if f.waived:
                ET.SubElement(case, "skipped", message=f"waived: {f.waiver}")
            else:
                failure = ET.SubElement(case, "failure", type=f.severity, message=f.message)
                failure.text = "\n".join(str(d) for d in f.details) + (f"\nexpired waiver: {f.waiver}" if f.waiver else "")
        if not findings:
            ET.SubElement(suite, "testcase", classname=f"netops.policy.{stats.rule}", name=f"{stats.checked} objects compliant")
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    if result.notices:
        suite = ET.SubElement(root, "testsuite", name="notices", tests=str(len(result.notices)), failures="0", skipped="0")
        totals["tests"] += len(result.notices)
        for notice in result.notices:
            case = ET.SubElement(suite, "testcase", classname=f"netops.notice.{notice.kind}", name=notice.host or notice.rule or notice.kind)
            ET.SubElement(case, "system-out").text = str(notice)
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
h1{margin-bottom:.2rem} .meta{color:#666;margin-bottom:1.5rem}
.cards{display:flex;gap:.8rem;margin:1rem 0}
.card{padding:.6rem 1rem;border-radius:6px;color:#fff;min-width:6rem;text-align:center}
.card b{display:block;font-size:1.6rem}
.critical{background:#b00020}.high{background:#e65100}.medium{background:#c49000}.low{background:#00838f}.info{background:#607d8b}
.waived-card{background:#9e9e9e}
table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}
th,td{border:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.92rem}
th{background:#f3f3f3} tr.waived td{color:#888}
.sev{color:#fff;border-radius:4px;padding:0 .4rem;font-size:.8rem}
ul{margin:0;padding-left:1.1rem}
"""


def render_html(meta: dict[str, Any], result: CheckResult) -> str:
    """A single HTML file (inline CSS, no scripts, no external resources) a manager can open."""
    def e(value: Any) -> str:
        return html.escape(str(value))

    s = result.summary()
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>netops compliance report</title>',
        f"<style>{_CSS}</style></head><body>",
        "<h1>Wi-Fi and VLAN compliance</h1>",
        f'<div class="meta">run {e(meta.get("id", "-"))} · {e(meta.get("finished") or meta.get("started") or "")} · '
        f'policy {e(meta.get("policy") or "")} · {s["hosts"]} configurations · {s["rules"]} rules</div>',
        '<div class="cards">',
    ]
    for sev in SEVERITIES:
        out.append(f'<div class="card {sev}"><b>{s["by_severity"][sev]}</b>{sev}</div>')
    out.append(f'<div class="card waived-card"><b>{s["waived"]}</b>waived</div></div>')
    for site, findings in _by_site(result.findings).items():
        out.append(f"<h2>{e(site.capitalize())}: {e(_counts(findings))}</h2>")
        out.append("<table><tr><th>severity</th><th>rule</th><th>host</th><th>object</th><th>expected vs actual</th></tr>")
        for f in findings:
            details = "".join(f"<li>{e(d)}</li>" for d in f.details)
            if f.waiver:
                details += f"<li><i>waiver: {e(f.waiver)}</i></li>"
            out.append(
                f'<tr class="{"waived" if f.waived else ""}"><td><span class="sev {f.severity}">{e(f.severity)}</span>'
                f'{" waived" if f.waived else ""}</td><td>{e(f.rule)}<br><small>{e(f.title)}</small></td>'
                f"<td>{e(f.host)}</td><td>{e(f.object)}</td><td><ul>{details}</ul></td></tr>"
            )
        out.append("</table>")
    if not result.findings:
        out.append("<p>No finding: every checked object complies.</p>")
    if result.notices:
        out.append("<h2>Notices</h2><ul>")
        out += [f"<li><b>{e(n.kind)}</b> {e(n)}</li>" for n in result.notices]
        out.append("</ul>")
    out.append("<h2>Rules</h2><table><tr><th>rule</th><th>severity</th><th>title</th><th>source</th><th>objects checked</th></tr>")
    for r in result.rules:
        sources = "".join(f"<li>{e(src)}</li>" for src in r.source)
        out.append(
            f"<tr><td>{e(r.rule)}</td><td>{e(r.severity)}</td><td>{e(r.title)}</td><td><ul>{sources}</ul></td><td>{r.checked}</td></tr>"
        )
    out.append("</table></body></html>")
    return "\n".join(out) + "\n"


RENDERERS: dict[str, Callable[[dict[str, Any], CheckResult], str]] = {
    "json": render_json,
    "junit": render_junit,
    "html": render_html,
}
