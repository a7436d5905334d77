"""One ``key: value`` of a rule's ``match``, ``require`` or ``forbid``, compiled to a predicate.

The semantics of each field type are tabled in :mod:`netops.policy.fields`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from netops.parsing.vlans import vlan_ranges as ranges
from netops.policy.fields import Field, FieldType
from netops.policy.findings import Detail


def vlan_ranges(vlans: Any) -> str:
    """``[1, 2, 3, 7]`` → ``"1-3,7"``; empty → ``"none"``."""
    return ranges(vlans) or "none"


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, tuple, set, frozenset)):
        if value and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            return vlan_ranges(value)
        return ", ".join(str(v) for v in value) if value else "none"
    return str(value)


_WORDING = {  # (style, mode) → wording around the condition's phrase
    ("set", "require"): "{one}",
    ("set", "forbid"): "{not_one}",
    ("set", "require_many"): "only {values}",
    ("set", "forbid_many"): "none of {values}",
    ("regex", "require"): "matching {values}",
    ("regex", "forbid"): "not matching {values}",
    ("regex", "require_many"): "every value matching {values}",
    ("regex", "forbid_many"): "no value matching {values}",
    ("zone", "require"): "in {values}",
    ("zone", "forbid"): "not in {values}",
    ("zone", "require_many"): "every VLAN in {values}",
    ("zone", "forbid_many"): "no VLAN in {values}",
}


@dataclass(frozen=True)
class Condition:
    key: str
    field: Field
    test: Callable[[Any], bool]  # applied to a value (or to each element of a ``many`` field)
    style: str  # set, regex or zone: how ``phrase`` reads
    phrase: str  # "a, b", "/regex/", "zone staff (110-111)"
    single: bool = False  # the set has one value

    def expected(self, mode: str) -> str:
        if self.field.many:
            mode += "_many"
        one = self.phrase if self.single else f"one of {self.phrase}"
        not_one = f"not {self.phrase}" if self.single else f"none of {self.phrase}"
        return _WORDING[(self.style, mode)].format(values=self.phrase, one=one, not_one=not_one)

    def value(self, obj: Any) -> Any:
        return getattr(obj, self.field.attribute)

    def _holds(self, value: Any) -> bool:
        return value is not None and self.test(value)

    def matches(self, obj: Any) -> bool:
        """``match``: the value (any element of a list) satisfies the condition."""
        value = getattr(obj, self.field.attribute)
        test = self.test
        if self.field.many:
            return any(v is not None and test(v) for v in value)
        return value is not None and test(value)

    def require(self, obj: Any) -> Detail | None:
        """``require``: None when satisfied (every element; zone keys need one), else what is wrong."""
        value = self.value(obj)
        if self.field.many:
            bad = [v for v in value if not self._holds(v)]
            empty = self.field.type is FieldType.ZONES and not value
            if not bad and not empty:
                return None
            actual = _show(value) + (f" (not allowed: {_show(bad)})" if bad and len(bad) < len(value) else "")
            return Detail(self.key, self.expected("require"), actual)
        if self._holds(value):
            return None
        return Detail(self.key, self.expected("require"), _show(value))

    def forbid(self, obj: Any) -> Detail | None:
        """``forbid``: None when no value (no element) satisfies the condition."""
        value = self.value(obj)
        if self.field.many:
            bad = [v for v in value if self._holds(v)]
            if not bad:
                return None
            actual = _show(value) + (f" (forbidden: {_show(bad)})" if len(bad) < len(value) else "")
            return Detail(self.key, self.expected("forbid"), actual)
        if not self._holds(value):
            return None
        return Detail(self.key, self.expected("forbid"), _show(value))


def compile_condition(key: str, field: Field, spec: Any, zones: dict[str, frozenset[int]]) -> Condition:
    """Build the predicate for ``spec``; ``spec`` is assumed valid (lint checked it)."""
    values = spec if isinstance(spec, list) else [spec]
    t = field.type
    if t is FieldType.TEXT and isinstance(spec, str):
        rx = re.compile(spec)
        return Condition(key, field, lambda v: rx.search(str(v)) is not None, "regex", f"/{spec}/")
    if t is FieldType.ZONES:
        vlans = frozenset().union(*(zones[z] for z in values))
        label = "zone" if len(values) == 1 else "zones"
        return Condition(key, field, vlans.__contains__, "zone", f"{label} {', '.join(values)} ({vlan_ranges(vlans)})")
    phrase = ", ".join(_show(v) for v in values)
    if t in (FieldType.TEXT, FieldType.TOKENS):
        accepted = frozenset(str(v) for v in values)
        return Condition(key, field, lambda v: str(v) in accepted, "set", phrase, len(values) == 1)
    if t is FieldType.BOOL:
        return Condition(key, field, lambda v: v is spec, "set", phrase, True)
    return Condition(key, field, frozenset(values).__contains__, "set", phrase, len(values) == 1)
