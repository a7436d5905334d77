"""Typed host selection: ``--site``, ``--role``, ``--platform``, ``--host`` (shell-style wildcards)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from nornir.core.inventory import Host

from netops.errors import InputError, unknown
from netops.inventory import hosts as h

WILDCARDS = set("*?[")


@dataclass(frozen=True)
class Filters:
    """Hosts must match every non-empty criterion (any of the values given for it)."""

    sites: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    ssh_only: bool = False  # only hosts netops logs into (not controller-managed APs)
    host_key: str = field(default="--host", compare=False)  # how the command takes host names (errors name it)

    @classmethod
    def of(
        cls,
        sites: Iterable[str] | None = None,
        roles: Iterable[str] | None = None,
        platforms: Iterable[str] | None = None,
        hosts: Iterable[str] | None = None,
        ssh_only: bool = False,
        host_key: str = "--host",
    ) -> Filters:
        return cls(tuple(sites or ()), tuple(roles or ()), tuple(platforms or ()), tuple(hosts or ()), ssh_only, host_key)

    def matches(self, host: Host) -> bool:
        return (
            (not self.sites or h.site(host) in self.sites)
            and (not self.roles or h.role(host) in self.roles)
            and (not self.platforms or h.platform(host) in self.platforms)
            and (not self.hosts or any(fnmatchcase(host.name, pattern) for pattern in self.hosts))
            and (not self.ssh_only or h.is_ssh_managed(host))
        )

    def validate(self, all_hosts: Iterable[Host]) -> None:
        """Reject values no host has (a typo would otherwise select nothing)."""
        all_hosts = list(all_hosts)
        checks = (
            ("--site", "site", self.sites, {h.site(x) for x in all_hosts}),
            ("--role", "role", self.roles, {h.role(x) for x in all_hosts}),
            ("--platform", "platform", self.platforms, {h.platform(x) for x in all_hosts}),
            (self.host_key, "host", self.hosts, {x.name for x in all_hosts}),
        )
        for option, what, wanted, known in checks:
            for value in wanted:
                if WILDCARDS & set(value):
                    if not any(fnmatchcase(name, value) for name in known):
                        raise InputError(f"no {what} matches {value!r}", key=option)
                elif value not in known:
                    raise unknown(what, value, known, key=option)
