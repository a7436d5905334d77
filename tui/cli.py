"""``netops tui``: the terminal dashboard, added to the netops CLI as a plugin.

The ``netops.commands`` entry point in ``pyproject.toml`` names :func:`register`,
so the core never imports this package; Textual loads only when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from netops.cli.options import PolicyOpt
from netops.errors import InputError


def _size(value: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in value.lower().split("x"))
    except ValueError:
        raise InputError(f"expected WIDTHxHEIGHT, got {value!r}", key="--size") from None
    if width < 40 or height < 10:
        raise InputError(f"{value} is too small (at least 40x10)", key="--size")
    return width, height


def register(app: typer.Typer) -> None:
    @app.command("tui")
    def tui(
        ctx: typer.Context,
        read_only: Annotated[bool, typer.Option("--read-only", help="View only: no backup, check, poll or restore.")] = False,
        refresh: Annotated[float, typer.Option("--refresh", metavar="SECONDS", help="Reload interval; 0 turns automatic reload off.")] = 5.0,
        snapshot: Annotated[Optional[Path], typer.Option("--snapshot", metavar="FILE", help="Render the overview once to FILE (.svg or .txt; - prints text) and exit.")] = None,
        headless_seconds: Annotated[Optional[float], typer.Option("--headless-seconds", metavar="N", help="Run without a terminal for N seconds, then exit (CI smoke test).")] = None,
        size: Annotated[str, typer.Option("--size", help="Terminal size of --snapshot / --headless-seconds.")] = "100x30",
        policy: PolicyOpt = None,
    ) -> None:
        """The dashboard: overview, devices, compliance, Wi-Fi, backups, jobs and resilience."""
        if refresh < 0:
            raise InputError("must be 0 or more seconds", key="--refresh")
        if snapshot is not None and str(snapshot) != "-" and snapshot.suffix not in (".svg", ".txt"):
            raise InputError("the snapshot file must end in .svg or .txt (or be - for text on stdout)", file=snapshot, key="--snapshot")
        from tui.app import TuiOptions, run
        from tui.data import NetopsSource

        settings = ctx.obj.override(policy=policy)

        def source() -> NetopsSource:  # built in the dashboard's first worker: the first frame does not wait for it
            return NetopsSource(settings)

        options = TuiOptions(read_only=read_only, refresh=refresh, snapshot=snapshot,
                             headless_seconds=headless_seconds, size=_size(size))
        run(source, options)
