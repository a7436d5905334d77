"""``netops config show`` and ``netops init``: the effective configuration, and starter files for a new site."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netops import config, defaults
from netops.errors import InputError
from netops.files import write_all
from netops.settings import Settings

STARTER = ("netops.yaml", "inventory/hosts.yaml", "inventory/groups.yaml", "inventory/defaults.yaml", "policy/site.yaml")
SITE_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


def describe(settings: Settings) -> dict[str, Any]:
    """The effective configuration: the file in effect, where files are looked for, every setting and its origin."""
    searched = [{"how": how, "path": str(path) if path else None, "exists": bool(path and path.is_file()),
                 "in_effect": how == settings.config_found}
                for how, path in config.search_path(os.environ, settings.config_flag)]
    return {"config_file": str(settings.config_file) if settings.config_file else None,
            "builtin": str(defaults.path(config.CONFIG_NAME)), "searched": searched, "settings": settings.rows()}


@dataclass(frozen=True)
class Starter:
    """What ``netops init`` wrote."""

    directory: Path
    files: list[Path]


def init(directory: Path, site: str, force: bool = False) -> Starter:
    """Write the starter configuration, inventory skeleton and policy for ``site`` into ``directory``.

    Nothing is written when any file exists already (unless ``force``).
    """
    if not SITE_NAME.match(site):
        raise InputError(f"{site!r} is not a site name (lower case letters, digits, - and _)", key="--site")
    directory = directory.expanduser()
    copied = ("thresholds.yaml", "hardening.yaml", "lifecycle.yaml")  # the shipped thresholds, hardening baseline and
    # lifecycle table, to edit
    targets = [directory / name for name in STARTER] + [directory / "policy" / name for name in copied]
    existing = [str(t) for t in targets if t.exists()]
    if existing and not force:
        raise InputError(f"would overwrite {', '.join(existing)} (add --force to replace them)", key="DIR")
    short = site.split("-")[0][:3]
    schema = defaults.path("policy", "policy.schema.json")
    texts = [defaults.path("init", name).read_text(encoding="utf-8") for name in STARTER]
    texts = [t.replace("@SITE_SHORT@", short).replace("@SITE@", site).replace("@SCHEMA@", str(schema)) for t in texts]
    texts += [defaults.path("policy", name).read_text(encoding="utf-8") for name in copied]
    write_all(dict(zip(targets, texts)), key="DIR")  # all or none: never a netops.yaml without its policy
    return Starter(directory, targets)
