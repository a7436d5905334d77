"""The factory default of an Aruba Instant AP."""

from __future__ import annotations

from labs.sim import factory


def factory_config(original: str, labels: dict[str, str]) -> str:
    return factory.render("aruba_instant", original)
