"""``netops privacy report``: what personal data netops holds, where, in what form, for how long; the safeguards."""

from __future__ import annotations

import typer
from rich.table import Table

from netops.cli.options import JsonOpt
from netops.cli.output import console, print_json
from netops.settings import Settings

privacy_app = typer.Typer(help="Personal data (DPDP Act 2023): what netops holds and how it is protected.",
                          no_args_is_help=True)


@privacy_app.command("report")
def report(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Personal data held (client history, audit trail, backups, ...), where, in what form, for how long, how many,
    and the security safeguards: the basis for the DPDP records. Reads only; exit 0."""
    from netops.services.privacy import report as build

    settings: Settings = ctx.obj
    result = build(settings)
    if json_out:
        print_json(result.to_dict())
        return
    table = Table(title=f"personal data held by netops ({result.data_dir})")
    for col in ("data", "form", "personal data", "kept", "count", "where"):
        table.add_column(col)
    for h in result.holdings:
        count = ", ".join(f"{k} {v}" for k, v in h.count.items() if v is not None)
        table.add_row(h.name, h.form, h.personal_data, h.retention, count, h.where)
    console.print(table)
    safe = Table(title="safeguards")
    for col in ("safeguard", "state", "detail"):
        safe.add_column(col)
    for s in result.safeguards:
        safe.add_row(s.name, s.state, s.detail)
    console.print(safe)
    for line in result.basis:
        console.print(f"- {line}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(privacy_app, name="privacy")
