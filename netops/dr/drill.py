"""A disaster-recovery drill of one campus: check every device can be rebuilt, and in a lab wipe them all,
rebuild them in parallel from the latest good backup and the vault, verify each, and measure RPO and RTO.

RPO of a device: how old its latest good backup was when disaster struck (the changes a rebuild cannot
bring back). RTO of a device: from the disaster to its configuration restored and verified; the campus'
RTO is the longest of them, since every device is rebuilt at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from nornir.core import Nornir

from netops.backup.fetch import FetchOptions
from netops.backup.gitstore import GitStore
from netops.backup.rebuild import apply_rebuild, describe_failure, plan_rebuild
from netops.drivers import get_driver
from netops.errors import NetopsError
from netops.vault import secrets_at


@dataclass
class DeviceDrill:
    """One device in a drill: ready or not, and when rebuilt, how fast and how well."""

    host: str
    platform: str
    method: str  # "rebuild" (netops pushes it) or "manual" (a procedure a person follows)
    problems: list[str] = field(default_factory=list)  # why it could not be rebuilt (empty: ready)
    commit: str | None = None  # the revision it is rebuilt from
    backed_up: str | None = None  # its latest good backup (ISO 8601)
    rpo_seconds: float | None = None
    rto_seconds: float | None = None
    secrets: int = 0  # secret lines filled from the vault
    commands: list[str] = field(default_factory=list)  # pushed, secrets redacted
    verified: bool | None = None  # configuration and secrets match the revision
    reason: str | None = None  # what went wrong, when it did

    @property
    def ready(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return vars(self) | {"ready": self.ready}


@dataclass
class Drill:
    site: str
    lab: bool  # False: a dry run that only checks readiness
    started: str
    identity: str  # the identity file's name (never its content)
    devices: list[DeviceDrill]
    finished: str = ""
    rto_seconds: float | None = None  # the campus: disaster to the last device verified
    state: dict[str, Any] | None = None  # the snapshots before the wipe and after the rebuild, and their diff

    @property
    def ok(self) -> bool:
        if not self.lab:
            return all(d.ready for d in self.devices)
        return all(d.verified for d in self.devices)

    @property
    def rpo_seconds(self) -> float | None:
        values = [d.rpo_seconds for d in self.devices if d.rpo_seconds is not None]
        return max(values) if values else None

    def to_dict(self) -> dict[str, Any]:
        return {"site": self.site, "mode": "lab" if self.lab else "dry-run", "started": self.started,
                "finished": self.finished, "identity": self.identity, "ok": self.ok,
                "devices_total": len(self.devices), "devices_verified": sum(1 for d in self.devices if d.verified),
                "rto_seconds": self.rto_seconds, "rpo_seconds": self.rpo_seconds,
                "devices": [d.to_dict() for d in self.devices], "state": self.state}


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def preflight(nr: Nornir, store: GitStore, identity: Path, last_success: dict[str, datetime | None],
              now: datetime) -> list[DeviceDrill]:
    """Every SSH-managed device of ``nr``: has a backup, its vault secrets open with ``identity``, and a
    rebuild method. Nothing is sent to a device."""
    out = []
    known = set(store.hosts())
    for name, host in sorted(nr.inventory.hosts.items()):
        driver = get_driver(host.platform or "")
        device = DeviceDrill(name, driver.platform, "rebuild" if driver.can_rebuild else "manual")
        if not driver.can_rebuild:
            device.problems.append(f"netops does not rebuild {driver.platform}: `netops restore {name} --full` "
                                   "prints the manual procedure")
        if name not in known:
            device.problems.append("no backup")
        else:
            device.commit = store.resolve("HEAD")
            success = last_success.get(name)
            if success is not None:
                device.backed_up = _iso(success)
                device.rpo_seconds = round((now - success).total_seconds(), 1)
            else:
                device.problems.append("no successful backup recorded")
            try:
                device.secrets = len(secrets_at(store, name, device.commit, identity))
            except NetopsError as exc:
                device.problems.append(str(exc))
        out.append(device)
    return out


def run_drill(nr: Nornir, store: GitStore, identity: Path, devices: list[DeviceDrill],
              wipe: Callable[[list[str]], None], options: FetchOptions, workers: int = 8,
              on_device: Callable[[DeviceDrill], None] = lambda _d: None) -> float:
    """Wipe every ready device, rebuild them all at once, verify each; the campus RTO in seconds.

    Devices that are not ready are neither wiped nor touched."""
    ready = [d for d in devices if d.ready]
    struck = time.monotonic()
    wipe([d.host for d in ready])

    def rebuild(device: DeviceDrill) -> DeviceDrill:
        try:
            assert device.commit is not None
            plan = plan_rebuild(nr, store, device.host, device.commit, identity, options)
            done = apply_rebuild(nr, store, plan, options)
        except NetopsError as exc:
            device.verified, device.reason = False, str(exc)
        else:
            device.commands, device.verified = done.commands, bool(done.verified)
            device.reason = None if done.verified else describe_failure(done)
        device.rto_seconds = round(time.monotonic() - struck, 2)
        on_device(device)
        return device

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        list(pool.map(rebuild, ready))
    return round(time.monotonic() - struck, 2)


def new_drill(site: str, lab: bool, identity: Path, devices: list[DeviceDrill]) -> Drill:
    return Drill(site, lab, _iso(datetime.now(timezone.utc)), identity.name, devices)


def finish(drill: Drill, rto: float | None) -> Drill:
    drill.finished, drill.rto_seconds = _iso(datetime.now(timezone.utc)), rto
    return drill
