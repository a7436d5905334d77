"""What a fresh install of netops uses, shipped as package data and found here, never in the current directory.

- ``netops.yaml``: the built-in configuration (its relative paths point next to it);
- ``inventory/``: the secretariat's inventory of both campuses (Nornir SimpleInventory);
- ``policy/``: the secretariat's Wi-Fi / VLAN policy, its JSON Schema, the SNMP thresholds;
- ``schemas/``: JSON Schemas of ``netops.yaml`` and probe plans;
- ``init/``: the starter files ``netops init`` writes for a new site.

In a checkout, ``inventory/`` and ``policy/`` at the top of the repository are
links to these directories.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def path(*parts: str) -> Path:
    """A file or directory of the package data."""
    return Path(str(files(__name__).joinpath(*parts)))
