"""``netops wifi show``: the vendor-neutral WLAN (or switch port) view of configurations.

Reads one configuration file (``--config FILE --platform P``) or, for the
inventory hosts selected by ``--site/--role/--platform/--host``, each host's
latest backup (``<backup dir>/<site>/<host>.cfg``). Never contacts a device.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from netops.cli.options import BackupDirOpt, HostOpt, JsonOpt, PlatformOpt, RoleOpt, SiteOpt, filters
from netops.cli.output import console, err_console, print_json
from netops.cli.progress import JobProgress
from netops.errors import InputError
from netops.model import SwitchPort, Wlan
from netops.parsing.vlans import vlan_ranges
from netops.settings import Settings

wifi_app = typer.Typer(help="Wi-Fi and VLAN views parsed from configurations.", no_args_is_help=True)


def _yes(flag: bool) -> str:
    return "yes" if flag else "-"


def _wlan_table(wlans: list[Wlan]) -> Table:
    table = Table(title=f"{len(wlans)} WLAN(s)")
    for column in ("host", "profile", "SSID", "enabled", "security", "PMF", "VLANs", "isolation", "hidden", "FT", "bands"):
        table.add_column(column)
    for w in wlans:
        table.add_row(
            w.host, w.profile, w.ssid, _yes(w.enabled), w.security, w.pmf, vlan_ranges(w.vlans) or "-",
            _yes(w.client_isolation), _yes(w.hidden), _yes(w.fast_transition), ",".join(w.bands) or "-",
        )
    return table


def _port_table(ports: list[SwitchPort]) -> Table:
    table = Table(title=f"{len(ports)} switch port(s)")
    for column in ("host", "port", "description", "mode", "access", "native", "allowed VLANs", "shutdown"):
        table.add_column(column)
    for p in ports:
        allowed = "all" if len(p.allowed_vlans) == 4094 else vlan_ranges(p.allowed_vlans)
        table.add_row(
            p.host, p.name, p.description, p.mode, str(p.access_vlan or "-"), str(p.native_vlan or "-"),
            allowed or "-", _yes(p.shutdown),
        )
    return table


@wifi_app.command("show")
def show(
    ctx: typer.Context,
    config: Annotated[Optional[Path], typer.Option("--config", help="Parse this configuration file (needs --platform).", show_default=False)] = None,
    site: SiteOpt = None,
    role: RoleOpt = None,
    platform: PlatformOpt = None,
    host: HostOpt = None,
    backup_dir: BackupDirOpt = None,
    ports: Annotated[bool, typer.Option("--ports", help="Show switch ports instead of WLANs.")] = False,
    json: JsonOpt = False,
) -> None:
    """Show WLANs (or switch ports) parsed from a config file or from the latest backups.

    Lines a parser does not understand are printed as warnings on stderr.
    """
    from netops.services import wifi

    settings: Settings = ctx.obj.override(backup_dir=backup_dir)
    if config is not None:
        if site or role or host:
            raise InputError("--config cannot be combined with --site/--role/--host", key="--config")
        if len(platform or []) != 1:
            raise InputError("--config needs exactly one --platform", key="--platform")
        parsed = wifi.from_file(config, (platform or [""])[0])
    else:
        with JobProgress() as progress:
            parsed = wifi.from_backups(settings, filters(site, role, platform, host), progress)
    for warning in parsed.warnings:
        err_console.print(Text.assemble(("warning:", "yellow"), f" {warning}"), soft_wrap=True)
    for note in parsed.notes:
        err_console.print(Text.assemble(("note:", "cyan"), f" {note}"), soft_wrap=True)
    if ports:
        rows = [p for c in parsed.configs for p in c.ports]
        if json:
            print_json([p.to_dict() for p in rows])
        else:
            console.print(_port_table(rows))
        return
    wlans = [w for c in parsed.configs for w in c.wlans]
    if json:
        print_json([w.to_dict() for w in wlans])
    else:
        console.print(_wlan_table(wlans))


def register(app: typer.Typer) -> None:
    app.add_typer(wifi_app, name="wifi")
