"""``netops resilience`` (audit, whatif): single points of failure and the impact of failures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from netops.cli.options import JsonOpt, PolicyOpt
from netops.cli.output import console, print_json
from netops.cli.progress import JobProgress
from netops.policy.findings import CheckResult
from netops.policy.reporters import render_table
from netops.settings import Settings

resilience_app = typer.Typer(help="Single points of failure of the campus, and what a failure takes down (audit, whatif).",
                             no_args_is_help=True)

SiteOpt = Annotated[Optional[str], typer.Option("--site", metavar="SITE", help="Only this site.", show_default=False)]
ConfigsOpt = Annotated[Optional[Path], typer.Option(
    "--configs", metavar="DIR", help="<host>.cfg and <host>.neighbors files of any snapshot (default: the backups).", show_default=False)]
InventoryOpt = Annotated[Optional[Path], typer.Option("--inventory", "-i", metavar="DIR", help="Inventory of that snapshot.",
                                                      show_default=False)]
TopologyOpt = Annotated[Optional[Path], typer.Option(
    "--topology", metavar="FILE", help="containerlab topology of the campus [env: NETOPS_TOPOLOGY; netops.yaml topology].",
    show_default=False)]


def _names(values: list[str]) -> str:
    return ", ".join(values) if values else "-"


def _settings(ctx: typer.Context, inventory: Path | None, topology: Path | None, policy: list[Path] | None = None) -> Settings:
    return ctx.obj.override(inventory=inventory, topology=topology, policy=policy)


@resilience_app.command("audit")
def audit(
    ctx: typer.Context,
    site: SiteOpt = None,
    configs: ConfigsOpt = None,
    inventory: InventoryOpt = None,
    topology: TopologyOpt = None,
    policy: PolicyOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Every device and link whose loss alone takes service away, with its impact, and the redundancy rules' findings.

    Exit 0: no campus-wide single point of failure and no active finding; 1: some; 2: bad input.
    """
    from netops.services.resilience import ResilienceOptions, run_audit

    settings = _settings(ctx, inventory, topology, policy)
    with JobProgress() as progress:
        result = run_audit(settings, ResilienceOptions(site=site, configs=configs), progress)
    campus_wide = [p for p in result.single_points if p.scope == "campus"]
    active = [f for f in result.findings if not f.waived]
    if json_out:
        print_json(result.to_dict())
        raise typer.Exit(1 if campus_wide or active else 0)
    table = Table(title="single points of failure", title_justify="left")
    for col in ("device or link", "scope", "cuts off", "VLANs without gateway", "APs without service", "SSIDs", "clients"):
        table.add_column(col, overflow="fold")
    for p in result.single_points:
        i = p.impact
        clients = "-" if i.clients_affected is None else str(i.clients_affected)
        table.add_row(Text(p.device or p.link or ""), Text(p.scope, style="red" if p.scope == "campus" else "yellow"),
                      Text(_names(i.isolated)), Text(_names([str(v) for v in i.vlans_without_gateway])),
                      Text(f"{len(i.aps_without_service)}: {_names(i.aps_without_service)}" if i.aps_without_service else "-"),
                      Text(_names(i.ssids_affected)), Text(clients))
    if result.single_points:
        console.print(table)
    states = result.devices
    labels = {"spof": "single point(s) of failure", "core": "core", "redundant": "redundant", "single-homed": "single-homed"}
    counts = ", ".join(f"{n} {label}" for state, label in labels.items() if (n := sum(v == state for v in states.values())))
    edge = len(result.single_points) - len(campus_wide)
    console.print(
        f"{len(states)} devices besides APs ({counts}), {len(result.links)} links; "
        + (f"{len(campus_wide)} campus-wide single point(s) of failure" if campus_wide else "no single point of failure in the campus")
        + (f", {edge} access switch(es) whose loss takes only their own APs" if edge else ""),
        soft_wrap=True, highlight=False,
    )
    if not result.clients_known:
        console.print("clients: unknown (no poll of the controllers yet: netops poll)", style="dim", highlight=False)
    render_table({"id": "audit"}, CheckResult(findings=result.findings, notices=result.notices, rules=result.rules,
                                              hosts=result.configurations), console)
    raise typer.Exit(1 if campus_wide or active else 0)


@resilience_app.command("whatif")
def whatif(
    ctx: typer.Context,
    fail: Annotated[Optional[list[str]], typer.Option("--fail", metavar="DEVICE", help="A device that fails (repeatable).",
                                                      show_default=False)] = None,
    fail_link: Annotated[Optional[list[str]], typer.Option("--fail-link", metavar="A:IF-B:IF", help="A link that fails "
                                                           "(repeatable).", show_default=False)] = None,
    site: SiteOpt = None,
    configs: ConfigsOpt = None,
    inventory: InventoryOpt = None,
    topology: TopologyOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """What stops working when these devices and links fail together. Exit 0, or 2 on bad input (an unknown device or link)."""
    from netops.errors import InputError
    from netops.services.resilience import ResilienceOptions, run_whatif

    if not fail and not fail_link:
        raise InputError("name what fails: --fail DEVICE and/or --fail-link A:IF-B:IF", key="--fail")
    settings = _settings(ctx, inventory, topology)
    with JobProgress() as progress:
        impact = run_whatif(settings, list(fail or []), list(fail_link or []), ResilienceOptions(site=site, configs=configs), progress)
    if json_out:
        print_json(impact.to_dict())
        return
    failed = impact.failed_devices + impact.failed_links
    console.print(f"if {', '.join(failed)} fail{'s' if len(failed) == 1 else ''}:", highlight=False, soft_wrap=True)
    rows = [
        ("cut off from the core", _names(impact.isolated)),
        ("VLANs without a gateway", _names([str(v) for v in impact.vlans_without_gateway])),
        ("APs without service", f"{len(impact.aps_without_service)}: {_names(impact.aps_without_service)}"
         if impact.aps_without_service else "-"),
        ("SSIDs affected", _names(impact.ssids_affected)),
        ("clients affected", "unknown (never polled)" if impact.clients_affected is None else str(impact.clients_affected)),
    ]
    table = Table(show_header=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for label, value in rows:
        table.add_row(label, Text(value))
    console.print(table)
    if impact.harmless:
        console.print("nothing else stops working: the campus absorbs this failure", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(resilience_app, name="resilience")
