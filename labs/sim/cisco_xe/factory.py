"""The factory default of an IOS-XE node: a Catalyst 9000 switch or a Catalyst 9800 controller."""

from __future__ import annotations

import re

from labs.sim import factory

# the interfaces a wipe leaves: the hardware's ports, and Vlan1 (always there)
PHYSICAL = re.compile(
    r"^interface ((App|Ten|TwentyFive|Forty|Hundred)?Gig\S*|FastEthernet\S+|Vlan1)$"
)


def factory_config(original: str, labels: dict[str, str]) -> str:
    model = labels.get("netops-model", "").upper()
    name = "cisco_xe-c9800" if model.startswith("C9800") else "cisco_xe-switch"
    return factory.render(name, original, lambda header: bool(PHYSICAL.match(header)))
