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

from typing import Any

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


def _element(cls: type, name: str, raw: dict[str, Any], defaults: Defaults) -> Any:
    platform = raw.get("platform")
    return cls(
        name=name, hostname=raw.get("hostname"), port=raw.get("port"), username=raw.get("username"),
        password=raw.get("password"), platform=platform_of(platform) if platform else None, data=dict(raw.get("data") or {}),
        groups=raw.get("groups"), defaults=defaults, connection_options=_options(raw.get("connection_options") or {}),
    )


class NetopsInventory:
    def __init__(self, path: str) -> None:
        self.files = InventoryFiles.of(path)  # type: ignore[arg-type]

    def load(self) -> Inventory:
        defaults = _defaults(dict(self.files.load("defaults") or {}))
        groups = Groups()
        for name, raw in (self.files.load("groups") or {}).items():
            groups[name] = _element(Group, name, dict(raw or {}), defaults)
        hosts = Hosts()
        for name, raw in (self.files.load("hosts") or {}).items():
            hosts[name] = _element(Host, name, dict(raw or {}), defaults)
        if self.files.single:  # groups named by a lone hosts file are empty groups
            for element in hosts.values():
                for group in element.groups or []:
                    groups.setdefault(group, Group(name=group, defaults=defaults))
        for element in [*groups.values(), *hosts.values()]:
            element.groups = ParentGroups([groups[g] for g in element.groups or []])
        return Inventory(hosts=hosts, groups=groups, defaults=defaults)
