"""The simulated platforms, discovered from the platform packages of :mod:`labs.sim`.

A sub-package that exposes a :class:`~labs.sim.platform.SimPlatform` as
``PLATFORM`` is a platform; platforms without one (controller-managed APs such
as ``cisco_ap``) have no SSH and a generic SNMP agent.
"""

from __future__ import annotations

import importlib
import pkgutil

import labs.sim
from labs.sim.device import CliSession
from labs.sim.platform import SimPlatform


def discover() -> dict[str, SimPlatform]:
    """Every platform package's record, keyed by each of its platform names."""
    found: dict[str, SimPlatform] = {}
    for info in pkgutil.iter_modules(labs.sim.__path__, prefix=f"{labs.sim.__name__}."):
        if not info.ispkg:
            continue
        platform = getattr(importlib.import_module(info.name), "PLATFORM", None)
        if not isinstance(platform, SimPlatform):
            continue
        for name in platform.names:
            if name in found:
                raise ValueError(f"platform {name!r} is declared twice (in {info.name})")
            found[name] = platform
    return found


PLATFORMS: dict[str, SimPlatform] = discover()
SESSIONS: dict[str, type[CliSession]] = {name: platform.session for name, platform in PLATFORMS.items()}


def has_ssh(platform: str) -> bool:
    return platform in SESSIONS
