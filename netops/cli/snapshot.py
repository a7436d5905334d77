"""``netops snapshot``: take, list, show, diff and delete snapshots of operational state."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.table import Table
from rich.text import Text

from netops.cli.options import HostOpt, JsonOpt, SiteOpt, TimeoutOpt, filters
from netops.cli.output import console, print_json
from netops.cli.progress import JobProgress
from netops.settings import Settings

if TYPE_CHECKING:
    from netops.snapshot.diff import SnapshotDiff
    from netops.snapshot.record import DeviceSnapshot, Snapshot

snapshot_app = typer.Typer(help="Operational state before and after a change: take, list, show, diff (exit 1 on a "
                           "regression), delete.", no_args_is_help=True)

NameArg = Annotated[str, typer.Argument(metavar="NAME", help="Snapshot name: letters, digits, '.', '_', '-'.")]


def _reach(record: DeviceSnapshot, transport: str) -> Text:
    if transport not in record.reachable:
        return Text("-", style="dim")
    if record.reachable[transport]:
        why = record.reasons.get(transport)
        return Text("ok" + (f" ({why})" if why else ""), style="yellow" if why else "green")
    return Text(f"no: {record.reasons.get(transport, 'no answer')}", style="bold red")


def _features(record: DeviceSnapshot) -> str:
    return ", ".join(f"{feature} {len(keys)}" for feature, keys in record.features.items()) or "-"


def _devices_table(snapshot: Snapshot) -> Table:
    table = Table()
    for col in ("host", "site", "platform", "ssh", "snmp", "features"):
        table.add_column(col)
    for record in snapshot.devices.values():
        table.add_row(record.host, record.site, record.platform, _reach(record, "ssh"), _reach(record, "snmp"),
                      _features(record))
    return table


def _head(snapshot: Snapshot) -> str:
    unreachable = len(snapshot.unreachable)
    return (f"{snapshot.name}: {len(snapshot.devices)} device(s), {unreachable} not answering on every transport; "
            f"{snapshot.scope}, taken {snapshot.taken} ({snapshot.origin})")


@snapshot_app.command("take")
def take(
    ctx: typer.Context,
    name: NameArg,
    site: SiteOpt = None,
    host: HostOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Replace a snapshot of the same name.")] = False,
    timeout: TimeoutOpt = 60.0,
    json_out: JsonOpt = False,
) -> None:
    """Read the operational state of the devices in scope now and store it as NAME.

    Over SSH: interfaces, VLANs and trunks, CDP/LLDP neighbours, spanning-tree roots, HSRP/VRRP, port-channels, a
    controller's APs (what each platform's driver reads); over SNMP: interfaces where SSH gives none, clients per
    SSID. A device that does not answer is recorded as unreachable, with the reason.

    Exit 0: stored (even with unreachable devices, which are listed), 2: bad input (a bad or existing NAME).
    """
    from netops.backup.fetch import FetchOptions
    from netops.services import snapshot as service
    from netops.snapshot.take import TakeOptions

    settings: Settings = ctx.obj
    options = TakeOptions(fetch=FetchOptions(timeout=timeout), snmp_deadline=min(timeout, 30.0))
    with JobProgress() as progress:
        snapshot = service.take(settings, name, filters(site=site, host=host), force, options=options, on_event=progress)
    if json_out:
        print_json(snapshot.to_dict())
        return
    console.print(_devices_table(snapshot))
    by_reason: dict[str, list[str]] = {}
    for host_name, why in sorted(snapshot.skipped.items()):
        by_reason.setdefault(why, []).append(host_name)
    for why, names in by_reason.items():
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        console.print(Text(f"  not recorded: {shown}: {why}", style="dim"), soft_wrap=True)
    console.print(Text(f"stored {_head(snapshot)}", style="bold"), soft_wrap=True)


@snapshot_app.command("list")
def list_(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """The stored snapshots, oldest first: name, when, scope, devices, how many did not answer, origin."""
    from netops.services import snapshot as service

    snapshots = service.listing(ctx.obj)
    if json_out:
        print_json({"snapshots": [s.summary() for s in snapshots]})
        return
    if not snapshots:
        console.print("no snapshot yet: take one with `netops snapshot take NAME`")
        return
    table = Table()
    table.add_column("name", no_wrap=True)
    table.add_column("taken", no_wrap=True)
    for col in ("scope", "devices", "unreachable", "origin"):
        table.add_column(col)
    for s in snapshots:
        row = s.summary()
        table.add_row(row["name"], row["taken"], row["scope"], str(row["devices"]),
                      Text(str(row["unreachable"]), style="bold red" if row["unreachable"] else ""), row["origin"])
    console.print(table)


def _attrs(attrs: Any) -> str:
    if not isinstance(attrs, dict):
        return "-" if attrs is None else str(attrs)
    return " ".join(f"{k}={_value(v)}" for k, v in attrs.items())


def _value(value: Any) -> str:
    if isinstance(value, list):
        from netops.snapshot.diff import vlan_ranges

        return vlan_ranges(value) if all(isinstance(v, int) for v in value) else ",".join(map(str, value))
    if isinstance(value, dict):
        return ",".join(f"{k}:{v}" for k, v in value.items())
    return "-" if value is None else str(value)


@snapshot_app.command("show")
def show(
    ctx: typer.Context,
    name: NameArg,
    host: Annotated[Optional[str], typer.Option("--host", metavar="HOST", help="Only this device.", show_default=False)] = None,
    json_out: JsonOpt = False,
) -> None:
    """A stored snapshot: every device's reachability and features (--host: one device)."""
    from netops.services import snapshot as service

    snapshot = service.show(ctx.obj, name, host)
    if json_out:
        print_json(snapshot.to_dict())
        return
    console.print(Text(_head(snapshot), style="bold"), soft_wrap=True)
    for record in snapshot.devices.values():
        console.print(Text.assemble((record.host, "bold"), f" ({record.platform}, {record.site}) taken {record.taken}  ssh ",
                                    _reach(record, "ssh"), "  snmp ", _reach(record, "snmp")), soft_wrap=True)
        for feature, keys in record.features.items():
            console.print(f"  {feature} ({len(keys)})")
            for key, attrs in keys.items():
                console.print(f"    {key}: {_attrs(attrs)}", soft_wrap=True)


