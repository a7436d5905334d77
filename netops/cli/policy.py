"""``netops policy``: lint policy files and re-render stored check runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from netops.cli.check import FormatOpt, OutputOpt, report_format, write_report
from netops.cli.output import console, print_json
from netops.errors import InputError, InputErrors
from netops.settings import Settings

policy_app = typer.Typer(help="Policy files: lint them, re-render stored check runs.", no_args_is_help=True)


@policy_app.command("lint")
def lint_command(
    ctx: typer.Context,
    files: Annotated[Optional[list[Path]], typer.Argument(help="Policy files, each checked on its own (default: the "
                                                          "configured policy files, checked together).", show_default=False)] = None,
    together: Annotated[bool, typer.Option("--together", help="Check FILES as one policy (rules and waivers may refer "
                                           "across them), as --policy A --policy B uses them.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Errors as JSON.")] = False,
) -> None:
    """Report every error (file, line, key) of policy files; exit 2 if there is any."""
    from netops.services.check import lint_policy

    settings: Settings = ctx.obj
    paths = list(files or settings.policy)
    sets = [paths] if together or not files else [[p] for p in paths]
    docs, errors = [], []
    for group in sets:
        found_docs, found = lint_policy(group)
        docs += found_docs
        errors += found
    failed = {e.file for e in errors}
    summaries = [
        {"file": str(path), "zones": len(doc.get("zones") or {}), "rules": len(doc.get("rules") or []),
         "waivers": len(doc.get("waivers") or [])}
        for path, doc in zip(paths, docs) if str(path) not in failed and doc is not None
    ]
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
    fmt: FormatOpt = "table",
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    output: OutputOpt = None,
) -> None:
    """Render a stored `netops check` run again, without checking anything."""
    from netops.services.check import latest

    fmt = report_format(fmt, as_json, output)
    stored = latest(ctx.obj, run)
    if stored is None:
        raise InputError("no check run stored yet: run `netops check`" if run is None else f"no check run {run}", key="--run")
    write_report(stored.meta, stored.result, fmt, output)


def register(app: typer.Typer) -> None:
    app.add_typer(policy_app, name="policy")
