"""``netops check``: Wi-Fi and VLAN policy compliance of the latest backups (or a directory of configs), with the probes' findings."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from netops.cli.options import BackupDirOpt, BrokerOpt, ConfigsAlias, FailOnOpt, InventoryAlias, PolicyOpt, old_spelling, severity
from netops.cli.output import console, err_console
from netops.cli.progress import JobProgress
from netops.errors import InputError
from netops.policy.findings import CheckResult
from netops.policy.reporters import FORMATS, RENDERERS, render_table
from netops.settings import Settings

FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, json, junit or html.")]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to this file.", show_default=False)]


def report_format(fmt: str, as_json: bool, output: Path | None) -> str:
    """The validated ``--format`` (``--json`` wins), checked before any work is done."""
    fmt = "json" if as_json else fmt
    if fmt not in FORMATS:
        raise InputError(f"{fmt!r} is not one of {', '.join(FORMATS)}", key="--format")
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


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check_command(
        ctx: typer.Context,
        policy: PolicyOpt = None,
        backup_dir: BackupDirOpt = None,
        configs: ConfigsAlias = None,
        inventory: InventoryAlias = None,
        live: Annotated[bool, typer.Option("--live", help="Fetch running configurations over SSH instead (nothing stored).")] = False,
        probes: Annotated[bool, typer.Option("--probes/--no-probes", help="Include the probes' current findings.")] = True,
        probe_max_age: Annotated[Optional[str], typer.Option("--probe-max-age", help="Leave out probe findings older than this "
                                                             "(e.g. 12h) [env: NETOPS_PROBE_MAX_AGE; default 7d].", show_default=False)] = None,
        fmt: FormatOpt = "table",
        as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
        output: OutputOpt = None,
        fail_on: FailOnOpt = "info",
        lifecycle: Annotated[Optional[Path], typer.Option("--lifecycle", help="End of sale / end of support per model for kind: "
                                                          "software rules [env: NETOPS_LIFECYCLE; default: netops.yaml, else the "
                                                          "built-in table].", show_default=False)] = None,
        broker: BrokerOpt = None,
    ) -> None:
        """Check configurations against the policy; store the run; exit 1 on findings at or above --fail-on."""
        from netops.services.check import CheckOptions, run

        backup_dir = old_spelling("--configs", "--backup-dir", configs, backup_dir)
        settings: Settings = ctx.obj.override(policy=policy, backup_dir=backup_dir, probe_max_age=probe_max_age, inventory=inventory,
                                           lifecycle=lifecycle)
        fmt = report_format(fmt, as_json, output)
        fail_on = severity(fail_on)
        if live and backup_dir is not None:
            raise InputError("--live and --backup-dir exclude each other", key="--live")
        with JobProgress() as progress:
            checked = run(settings, CheckOptions(live=live, probes=probes), progress, broker)
        write_report(checked.meta, checked.result, fmt, output)
        if checked.result.failing(fail_on):
            raise typer.Exit(1)
