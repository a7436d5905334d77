"""``netops check``: Wi-Fi and VLAN policy compliance of the latest backups (or a directory of configs)."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from netops.cli.output import console, err_console
from netops.errors import InputError
from netops.policy.findings import SEVERITIES, CheckResult
from netops.policy.reporters import FORMATS, RENDERERS, render_table
from netops.policy.run import CheckOptions, run_check
from netops.settings import Settings

DEFAULT_POLICY = Path("policy/secretariat.yaml")


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        raise InputError(f"{value!r} is not one of {', '.join(allowed)}", key=option)
    return value


def report_format(fmt: str, as_json: bool, output: Path | None) -> str:
    """The validated ``--format`` (``--json`` wins), checked before any work is done."""
    fmt = _choice("json" if as_json else fmt, FORMATS, "--format")
    if fmt == "table" and output is not None:
        raise InputError("--output needs --format json, junit or html", key="--output")
    return fmt


def write_report(meta: dict[str, Any], result: CheckResult, fmt: str, output: Path | None) -> None:
    """Render to ``output`` (atomically) or stdout."""
    if fmt == "table":
        render_table(meta, result, console)
        return
    text = RENDERERS[fmt](meta, result)
    if output is None:
        console.file.write(text)
        console.file.flush()
        return
    fd, tmp = tempfile.mkstemp(dir=output.parent or Path("."), prefix=f".{output.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)  # a report holds no secret; mkstemp's 0600 would hide it from the team
    os.replace(tmp, output)
    err_console.print(f"report written to {output}")


def _progress_bar() -> tuple[Progress, Callable[[str, int], Callable[[], None]]]:
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err_console, transient=True)

    def start(label: str, total: int) -> Callable[[], None]:
        task = bar.add_task(label, total=total)
        return lambda: bar.advance(task)

    return bar, start


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check_command(
        ctx: typer.Context,
        policy: Annotated[Path, typer.Option("--policy", "-p", envvar="NETOPS_POLICY", help="Policy file.")] = DEFAULT_POLICY,
        configs: Annotated[
            Optional[Path], typer.Option("--configs", help="Directory of <host>.cfg files (default: the backup store).", show_default=False)
        ] = None,
        live: Annotated[bool, typer.Option("--live", help="Fetch running configurations over SSH instead (nothing stored).")] = False,
        inventory: Annotated[
            Optional[Path], typer.Option("--inventory", "-i", help="Inventory directory (default: the global --inventory).", show_default=False)
        ] = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, junit or html.")] = "table",
        as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
        output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to this file.", show_default=False)] = None,
        fail_on: Annotated[str, typer.Option("--fail-on", help="Exit 1 when an active finding is at least this severe.")] = "info",
    ) -> None:
        """Check configurations against the policy; store the run; exit 1 on findings at or above --fail-on."""
        settings: Settings = ctx.obj
        fmt = report_format(fmt, as_json, output)
        fail_on = _choice(fail_on, SEVERITIES, "--fail-on")
        if inventory is not None:
            settings = dataclasses.replace(settings, inventory_dir=inventory)
        if live and configs is not None:
            raise InputError("--live and --configs exclude each other", key="--live")
        options = CheckOptions(policy=policy, settings=settings, configs_dir=None if live else configs or settings.backup_dir)
        bar, progress = _progress_bar()
        with bar:
            meta, result = run_check(options, progress)
        write_report(meta, result, fmt, output)
        if result.failing(fail_on):
            raise typer.Exit(1)