def print_diff(result: SnapshotDiff) -> None:
    """Regressions first (red), then the other changes, one line each; a last line with the counts."""
    for change in result.regressions:
        console.print(Text.assemble(("REGRESSION ", "bold red"), (f"{change.host} ", "bold"),
                                    f"{change.feature} {change.key}: ".replace("  ", " "), (change.message, "red")),
                      soft_wrap=True)
    for change in result.changes:
        console.print(Text.assemble(("changed    ", "yellow"), (f"{change.host} ", "bold"),
                                    f"{change.feature} {change.key}: ".replace("  ", " "), change.message), soft_wrap=True)
    if result.empty:
        console.print(Text(f"{result.a} -> {result.b}: no change", style="green"))
    else:
        style = "bold red" if result.regressions else "bold green"
        console.print(Text(f"{result.a} -> {result.b}: {len(result.regressions)} regression(s), "
                           f"{len(result.changes)} other change(s)", style=style))


def print_state(state: dict[str, Any] | None) -> None:
    """The before/after snapshots of a change and their diff (restore, remediate, the DR drill)."""
    if not state:
        return
    for problem in state.get("problems", []):
        console.print(Text(f"snapshot not taken: {problem}", style="yellow"), soft_wrap=True)
    if not state.get("before") or not state.get("after"):
        return
    regressions, changes = state.get("regressions", []), state.get("changes", [])
    head = f"state {state['before']} -> {state['after']}: "
    if not regressions and not changes:
        console.print(Text(head + "no change", style="green"), soft_wrap=True)
        return
    console.print(Text(head + f"{len(regressions)} regression(s), {len(changes)} other change(s) "
                       f"(netops snapshot diff {state['before']} {state['after']})",
                       style="bold red" if regressions else "bold"), soft_wrap=True)
    for c in regressions:
        console.print(Text(f"  REGRESSION {c['host']} {c['feature']} {c['key']}: {c['message']}", style="red"), soft_wrap=True)
    for c in changes[:20]:
        console.print(f"  changed    {c['host']} {c['feature']} {c['key']}: {c['message']}", soft_wrap=True)
    if len(changes) > 20:
        console.print(f"  ... and {len(changes) - 20} other change(s)")


@snapshot_app.command("diff")
def diff(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(metavar="A", help="The snapshot before.")],
    b: Annotated[str, typer.Argument(metavar="B", help="The snapshot after.")],
    clients_drop: Annotated[float, typer.Option("--clients-drop", metavar="FRACTION", help="A drop of more than this "
                                                "fraction of an SSID's clients (and of at least 5) is a regression.")] = 0.5,
    json_out: JsonOpt = False,
) -> None:
    """What changed from A to B per device and feature: regressions (an interface down, a neighbour lost, an AP not
    rejoined, a VLAN no longer carried, clients per SSID down by more than --clients-drop ...) apart from benign
    change (counters, anything new or up).

    Exit 0: no regression, 1: a regression, 2: bad input (an unknown snapshot).
    """
    from netops.services import snapshot as service

    result = service.diff(ctx.obj, a, b, clients_drop)
    if json_out:
        print_json(result.to_dict())
    else:
        print_diff(result)
    raise typer.Exit(1 if result.regressions else 0)


@snapshot_app.command("delete")
def delete(ctx: typer.Context, name: NameArg, json_out: JsonOpt = False) -> None:
    """Delete the stored snapshot NAME."""
    from netops.services import snapshot as service

    service.delete(ctx.obj, name)
    if json_out:
        print_json({"deleted": name})
    else:
        console.print(f"deleted snapshot {name}")


def register(app: typer.Typer) -> None:
    app.add_typer(snapshot_app, name="snapshot")
