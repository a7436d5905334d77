"""Open the inventory as a Nornir object: the one entry point other features use."""

from __future__ import annotations

from nornir import InitNornir
from nornir.core import Nornir

from netops.errors import InputError, InputErrors
from netops.inventory import credentials as creds
from netops.inventory.check import structure_problems
from netops.inventory.files import InventoryFiles
from netops.inventory.filters import Filters
from netops.inventory.hostkeys import DATA_DIR_KEY
from netops.plugins import active_modes
from netops.settings import Settings

DEFAULT_WORKERS = 50
PLUGIN = "NetopsInventory"  # netops.inventory.plugin, registered with nornir by entry point


def open_nornir(
    settings: Settings,
    filters: Filters | None = None,
    credentials: bool = True,
    workers: int = DEFAULT_WORKERS,
) -> Nornir:
    """The inventory of ``settings`` as Nornir (threaded runner), after the active modes' transforms.

    With ``credentials``, SSH-managed hosts get their credentials from the
    environment variables the inventory names (all missing ones reported at once).
    """
    files = InventoryFiles.of(settings.inventory)
    problems = structure_problems(files)
    if problems and any(p.severity == "error" for p in problems):
        raise InputErrors([p.as_error() for p in problems if p.severity == "error"])
    if workers < 1:
        raise InputError("workers must be at least 1", key="--workers")
    nr = InitNornir(
        inventory={"plugin": PLUGIN, "options": {"path": str(settings.inventory)}},
        runner={"plugin": "threaded", "options": {"num_workers": workers}},
        logging={"enabled": False},
        user_defined={DATA_DIR_KEY: str(settings.data_dir)},  # whose known_hosts SSH sessions verify against
    )
    for mode in active_modes(settings):
        mode.transform(nr.inventory, settings)
    filters = filters or Filters()
    filters.validate(nr.inventory.hosts.values())
    nr = nr.filter(filter_func=filters.matches)
    if credentials:
        errors: dict[str, InputError] = {}
        for host in nr.inventory.hosts.values():
            try:
                creds.load_credentials(host, str(settings.inventory))
            except InputErrors as exc:
                for error in exc.errors:
                    errors.setdefault(f"{error.file}:{error.line}:{error.key}", error)
        if errors:
            raise InputErrors(list(errors.values()))
    return nr
