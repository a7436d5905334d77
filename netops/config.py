"""``netops.yaml``: finding, reading and validating the one configuration file.

Search order (the first that exists wins): ``--config FILE``, ``$NETOPS_CONFIG``,
``./netops.yaml``, ``$XDG_CONFIG_HOME/netops/netops.yaml`` (``~/.config/...``),
``/etc/netops/netops.yaml``. A file named by ``--config`` or ``$NETOPS_CONFIG``
must exist. Without any file, the built-in configuration shipped as package data
applies. Relative paths inside a file are relative to that file's directory.
The file is validated against ``netops/defaults/schemas/netops.schema.json``;
a bad file is an input error naming file, line and key.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from netops import defaults
from netops.errors import InputError, InputErrors
from netops.yamlfile import YamlMap, load
from netops.yamlschema import validate

CONFIG_NAME = "netops.yaml"
ENV_CONFIG = "NETOPS_CONFIG"
SYSTEM_CONFIG = Path("/etc/netops") / CONFIG_NAME


def user_config() -> Path:
    """``$XDG_CONFIG_HOME/netops/netops.yaml`` (``~/.config/netops/netops.yaml``)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "netops" / CONFIG_NAME


def search_path(env: Mapping[str, str], flag: Path | None = None) -> list[tuple[str, Path | None]]:
    """Where a configuration file is looked for, in order: (how it is named, the path)."""
    named = env.get(ENV_CONFIG)
    return [
        ("--config", flag),
        (ENV_CONFIG, Path(named) if named else None),
        ("./" + CONFIG_NAME, Path.cwd() / CONFIG_NAME),
        ("user configuration", user_config()),
        ("system configuration", SYSTEM_CONFIG),
    ]


def find(flag: Path | None, env: Mapping[str, str]) -> tuple[Path | None, str]:
    """The configuration file in effect (None: only the built-in one) and how it was found."""
    if flag is not None:
        if not flag.is_file():
            raise InputError("no such configuration file", file=flag, key="--config")
        return flag, "--config"
    named = env.get(ENV_CONFIG)
    if named:
        if not Path(named).is_file():
            raise InputError(f"no such configuration file (named by {ENV_CONFIG})", file=named, key=ENV_CONFIG)
        return Path(named), ENV_CONFIG
    for how, candidate in search_path(env)[2:]:
        if candidate is not None and candidate.is_file():
            return candidate, how
    return None, ""


@cache
def schema() -> dict[str, Any]:
    return json.loads(defaults.path("schemas", "netops.schema.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Entry:
    """One key of a configuration file: its value (paths made absolute) and where it is written."""

    value: Any
    file: Path
    line: int

    def where(self) -> str:
        return f"{self.file}:{self.line}"


PATH_KEYS = ("inventory", "policy", "thresholds", "lifecycle", "topology", "data_dir", "backup_dir", "probes.plan", "lab.dir")


def read(path: Path, check: bool = True) -> dict[str, Entry]:
    """The keys of a configuration file, flattened (``probes.plan``), with relative paths resolved
    against the file's directory; any error of the file raises :class:`InputErrors` (exit 2).
    ``check=False`` skips the schema (the built-in file, which a test validates)."""
    doc = load(path)
    if doc is None:
        return {}
    if check:
        errors = validate(doc, str(path), schema())
        if errors:
            raise InputErrors(errors)
    if not isinstance(doc, YamlMap):
        raise InputError("a configuration file is a mapping of settings", file=path, line=1)
    out: dict[str, Entry] = {}
    base = path.resolve().parent

    def absolute(value: str) -> Path:
        return base / Path(value).expanduser()

    def walk(node: YamlMap, prefix: str) -> None:
        for key, value in node.items():
            name = f"{prefix}{key}"
            if isinstance(value, YamlMap):
                walk(value, name + ".")
                continue
            if name in PATH_KEYS:
                value = [absolute(v) for v in value] if isinstance(value, list) else absolute(value)
            out[name] = Entry(value, path, node.where(key))

    walk(doc, "")
    return out


def builtin() -> dict[str, Entry]:
    """The built-in configuration (package data): the secretariat's inventory, policy and thresholds."""
    return read(defaults.path(CONFIG_NAME), check=False)
