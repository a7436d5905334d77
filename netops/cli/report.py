"""``netops report``: the daily infrastructure status report, and whether it went out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from netops.cli.options import JsonOpt, SiteOpt, split_list
from netops.cli.output import console, err_console, print_json
from netops.errors import InputError
from netops.settings import Settings

report_app = typer.Typer(help="The daily infrastructure status report (HTML, PDF, Markdown, JSON) and its delivery.",
                         no_args_is_help=True)
DateOpt = Annotated[Optional[str], typer.Option("--date", metavar="YYYY-MM-DD", help="The report day (default: today in the "
                                                "configured time zone; a day ends at the report time).", show_default=False)]
STATE_STYLE = {"green": "bold white on green", "amber": "bold black on yellow", "red": "bold white on red"}


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{value!r} is not a date (YYYY-MM-DD)", key="--date") from None


@report_app.command("daily")
def daily(
    ctx: typer.Context,
    date: DateOpt = None,
    site: SiteOpt = None,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="html, pdf, md or json (default: from --output's "
                                               "suffix, else html).", show_default=False)] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report here (default: html and pdf go "
                                                   "to the report directory, md and json to stdout).", show_default=False)] = None,
    send: Annotated[bool, typer.Option("--send", help="Mail it: headlines as text, the HTML report, the PDF attached.")] = False,
    smtp_host: Annotated[Optional[str], typer.Option("--smtp-host", help="[report.mail.smtp_host]", show_default=False)] = None,
    smtp_port: Annotated[Optional[int], typer.Option("--smtp-port", help="[report.mail.smtp_port]", show_default=False)] = None,
    smtp_tls: Annotated[Optional[str], typer.Option("--smtp-tls", help="starttls, tls or none [report.mail.tls].",
                                                    show_default=False)] = None,
    sender: Annotated[Optional[str], typer.Option("--from", help="[report.mail.from]", show_default=False)] = None,
    to: Annotated[Optional[list[str]], typer.Option("--to", help="Recipient, repeatable [report.mail.to].", show_default=False)] = None,
    as_json: JsonOpt = False,
) -> None:
    """The day on both campuses: headlines, availability, backups and changes, compliance, Wi-Fi, alerts, interfaces.

    Exit 0: written (and sent); 1: the mail failed (the report is kept in the report directory); 2: bad input.
    """
    from netops.report.render import FORMATS
    from netops.services import report as service

    settings: Settings = ctx.obj
    chosen = "json" if as_json else fmt or (output.suffix.lstrip(".") if output is not None and output.suffix else "html")
    if chosen not in FORMATS:
        raise InputError(f"{chosen!r} is not one of {', '.join(FORMATS)}", key="--format")
    mail = service.options(settings).mail.with_flags(smtp_host=smtp_host, smtp_port=smtp_port, tls=smtp_tls, sender=sender,
                                                     to=split_list(to)) if send else None
    if mail is not None and mail.missing():
        raise InputError(f"--send needs {', '.join(mail.missing())}", key="--send")
    report = service.daily(settings, _date(date), tuple(split_list(site)))
    delivery = service.send_report(settings, report, mail) if mail is not None else None
    if output is not None:
        service.write(output, service.rendered(report, chosen))
        err_console.print(f"report written to {output}", highlight=False)
    elif chosen in ("md", "json"):
        text = service.rendered(report, chosen).decode("utf-8")
        if chosen == "json" and delivery is not None:
            import json

            text = json.dumps(json.loads(text) | {"delivery": delivery.to_dict()}, indent=2, ensure_ascii=False) + "\n"
        console.file.write(text)
        console.file.flush()
    elif delivery is None:
        [path] = service.keep(settings, report, (chosen,))
        err_console.print(f"report written to {path}", highlight=False)
    if not as_json:
        for name, state in report.sites.items():
            err_console.print(Text.assemble((f" {state.headline.status.upper()} ", STATE_STYLE[state.headline.status]),
                                            f" {name}: {state.headline.reason}"), soft_wrap=True)
    if delivery is not None:
        d = delivery.delivery
        err_console.print(f"sent to {', '.join(d.recipients)} via {d.server} (attempt {d.attempts}); kept in "
                          f"{delivery.files[0].parent}", highlight=False, soft_wrap=True)


@report_app.command("status")
def status(ctx: typer.Context, date: DateOpt = None, as_json: JsonOpt = False) -> None:
    """Whether the day's report went out, when and to whom.

    Exit 0: sent, or not due yet; 1: past the deadline (report.deadline, 19:00) and not sent: a check to alert on.
    """
    from netops.services import report as service

    settings: Settings = ctx.obj
    state = service.status(settings, _date(date))
    if date is None:
        service.watch_deadline(settings)  # today's overdue report is an alert on the alert targets too

    def local(stamp: str) -> str:
        return f"{dt.datetime.fromisoformat(stamp).astimezone(settings.zone):%Y-%m-%d %H:%M %Z}"

    if as_json:
        print_json(state.to_dict())
    else:
        table = Table(title=f"daily report {state.date}", show_header=False, title_justify="left")
        table.add_column("what", style="bold")
        table.add_column("value")
        if state.sent is not None:
            table.add_row("sent", Text(f"{local(state.sent.time)} to {', '.join(state.sent.recipients)} via {state.sent.server}",
                                       style="green"))
        else:
            table.add_row("sent", Text("no" + (" - OVERDUE" if state.overdue else ""), style="bold red" if state.overdue else "yellow"))
        table.add_row("deadline", f"{state.deadline:%Y-%m-%d %H:%M %Z}")
        if state.last_failure is not None:
            table.add_row("last failure", Text(f"{local(state.last_failure.time)}: {state.last_failure.error}", style="red"))
        files = (state.sent or state.last_failure)
        if files is not None and files.files:
            table.add_row("files", "\n".join(files.files))
        console.print(table)
    raise typer.Exit(1 if state.overdue else 0)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
