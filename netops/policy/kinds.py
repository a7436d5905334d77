"""The objects each rule kind looks at in a parsed configuration, and how findings name them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from netops.model import ParsedConfig

OBJECTS: dict[str, Callable[[ParsedConfig], list[Any]]] = {
    "wlan": lambda config: config.wlans,
    "switchport": lambda config: config.ports,
    "svi": lambda config: config.svis,
}

NAMES: dict[str, Callable[[Any], str]] = {
    "wlan": lambda wlan: wlan.ssid,
    "switchport": lambda port: port.name,
    "svi": lambda svi: f"Vlan{svi.vlan}",
}
