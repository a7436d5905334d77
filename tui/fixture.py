"""A :class:`tui.source.Source` read from one JSON file.

For snapshot tests, screenshots in the docs and demos without a lab: the same
file always renders the same screen. Jobs take ``job_delay`` seconds per device
(and report exactly that as the elapsed time) with the status the file gives
for that host (``ok`` otherwise).
"""

from __future__ import annotations

import difflib
import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.records import (
    AccessPoint,
    Alert,
    Device,
    DeviceDetail,
    Finding,
    Interface,
    JobUpdate,
    RestorePreview,
    Revision,
    Segregation,
    Snapshot,
    Ssid,
    Waiver,
)
from tui.source import JobKind, Report


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _dated(raw: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: (_when(v) if k in keys else v) for k, v in raw.items()}


class FixtureSource:
    def __init__(self, path: Path, job_delay: float = 0.0) -> None:
        self.raw = json.loads(Path(path).read_text(encoding="utf-8"))
        self.job_delay = job_delay

    def snapshot(self) -> Snapshot:
        r = self.raw
        return Snapshot(
            taken=_when(r["taken"]),
            devices=tuple(Device(**_dated(d, "last_backup")) for d in r.get("devices", [])),
            findings=tuple(Finding(**f) for f in r.get("findings", [])),
            waivers=tuple(Waiver(**_dated(w, "expires")) for w in r.get("waivers", [])),
            ssids=tuple(Ssid(**(s | {"vlans": tuple(s["vlans"])})) for s in r.get("ssids", [])),
            aps=tuple(AccessPoint(**a) for a in r.get("aps", [])),
            segregation=tuple(
                Segregation(**(s | {"port_vlans": tuple(s["port_vlans"]), "wlan_vlans": tuple(s["wlan_vlans"])}))
                for s in r.get("segregation", [])
            ),
            alerts=tuple(Alert(**_dated(a, "since")) for a in r.get("alerts", [])),
            missing=dict(r.get("missing", {})),
        )

    def detail(self, host: str) -> DeviceDetail:
        snap = self.snapshot()
        device = next(d for d in snap.devices if d.name == host)
        raw = self.raw.get("details", {}).get(host, {})
        return DeviceDetail(
            device=device,
            facts=dict(raw.get("facts", {})),
            interfaces=self.interfaces(host),
            revisions=tuple(Revision(**_dated(r, "date")) for r in raw.get("revisions", [])),
            findings=tuple(f for f in snap.findings if f.host == host),
            missing=dict(raw.get("missing", {})),
        )

    def interfaces(self, host: str) -> tuple[Interface, ...]:
        raw = self.raw.get("details", {}).get(host, {})
        return tuple(Interface(**i) for i in raw.get("interfaces", []))

    def diff(self, host: str, old: str, new: str) -> str:
        configs = self.raw["details"][host]["configs"]
        lines = difflib.unified_diff(
            configs[old].splitlines(keepends=True), configs[new].splitlines(keepends=True),
            fromfile=f"{host}@{old}", tofile=f"{host}@{new}",
        )
        return "".join(lines)

    def restore_preview(self, host: str, rev: str) -> RestorePreview:
        raw = self.raw["details"][host].get("restore", {})
        return RestorePreview(host, rev, tuple(raw.get("commands", [])), tuple(raw.get("manual", [])))

    def run_job(self, kind: JobKind, hosts: list[str], report: Report, rev: str | None = None) -> None:
        outcomes = self.raw.get("jobs", {}).get(kind, {})
        for host in hosts:
            time.sleep(self.job_delay)
            status, reason = outcomes.get(host, ["ok", None])
            report(JobUpdate(host, status, reason, self.job_delay))
