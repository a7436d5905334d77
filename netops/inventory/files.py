"""The inventory directory's files and the source line of any key in them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from netops.yamlfile import YamlList, YamlMap, load

HOSTS_FILE = "hosts.yaml"
GROUPS_FILE = "groups.yaml"
DEFAULTS_FILE = "defaults.yaml"


@lru_cache(maxsize=32)
def _load(path: Path, mtime: float) -> Any:
    return load(path)


def load_file(inventory_dir: Path, name: str) -> Any:
    """A parsed inventory file (YamlMap with line numbers), or None if absent."""
    path = Path(inventory_dir) / name
    if not path.is_file():
        return None
    return _load(path, path.stat().st_mtime)


def where(inventory_dir: Path, name: str, path: tuple[Any, ...]) -> tuple[str, int | None]:
    """File and line of the deepest existing key along ``path`` in an inventory file."""
    file = str(Path(inventory_dir) / name)
    node = load_file(inventory_dir, name)
    line: int | None = None
    for key in path:
        if isinstance(node, YamlMap) and key in node:
            line = node.where(key)
            node = node[key]
        elif isinstance(node, YamlList) and isinstance(key, int) and key < len(node):
            line = node.where(key)
            node = node[key]
        else:
            break
    return file, line
