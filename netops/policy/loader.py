"""Read a policy file into a :class:`Policy`; any lint error aborts with every error listed (exit 2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from netops.errors import InputErrors
from netops.policy.conditions import Condition, compile_condition
from netops.policy.fields import DEFAULT_KIND, HOST_FIELDS, KIND_FIELDS, SEGREGATION_OPTIONS, Field
from netops.policy.lint import lint
from netops.policy.policy import Policy, Rule, Waiver, Zone


def _zones(raw: dict[str, Any]) -> dict[str, Zone]:
    zones = {}
    for name, spec in raw.items():
        if isinstance(spec, dict):
            zones[name] = Zone(name, frozenset(spec["vlans"]), spec.get("vrf"))
        else:
            zones[name] = Zone(name, frozenset(spec))
    return zones


def _conditions(raw: dict[str, Any] | None, fields: dict[str, Field], vlans: dict[str, frozenset[int]]) -> list[Condition]:
    return [compile_condition(k, fields[k], v, vlans) for k, v in (raw or {}).items()]


def _rule(raw: dict[str, Any], line: int, vlans: dict[str, frozenset[int]]) -> Rule:
    kind = raw.get("kind", DEFAULT_KIND)
    fields = KIND_FIELDS[kind]
    match = raw.get("match") or {}
    source = raw.get("source") or []
    return Rule(
        id=raw["id"],
        title=raw["title"],
        severity=raw["severity"],
        kind=kind,
        host_match=_conditions({k: v for k, v in match.items() if k in HOST_FIELDS}, HOST_FIELDS, vlans),
        match=_conditions({k: v for k, v in match.items() if k not in HOST_FIELDS}, fields, vlans),
        require=_conditions(raw.get("require"), fields, vlans),
        forbid=_conditions(raw.get("forbid"), fields, vlans),
        options=SEGREGATION_OPTIONS | dict(raw.get("options") or {}) if kind == "segregation" else {},
        source=[source] if isinstance(source, str) else list(source),
        line=line,
    )


def _waiver(raw: dict[str, Any], line: int) -> Waiver:
    expires = raw["expires"]
    return Waiver(
        rule=raw["rule"],
        reason=raw["reason"],
        expires=expires if isinstance(expires, dt.date) else dt.date.fromisoformat(expires),
        host=raw.get("host"),
        object=raw.get("ssid") or raw.get("interface"),
        line=line,
    )


def load_policy(path: str | Path) -> Policy:
    """Load, lint and compile a policy file."""
    doc, errors = lint(path)
    if errors:
        raise InputErrors(errors)
    zones = _zones(doc.get("zones") or {})
    vlans = {name: zone.vlans for name, zone in zones.items()}
    rules_raw = doc.get("rules") or []
    waivers_raw = doc.get("waivers") or []
    return Policy(
        file=str(path),
        zones=zones,
        rules=[_rule(r, rules_raw.where(i), vlans) for i, r in enumerate(rules_raw)],
        waivers=[_waiver(w, waivers_raw.where(i)) for i, w in enumerate(waivers_raw)],
    )
