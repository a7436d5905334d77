"""``netops lab``: start, inspect, fault and stop the local device lab.

Added to the netops CLI through the ``netops.commands`` entry point: the core
never imports the lab.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

import labs
from labs import netns, runner
from labs.sim.faults import ACTIONS, FAULTS, REBOOT, isolated
from labs.state import LabState, NodeRuntime
from netops.cli.options import JsonOpt, PolicyOpt
from netops.cli.output import console, err_console, print_json
from netops.settings import Settings

if TYPE_CHECKING:
    from netops.policy.policy import Zone

lab_app = typer.Typer(help="The local lab of simulated devices (SSH CLIs and SNMP agents on 127.x addresses).", no_args_is_help=True)

STATUS_KEYS = ("name", "platform", "role", "site", "host", "ssh_port", "snmp_port", "username", "password",
               "enable_secret", "snmp_community", "snmp_v3_user", "snmp_v3_auth_key", "snmp_v3_priv_key", "faults",
               "bootstrap_username", "bootstrap_password", "wiped", "replaced", "host_key_fingerprint", "host_key_public",
               "original_config_path", "factory_config_path")
KINDS = FAULTS | ACTIONS | REBOOT  # what `netops lab fault NODE FAULT` takes


def node_status(node: NodeRuntime, up: bool) -> dict:
    return {key: getattr(node, key) for key in STATUS_KEYS} | {"up": up}


def _summary(state: LabState, up: dict[str, bool]) -> dict:
    return {"name": state.name, "topology": state.topology, "engine": state.engine, "started": state.started,
            "nodes": [node_status(n, up.get(n.name, False)) for n in state.nodes]}


def _table(state: LabState, up: dict[str, bool]) -> Table:
    table = Table(title=f"lab {state.name} ({state.engine}, started {state.started})")
    for col in ("node", "platform", "role", "site", "host", "ssh", "snmp", "faults", "up"):
        table.add_column(col)
    cut = isolated({n.name: asdict(n) for n in state.nodes}, state.topology)
    for n in state.nodes:
        marks = _marks(n) + (["cut off"] if n.name in cut else [])
        table.add_row(n.name, n.platform, n.role, n.site, n.host, str(n.ssh_port or "-"), str(n.snmp_port or "-"),
                      ",".join(marks) or "-", Text("yes", style="green") if up.get(n.name) else Text("no", style="red"))
    return table


def _marks(node: NodeRuntime) -> list[str]:
    """What the faults column shows: a replaced or wiped node, then its fault switches."""
    return (["replaced"] if node.replaced else ["wiped"] if node.wiped else []) + node.faults


def _credentials(state: LabState) -> str:
    first = state.nodes[0]
    text = (f"credentials: username {first.username}, password {first.password}, enable secret {first.enable_secret}, "
            f"SNMP community {first.snmp_community} (SNMPv3 user and keys: --json)")
    if first.bootstrap_username:
        text += f"; replaced nodes: bootstrap username {first.bootstrap_username}, password {first.bootstrap_password}"
    return text


@lab_app.command()
def up(
    ctx: typer.Context,
    topology: Annotated[Optional[Path], typer.Argument(help="containerlab topology file.", show_default=False)] = None,
    base_address: Annotated[str, typer.Option(help="Address of the first node (127.0.0.0/8 only).")] = "127.20.0.1",
    ssh_port: Annotated[int, typer.Option(help="SSH port of every node.")] = 10022,
    snmp_port: Annotated[int, typer.Option(help="SNMP port of every node.")] = 10161,
    scale: Annotated[int, typer.Option(help="Add N generated access switches (scale-acc-0001 ...).")] = 0,
    fault: Annotated[Optional[list[str]], typer.Option("--fault", help="NODE=FAULT, repeatable: " + ", ".join(KINDS)
                                                         + " (wipe, replace: the node starts that way)")] = None,
    engine: Annotated[str, typer.Option(help="auto, local or containerlab.")] = "auto",
    with_netns: Annotated[bool, typer.Option("--netns", help="Also build the data plane in network namespaces (root): "
                                             "FRR routers, Open vSwitch switches, zone hosts, DHCP.")] = False,
    policy: PolicyOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Start the lab in the background; returns once every node accepts connections."""
    settings: Settings = ctx.obj.override(policy=policy)
    if netns.load(settings.lab_dir) is not None and not runner.is_running(settings.lab_dir):
        netns.down(settings.lab_dir)  # the namespace tier of a lab that died
    if with_netns:
        netns.require_root()
        netns.require_tools()
        zones, dhcp = netns_inputs(settings)
    options = runner.UpOptions(base_address=base_address, ssh_port=ssh_port, snmp_port=snmp_port, scale=scale,
                               faults=runner.parse_fault_options(fault or []), engine=engine)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, transient=True) as progress:
        task = progress.add_task("starting lab", total=None)

        def report(phase: str, done: int, total: int) -> None:
            if phase == "ssh":
                progress.update(task, description="SSH nodes listening", completed=done, total=total)
            else:
                progress.update(task, description="starting SNMP agents")

        state = runner.up(settings.lab_dir, topology or labs.DEFAULT_TOPOLOGY, options, report)
        if with_netns:
            try:
                netns.up(settings.lab_dir, state, zones, dhcp, lambda phase: progress.update(task, description=f"netns: {phase}"))
            except BaseException:
                runner.down(settings.lab_dir)
                raise
    up_map = {n.name: True for n in state.nodes}
    if json_out:
        print_json(_summary(state, up_map))
        return
    ssh = sum(1 for n in state.nodes if n.ssh_port)
    console.print(f"lab {state.name} up: {len(state.nodes)} nodes ({ssh} with SSH) "
                  f"from {state.nodes[0].host}, SSH port {ssh_port}, SNMP port {snmp_port}, lab dir {settings.lab_dir}")
    console.print("credentials: netops lab status --json")
    tier = netns.load(settings.lab_dir)
    if tier is not None:
        console.print(f"namespace tier {tier.plan.lab_id}: {len(tier.plan.namespaces)} namespaces, routers "
                      + ", ".join(r.node for r in tier.plan.routers) + f", hosts {', '.join(h.name for h in tier.plan.hosts)}; "
                      f"probe plan {netns.plan_file(settings.lab_dir)}")


