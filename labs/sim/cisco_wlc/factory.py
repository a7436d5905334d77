"""The factory default of an AireOS controller."""

from __future__ import annotations

from labs.sim import factory


def factory_config(original: str, labels: dict[str, str]) -> str:
    return factory.render("cisco_wlc", original)
