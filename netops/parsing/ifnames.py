"""Interface names as people write them: ``Gi1/0/24`` is ``GigabitEthernet1/0/24``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

_IFNAME = re.compile(r"^([A-Za-z-]*)\s*(.*)$")
_NAMED = TypeVar("_NAMED")


def _split(name: str) -> tuple[str, str]:
    kind, number = _IFNAME.match(name.strip()).groups()  # type: ignore[union-attr]  # the pattern always matches
    return kind.lower(), number


def same_interface(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` name one interface, either side possibly abbreviated."""
    if a == b:
        return True
    (kind_a, num_a), (kind_b, num_b) = _split(a), _split(b)
    return num_a == num_b and bool(kind_a and kind_b) and (kind_a.startswith(kind_b) or kind_b.startswith(kind_a))


def _name(item: Any) -> str:
    return item.name


def find_named(items: Iterable[_NAMED], name: str, key: Callable[[_NAMED], str] = _name) -> _NAMED | None:
    """The item whose name is ``name``, exactly if possible, else allowing abbreviations."""
    items = list(items)
    exact = next((item for item in items if key(item) == name), None)
    return exact if exact is not None else next((item for item in items if same_interface(key(item), name)), None)


def abbreviate(name: str) -> str:
    """The short form Cisco prints in tables (``GigabitEthernet1/0/24`` -> ``Gi1/0/24``)."""
    kind, number = _IFNAME.match(name.strip()).groups()  # type: ignore[union-attr]
    return f"{kind[:2]}{number}" if kind and number and len(kind) > 2 else name


# Cisco's interface kinds, full names (the longest first where two share a prefix).
_CISCO_KINDS = (
    "TwentyFiveGigE", "TwoGigabitEthernet", "FiveGigabitEthernet", "TenGigabitEthernet", "FortyGigabitEthernet",
    "HundredGigE", "GigabitEthernet", "FastEthernet", "AppGigabitEthernet", "Ethernet", "Port-channel", "Vlan",
    "Loopback", "Tunnel", "Serial", "BDI", "Management",
)
_CISCO_SHORT = {"twe": "TwentyFiveGigE", "tw": "TwoGigabitEthernet", "te": "TenGigabitEthernet", "po": "Port-channel",
                "fi": "FiveGigabitEthernet", "fo": "FortyGigabitEthernet", "hu": "HundredGigE", "ap": "AppGigabitEthernet",
                "et": "Ethernet", "eth": "Ethernet", "lo": "Loopback", "tu": "Tunnel", "vl": "Vlan", "se": "Serial",
                "gi": "GigabitEthernet", "fa": "FastEthernet", "mgmt": "Management"}


def full_name(name: str) -> str:
    """The full form of a Cisco interface name (``Gi1/0/24`` -> ``GigabitEthernet1/0/24``, ``Po1`` ->
    ``Port-channel1``); a full or unknown name comes back as it is (stripped)."""
    kind, number = _IFNAME.match(name.strip()).groups()  # type: ignore[union-attr]  # the pattern always matches
    if not kind or not number or not number[0].isdigit():
        return name.strip()
    lowered = kind.lower()
    full = _CISCO_SHORT.get(lowered) or next(
        (k for k in _CISCO_KINDS if k.lower().startswith(lowered) and len(lowered) >= 2), None)
    return f"{full}{number}" if full else name.strip()
