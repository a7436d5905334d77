"""Open the inventory as a Nornir object: the one entry point other features use."""

from __future__ import annotations

from nornir import InitNornir
from nornir.core import Nornir

from netops.errors import InputError, InputErrors
from netops.inventory import credentials as creds
from netops.inventory.check import structure_problems
from netops.inventory.files import DEFAULTS_FILE, GROUPS_FILE, HOSTS_FILE
from netops.inventory.filters import Filters
from netops.inventory.lab import apply_lab, lab_state
from netops.settings import Settings

DEFAULT_WORKERS = 50


def open_nornir(
    settings: Settings,
    filters: Filters | None = None,
    credentials: bool = True,
    workers: int = DEFAULT_WORKERS,
) -> Nornir:
    """The inventory of ``settings`` as Nornir (SimpleInventory, threaded runner).

    In lab mode every host is mapped onto its lab node (lab credentials, 127.x
    addresses) and hosts outside the lab are dropped. Otherwise, with
    ``credentials``, SSH-managed hosts get their credentials from the
    environment variables the inventory names (all missing ones reported at once).
    """
    inventory_dir = settings.inventory_dir
    problems = structure_problems(inventory_dir)
    if problems and any(p.severity == "error" for p in problems):
        raise InputErrors([p.as_error() for p in problems if p.severity == "error"])
    if workers < 1:
        raise InputError("workers must be at least 1", key="--workers")
    nr = InitNornir(
        inventory={
            "plugin": "SimpleInventory",
            "options": {
                "host_file": str(inventory_dir / HOSTS_FILE),
                "group_file": str(inventory_dir / GROUPS_FILE),
                "defaults_file": str(inventory_dir / DEFAULTS_FILE),
            },
        },
        runner={"plugin": "threaded", "options": {"num_workers": workers}},
        logging={"enabled": False},
    )
    if settings.lab:
        apply_lab(nr.inventory, lab_state(settings.lab_dir))
    filters = filters or Filters()
    filters.validate(nr.inventory.hosts.values())
    nr = nr.filter(filter_func=filters.matches)
    if credentials and not settings.lab:
        errors: dict[str, InputError] = {}
        for host in nr.inventory.hosts.values():
            try:
                creds.load_credentials(host, str(inventory_dir))
            except InputErrors as exc:
                for error in exc.errors:
                    errors.setdefault(f"{error.file}:{error.line}:{error.key}", error)
        if errors:
            raise InputErrors(list(errors.values()))
    return nr
