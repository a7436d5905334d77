"""``netops alerts``: active alerts, their history and deliveries, a delivery run now, a test message."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.table import Table
from rich.text import Text

from netops.ages import parse_age, short
from netops.cli.options import HostOpt, JsonOpt, PlatformOpt, RoleOpt, SiteOpt, filters, severity
from netops.cli.output import console, err_console, print_json
from netops.errors import InputError
from netops.settings import Settings
from netops.styles import SEVERITY_STYLE

if TYPE_CHECKING:
    from netops.services.alerts import ActiveAlert, TargetDelivery, Transition

alerts_app = typer.Typer(help="Alerts delivered by mail, webhook and syslog: active ones, history, deliver now, test the targets.",
                         no_args_is_help=False)
SeverityOpt = Annotated[Optional[str], typer.Option("--severity", metavar="SEVERITY", help="Show alerts at or above this severity (critical, high, "
                                                    "medium, low, info) [default: alerts.severity, else high].", show_default=False)]
DELIVERY_STYLE = {"sent": "green", "pending": "yellow", "failed": "bold red", "gave_up": "bold red"}


def _when(value: datetime, settings: Settings) -> str:
    return value.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M:%S")


def _state(d: TargetDelivery) -> str:
    """``sent``, ``digest`` (sent in a digest), ``pending``, ``retry 2``, ``gave up``."""
    if d.status == "sent":
        return "digest" if d.digest else "sent"
    return {"failed": f"retry {d.attempts}", "gave_up": "gave up"}.get(d.status, d.status)


def _deliveries(items: tuple[TargetDelivery, ...]) -> Text:
    """``sent: mail, syslog; retry 1: webhook``: the targets grouped by state, coloured."""
    if not items:
        return Text("-", style="dim")
    groups: dict[str, list[TargetDelivery]] = {}
    for d in items:
        groups.setdefault(_state(d), []).append(d)
    return Text("; ").join(Text(f"{state}: {', '.join(d.target for d in group)}", style=DELIVERY_STYLE.get(group[0].status, ""))
                           for state, group in groups.items())


def _active_table(rows: list[ActiveAlert], now: datetime) -> Table:
    table = Table(title=f"{len(rows)} active alert(s)", title_justify="left")
    for col, ratio in (("severity", None), ("alert", 3), ("age", None), ("delivered", 2), ("message", 4)):
        table.add_column(col, no_wrap=ratio is None, ratio=ratio)
    for row in rows:
        a = row.alert
        delivered = _deliveries(row.deliveries) if row.queued else Text("not queued", style="dim")
        table.add_row(Text(a.severity, style=SEVERITY_STYLE.get(a.severity, "")), Text(f"{a.kind} {a.label}"),
                      short((now - a.time).total_seconds()), delivered, Text(a.message))
    return table


def _list(settings: Settings, min_severity: str | None, selected: Any, as_json: bool) -> None:
    from netops.services.alerts import active

    now = datetime.now(timezone.utc)
    rows = active(settings, severity(min_severity, "--severity") if min_severity else None, selected, now)
    if as_json:
        print_json([r.to_dict() for r in rows])
        return
    console.print(_active_table(rows, now))


@alerts_app.callback(invoke_without_command=True)
def alerts(
    ctx: typer.Context,
    min_severity: SeverityOpt = None,
    site: SiteOpt = None,
    role: RoleOpt = None,
    platform: PlatformOpt = None,
    host: HostOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Alert conditions active now from every source (SNMP, backups, checks, the report): `netops alerts list`."""
    if ctx.invoked_subcommand is not None:
        if any((min_severity, site, role, platform, host, as_json)):
            raise InputError(f"options go after the subcommand: netops alerts {ctx.invoked_subcommand} [OPTIONS]",
                             key=ctx.invoked_subcommand)
        return
    _list(ctx.obj, min_severity, filters(site, role, platform, host), as_json)


