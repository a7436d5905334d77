"""Find every error in a policy file, each with file, line and key.

Structure comes from the JSON Schema (:mod:`netops.policy.schema`); meaning
(regexes compile, zones exist, ids are unique, waivers name rules, dates are
dates) is checked here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from netops.errors import InputError
from netops.policy.fields import DEFAULT_KIND, HOST_FIELDS, KIND_FIELDS, SEGREGATION_OPTIONS, FieldType
from netops.policy.schema import build_schema
from netops.policy.software import option_errors as software_option_errors
from netops.yamlfile import YamlMap, load
from netops.yamlschema import Errors, schema_errors


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(build_schema())


def _schema_errors(errors: Errors, doc: Any) -> None:
    for err in schema_errors(errors, _validator(), doc):
        path = list(err.absolute_path)
        if err.validator == "not":
            rule = doc["rules"][path[1]]
            errors.add(path, f"{path[-1]!r} is not used by rules of kind {rule.get('kind', DEFAULT_KIND)}")
        elif err.validator == "pattern" and path and path[-1] == "expires":
            errors.add(path, f"{err.instance!r} is not a date (YYYY-MM-DD)")
        else:
            errors.add(path, err.message)


@dataclass(frozen=True)
class Context:
    """What the files checked together define: a rule or waiver may use what another file defines."""

    zones: frozenset[str] = frozenset()
    rules: dict[str, str] = field(default_factory=dict)  # rule id -> kind
    external: Mapping[str, str | None] = field(default_factory=dict)  # rules outside the policy (probes) -> waiver object key

    @classmethod
    def of(cls, docs: list[Any], external: Mapping[str, str | None]) -> Context:
        zones: set[str] = set()
        rules: dict[str, str] = {}
        for doc in docs:
            if not isinstance(doc, YamlMap):
                continue
            if isinstance(doc.get("zones"), dict):
                zones |= set(doc["zones"])
            for rule in _list(doc, "rules"):
                if isinstance(rule, dict) and isinstance(rule.get("id"), str):
                    rules.setdefault(rule["id"], rule.get("kind", DEFAULT_KIND))
        return cls(frozenset(zones), rules, external)


def _list(element: Mapping[Any, Any], key: str) -> list[Any]:
    """``element[key]`` when it is a list (the schema reports it otherwise), else no items."""
    value = element.get(key)
    return value if isinstance(value, list) else []


def _check_value(errors: Errors, path: list[Any], ftype: FieldType, value: Any, zones: set[str]) -> None:
    values = value if isinstance(value, list) else [value]
    if ftype is FieldType.TEXT and isinstance(value, str):
        try:
            re.compile(value)
        except re.error as exc:
            errors.add(path, f"bad regex {value!r}: {exc}")
    if ftype is FieldType.ZONES:
        for zone in values:
            if isinstance(zone, str) and zone not in zones:
                errors.add(path, f"unknown zone {zone!r} (zones: {', '.join(sorted(zones)) or 'none'})")


def _line_errors(errors: Errors, i: int, rule: dict[str, Any]) -> None:
    """``kind: lines``: the regexes compile, and the rule checks something."""
    for key in ("parent", "having", "lacking", "present", "absent"):
        value = rule.get(key)
        values = value if isinstance(value, list) else [value] if value is not None else []
        for n, rx in enumerate(values):
            if not isinstance(rx, str):
                continue
            try:
                re.compile(rx)
            except re.error as exc:
                errors.add(["rules", i, key] + ([n] if isinstance(value, list) else []), f"bad regex {rx!r}: {exc}")
    if not rule.get("present") and not rule.get("absent"):
        errors.add(["rules", i, "kind"], "a lines rule needs 'present' or 'absent' lines")


def _semantic_errors(errors: Errors, doc: YamlMap, context: Context, seen: dict[str, str]) -> None:
    """Meaning checks; ``seen`` (rule id -> file) carries ids across the files checked together."""
    zones = set(context.zones)
    kinds = context.rules
    rules = _list(doc, "rules")
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        kind = rule.get("kind", DEFAULT_KIND)
        rid = rule.get("id")
        if isinstance(rid, str):
            if rid in seen:
                other = "" if seen[rid] == errors.file else f" (also in {seen[rid]})"
                errors.add(["rules", i, "id"], f"duplicate rule id {rid!r}{other}")
            seen.setdefault(rid, errors.file)
        fields = KIND_FIELDS.get(kind) if isinstance(kind, str) else None  # the schema reports another type
        if fields is None:
            continue
        for section in ("match", "require", "forbid"):
            conds = rule.get(section)
            if not isinstance(conds, dict):
                continue
            known = HOST_FIELDS | fields if section == "match" else fields
            for key, value in conds.items():
                if key in known:
                    _check_value(errors, ["rules", i, section, key], known[key].type, value, zones)
        if kind == "segregation":
            given = rule.get("options")
            options = SEGREGATION_OPTIONS | (given if isinstance(given, dict) else {})
            for name in ("management_zone", "isolated_zones"):
                wanted = options[name] if isinstance(options[name], list) else [options[name]]
                path = ["rules", i, "options", name] if isinstance(given, dict) and name in given else ["rules", i, "kind"]
                for zone in wanted:
                    if isinstance(zone, str) and zone not in zones:
                        errors.add(path, f"segregation needs zone {zone!r} ({name}); define it or set options.{name}")
        if kind == "lines":
            _line_errors(errors, i, rule)
        if kind == "software":
            for where, message in software_option_errors(rule.get("options")):
                errors.add(["rules", i, "options", *where] if "options" in rule else ["rules", i, "kind"], message)
        if kind == "redundancy":
            given = rule.get("options")
            wanted = given.get("zones") if isinstance(given, dict) else None  # the schema reports other types
            for zone in wanted if isinstance(wanted, list) else []:
                if isinstance(zone, str) and zone not in zones:
                    errors.add(["rules", i, "options", "zones"], f"unknown zone {zone!r}")
    waivers = _list(doc, "waivers")
    for i, waiver in enumerate(waivers):
        if not isinstance(waiver, dict):
            continue
        rid = waiver.get("rule")
        external = isinstance(rid, str) and rid in context.external and rid not in kinds
        if isinstance(rid, str) and rid not in kinds and not external:
            errors.add(["waivers", i, "rule"], f"waiver for unknown rule {rid!r}")
        kind = kinds.get(rid) if isinstance(rid, str) else None
        if external:
            assert isinstance(rid, str)  # only a rule id names an external rule
            by = context.external[rid]
            for key in ("ssid", "interface"):
                if key in waiver and key != by:
                    allowed = f"use '{by}'" if by else "waive it per host"
                    errors.add(["waivers", i, key], f"probe rule {rid} does not name findings by {key}: {allowed}")
        elif "ssid" in waiver and "interface" in waiver:
            errors.add(["waivers", i, "interface"], "a waiver names an ssid or an interface, not both")
        elif kind == "wlan" and "interface" in waiver:
            errors.add(["waivers", i, "interface"], f"rule {rid} checks SSIDs: use 'ssid'")
        elif kind not in (None, "wlan") and "ssid" in waiver:
            errors.add(["waivers", i, "ssid"], f"rule {rid} checks interfaces: use 'interface'")
        expires = waiver.get("expires")
        if isinstance(expires, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", expires):
            try:
                dt.date.fromisoformat(expires)
            except ValueError as exc:
                errors.add(["waivers", i, "expires"], f"{expires!r} is not a date: {exc}")
        elif isinstance(expires, dt.datetime):
            errors.add(["waivers", i, "expires"], "expires is a date (YYYY-MM-DD), not a time")


def lint_document(doc: Any, file: str, context: Context | None = None, seen: dict[str, str] | None = None) -> list[InputError]:
    """Every error of an already loaded policy document, sorted by line."""
    errors = Errors(file, doc)
    if not isinstance(doc, YamlMap):
        errors.add([], "a policy file is a mapping with 'rules' (and 'zones', 'waivers')")
        return errors.sorted()
    _schema_errors(errors, doc)
    _semantic_errors(errors, doc, context or Context.of([doc], {}), {} if seen is None else seen)
    return errors.sorted()


def lint(paths: Sequence[str | Path], external: Mapping[str, str | None] | None = None) -> tuple[list[Any], list[InputError]]:
    """Load and lint policy files checked together: their documents and every error (empty when valid).

    ``external`` names rules defined outside the policy (the probes'), which waivers may name.
    """
    docs: list[Any] = []
    errors: list[InputError] = []
    unreadable: set[int] = set()
    for i, path in enumerate(paths):
        try:
            docs.append(load(path))
        except InputError as exc:
            docs.append(None)
            unreadable.add(i)
            errors.append(exc)
    context = Context.of(docs, external or {})
    seen: dict[str, str] = {}
    for i, (path, doc) in enumerate(zip(paths, docs)):
        if i not in unreadable:  # an empty file (None) is an error of its own: no mapping
            errors += lint_document(doc, str(path), context, seen)
    return docs, errors
