"""The inventory as the CLI and the dashboard see it: hosts, checks, imports."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from netops.errors import InputError
from netops.inventory import Filters, open_nornir
from netops.inventory.check import Problem, check
from netops.inventory.clab import load_topology, simple_inventory
from netops.inventory.files import DEFAULTS_FILE, GROUPS_FILE, HOSTS_FILE, InventoryFiles
from netops.inventory.hosts import HostInfo
from netops.settings import Settings

ROLE_ORDER = {"core": 0, "access": 1, "wlc": 2, "ap": 3}


def hosts(settings: Settings, filters: Filters | None = None) -> dict[str, HostInfo]:
    """Every selected host (as the active mode maps it), by name, in site / role / name order."""
    nr = open_nornir(settings, filters, credentials=False)
    infos = [HostInfo.of(h) for h in nr.inventory.hosts.values()]
    infos.sort(key=lambda i: (i.site, ROLE_ORDER.get(i.role, 9), i.name))
    return {i.name: i for i in infos}


def problems(settings: Settings) -> list[Problem]:
    """Every error and warning of the inventory files (AP cabling checked against the latest backups)."""
    return check(InventoryFiles.of(settings.inventory), settings.backup_dir)



def from_clab(topology: Path) -> dict[str, dict[str, Any]]:
    """A SimpleInventory (hosts, groups, defaults) of a containerlab topology's nodes."""
    return simple_inventory(load_topology(topology))


def write_inventory(inventory: dict[str, dict[str, Any]], directory: Path, force: bool = False) -> list[Path]:
    """Write ``hosts.yaml``, ``groups.yaml`` and ``defaults.yaml`` into ``directory``; nothing is written when
    one exists already (unless ``force``)."""
    targets = {kind: directory / name for kind, name in (("hosts", HOSTS_FILE), ("groups", GROUPS_FILE), ("defaults", DEFAULTS_FILE))}
    existing = [str(p) for p in targets.values() if p.exists()]
    if existing and not force:
        raise InputError(f"would overwrite {', '.join(existing)} (add --force to replace them)", key="--output")
    texts = {kind: yaml.safe_dump(inventory[kind], sort_keys=False, default_flow_style=False) for kind in targets}
    directory.mkdir(parents=True, exist_ok=True)
    for kind, path in targets.items():
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(texts[kind], encoding="utf-8")
        os.replace(tmp, path)
    return list(targets.values())