@alerts_app.command("list")
def list_command(
    ctx: typer.Context,
    min_severity: SeverityOpt = None,
    site: SiteOpt = None,
    role: RoleOpt = None,
    platform: PlatformOpt = None,
    host: HostOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Alert conditions active now from every source (SNMP, backups, checks, the report), most severe first, and
    what became of their alerts (sent to which target, pending, not queued because below alerts.severity)."""
    _list(ctx.obj, min_severity, filters(site, role, platform, host), as_json)


@alerts_app.command("history")
def history_command(
    ctx: typer.Context,
    since: Annotated[str, typer.Option("--since", metavar="AGE", help="How far back (e.g. 2h, 1d, 2w).")] = "7d",
    site: SiteOpt = None,
    role: RoleOpt = None,
    platform: PlatformOpt = None,
    host: HostOpt = None,
    limit: Annotated[Optional[int], typer.Option("--limit", metavar="N", min=1, help="At most this many transitions (newest first).",
                                                 show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """Alerts raised and cleared, newest first, with their delivery to every target (sent, in a digest, retried, given up)."""
    from netops.services import inventory
    from netops.services.alerts import history

    settings: Settings = ctx.obj
    start = datetime.now(timezone.utc) - timedelta(seconds=parse_age(since, key="--since"))
    selected = filters(site, role, platform, host)
    hosts = None if not any((site, role, platform, host)) else sorted(inventory.hosts(settings, selected))
    rows = history(settings, start, hosts, limit)
    if as_json:
        print_json([r.to_dict() for r in rows])
        return
    console.print(_history_table(rows, settings, since))
    for line in _problems(rows):
        console.print(line)


def _history_table(rows: list[Transition], settings: Settings, since: str) -> Table:
    table = Table(title=f"{len(rows)} transition(s) in the last {since}", title_justify="left")
    for col, ratio in (("time", None), ("alert", 3), ("deliveries", 2), ("message", 4)):
        table.add_column(col, no_wrap=ratio is None, ratio=ratio)
    for row in rows:
        a = row.alert
        alert = Text.assemble((a.state.upper(), "bold" if a.state == "raised" else "green"), " ",
                              (a.severity, SEVERITY_STYLE.get(a.severity, "")), f" {a.kind} {a.label}")
        table.add_row(_when(a.time, settings), alert, _deliveries(row.deliveries), Text(a.message))
    return table


def _problems(rows: list[Transition]) -> list[Text]:
    """One line per delivery that failed: what the target answered."""
    out = []
    for row in rows:
        for d in row.deliveries:
            if d.status in ("failed", "gave_up") and d.error:
                what = "given up" if d.status == "gave_up" else "retried by a later run"
                out.append(Text(f"{d.target} {row.alert.headline}: {d.error} (attempt {d.attempts}, {what})",
                                style=DELIVERY_STYLE.get(d.status, "")))
    return out


@alerts_app.command("deliver")
def deliver_command(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Gather every source and send what is due now (poll, backup and check do this when they finish).

    Exit 0: delivered (or nothing to do), 1: a target failed (kept in the outbox, retried by the next run), 2: bad input.
    """
    from netops.services.alerts import deliver

    settings: Settings = ctx.obj
    run = deliver(settings)
    if as_json:
        print_json(run.to_dict())
        raise typer.Exit(1 if run.failed else 0)
    queued = f"queued {len(run.queued)} transition(s)" + (": " + "; ".join(a.headline for a in run.queued) if run.queued else "")
    console.print(Text(queued))
    if not run.targets:
        console.print("no alert target configured (alerts.mail, alerts.webhook, alerts.syslog in netops.yaml): recorded, nothing sent")
        return
    if run.busy:
        console.print("another delivery is running: it sends what is due")
    if run.sent:
        table = Table(title=f"{len(run.sent)} message(s)", title_justify="left")
        for col in ("target", "message", "alerts", "result"):
            table.add_column(col, no_wrap=col in ("target", "message"))
        for s in run.sent:
            table.add_row(s.target, s.kind, Text("\n".join(a.headline for a in s.alerts)),
                          Text(s.detail, style="" if s.ok else "bold red"))
        console.print(table)
    elif not run.busy:
        console.print("nothing due")
    for target, count in run.held.items():
        when = _when(run.next_at[target], settings) if target in run.next_at else "later"
        console.print(f"{target}: {count} held by the rate limit until {when}")
    for target, count in run.retrying.items():
        when = f" (from {_when(run.retry_at[target], settings)})" if target in run.retry_at else ""
        console.print(f"{target}: {count} failed delivery(ies) to retry by a later run{when}")
    if run.gave_up:
        err_console.print(f"{run.gave_up} delivery(ies) given up after too many attempts (netops alerts history)")
    raise typer.Exit(1 if run.failed else 0)


@alerts_app.command("test")
def test_command(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Send one test message to every configured target. Exit 0: all accepted, 1: a target failed (its answer is
    shown), 2: no target configured or bad input."""
    from netops.services.alerts import settings_of, test

    settings: Settings = ctx.obj
    results = test(settings)
    where = settings_of(settings).describe()
    if as_json:
        print_json({"targets": [s.to_dict() | {"where": where.get(s.target, "")} for s in results],
                    "failed": sum(not s.ok for s in results)})
    else:
        table = Table()
        for col in ("target", "where", "result"):
            table.add_column(col)
        for s in results:
            table.add_row(s.target, Text(where.get(s.target, "")), Text(("ok: " if s.ok else "FAILED: ") + s.detail,
                                                                        style="green" if s.ok else "bold red"))
        console.print(table)
    raise typer.Exit(0 if all(s.ok for s in results) else 1)


def register(app: typer.Typer) -> None:
    app.add_typer(alerts_app, name="alerts")
