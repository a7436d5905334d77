"""``netops probe``: active checks with packets (segregation, rogue DHCP, Wi-Fi air survey).

Segregation and DHCP probes follow a probe plan (``--plan``, ``probes.plan`` in
netops.yaml, the lab's, or derived with ``--interface`` and ``--site``);
``--dry-run`` prints every frame instead of sending it. The Wi-Fi survey reads a
pcap or a monitor-mode interface. Every run is stored with the policy findings
(source = the probe's name); ``netops check`` counts them until a newer probe of
the same scope replaces them or they pass the age limit. Each exits 1 when it
finds something at or above ``--fail-on``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from netops.cli.options import BackupDirOpt, BackupsAlias, FailOnOpt, JsonOpt, Many, PolicyOpt, old_spelling, severity, split_list
from netops.cli.output import console, print_json
from netops.cli.progress import JobProgress
from netops.policy.findings import severity_rank
from netops.settings import Settings
from netops.styles import SEVERITY_STYLE

if TYPE_CHECKING:
    from netops.services.probe import PlanOptions, ProbeRun

probe_app = typer.Typer(help="Active checks with packets: zone segregation, rogue DHCP, Wi-Fi air survey.", no_args_is_help=True)

PlanOpt = Annotated[Optional[Path], typer.Option("--plan", help="Probe plan file [env: NETOPS_PROBE_PLAN; default: netops.yaml, "
                                                  "else the lab's in lab mode].", show_default=False)]
InterfaceOpt = Annotated[Optional[str], typer.Option("--interface", help="Derive the plan for --site on this interface "
                                                      "(a laptop on a trunk port).", show_default=False)]
SiteOpt = Annotated[Optional[str], typer.Option("--site", help="The campus to probe (with --interface).", show_default=False)]
VantageOpt = Annotated[Many, typer.Option("--vantage", metavar="NAME", help="Only these vantages or trunks of the plan (repeatable or comma-separated).", show_default=False)]
NetnsAlias = Annotated[Many, typer.Option("--netns", hidden=True, help="Old spelling of --vantage.", show_default=False)]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Print every frame the probe would send; send and store nothing.")]


def _options(plan: Path | None, interface: str | None, site: str | None, vantage: list[str] | None, wait: float, dry_run: bool) -> PlanOptions:
    from netops.services.probe import PlanOptions

    return PlanOptions(plan=plan, interface=interface, site=site, vantages=tuple(split_list(vantage)), wait=wait, dry_run=dry_run)


def _finish(run: ProbeRun, fail_on: str, json_out: bool) -> None:
    """Print findings and notices (or JSON); exit 1 on active findings at or above ``fail_on``."""
    if json_out:
        print_json(run.to_dict())
    else:
        if run.frames:
            console.print(Text(f"{len(run.frames)} frame(s) would be sent (dry run: nothing sent, nothing stored):", style="bold"))
            for line in run.frames:
                console.print(Text("  " + line))
        if run.findings:
            table = Table(title=f"{len(run.findings)} finding(s)", title_justify="left")
            for col in ("severity", "rule", "host", "object", "expected vs actual"):
                table.add_column(col, overflow="fold")
            for f in sorted(run.findings, key=lambda f: (f.waived, severity_rank(f.severity), f.rule, f.host, f.object)):
                sev = Text.assemble(("waived", "dim"), f" ({f.severity})") if f.waived else Text(f.severity, style=SEVERITY_STYLE[f.severity])
                details = [*map(str, f.details), *([f"waiver: {f.waiver}"] if f.waiver else [])]
                table.add_row(sev, Text(f.rule), Text(f.host), Text(f.object), Text("\n".join(details)))
            console.print(table)
        for notice in run.notices:
            console.print(Text.assemble(("notice", "yellow"), f" [{notice.kind}] {notice.message}"))
        stored = "not stored (dry run)" if run.run_id is None else f"run {run.run_id} stored; counted by the next netops check"
        console.print(Text(f"{run.source} probe: {len(run.findings)} finding(s), {len(run.notices)} notice(s); {stored}"))
    if run.failing(fail_on):
        raise typer.Exit(1)


@probe_app.command()
def segregation(
    ctx: typer.Context,
    plan: PlanOpt = None,
    interface: InterfaceOpt = None,
    site: SiteOpt = None,
    vantage: VantageOpt = None,
    policy: PolicyOpt = None,
    wait: Annotated[float, typer.Option(min=0.1, max=30, help="Seconds to wait for answers after each burst of probes.")] = 1.0,
    dry_run: DryRunOpt = False,
    fail_on: FailOnOpt = "info",
    json_out: JsonOpt = False,
) -> None:
    """Zone x zone reachability from a vantage in every zone, and tagged / double-tagged frames into trunk ports."""
    from netops.services.probe import segregation as run_probe

    settings: Settings = ctx.obj.override(policy=policy)
    fail_on = severity(fail_on)
    with JobProgress() as progress:
        run = run_probe(settings, _options(plan, interface, site, vantage, wait, dry_run), progress)
    if not json_out and not dry_run:
        cells = run.payload["cells"]
        zones = list(dict.fromkeys(c["target"] for c in cells))
        for name in sorted({c["site"] for c in cells}):
            console.print(_matrix(name, [c for c in cells if c["site"] == name], zones))
    _finish(run, fail_on, json_out)


def _matrix(site: str, cells: list[dict], zones: list[str]) -> Table:
    """Rows: where probes left from; columns: target zones."""
    table = Table(title=f"{site}: from (rows) to zone (columns)", title_justify="left",
                  caption="blocked ✓: blocked as the policy requires; LEAK: reachable although it must be blocked", caption_justify="left")
    table.add_column("from")
    for zone in zones:
        table.add_column(zone)
    for row in dict.fromkeys(c["source"] for c in cells):
        values: list[Text] = []
        for zone in zones:
            cell = next((c for c in cells if c["source"] == row and c["target"] == zone), None)
            if cell is None:
                values.append(Text("-"))
            elif cell["leak"]:
                values.append(Text("LEAK reachable", style="bold red"))
            elif cell["required"] == "blocked":
                values.append(Text("blocked ✓", style="green"))
            else:
                values.append(Text("reachable" if cell["reachable"] else "blocked"))
        table.add_row(Text(row), *values)
    return table


@probe_app.command()
def dhcp(
    ctx: typer.Context,
    vlan: Annotated[Optional[int], typer.Option(help="Probe this VLAN with 802.1Q-tagged DISCOVERs through the plan's trunks.", show_default=False)] = None,
    plan: PlanOpt = None,
    interface: InterfaceOpt = None,
    site: SiteOpt = None,
    vantage: VantageOpt = None,
    netns: NetnsAlias = None,
    timeout: Annotated[float, typer.Option(min=0.1, max=30, help="Seconds to collect offers (servers that ping-check an address answer late).")] = 3.0,
    policy: PolicyOpt = None,
    dry_run: DryRunOpt = False,
    fail_on: FailOnOpt = "info",
    json_out: JsonOpt = False,
) -> None:
    """Broadcast a DHCPDISCOVER, collect every offer, flag servers the inventory does not authorise (default: every vantage)."""
    from netops.services.probe import dhcp as run_probe

    settings: Settings = ctx.obj.override(policy=policy)
    fail_on = severity(fail_on)
    options = _options(plan, interface, site, old_spelling("--netns", "--vantage", netns, vantage), 1.0, dry_run)
    with JobProgress() as progress:
        run = run_probe(settings, options, vlan, timeout, progress)
    if not json_out and not dry_run:
        table = Table(title="DHCP offers", title_justify="left")
        for col in ("vantage", "site", "VLAN", "server", "from", "offered", "authorised"):
            table.add_column(col)
        for probe in run.payload["probes"]:
            for o in probe["offers"]:
                table.add_row(Text(probe["host"]), probe["site"], str(probe["vlan"]), o["server_id"], Text(f"{o['source_ip']} {o['source_mac']}"),
                              o["offered"], Text("yes") if o["authorised"] else Text("NO (rogue)", style="bold red"))
        console.print(table)
    _finish(run, fail_on, json_out)


@probe_app.command()
def wifi(
    ctx: typer.Context,
    pcap: Annotated[Optional[Path], typer.Option("--pcap", help="A capture file (pcap / pcapng) of 802.11 frames.", show_default=False)] = None,
    iface: Annotated[Optional[str], typer.Option("--iface", help="Capture live on this monitor-mode interface.", show_default=False)] = None,
    seconds: Annotated[float, typer.Option(min=1, max=3600, help="Live capture duration (with --iface).")] = 10.0,
    policy: PolicyOpt = None,
    backup_dir: BackupDirOpt = None,
    backups: BackupsAlias = None,
    site: Annotated[Optional[str], typer.Option("--site", help="Campus where the frames were captured (the findings' site).", show_default=False)] = None,
    fail_on: FailOnOpt = "info",
    json_out: JsonOpt = False,
) -> None:
    """List BSSID, SSID, channel and security on the air; flag evil twins, downgrades, hidden and open networks."""
    from netops.services.probe import AirOptions
    from netops.services.probe import wifi as run_probe

    backup_dir = old_spelling("--backups", "--backup-dir", backups, backup_dir)
    settings: Settings = ctx.obj.override(policy=policy, backup_dir=backup_dir)
    fail_on = severity(fail_on)
    with JobProgress() as progress:
        run = run_probe(settings, AirOptions(pcap=pcap, iface=iface, seconds=seconds, site=site), progress)
    if not json_out:
        networks = run.payload["networks"]
        aps = run.payload["inventory_aps"]
        table = Table(title=f"{len(networks)} network(s) on the air", title_justify="left")
        for col in ("BSSID", "SSID", "channel", "security", "PMF", "AKM", "frames", "inventory AP"):
            table.add_column(col)
        for n in networks:
            table.add_row(n["bssid"], Text(n["ssid"] or "(hidden)"), str(n["channel"] or "-"), n["security"], n["pmf"],
                          ",".join(n["akm"]) or "-", str(n["frames"]), aps.get(n["bssid"], "-"))
        console.print(table)
    _finish(run, fail_on, json_out)


def register(app: typer.Typer) -> None:
    app.add_typer(probe_app, name="probe")
