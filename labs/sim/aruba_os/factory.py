"""The factory default of an ArubaOS 8 mobility controller."""

from __future__ import annotations

import re

from labs.sim import factory

PHYSICAL = re.compile(r"^interface (gigabitethernet \S+|mgmt)$")


def factory_config(original: str, labels: dict[str, str]) -> str:
    text = factory.render("aruba_os", original, lambda header: bool(PHYSICAL.match(header)))
    model = labels.get("netops-model", "Aruba7210")
    return text.replace('hostname "Aruba7210"', f'hostname "{"Aruba" + model.removeprefix("Aruba")}"')
