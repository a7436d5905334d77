"""The inventory's files and the source line of any key in them.

An inventory is a Nornir SimpleInventory directory (``hosts.yaml``,
``groups.yaml``, ``defaults.yaml``) or a single hosts file, such as the
``nornir-simple-inventory.yml`` containerlab writes into its lab directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from netops.errors import InputError
from netops.yamlfile import YamlList, YamlMap, load

HOSTS_FILE = "hosts.yaml"
GROUPS_FILE = "groups.yaml"
DEFAULTS_FILE = "defaults.yaml"
KINDS = ("hosts", "groups", "defaults")


@dataclass(frozen=True)
class InventoryFiles:
    """Where an inventory's hosts, groups and defaults are (groups and defaults may not exist)."""

    hosts: Path
    groups: Path | None = None  # None: a lone hosts file (groups it names but does not define are empty)
    defaults: Path | None = None

    @property
    def single(self) -> bool:
        return self.groups is None

    @classmethod
    def of(cls, path: Path) -> InventoryFiles:
        """The inventory at ``path``: a directory or a hosts file; neither is an input error."""
        path = Path(path)
        if path.is_dir():
            return cls(path / HOSTS_FILE, path / GROUPS_FILE, path / DEFAULTS_FILE)
        if path.is_file():
            return cls(path)
        raise InputError("no inventory here (a directory with hosts.yaml, or a hosts file)", file=path, key="inventory")

    def path(self, kind: str) -> Path | None:
        """The file of ``kind`` (``hosts``, ``groups`` or ``defaults``); None when the inventory has none."""
        return {"hosts": self.hosts, "groups": self.groups, "defaults": self.defaults}[kind]

    def load(self, kind: str) -> Any:
        """A parsed file (YamlMap with line numbers), or None if absent."""
        path = self.path(kind)
        if path is None or not path.is_file():
            return None
        return _load(path, path.stat().st_mtime)

    def where(self, kind: str, keys: tuple[Any, ...]) -> tuple[str, int | None]:
        """File and line of the deepest existing key along ``keys`` in the file of ``kind``."""
        node = self.load(kind)
        line: int | None = None
        for key in keys:
            if isinstance(node, YamlMap) and key in node:
                line = node.where(key)
                node = node[key]
            elif isinstance(node, YamlList) and isinstance(key, int) and key < len(node):
                line = node.where(key)
                node = node[key]
            else:
                break
        return str(self.path(kind) or self.hosts), line


@lru_cache(maxsize=32)
def _load(path: Path, mtime: float) -> Any:
    return load(path)
