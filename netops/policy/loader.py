"""Read policy files into one :class:`Policy`; any lint error aborts with every error listed (exit 2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from netops.errors import InputError, InputErrors
from netops.policy.conditions import Condition, compile_condition
from netops.policy.fields import DEFAULT_KIND, HOST_FIELDS, KIND_FIELDS, SEGREGATION_OPTIONS, Field
from netops.policy.lines import LineSpec
from netops.policy.lint import lint
from netops.policy.policy import Policy, Rule, Waiver, Zone
from netops.policy.redundancy import OPTIONS as REDUNDANCY_OPTIONS
from netops.policy.software import OPTIONS as SOFTWARE_OPTIONS
from netops.yamlfile import YamlList


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


def _options(kind: str, given: dict[str, Any] | None) -> dict[str, Any]:
    defaults = {"segregation": SEGREGATION_OPTIONS, "redundancy": REDUNDANCY_OPTIONS, "software": SOFTWARE_OPTIONS}.get(kind)
    return {} if defaults is None else defaults | dict(given or {})


def _rule(raw: dict[str, Any], line: int, file: str, vlans: dict[str, frozenset[int]]) -> Rule:
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
        options=_options(kind, raw.get("options")),
        source=[source] if isinstance(source, str) else list(source),
        lines=LineSpec.of(raw) if kind == "lines" else None,
        line=line,
        file=file,
    )


def _waiver(raw: dict[str, Any], line: int, file: str) -> Waiver:
    expires = raw["expires"]
    return Waiver(
        rule=raw["rule"],
        reason=raw["reason"],
        expires=expires if isinstance(expires, dt.date) else dt.date.fromisoformat(expires),
        host=raw.get("host"),
        object=raw.get("ssid") or raw.get("interface"),
        line=line,
        file=file,
    )


def load_policy(paths: Sequence[str | Path], external: Mapping[str, str | None] | None = None) -> Policy:
    """Load, lint and compile policy files checked together (zones, rules and waivers of all of them).

    ``external`` names the rules defined outside the policy (the probes'), which waivers may name.
    """
    docs, errors = lint(paths, external)
    if errors:
        raise InputErrors(errors)
    zones: dict[str, Zone] = {}
    for path, doc in zip(paths, docs):
        for name, zone in _zones(doc.get("zones") or {}).items():
            if name in zones and zones[name] != zone:
                raise InputError(f"zone {name!r} is defined differently in another policy file", file=path,
                                 line=doc["zones"].where(name), key=f"zones.{name}")
            zones[name] = zone
    vlans = {name: zone.vlans for name, zone in zones.items()}
    rules: list[Rule] = []
    waivers: list[Waiver] = []
    for path, doc in zip(paths, docs):
        rules_raw: YamlList = doc.get("rules") or YamlList()  # lint() checked the schema: lists, when present
        waivers_raw: YamlList = doc.get("waivers") or YamlList()
        rules += [_rule(r, rules_raw.where(i), str(path), vlans) for i, r in enumerate(rules_raw)]
        waivers += [_waiver(w, waivers_raw.where(i), str(path)) for i, w in enumerate(waivers_raw)]
    return Policy(files=tuple(str(p) for p in paths), zones=zones, rules=rules, waivers=waivers)
