"""``netops probe``: active checks with packets (segregation, rogue DHCP, Wi-Fi air survey).

Segregation and DHCP probes run inside the lab's namespace tier (``netops lab up
--netns``, root); the Wi-Fi survey reads a pcap or a monitor-mode interface.
Every run is stored with the policy findings (source = the probe's name) and
exits 1 when it finds something at or above ``--fail-on``.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from labs import netns
from labs.netns.state import NetnsState
from netops.cli.output import console, err_console, print_json
from netops.errors import InputError, LabError
from netops.policy.findings import SEVERITIES, Finding, Notice, severity_rank
from netops.policy.loader import load_policy
from netops.policy.policy import Policy
from netops.policy.waivers import waive
from netops.probe import dhcp as dhcp_probe
from netops.probe import segregation as seg
from netops.probe import wifi as wifi_probe
from netops.probe.dot11 import survey
from netops.probe.facts import backup_ssids, inventory_facts
from netops.probe.segregation import trunk_vlans
from netops.probe.store import record
from netops.settings import Settings

probe_app = typer.Typer(help="Active checks with packets: zone segregation, rogue DHCP, Wi-Fi air survey.", no_args_is_help=True)

DEFAULT_POLICY = Path("policy/secretariat.yaml")
PolicyOpt = Annotated[Path, typer.Option("--policy", "-p", envvar="NETOPS_POLICY", help="Policy file (zones, WLAN rules).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
FailOpt = Annotated[str, typer.Option("--fail-on", help="Exit 1 when a finding is at least this severe.")]
_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def _tier(settings: Settings) -> NetnsState:
    netns.require_root()
    tier = netns.load(settings.lab_dir)
    if tier is None:
        raise LabError(f"no namespace tier in {settings.lab_dir}: start one with 'netops lab up --netns' (root)")
    return tier


def _fail_on(value: str) -> str:
    if value not in SEVERITIES:
        raise InputError(f"{value!r} is not one of {', '.join(SEVERITIES)}", key="--fail-on")
    return value


def _finish(settings: Settings, source: str, started: dt.datetime, findings: list[Finding], notices: list[Notice],
            hosts: int, origin: str, fail_on: str, payload: dict, json_out: bool, policy: Policy) -> None:
    """Mark waived findings, store the run, print findings and notices (or JSON), exit 1 on active
    findings at or above ``fail_on``."""
    waive(policy, findings, dt.date.today())
    run_id = record(settings, source, started, findings, notices, hosts, origin)
    if json_out:
        print_json({"run": {"id": run_id, "source": source, "started": started.isoformat(), "origin": origin}, **payload,
                    "findings": [f.to_dict() for f in findings], "notices": [n.to_dict() for n in notices]})
    else:
        if findings:
            table = Table(title=f"{len(findings)} finding(s)", title_justify="left")
            for col in ("severity", "rule", "host", "object", "expected vs actual"):
                table.add_column(col, overflow="fold")
            for f in sorted(findings, key=lambda f: (f.waived, severity_rank(f.severity), f.rule, f.host, f.object)):
                severity = f"[dim]waived[/] ({f.severity})" if f.waived else f"[{_STYLE[f.severity]}]{f.severity}[/]"
                details = [*map(str, f.details), *([f"waiver: {f.waiver}"] if f.waiver else [])]
                table.add_row(severity, f.rule, f.host, f.object, "\n".join(details))
            console.print(table)
        for notice in notices:
            console.print(f"[yellow]notice[/] {escape(f'[{notice.kind}] {notice.message}')}", highlight=False)
        console.print(f"{source} probe run {run_id}: {len(findings)} finding(s), {len(notices)} notice(s) (stored; shown by netops check)",
                      highlight=False)
    limit = severity_rank(fail_on)
    if any(severity_rank(f.severity) <= limit for f in findings if not f.waived):
        raise typer.Exit(1)


@probe_app.command()
def segregation(
    ctx: typer.Context,
    policy: PolicyOpt = DEFAULT_POLICY,
    wait: Annotated[float, typer.Option(help="Seconds to wait for answers after each burst of probes.")] = 1.0,
    fail_on: FailOpt = "info",
    json_out: JsonOpt = False,
) -> None:
    """Zone x zone reachability from a host in every zone and from tagged / double-tagged frames on an AP trunk."""
    settings: Settings = ctx.obj
    fail_on = _fail_on(fail_on)
    loaded = load_policy(policy)
    tier = _tier(settings)
    started = dt.datetime.now(dt.timezone.utc)
    with err_console.status("probing zones"):
        result = seg.run_segregation(tier, loaded, wait)
    if not json_out:
        for site in sorted({c.site for c in result.cells}):
            console.print(_matrix(site, [c for c in result.cells if c.site == site], list(loaded.zones)))
    _finish(settings, seg.SOURCE, started, result.findings, result.notices, len(tier.plan.hosts), f"lab {tier.plan.lab_id}",
            fail_on, {"cells": result.to_dict()["cells"]}, json_out, loaded)


def _matrix(site: str, cells: list[seg.Cell], zones: list[str]) -> Table:
    """Rows: where probes left from; columns: target zones."""
    table = Table(title=f"{site}: from (rows) to zone (columns)", title_justify="left",
                  caption="blocked ✓: blocked as the policy requires; LEAK: reachable although it must be blocked", caption_justify="left")
    table.add_column("from")
    for zone in zones:
        table.add_column(zone)
    rows = [z for z in zones if any(c.source == z for c in cells)] + [r for r in (seg.TAGGED, seg.DOUBLE) if any(c.source == r for c in cells)]
    for row in rows:
        values = []
        for zone in zones:
            cell = next((c for c in cells if c.source == row and c.target == zone), None)
            if cell is None:
                values.append("-")
            elif cell.leak:
                values.append("[bold red]LEAK reachable[/]")
            elif cell.required == "blocked":
                values.append("[green]blocked ✓[/]")
            else:
                values.append("reachable" if cell.reachable else "blocked")
        table.add_row(row, *values)
    return table


def _vantages(tier: NetnsState, vlan: int | None, name: str | None) -> list[dhcp_probe.Vantage]:
    """--netns: that host; --vlan: every trunk injector carrying the VLAN (tagged); neither: every zone host."""
    if vlan is not None and name is not None:
        raise InputError("--vlan and --netns exclude each other", key="--netns")
    if name is not None:
        host = tier.host(name)
        if host is None:
            known = ", ".join(h.name for h in tier.plan.hosts)
            raise InputError(f"unknown namespace {name!r} (lab hosts: {known})", key="--netns")
        return [dhcp_probe.Vantage.of_host(host)]
    if vlan is None:
        return [dhcp_probe.Vantage.of_host(h) for h in tier.plan.hosts]
    out = [dhcp_probe.Vantage.of_trunk(i, vlan) for i in tier.plan.injectors if vlan in trunk_vlans(tier, i)[1]]
    if not out:
        raise InputError(f"no lab trunk port carries VLAN {vlan}", key="--vlan")
    return out


@probe_app.command()
def dhcp(
    ctx: typer.Context,
    vlan: Annotated[Optional[int], typer.Option(help="Probe this VLAN with 802.1Q-tagged DISCOVERs from the lab's trunk port(s).", show_default=False)] = None,
    netns_name: Annotated[Optional[str], typer.Option("--netns", help="Probe from this lab host (name or namespace).", show_default=False)] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to collect offers (servers that ping-check an address answer late).")] = 3.0,
    policy: PolicyOpt = DEFAULT_POLICY,
    fail_on: FailOpt = "info",
    json_out: JsonOpt = False,
) -> None:
    """Broadcast a DHCPDISCOVER, collect every offer, flag servers the inventory does not authorise (default: every zone host)."""
    settings: Settings = ctx.obj
    fail_on = _fail_on(fail_on)
    if timeout <= 0:
        raise InputError("--timeout must be positive", key="--timeout")
    loaded = load_policy(policy)
    tier = _tier(settings)
    vantages = _vantages(tier, vlan, netns_name)
    authorised = inventory_facts(settings).dhcp_servers
    started = dt.datetime.now(dt.timezone.utc)
    with err_console.status(f"DHCPDISCOVER from {len(vantages)} place(s), collecting offers for {timeout:g} s"), ThreadPoolExecutor(8) as pool:
        probes = list(pool.map(lambda v: dhcp_probe.discover(v, authorised.get(v.site, {}).get(v.vlan, []), timeout), vantages))
    findings: list[Finding] = []
    notices: list[Notice] = []
    for vantage, probe in zip(vantages, probes):
        f, n = dhcp_probe.assess(probe, vantage)
        findings += f
        notices += n
    if not json_out:
        table = Table(title="DHCP offers", title_justify="left")
        for col in ("host", "site", "VLAN", "server", "from", "offered", "authorised"):
            table.add_column(col)
        for probe in probes:
            for o in probe.offers:
                table.add_row(probe.host, probe.site, str(probe.vlan), o.server_id, f"{o.source_ip} {o.source_mac}", o.offered,
                              "yes" if o.authorised else "[bold red]NO (rogue)[/]")
        console.print(table)
    _finish(settings, dhcp_probe.SOURCE, started, findings, notices, len(vantages), f"lab {tier.plan.lab_id}", fail_on,
            {"probes": [p.to_dict() for p in probes]}, json_out, loaded)


@probe_app.command()
def wifi(
    ctx: typer.Context,
    pcap: Annotated[Optional[Path], typer.Option("--pcap", help="A capture file (pcap / pcapng) of 802.11 frames.", show_default=False)] = None,
    iface: Annotated[Optional[str], typer.Option("--iface", help="Capture live on this monitor-mode interface.", show_default=False)] = None,
    seconds: Annotated[float, typer.Option(help="Live capture duration (with --iface).")] = 10.0,
    policy: PolicyOpt = DEFAULT_POLICY,
    backups: Annotated[Optional[Path], typer.Option("--backups", help="Backup store whose WLANs are ours (default: the backup store).", show_default=False)] = None,
    site: Annotated[Optional[str], typer.Option("--site", help="Campus where the frames were captured (the findings' site).", show_default=False)] = None,
    fail_on: FailOpt = "info",
    json_out: JsonOpt = False,
) -> None:
    """List BSSID, SSID, channel and security on the air; flag evil twins, downgrades, hidden and open networks."""
    settings: Settings = ctx.obj
    fail_on = _fail_on(fail_on)
    if (pcap is None) == (iface is None):
        raise InputError("give exactly one of --pcap FILE or --iface IFACE", key="--pcap")
    loaded = load_policy(policy)
    facts = inventory_facts(settings)
    if site is not None and site not in facts.sites:
        raise InputError(f"unknown site {site!r} (inventory sites: {', '.join(facts.sites)})", key="--site")
    air = wifi_probe.AirFacts(ours=facts.ssids | backup_ssids(settings, backups), bssids=facts.bssids, site=site or "")
    started = dt.datetime.now(dt.timezone.utc)
    with err_console.status("reading frames"):
        frames = wifi_probe.read_pcap(pcap) if pcap is not None else wifi_probe.capture(iface or "", seconds)
        networks = survey(frames)
    findings, notices = wifi_probe.assess(networks, loaded, air)
    if not json_out:
        table = Table(title=f"{len(networks)} network(s) on the air", title_justify="left")
        for col in ("BSSID", "SSID", "channel", "security", "PMF", "AKM", "frames", "inventory AP"):
            table.add_column(col)
        for n in networks:
            table.add_row(n.bssid, n.ssid or "(hidden)", str(n.channel or "-"), n.security, n.pmf, ",".join(n.akm) or "-",
                          str(n.frames), air.bssids.get(n.bssid, "-"))
        console.print(table)
    _finish(settings, wifi_probe.SOURCE, started, findings, notices, len(networks), str(pcap) if pcap else f"live {iface}",
            fail_on, {"networks": [n.to_dict() for n in networks]}, json_out, loaded)


def register(app: typer.Typer) -> None:
    app.add_typer(probe_app, name="probe")
