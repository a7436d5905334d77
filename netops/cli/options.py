"""Options many commands share, declared once: filters, output, stores, policy, severities.

A filter option is repeatable and takes comma lists; ``--host`` also takes
shell-style wildcards (``--host 'jmu-acc-*'``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional, TypeVar

import typer

from netops.errors import InputError
from netops.inventory.filters import Filters
from netops.policy.findings import SEVERITIES

Many = Optional[list[str]]
SiteOpt = Annotated[Many, typer.Option("--site", metavar="SITE", help="Only these sites (repeatable or comma-separated).", show_default=False)]
RoleOpt = Annotated[Many, typer.Option("--role", metavar="ROLE", help="Only these roles (repeatable or comma-separated).", show_default=False)]
PlatformOpt = Annotated[Many, typer.Option("--platform", metavar="PLATFORM", help="Only these platforms (repeatable or comma-separated).", show_default=False)]
HostOpt = Annotated[Many, typer.Option("--host", metavar="HOST", help="Only these hosts (repeatable, comma-separated, wildcards: 'jmu-acc-*').",
                                        show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output on stdout.")]
BackupDirOpt = Annotated[Optional[Path], typer.Option(
    "--backup-dir", help="Backup git repository [env: NETOPS_BACKUP_DIR; default: netops.yaml, else <data dir>/backups].",
    show_default=False)]
PolicyOpt = Annotated[Optional[list[Path]], typer.Option(
    "--policy", "-p", help="Policy file (repeatable) [env: NETOPS_POLICY; default: netops.yaml, else the built-in policy].",
    show_default=False)]
FailOnOpt = Annotated[str, typer.Option("--fail-on", help=f"Exit 1 when an active finding is at least this severe ({', '.join(SEVERITIES)}).")]
TimeoutOpt = Annotated[float, typer.Option("--timeout", min=1, help="Seconds allowed per device.")]
ReasonOpt = Annotated[Optional[str], typer.Option(
    "--reason", metavar="TEXT", help="Why (a ticket number, 'replaced after RMA'): kept in the audit trail "
    "[env: NETOPS_REASON].", show_default=False)]
BrokerOpt = Annotated[Optional[str], typer.Option(
    "--broker", metavar="URL", help="Send the device work to netops workers through this Redis broker (redis://HOST:PORT/DB, no "
    "password: engine.password_env names it); 'local' runs here. Default: engine.broker of netops.yaml, else here.",
    show_default=False)]
WorkersOpt = Annotated[Optional[int], typer.Option("--workers", min=1, help="Devices handled in parallel.", show_default=False)]


def filters(site: Many = None, role: Many = None, platform: Many = None, host: Many = None, ssh_only: bool = False,
            host_key: str = "--host") -> Filters:
    """The host selection the filter options ask for (``host_key``: how the command takes host names)."""
    return Filters.of(sites=split_list(site), roles=split_list(role), platforms=split_list(platform), hosts=split_list(host), ssh_only=ssh_only,
                      host_key=host_key)


def split_list(values: Many) -> list[str]:
    """Repeated options and comma lists, as one list (``--site jammu,srinagar --site x``)."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def severity(value: str, option: str = "--fail-on") -> str:
    """A validated severity name."""
    if value not in SEVERITIES:
        raise InputError(f"{value!r} is not one of {', '.join(SEVERITIES)}", key=option)
    return value


T = TypeVar("T")


def old_spelling(old: str, new: str, value: T | None, current: T | None) -> T | None:
    """A renamed option's old spelling, kept hidden for a release: its value (when ``current`` is not set), with a
    one-line notice on stderr."""
    if value is None or value == []:
        return current
    from netops.cli.output import err_console

    err_console.print(f"note: {old} is now {new}")
    return current if current not in (None, []) else value


ConfigsAlias = Annotated[Optional[Path], typer.Option("--configs", hidden=True, help="Old spelling of --backup-dir.", show_default=False)]
BackupsAlias = Annotated[Optional[Path], typer.Option("--backups", hidden=True, help="Old spelling of --backup-dir.", show_default=False)]
InventoryAlias = Annotated[Optional[Path], typer.Option("--inventory", "-i", hidden=True, help="Same as the global --inventory.",
                                                         show_default=False)]
