"""VLAN lists: ``"1,5-7"`` expansion and back, and trunk ``add``/``remove``/``except``/``all``/``none``."""

from __future__ import annotations

import re
from collections.abc import Iterable

from netops.parsing.tokens import is_number

VLAN_MIN, VLAN_MAX = 1, 4094
ALL_VLANS: frozenset[int] = frozenset(range(VLAN_MIN, VLAN_MAX + 1))
_ITEM = re.compile(r"^(\d+)(?:-(\d+))?$")


def vlan_id(text: str) -> int:
    """One VLAN number; ``ValueError`` if it is not a number in 1-4094."""
    if not is_number(text, 4) or not VLAN_MIN <= int(text) <= VLAN_MAX:
        raise ValueError(f"{text!r} is not a VLAN number (1-4094)")
    return int(text)


def parse_vlan_list(text: str) -> list[int]:
    """Expand ``"20,110-112 900"`` into sorted VLAN numbers; ``ValueError`` on bad input."""
    items = [item for item in re.split(r"[,\s]+", text.strip()) if item]
    if not items:
        raise ValueError("empty VLAN list")
    vlans: set[int] = set()
    for item in items:
        match = _ITEM.match(item)
        if not match:
            raise ValueError(f"{item!r} is not a VLAN or VLAN range")
        low = vlan_id(match.group(1))
        high = vlan_id(match.group(2)) if match.group(2) else low
        if high < low:
            raise ValueError(f"VLAN range {item!r} runs backwards")
        vlans.update(range(low, high + 1))
    return sorted(vlans)


def vlan_ranges(vlans: Iterable[int]) -> str:
    """``[1, 2, 3, 7]`` → ``"1-3,7"`` (sorted, duplicates dropped); nothing → ``""``."""
    runs: list[list[int]] = []
    for vlan in sorted(set(vlans)):
        if runs and vlan == runs[-1][1] + 1:
            runs[-1][1] = vlan
        else:
            runs.append([vlan, vlan])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def apply_allowed(current: set[int], words: list[str]) -> set[int]:
    """Apply an IOS-style ``allowed vlan`` argument list to the current allowed set.

    ``words`` is what follows ``allowed vlan``: ``["20,110"]``, ``["add", "30"]``,
    ``["remove", "1"]``, ``["except", "1"]``, ``["all"]`` or ``["none"]``.
    """
    if not words:
        raise ValueError("missing VLAN list")
    verb, rest = words[0].lower(), " ".join(words[1:])
    if verb == "all" and not rest:
        return set(ALL_VLANS)
    if verb == "none" and not rest:
        return set()
    if verb == "add":
        return current | set(parse_vlan_list(rest))
    if verb == "remove":
        return current - set(parse_vlan_list(rest))
    if verb == "except":
        return set(ALL_VLANS) - set(parse_vlan_list(rest))
    return set(parse_vlan_list(" ".join(words)))


def resolve_vlans(text: str, names: dict[str, list[int]]) -> list[int]:
    """A VLAN reference: numbers/ranges, or a VLAN (group/pool) name from ``names``."""
    if text in names:
        return sorted(names[text])
    if text[:1].isdigit():
        return parse_vlan_list(text)
    raise ValueError(f"VLAN name {text!r} is not defined in this config")
