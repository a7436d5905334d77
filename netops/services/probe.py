"""Active checks: ``netops probe segregation``, ``dhcp`` and ``wifi``, each a run of findings.

Segregation and DHCP probes follow a probe plan (:mod:`netops.probe.plan`): the
configured file, the active mode's (the lab's namespace tier), or one derived
for a site from the inventory and the latest backups when given an interface.
Each run applies the policy's waivers once, is stored with the scopes it
covered (a later ``netops check`` takes, per scope, the newest observation)
and is returned as it was stored. A dry run sends nothing and stores nothing:
it lists the frames.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scapy.packet import Packet

from netops import plugins
from netops.errors import InputError, unknown
from netops.model import ParsedConfig
from netops.policy import waivers
from netops.policy.configs import find_configs, parse_texts, read_files
from netops.policy.findings import CheckResult, Finding, Notice, severity_rank
from netops.policy.policy import Policy
from netops.policy.store import open_db, save_run
from netops.probe import dhcp as dhcp_probe
from netops.probe import segregation as seg
from netops.probe import wifi as wifi_probe
from netops.probe.dot11 import Network, survey
from netops.probe.facts import InventoryFacts, served_ssids
from netops.probe.frames import Budget, DryWire, RawWire, Wire, describe
from netops.probe.plan import ProbePlan, Trunk, Vantage, derive, load_plan
from netops.probe.privileges import require_raw
from netops.services import check, inventory
from netops.services.events import Listener, Step, ignore
from netops.settings import Settings


@dataclass(frozen=True)
class PlanOptions:
    """Which plan a probe follows, and how it runs."""

    plan: Path | None = None  # a plan file (default: the configured one, else the active mode's)
    interface: str | None = None  # derive a plan for ``site`` on this interface instead
    site: str | None = None
    vantages: tuple[str, ...] = ()  # only these vantages / trunks
    wait: float = 1.0  # seconds to wait for answers after each burst
    dry_run: bool = False


@dataclass
class ProbeRun:
    """One probe run: what it found (waivers applied), what it noticed, and what it saw or would send."""

    source: str
    started: dt.datetime
    origin: str  # the plan, capture file or interface
    findings: list[Finding]
    notices: list[Notice]
    payload: dict[str, Any] = field(default_factory=dict)  # cells, offers or networks
    frames: list[str] = field(default_factory=list)  # dry run: every frame it would send
    run_id: int | None = None  # None: not stored (dry run)

    def failing(self, fail_on: str) -> list[Finding]:
        limit = severity_rank(fail_on)
        return [f for f in self.findings if not f.waived and severity_rank(f.severity) <= limit]

    def to_dict(self) -> dict[str, Any]:
        run = {"id": self.run_id, "source": self.source, "started": self.started.isoformat(), "origin": self.origin}
        out = {"run": run, **self.payload, "findings": [f.to_dict() for f in self.findings],
               "notices": [n.to_dict() for n in self.notices]}
        return out | ({"frames": self.frames} if self.frames or self.run_id is None else {})


def _backups(settings: Settings, hosts: dict[str, Any]) -> dict[str, ParsedConfig]:
    if not settings.backup_dir.is_dir():
        return {}
    parsed, _ = parse_texts(hosts, read_files(find_configs(settings.backup_dir)))
    return parsed


def plan_for(settings: Settings, options: PlanOptions, policy: Policy) -> ProbePlan:
    """The plan a probe follows (see :class:`PlanOptions`), narrowed to ``options.vantages``."""
    hosts = inventory.hosts(settings)
    if options.interface is not None:
        if options.site is None:
            raise InputError("a plan derived for --interface needs --site", key="--site")
        plan = derive(options.site, options.interface, policy.zones, hosts, _backups(settings, hosts))
    else:
        path = options.plan or settings.probe_plan or next(
            (p for m in plugins.active_modes(settings) if (p := m.probe_plan(settings)) is not None), None)
        if path is None:
            raise InputError("no probe plan: give --plan FILE (or probes.plan in netops.yaml), or --interface IFACE "
                             "--site SITE to derive one from the inventory and the backups "
                             "(in the lab, `netops lab up --netns` writes one)", key="--plan")
        plan = load_plan(path, policy.zones, _backups(settings, hosts))
    return plan.select(options.vantages) if options.vantages else plan


def _wires(plan: ProbePlan, options: PlanOptions, command: str) -> tuple[Any, list[tuple[str, Packet]]]:
    """A wire per vantage / trunk (real or dry) and the list a dry run records frames in."""
    sent: list[tuple[str, Packet]] = []
    budget = Budget(plan.max_frames)
    if not options.dry_run:
        require_raw(command, any(v.netns for v in plan.vantages) or any(t.netns for t in plan.trunks))

    def wire_for(where: Vantage | Trunk) -> Wire:
        if options.dry_run:
            return DryWire(where.interface, where.netns, sent, budget)
        if isinstance(where, Vantage):
            return RawWire(where.interface, where.netns, budget, None if where.owned else where.ip, where.tags)
        return RawWire(where.interface, where.netns, budget)

    return wire_for, sent


def _finish(settings: Settings, source: str, started: dt.datetime, policy: Policy, found: list[Finding],
            notices: list[Notice], scopes: list[str], hosts: int, origin: str, payload: dict[str, Any],
            sent: list[tuple[str, Packet]], dry: bool) -> ProbeRun:
    """Apply the waivers once, store the run (unless dry), return it as stored."""
    findings, _ = waivers.apply(policy.waivers, found, dt.date.today())
    run = ProbeRun(source, started, origin, findings, notices, payload, [f"{where}: {describe(frame)}" for where, frame in sent])
    if not dry:
        with closing(open_db(settings.data_dir)) as conn:
            run.run_id = save_run(conn, CheckResult(findings=findings, notices=notices, hosts=hosts), started=started,
                                  policy=policy.label, configs=origin, source=source, scopes=scopes)
    return run


def segregation(settings: Settings, options: PlanOptions = PlanOptions(), on_event: Listener = ignore) -> ProbeRun:
    """Zone x zone reachability from each vantage of the plan, and VLAN hopping through its trunks."""
    started = dt.datetime.now(dt.timezone.utc)
    loaded = check.policy(settings)
    plan = plan_for(settings, options, loaded)
    wire_for, sent = _wires(plan, options, "netops probe segregation")
    on_event(Step("probing zones", 0))
    result = seg.run_segregation(plan, loaded, wire_for, options.wait, options.dry_run)
    notices = [Notice("probe-plan", note) for note in plan.notes] + result.notices
    return _finish(settings, seg.SOURCE, started, loaded, result.findings, notices, result.scopes,
                   len(plan.vantages) + len(plan.trunks), plan.source, {"cells": result.to_dict()["cells"]}, sent,
                   options.dry_run)


def dhcp(settings: Settings, options: PlanOptions = PlanOptions(), vlan: int | None = None, timeout: float = 3.0,
         on_event: Listener = ignore) -> ProbeRun:
    """A DISCOVER from every vantage of the plan (``vlan``: tagged into that VLAN through the plan's trunks carrying
    it); a finding per offer from a server the inventory does not authorise there."""
    if timeout <= 0:
        raise InputError("--timeout must be positive", key="--timeout")
    started = dt.datetime.now(dt.timezone.utc)
    loaded = check.policy(settings)
    plan = plan_for(settings, options, loaded)
    if vlan is None:
        vantages = list(plan.vantages)
    else:
        vantages = [t.vantage(vlan) for t in plan.trunks if vlan in t.carried]
        if not vantages:
            raise unknown("VLAN carried by a trunk of the plan", str(vlan), [str(v) for t in plan.trunks for v in t.carried], key="--vlan")
    authorised = InventoryFacts.of(inventory.hosts(settings)).dhcp_servers
    wire_for, sent = _wires(plan, options, "netops probe dhcp")
    on_event(Step(f"DHCPDISCOVER from {len(vantages)} place(s), collecting offers for {timeout:g} s", 0))
    with ThreadPoolExecutor(8) as pool:
        probes = list(pool.map(lambda v: dhcp_probe.discover(v, wire_for(v), authorised.get(v.site, {}).get(v.vlan, []), timeout),
                               vantages))
    findings: list[Finding] = []
    notices = [Notice("probe-plan", note) for note in plan.notes]
    for vantage, probe in zip(vantages, probes):
        found, noticed = dhcp_probe.assess(probe, vantage)
        findings += found
        notices += [] if options.dry_run else noticed
    scopes = sorted({dhcp_probe.scope(v.site, v.vlan) for v in vantages})
    return _finish(settings, dhcp_probe.SOURCE, started, loaded, findings, notices, scopes, len(vantages), plan.source,
                   {"probes": [p.to_dict() for p in probes]}, sent, options.dry_run)


@dataclass(frozen=True)
class AirOptions:
    pcap: Path | None = None
    iface: str | None = None  # a monitor-mode interface to capture on
    seconds: float = 10.0
    site: str | None = None  # where the frames were captured


def wifi(settings: Settings, options: AirOptions, on_event: Listener = ignore) -> ProbeRun:
    """What the air advertises, judged against the inventory's APs, the backups' WLANs and the policy."""
    if (options.pcap is None) == (options.iface is None):
        raise InputError("give exactly one of --pcap FILE or --iface IFACE", key="--pcap")
    started = dt.datetime.now(dt.timezone.utc)
    loaded = check.policy(settings)
    hosts = inventory.hosts(settings)
    facts = InventoryFacts.of(hosts)
    if options.site is not None and options.site not in facts.sites:
        raise unknown("site", options.site, facts.sites, key="--site")
    origin = str(options.pcap) if options.pcap else f"live {options.iface}"
    air = wifi_probe.AirFacts(ours=facts.ssids | served_ssids(_backups(settings, hosts)), bssids=facts.bssids,
                              site=options.site or "", origin=origin)
    on_event(Step("reading frames", 0))
    frames = wifi_probe.read_pcap(options.pcap) if options.pcap is not None else wifi_probe.capture(options.iface or "", options.seconds)
    networks: list[Network] = survey(frames)
    findings, notices = wifi_probe.assess(networks, loaded, air)
    if not options.site:
        notices.append(Notice("probe-no-site", "no --site: the findings belong to no campus and count in netops check only "
                                               "until the probe age limit (probes.max_age)"))
    return _finish(settings, wifi_probe.SOURCE, started, loaded, findings, notices, [wifi_probe.scope(options.site or "")],
                   len(networks), origin, {"networks": [n.to_dict() for n in networks], "inventory_aps": air.bssids}, [], False)
