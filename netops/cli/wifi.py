"""``netops wifi show``: the vendor-neutral WLAN (or switch port) view of configurations.

Reads one configuration file (``--config FILE --platform P``) or, for the
inventory hosts selected by ``--site/--role/--platform/--host``, each host's
latest backup (``<backup dir>/<site>/<host>.cfg``). Never contacts a device.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import Progress
from rich.table import Table

from netops.cli.output import console, err_console, print_json
from netops.drivers import all_drivers, get_driver
from netops.errors import InputError
from netops.model import ParsedConfig, SwitchPort, Wlan
from netops.settings import Settings

wifi_app = typer.Typer(help="Wi-Fi and VLAN views parsed from configurations.", no_args_is_help=True)

Many = Optional[list[str]]


@dataclass
class _Source:
    host: str
    platform: str
    origin: str  # file the text came from, for messages
    text: str


def _from_file(config: Path, platforms: list[str]) -> Iterator[_Source]:
    if len(platforms) != 1:
        raise InputError("--config needs exactly one --platform", key="--platform")
    get_driver(platforms[0])  # unknown platform → input error before reading
    try:
        text = config.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read configuration: {exc.strerror}", file=config, key="--config") from None
    yield _Source(host=config.stem, platform=platforms[0], origin=str(config), text=text)


def _from_backups(settings: Settings, backup_dir: Path, sites: Many, roles: Many, platforms: Many, hosts: Many) -> Iterator[_Source]:
    from netops.backup.gitstore import GitStore, device_path
    from netops.inventory import Filters, open_nornir
    from netops.inventory import hosts as h

    nr = open_nornir(settings, Filters.of(sites, roles, platforms, hosts), credentials=False)
    store = GitStore(backup_dir)
    drivers = all_drivers()
    for host in sorted(nr.inventory.hosts.values(), key=lambda x: (h.site(x), x.name)):
        if h.platform(host) not in drivers:
            continue  # e.g. controller-managed APs: no configuration of their own
        path = device_path(h.site(host), host.name)
        text = store.read(path)
        if text is None:
            if h.is_ssh_managed(host):
                err_console.print(f"[yellow]warning:[/] {host.name}: no backup at {backup_dir / path}", highlight=False)
            continue
        yield _Source(host=host.name, platform=h.platform(host), origin=str(backup_dir / path), text=text)


def _parse_all(sources: list[_Source]) -> list[ParsedConfig]:
    parsed: list[ParsedConfig] = []
    with Progress(console=err_console, transient=True, disable=len(sources) < 5) as progress:
        task = progress.add_task("parsing configurations", total=len(sources))
        for source in sources:
            config = get_driver(source.platform).parse(source.text, source.host)
            for issue in config.issues:
                err_console.print(
                    f"[yellow]warning:[/] {source.origin}:{issue.line}: {issue.text!r}: {issue.message}",
                    highlight=False, markup=True, soft_wrap=True,
                )
            parsed.append(config)
            progress.advance(task)
    return parsed


def _ranges(vlans: list[int]) -> str:
    """[20, 110, 111, 112] → "20,110-112"."""
    runs: list[list[int]] = []
    for vlan in vlans:
        if runs and vlan == runs[-1][1] + 1:
            runs[-1][1] = vlan
        else:
            runs.append([vlan, vlan])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _yes(flag: bool) -> str:
    return "yes" if flag else "-"


def _wlan_table(wlans: list[Wlan]) -> Table:
    table = Table(title=f"{len(wlans)} WLAN(s)")
    for column in ("host", "profile", "SSID", "enabled", "security", "PMF", "VLANs", "isolation", "hidden", "FT", "bands"):
        table.add_column(column)
    for w in wlans:
        table.add_row(
            w.host, w.profile, w.ssid, _yes(w.enabled), w.security, w.pmf, _ranges(w.vlans) or "-",
            _yes(w.client_isolation), _yes(w.hidden), _yes(w.fast_transition), ",".join(w.bands) or "-",
        )
    return table


def _port_table(ports: list[SwitchPort]) -> Table:
    table = Table(title=f"{len(ports)} switch port(s)")
    for column in ("host", "port", "description", "mode", "access", "native", "allowed VLANs", "shutdown"):
        table.add_column(column)
    for p in ports:
        allowed = "all" if len(p.allowed_vlans) == 4094 else _ranges(p.allowed_vlans)
        table.add_row(
            p.host, p.name, p.description, p.mode, str(p.access_vlan or "-"), str(p.native_vlan or "-"),
            allowed or "-", _yes(p.shutdown),
        )
    return table


@wifi_app.command("show")
def show(
    ctx: typer.Context,
    config: Annotated[Optional[Path], typer.Option("--config", help="Parse this configuration file (needs --platform).", show_default=False)] = None,
    site: Annotated[Many, typer.Option("--site", help="Only this site (repeatable).", show_default=False)] = None,
    role: Annotated[Many, typer.Option("--role", help="Only this role (repeatable).", show_default=False)] = None,
    platform: Annotated[Many, typer.Option("--platform", help="Only this platform (repeatable); with --config, its platform.", show_default=False)] = None,
    host: Annotated[Many, typer.Option("--host", help="Only this host (repeatable).", show_default=False)] = None,
    backup_dir: Annotated[
        Optional[Path],
        typer.Option("--backup-dir", envvar="NETOPS_BACKUP_DIR", help="Backup git repository (default: <data dir>/backups).", show_default=False),
    ] = None,
    ports: Annotated[bool, typer.Option("--ports", help="Show switch ports instead of WLANs.")] = False,
    json: Annotated[bool, typer.Option("--json", help="Machine-readable output on stdout.")] = False,
) -> None:
    """Show WLANs (or switch ports) parsed from a config file or from the latest backups.

    Lines a parser does not understand are printed as warnings on stderr.
    """
    settings: Settings = ctx.obj
    if config is not None:
        if site or role or host:
            raise InputError("--config cannot be combined with --site/--role/--host", key="--config")
        sources = list(_from_file(config, platform or []))
    else:
        sources = list(_from_backups(settings, backup_dir or settings.backup_dir, site, role, platform, host))
    parsed = _parse_all(sources)
    if ports:
        rows = [p for c in parsed for p in c.ports]
        if json:
            print_json([p.to_dict() for p in rows])
        else:
            console.print(_port_table(rows))
        return
    wlans = [w for c in parsed for w in c.wlans]
    if json:
        print_json([w.to_dict() for w in wlans])
    else:
        console.print(_wlan_table(wlans))


def register(app: typer.Typer) -> None:
    app.add_typer(wifi_app, name="wifi")
