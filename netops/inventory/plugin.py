"""``NetopsInventory``: nornir's SimpleInventory, also for a single hosts file and foreign platform names.

Registered as a nornir inventory plugin (entry point ``NetopsInventory``), so a
plain nornir script can use it too::

    InitNornir(inventory={"plugin": "NetopsInventory", "options": {"path": "inventory"}})

``path`` is a SimpleInventory directory or one hosts file. A lone hosts file
(containerlab's ``nornir-simple-inventory.yml``) may name groups it does not
define; they are empty. A host's platform written as another tool spells it (a
containerlab kind such as ``cisco_cat9kv``, a napalm or scrapli name) becomes
the netops platform whose driver declares that alias.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from nornir.core.inventory import (
    ConnectionOptions,
    Defaults,
    Group,
    Groups,
    Host,
    Hosts,
    Inventory,
    ParentGroups,
)

from netops.drivers import platform_of
from netops.inventory.files import InventoryFiles

E = TypeVar("E", bound=Host)  # Host or Group


def _options(raw: dict[str, Any]) -> dict[str, ConnectionOptions]:
    return {
        name: ConnectionOptions(
            hostname=o.get("hostname"), port=o.get("port"), username=o.get("username"),
            password=o.get("password"), platform=o.get("platform"), extras=o.get("extras"),
        )
        for name, o in (raw or {}).items()
    }


def _defaults(raw: dict[str, Any]) -> Defaults:
    return Defaults(
        hostname=raw.get("hostname"), port=raw.get("port"), username=raw.get("username"), password=raw.get("password"),
        platform=raw.get("platform"), data=dict(raw.get("data") or {}), connection_options=_options(raw.get("connection_options") or {}),
    )


def _element(cls: type[E], name: str, raw: dict[str, Any], defaults: Defaults) -> E:
    """A host or group without its parent groups (``load`` links them once every group exists)."""
    platform = raw.get("platform")
    return cls(
        name=name, hostname=raw.get("hostname"), port=raw.get("port"), username=raw.get("username"),
        password=raw.get("password"), platform=platform_of(platform) if platform else None, data=dict(raw.get("data") or {}),
        defaults=defaults, connection_options=_options(raw.get("connection_options") or {}),
    )


class NetopsInventory:
    def __init__(self, path: str) -> None:
        self.files = InventoryFiles.of(Path(path))

    def load(self) -> Inventory:
        defaults = _defaults(dict(self.files.load("defaults") or {}))
        groups = Groups()
        parents: list[tuple[Host, list[str]]] = []  # every element with the names of its groups
        for name, raw in (self.files.load("groups") or {}).items():
            raw = dict(raw or {})
            groups[name] = _element(Group, name, raw, defaults)
            parents.append((groups[name], list(raw.get("groups") or [])))
        hosts = Hosts()
        for name, raw in (self.files.load("hosts") or {}).items():
            raw = dict(raw or {})
            hosts[name] = _element(Host, name, raw, defaults)
            parents.append((hosts[name], list(raw.get("groups") or [])))
        if self.files.single:  # groups named by a lone hosts file are empty groups
            for _, names in parents:
                for group in names:
                    groups.setdefault(group, Group(name=group, defaults=defaults))
        for element, names in parents:
            element.groups = ParentGroups([groups[g] for g in names])
        return Inventory(hosts=hosts, groups=groups, defaults=defaults)
