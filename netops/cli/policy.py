"""``netops policy``: lint policy files and re-render stored check runs."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from typing import Annotated, Optional

import typer

from netops.cli.check import report_format, write_report
from netops.cli.output import console, print_json
from netops.errors import InputError, InputErrors
from netops.policy.lint import lint
from netops.policy.store import latest_run_id, load_run, open_db
from netops.settings import Settings

policy_app = typer.Typer(help="Policy files: lint them, re-render stored check runs.", no_args_is_help=True)


@policy_app.command("lint")
def lint_command(
    files: Annotated[list[Path], typer.Argument(help="Policy files.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Errors as JSON.")] = False,
) -> None:
    """Report every error (file, line, key) of policy files; exit 2 if there is any."""
    errors: list[InputError] = []
    summaries = []
    for path in files:
        doc, found = lint(path)
        errors += found
        if not found:
            summaries.append(
                {"file": str(path), "zones": len(doc.get("zones") or {}), "rules": len(doc.get("rules") or []), "waivers": len(doc.get("waivers") or [])}
            )
    if as_json:
        print_json({"ok": summaries, "errors": [{"file": e.file, "line": e.line, "key": e.key, "message": e.message} for e in errors]})
        if errors:
            raise typer.Exit(2)
        return
    for s in summaries:
        console.print(f"{s['file']}: ok ({s['zones']} zones, {s['rules']} rules, {s['waivers']} waivers)", highlight=False)
    if errors:
        raise InputErrors(errors)


@policy_app.command("report")
def report_command(
    ctx: typer.Context,
    run: Annotated[Optional[int], typer.Option("--run", help="Run id (default: the latest).", show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, junit or html.")] = "table",
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to this file.", show_default=False)] = None,
) -> None:
    """Render a stored `netops check` run again, without checking anything."""
    settings: Settings = ctx.obj
    fmt = report_format(fmt, as_json, output)
    with closing(open_db(settings.data_dir)) as conn:
        run_id = run if run is not None else latest_run_id(conn)
        if run_id is None:
            raise InputError("no check run stored yet: run `netops check`", key="--run")
        try:
            meta, result = load_run(conn, run_id)
        except KeyError:
            raise InputError(f"no check run {run_id}", key="--run") from None
    write_report(meta, result, fmt, output)


def register(app: typer.Typer) -> None:
    app.add_typer(policy_app, name="policy")