@lab_app.command()
def down(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Stop every lab process and remove the lab directory (safe to repeat)."""
    settings: Settings = ctx.obj
    tier = netns.down(settings.lab_dir)
    stopped = runner.down(settings.lab_dir) or tier
    if json_out:
        print_json({"lab_dir": str(settings.lab_dir), "stopped": stopped})
    else:
        console.print(f"lab in {settings.lab_dir} stopped" if stopped else f"no lab in {settings.lab_dir}")


@lab_app.command()
def status(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Every node: address, ports, credentials, faults, and whether it answers now."""
    settings: Settings = ctx.obj
    state, up_map = runner.status(settings.lab_dir)
    if json_out:
        print_json(_summary(state, up_map))
    else:
        console.print(_table(state, up_map))
        console.print(_credentials(state))


@lab_app.command(epilog=(
    "wipe and replace are one-shot actions, done when the command returns: the node reloads (its sessions end, "
    "its uptime restarts) with its factory-default configuration, running and startup. A wiped node still "
    "accepts the lab credentials. A replaced node also presents a new SSH host key and accepts only the "
    "bootstrap credentials (netops lab status --json: bootstrap_username, bootstrap_password) until a "
    "configuration that defines the lab's login is pushed to it. --clear never undoes them; netops lab down "
    "and up bring the topology's configurations back."))
def fault(
    ctx: typer.Context,
    node: Annotated[str, typer.Argument(help="Node name.")],
    spec: Annotated[Optional[str], typer.Argument(metavar="FAULT", help=", ".join(f"{k}: {v}" for k, v in KINDS.items()), show_default=False)] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove switch FAULT from the node (without FAULT: every switch; "
                                        "a wipe or replacement stays).")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Switch a fault on for a node, or --clear it; applies from its next connection. wipe/replace act at once.
    Without FAULT: its faults."""
    settings: Settings = ctx.obj
    runtime = runner.set_fault(settings.lab_dir, node, spec, clear)
    action = spec is not None and spec.strip() in ACTIONS and not clear
    if json_out:
        print_json({"name": runtime.name, "faults": runtime.faults, "wiped": runtime.wiped, "replaced": runtime.replaced,
                    "generation": runtime.generation, "host_key_fingerprint": runtime.host_key_fingerprint})
    elif action and runtime.replaced and spec is not None and spec.strip() == "replace":
        console.print(f"{runtime.name}: replaced: factory-default configuration, new SSH host key "
                      f"{runtime.host_key_fingerprint}; log in as {runtime.bootstrap_username} (password: netops lab "
                      f"status) until a configuration defining the lab's login is pushed")
    elif action:
        console.print(f"{runtime.name}: wiped: factory-default configuration (running and startup), uptime restarted")
    elif spec is not None and spec.strip() in REBOOT and not clear:
        console.print(f"{runtime.name}: rebooted: configuration kept, SNMP uptime and counters restart from zero")
    elif spec is None and not clear:
        state = ", ".join(_marks(runtime)[: 1 if runtime.wiped else 0])
        console.print(f"{runtime.name}: {state + '; ' if state else ''}faults {', '.join(runtime.faults) or 'none'} "
                      f"(add one: netops lab fault {runtime.name} FAULT; FAULT is {', '.join(KINDS)})")
    else:
        console.print(f"{runtime.name}: faults {', '.join(runtime.faults) or 'none'}")


@lab_app.command()
def render(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Re-render the namespace tier's switch ports from the lab switches' running configurations (root)."""
    settings: Settings = ctx.obj
    changes = netns.render_ports(settings.lab_dir)
    if json_out:
        print_json({"changes": changes})
    else:
        console.print("\n".join(changes) if changes else "switch ports already match the configurations")


def netns_inputs(settings: Settings) -> tuple[dict[str, Zone], dict[str, dict[int, list[str]]]]:
    """The policy's zones (a host each) and the inventory's authorised DHCP servers per site and VLAN."""
    from netops.services.check import policy
    from netops.services.inventory import hosts

    return policy(settings).zones, {h.site: h.dhcp_servers for h in hosts(settings.override(lab=False)).values() if h.site}


def register(app: typer.Typer) -> None:
    app.add_typer(lab_app, name="lab")
