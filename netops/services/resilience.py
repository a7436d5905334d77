"""``netops resilience audit`` and ``whatif``: the campus model from the stored backups (or any snapshot:
a directory of configurations and neighbour tables, an inventory, a topology), its single points of
failure, the redundancy rules' findings, and the impact of failures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from netops.errors import InputError
from netops.inventory.hosts import HostInfo
from netops.policy import waivers
from netops.policy.configs import find_configs, parse_texts, read_files
from netops.policy.engine import check
from netops.policy.findings import Finding, Notice, RuleStats, report_order
from netops.resilience import audit as spof
from netops.resilience import whatif as impact
from netops.resilience.campus import Campus
from netops.resilience.links import Link
from netops.services import check as checks
from netops.services import inventory
from netops.services.campus import campus_inputs, topology_of
from netops.services.events import Listener, ignore, steps
from netops.settings import Settings


@dataclass(frozen=True)
class ResilienceOptions:
    site: str | None = None
    configs: Path | None = None  # <host>.cfg and <host>.neighbors files; None: the backup repository


@dataclass
class Audit:
    """What ``netops resilience audit`` returns."""

    single_points: list[spof.SinglePoint]
    findings: list[Finding]
    notices: list[Notice]
    devices: dict[str, str]  # device -> core / spof / single-homed / redundant
    rules: list[RuleStats]
    configurations: int  # how many were read
    links: list[Link]
    clients_known: bool
    waived: int = 0
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "single_points_of_failure": [p.to_dict() for p in self.single_points],
            "findings": [f.to_dict() for f in self.findings],
            "notices": [n.to_dict() for n in self.notices],
            "devices": [{"device": d, "state": s} for d, s in sorted(self.devices.items())],
            "links": [lk.to_dict() for lk in self.links],
            **self.meta,
        }


def _site_hosts(settings: Settings, site: str | None) -> dict[str, HostInfo]:
    hosts = inventory.hosts(settings)
    if site is None:
        return hosts
    chosen = {n: h for n, h in hosts.items() if h.site == site}
    if not chosen:
        known = ", ".join(sorted({h.site for h in hosts.values()}))
        raise InputError(f"no device of site {site!r} in the inventory (sites: {known})", key="--site")
    return chosen


def campus(settings: Settings, options: ResilienceOptions = ResilienceOptions(), on_event: Listener = ignore) -> tuple[Campus, list[Notice], str]:
    """The campus model of ``options.site`` (default every site), the notices on its inputs, and where they came from."""
    hosts = _site_hosts(settings, options.site)
    directory = options.configs or settings.backup_dir
    files = {h: p for h, p in find_configs(directory).items() if h in hosts}
    advance = steps(on_event)("reading configurations", len(files))
    configs, notices = parse_texts(hosts, read_files(files), advance)
    inputs, more = campus_inputs(settings, hosts, configs, directory)
    return Campus(inputs), notices + more, str(directory)


def run_audit(settings: Settings, options: ResilienceOptions = ResilienceOptions(), on_event: Listener = ignore) -> Audit:
    """Single points of failure and the redundancy rules' findings (waivers applied) of the campus."""
    model, notices, origin = campus(settings, options, on_event)
    loaded = checks.policy(settings)
    rules = replace(loaded, rules=[r for r in loaded.rules if r.kind == "redundancy"])
    if not rules.rules:
        notices.append(Notice("no-rules", f"{loaded.label}: no redundancy rules; only single points of failure are listed"))
    evaluated = check(rules, model.hosts, model.configs, model)
    findings, used = waivers.apply(rules.waivers, list(evaluated.findings), dt.date.today())
    findings.sort(key=report_order)
    points = spof.single_points(model)
    notices += evaluated.notices
    return Audit(
        single_points=points, findings=findings, notices=notices, devices=spof.summary(model, points), rules=evaluated.rules,
        configurations=len(model.configs), links=model.links,
        clients_known=model.clients is not None, waived=sum(f.waived for f in findings),
        meta={"site": options.site, "configs": origin, "topology": str(path) if (path := topology_of(settings)) else None},
    )


def run_whatif(
    settings: Settings, devices: list[str], links: list[str], options: ResilienceOptions = ResilienceOptions(),
    on_event: Listener = ignore,
) -> impact.Impact:
    """What stops working when ``devices`` and ``links`` (``A:IF-B:IF``) fail together."""
    model, _, _ = campus(settings, options, on_event)
    failed = [impact.device(model, name) for name in devices]
    cut = [impact.link(model, spec) for spec in links]
    return impact.whatif(model, failed, cut)
