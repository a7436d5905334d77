"""``netops audit`` (log, verify, prune): the append-only, hash-chained record of every run and change."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from netops.ages import parse_age
from netops.cli.options import JsonOpt
from netops.cli.output import console, print_json
from netops.errors import InputError
from netops.settings import Settings

audit_app = typer.Typer(help="The audit trail: who ran or changed what, when, why and with what result (log, verify, "
                        "prune).", no_args_is_help=True)

RESULT_STYLE = {"ok": "green", "failed": "bold red", "declined": "yellow", "interrupted": "yellow", "dry run": "dim"}


def since_time(value: str | None, settings: Settings, now: datetime | None = None) -> datetime | None:
    """``--since``: an age (``2h``, ``7d``) before now, or a date / date and time in the settings' time zone
    (``2026-05-04``, ``2026-05-04T18:00``, or with an offset)."""
    if value is None:
        return None
    text = value.strip()
    if text and text[-1] in "smhdw" and text[:-1].replace(".", "", 1).isdigit():
        return (now or datetime.now(timezone.utc)) - timedelta(seconds=parse_age(text, key="--since"))
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(), tzinfo=settings.zone)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{value!r} is neither an age (2h, 7d) nor a date (2026-05-04, 2026-05-04T18:00)",
                         key="--since") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=settings.zone)


def _result(text: str) -> Text:
    head = text.split(":", 1)[0]
    return Text(text, style=RESULT_STYLE.get(head, "red" if head.startswith("failed") else ""))


@audit_app.command("log")
def log_command(
    ctx: typer.Context,
    since: Annotated[Optional[str], typer.Option("--since", metavar="AGE|DATE", help="Only records from then on: an age "
                                                 "(2h, 7d) or a date (2026-05-04, 2026-05-04T18:00, in the configured "
                                                 "time zone).", show_default=False)] = None,
    host: Annotated[Optional[str], typer.Option("--host", metavar="HOST", help="Only records whose target is HOST "
                                                "(wildcards: 'jmu-*').", show_default=False)] = None,
    action: Annotated[Optional[str], typer.Option("--action", metavar="ACTION", help="Only this action (backup, check, "
                                                  "poll, report, drill, restore, rebuild, remediate, vault.rekey, "
                                                  "inventory.trust; 'vault' matches vault.*).", show_default=False)] = None,
    user: Annotated[Optional[str], typer.Option("--user", metavar="USER", help="Only records by this OS user (or who "
                                                "ran sudo).", show_default=False)] = None,
    details: Annotated[bool, typer.Option("--details", help="Show each record's whole detail (the commands pushed "
                                          "etc.), not its summary.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """The records, oldest first: time (in the configured time zone), user, action, target, result, reason.

    Exit 0 (also when nothing matches); run `netops audit verify` to check nothing was altered.
    """
    from netops.services import audit

    settings: Settings = ctx.obj
    found = audit.log(settings, since_time(since, settings), host, action, user)
    if json_out:
        print_json(found.to_dict())
        return
    table = Table()
    for col in ("#", "time", "user", "action", "target", "result", "reason", "detail"):
        table.add_column(col, overflow="fold")
    for r in found.records:
        when = r.when.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M:%S %Z")
        shown = "\n".join(f"{k}: {json.dumps(v)}" for k, v in r.detail.items()) if details else r.summary
        table.add_row(str(r.seq), when, r.who, r.action, r.target, _result(r.result), r.reason or "",
                      Text(shown, style="dim"))
    console.print(table)
    console.print(f"{len(found.records)} of {found.total} record(s) in {found.path}", soft_wrap=True, highlight=False)


@audit_app.command("verify")
def verify_command(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Check the hash chain: name the first record that was edited, deleted, inserted or reordered.

    Exit 0: intact, 1: broken (the record is named).
    """
    from netops.services import audit

    settings: Settings = ctx.obj
    result = audit.verify(settings)
    if json_out:
        print_json(result.to_dict())
    elif result.intact:
        span = f" (records {result.first}..{result.last})" if result.records else ""
        console.print(Text.assemble(("intact:", "green"), f" {result.records} record(s){span}, chain and seals verified "
                                    f"in {result.path}"), soft_wrap=True)
    else:
        for problem in result.problems:
            console.print(Text.assemble(("BROKEN:", "bold red"), f" {problem}"), soft_wrap=True)
        console.print(f"{result.path}: nothing after the first break can be trusted to be complete; compare with a "
                      "copy (backups of the data directory)", soft_wrap=True, highlight=False)
    raise typer.Exit(0 if result.intact else 1)


@audit_app.command("prune")
def prune_command(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Drop the records older than audit.retention (default 180 days, the CERT-In minimum); the chain still verifies.

    Exit 0: done, 1: the log does not verify (nothing dropped), 2: bad configuration.
    """
    from netops.services import audit

    settings: Settings = ctx.obj
    kept = audit.retention(settings)
    dropped = audit.prune(settings)
    if json_out:
        print_json({"dropped": dropped, "retention_days": kept.days})
    else:
        console.print(f"dropped {dropped} record(s) older than {kept.days:g} days", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
