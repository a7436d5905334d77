"""Platform drivers, discovered from the sub-packages of this package."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from netops.drivers.base import PlatformDriver
from netops.errors import InputError


@cache
def all_drivers() -> dict[str, PlatformDriver]:
    """Every driver, keyed by platform name."""
    drivers: dict[str, PlatformDriver] = {}
    for info in pkgutil.iter_modules(__path__):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        driver = getattr(module, "DRIVER", None)
        if driver is not None:
            drivers[driver.platform] = driver
    return drivers


def get_driver(platform: str) -> PlatformDriver:
    """The driver of ``platform``; an unknown platform is an input error."""
    try:
        return all_drivers()[platform]
    except KeyError:
        known = ", ".join(sorted(all_drivers()))
        raise InputError(f"unknown platform {platform!r} (known: {known})", key="platform") from None


def platform_of(name: str) -> str:
    """The netops platform a name stands for: itself, or the platform whose driver declares it as an
    alias (a containerlab kind, a napalm or scrapli name); unknown names stay as they are."""
    if name in all_drivers():
        return name
    return next((d.platform for d in all_drivers().values() if name in d.aliases), name)
