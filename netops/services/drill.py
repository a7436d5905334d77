"""Disaster-recovery drills: readiness of a campus (anywhere), and in the lab a measured wipe-and-rebuild."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from netops import plugins
from netops.backup.fetch import FetchOptions
from netops.backup.run import backs_up
from netops.dr import evidence
from netops.dr.drill import DeviceDrill, Drill, finish, new_drill, preflight, run_drill
from netops.errors import InputError
from netops.files import write_atomic
from netops.inventory import Filters, open_nornir
from netops.locks import job_lock
from netops.results import DeviceResult, Status
from netops.services import backup, snapshot, vault
from netops.services.audit import recorded
from netops.services.events import Finished, Listener, Started, ignore
from netops.settings import Settings

PRODUCTION_FLAG = "--i-understand-this-wipes-production"


def drill(settings: Settings, site: str, identity: Path, lab: bool, production: bool = False,
          options: FetchOptions = FetchOptions(), workers: int = 8, on_event: Listener = ignore,
          snapshots: bool = True) -> Drill:
    """Drill ``site``. In the lab (``lab``): wipe every ready device, rebuild all in parallel, verify, measure.
    Anywhere else only with ``production`` set, and then only a dry run of the readiness checks.

    A lab drill snapshots the devices it wipes before the wipe and after the rebuild (``drill-<site>-<UTC stamp>-
    before``/``-after``) and keeps the diff in the drill's ``state`` (unless ``snapshots`` is off); a snapshot
    failure is reported there and never fails the drill."""
    if not lab and not production:
        raise InputError(f"a drill wipes every device of the campus: only in the lab (--lab); on real devices "
                         f"{PRODUCTION_FLAG} runs a dry run that checks each device has a backup, vault secrets "
                         "and a rebuild method, and wipes nothing", key="--lab")
    if not identity.is_file():
        raise InputError(f"{identity}: no such identity file", key="--identity")
    if lab:
        settings = settings.override(lab=True)
    nr = backs_up(open_nornir(settings, Filters.of(sites=[site]), workers=workers))
    if not nr.inventory.hosts:
        raise InputError(f"no SSH-managed device at site {site!r}", key="--site")
    wipes = None
    if lab:
        wipes = next((m for m in plugins.active_modes(settings) if isinstance(m, plugins.Wipes)), None)
        if wipes is None:
            raise InputError("lab mode cannot wipe devices here (the lab plugin has no wipe)", key="--lab")
    repo = backup.store(settings)
    with job_lock(settings.data_dir, "backup", f"netops dr drill --site {site}"), \
            recorded(settings, "drill", site, changing=lab) as entry:  # a lab drill wipes and rebuilds devices
        states = {s.host: s.last_success for s in backup.states(settings, 0, Filters.of(sites=[site]))}
        devices = preflight(nr, repo, identity, states, datetime.now(timezone.utc))
        report = new_drill(site, lab, identity, devices)
        if wipes is None:
            done = finish(report, None)
        else:
            runner = wipes
            ready = [d.host for d in devices if d.ready]
            on_event(Started("rebuild", tuple(ready)))
            with snapshot.around(settings, f"drill-{snapshot.safe_name(site)}", ready, f"drill {site}",
                                 enabled=snapshots) as around:
                rto = run_drill(nr, repo, identity, devices, lambda names: runner.wipe(settings, names), options, workers,
                                lambda d: on_event(Finished(_result(d))))
            done = finish(report, rto)
            if snapshots:
                done.state = around.to_dict()
        summary = done.to_dict()
        entry.detail = {k: summary[k] for k in ("mode", "devices_total", "devices_verified", "rto_seconds", "rpo_seconds")}
        entry.detail["not_ok"] = [d.host for d in done.devices if not (d.verified if lab else d.ready)]
        entry.result = "ok" if done.ok else f"failed: {len(entry.detail['not_ok'])} device(s) not " + \
            ("verified" if lab else "ready")
    return done


def _result(device: DeviceDrill) -> DeviceResult[DeviceDrill]:
    if device.verified:
        return DeviceResult(device.host, Status.OK, f"verified in {device.rto_seconds or 0:.1f}s", payload=device)
    return DeviceResult(device.host, Status.FAILED, device.reason or "not verified", payload=device)


def keep(settings: Settings, report: Drill, out_dir: Path | None = None) -> list[Path]:
    """Write the evidence (JSON and HTML) to ``out_dir`` (default: ``<data dir>/dr``); the files."""
    folder = out_dir or settings.data_dir / "dr"
    stem = f"drill-{report.site}-{report.started.replace(':', '').replace('+0000', 'Z')}"
    return [write_atomic(folder / f"{stem}.json", evidence.as_json(report)),
            write_atomic(folder / f"{stem}.html", evidence.html(report))]


@dataclass(frozen=True)
class DrillSummary:
    """The newest drill of a site, as its evidence file says."""

    site: str
    mode: str  # "lab" or "dry-run"
    finished: datetime
    ok: bool
    devices: int
    verified: int
    rto_seconds: float | None
    evidence: Path


@dataclass(frozen=True)
class DrState:
    """What the dashboard shows of disaster recovery: the vault's coverage and the newest drill per site."""

    vault_on: bool
    stored: int  # devices whose secrets the vault holds
    devices: int  # devices in the backup repository
    flagged: int  # devices `netops vault status` flags
    drills: tuple[DrillSummary, ...]


def latest(settings: Settings) -> list[DrillSummary]:
    """The newest drill evidence of each site under ``<data dir>/dr``, by site; unreadable files are skipped."""
    newest: dict[str, DrillSummary] = {}
    for path in sorted((settings.data_dir / "dr").glob("drill-*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            summary = DrillSummary(doc["site"], doc["mode"], datetime.fromisoformat(doc["finished"]), bool(doc["ok"]),
                                   int(doc["devices_total"]), int(doc["devices_verified"]), doc.get("rto_seconds"), path)
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if summary.site not in newest or summary.finished >= newest[summary.site].finished:
            newest[summary.site] = summary
    return [newest[s] for s in sorted(newest)]


def state(settings: Settings) -> DrState:
    held = vault.status(settings)
    return DrState(held.enabled, sum(1 for d in held.devices if d.stored), len(held.devices), len(held.flagged),
                   tuple(latest(settings)))
