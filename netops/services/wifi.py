"""The vendor-neutral WLAN and switch-port view of configurations (``netops wifi show``): never contacts a device."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from netops.backup.gitstore import GitStore, device_path
from netops.drivers import get_driver
from netops.errors import InputError
from netops.inventory import Filters
from netops.model import ParsedConfig
from netops.services import inventory
from netops.services.events import Listener, ignore, steps
from netops.settings import Settings


@dataclass
class Parsed:
    """Parsed configurations and what the reader must know about them."""

    configs: list[ParsedConfig] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # missing backups, lines a parser did not understand
    notes: list[str] = field(default_factory=list)  # e.g. an AP whose WLANs come from its controller


def from_file(config: Path, platform: str) -> Parsed:
    """One configuration file parsed as ``platform`` (its host name is the file's stem)."""
    driver = get_driver(platform)  # unknown platform: input error before reading
    try:
        text = config.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read configuration: {exc.strerror}", file=config, key="--config") from None
    parsed = driver.parse(text, config.stem)
    return Parsed([parsed], [f"{config}:{i.line}: {i.text!r}: {i.message}" for i in parsed.issues])


def from_backups(settings: Settings, filters: Filters = Filters(), on_event: Listener = ignore) -> Parsed:
    """The latest backup of every selected host, parsed. A controller-managed AP stands for its controller's WLANs."""
    hosts = inventory.hosts(settings, filters)
    everyone = inventory.hosts(settings) if any(h.controller_managed for h in hosts.values()) else hosts
    store = GitStore(settings.backup_dir)
    out = Parsed()
    wanted: dict[str, str] = {}  # host whose configuration is read -> why
    managed: dict[str, list[str]] = {}  # controller -> the selected APs it manages
    for name, host in hosts.items():
        if host.controller_managed and host.controller:
            managed.setdefault(host.controller, []).append(name)
            wanted.setdefault(host.controller, "controller")
        elif host.ssh_managed:
            wanted[name] = "own"
    for controller, aps in sorted(managed.items()):
        names = sorted(aps)
        which = names[0] if len(names) == 1 else f"{len(names)} APs ({', '.join(names[:3])}{', ...' if len(names) > 3 else ''})"
        out.notes.append(f"{which} managed by {controller}: WLANs and state come from the controller (shown below; "
                         f"an AP's live state: netops poll --once --host {names[0]})")
    advance = steps(on_event)("parsing configurations", len(wanted))
    for name in sorted(wanted, key=lambda n: (everyone[n].site if n in everyone else "", n)):
        info = everyone.get(name)
        if info is None:
            out.warnings.append(f"{name}: not in the inventory")
            continue
        path = device_path(info.site, name)
        text = store.read(path)
        advance()
        if text is None:
            out.warnings.append(f"{name}: no backup at {settings.backup_dir / path}")
            continue
        parsed = get_driver(info.platform).parse(text, name)
        out.warnings += [f"{settings.backup_dir / path}:{i.line}: {i.text!r}: {i.message}" for i in parsed.issues]
        out.configs.append(parsed)
    return out
