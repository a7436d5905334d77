"""The words of an alert message: a mail subject and body, a webhook's JSON, a one-line summary.

A message carries one alert, or a digest of several when the rate limit is reached; a test message
carries none. Times are shown in the configured time zone (``timezone`` in netops.yaml).
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from netops import __version__
from netops.ages import short
from netops.notify.model import CLEARED, Alert, rank

SOURCE_NAMES = {"snmp": "SNMP polling", "backup": "configuration backup", "check": "policy check", "report": "daily report"}

# where to look, per source: commands an operator can run on the netops server
LOOK = {
    "snmp": ["netops status", "netops poll --once --host {host}"],
    "backup": ["netops backup status --host {host}", "netops backup --host {host}"],
    "check": ["netops check", "netops policy report"],
    "report": ["netops alerts list"],
}


@dataclass(frozen=True)
class Outgoing:
    """One message: one alert, a digest of several, or a test (no alert)."""

    alerts: tuple[Alert, ...]
    digest: bool = False
    test: bool = False
    limit: str = ""  # the rate limit, for a digest's words ("5 messages per 10m")

    @property
    def kind(self) -> str:
        return "test" if self.test else "digest" if self.digest else "single"

    @property
    def worst(self) -> Alert | None:
        """The most severe alert still raised (else the most severe one)."""
        raised = [a for a in self.alerts if a.state != CLEARED] or list(self.alerts)
        return min(raised, key=lambda a: rank(a.severity)) if raised else None


def server_name() -> str:
    return socket.gethostname() or "localhost"


def _offset(value: datetime) -> str:
    text = value.strftime("%z")
    return f"{text[:3]}:{text[3:]}" if len(text) == 5 else text


def local_time(value: datetime, zone: ZoneInfo) -> str:
    """``2026-12-04 20:31:05 IST (+05:30)``: the configured time zone, with its offset."""
    local = value.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M:%S} {local.tzname()} ({_offset(local)})"


def subject(out: Outgoing) -> str:
    """``[netops] RAISED critical device_down jmu-acc-2``; ``[netops] DIGEST 7 alerts (3 raised, 4 cleared)``."""
    if out.test:
        return f"[netops] TEST alert delivery from {server_name()}"
    if not out.digest:
        return f"[netops] {out.alerts[0].headline}"
    raised = sum(a.state != CLEARED for a in out.alerts)
    worst = out.worst
    top = f", worst {worst.severity} {worst.kind} {worst.label}" if worst is not None and raised else ""
    return f"[netops] DIGEST {len(out.alerts)} alerts ({raised} raised, {len(out.alerts) - raised} cleared){top}"


def summary(out: Outgoing) -> str:
    """One line: ``RAISED critical device_down jmu-acc-2: jmu-acc-2 does not answer SNMP (…)``."""
    if out.test:
        return f"TEST netops alert delivery from {server_name()}: this target works"
    if not out.digest:
        a = out.alerts[0]
        return f"{a.headline}: {a.message}"
    return f"DIGEST {len(out.alerts)} alerts (rate limit {out.limit}): " + "; ".join(a.headline for a in out.alerts)


def _block(a: Alert, zone: ZoneInfo) -> list[str]:
    lines = [
        f"what:    {a.kind} ({SOURCE_NAMES.get(a.source, a.source)}), severity {a.severity}",
        f"where:   {a.label}" + (f", site {a.site}" if a.site else ""),
    ]
    if a.state == CLEARED:
        lasted = short((a.time - a.raised_at).total_seconds())
        lines += [f"raised:  {local_time(a.raised_at, zone)}", f"cleared: {local_time(a.time, zone)} (lasted {lasted})"]
    else:
        lines.append(f"when:    {local_time(a.time, zone)}")
    return lines


def _look(alerts: Sequence[Alert]) -> list[str]:
    """The commands to run, once each; a command about hosts names them all (``--host a,b``)."""
    hosts_of: dict[str, list[str]] = {}
    for a in alerts:
        for command in LOOK.get(a.source, []):
            hosts = hosts_of.setdefault(command, [])
            if a.host and a.host not in hosts:
                hosts.append(a.host)
    commands = [c.format(host=",".join(hosts)) for c, hosts in hosts_of.items() if hosts or "{host}" not in c]
    commands += ["netops alerts history" + (f" --host {alerts[0].host}" if len(alerts) == 1 and alerts[0].host else ""),
                 "netops tui  (the dashboard)"]
    return [f"  {c}" for c in commands]


def body(out: Outgoing, zone: ZoneInfo) -> str:
    """Plain text: what, where, when, and how to look (commands on the netops server)."""
    footer = ["", "--", f"netops {__version__} on {server_name()}"]
    if out.test:
        return "\n".join([
            "This is a test message from netops (netops alerts test).",
            "Alerts raised and cleared on this server will arrive here the same way.",
            "",
            "How to look:",
            "  netops alerts list",
            "  netops alerts history",
            *footer]) + "\n"
    lines: list[str] = []
    if not out.digest:
        a = out.alerts[0]
        lines += [f"{a.state.upper()}: {a.message}", "", *_block(a, zone)]
    else:
        lines += [f"{len(out.alerts)} alert transitions are due, more than the rate limit ({out.limit}) leaves room "
                  "for: they come in this one message.", ""]
        for a in out.alerts:
            lines += [a.headline, f"  {a.message}", *(f"  {line}" for line in _block(a, zone)), ""]
        lines.pop()
    lines += ["", "How to look (on the netops server):", *_look(out.alerts), *footer]
    return "\n".join(lines) + "\n"


def payload(out: Outgoing) -> dict[str, Any]:
    """The webhook's JSON: ``text`` (what chat tools such as Mattermost or Slack show), then the fields."""
    base: dict[str, Any] = {"text": summary(out), "type": out.kind, "netops": server_name(), "version": __version__}
    if out.test:
        return base
    if out.digest:
        return base | {"count": len(out.alerts), "rate_limit": out.limit, "alerts": [a.to_dict() for a in out.alerts]}
    return base | {"alert": out.alerts[0].to_dict()}
