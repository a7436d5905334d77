"""Find every error in a policy file, each with file, line and key.

Structure comes from the JSON Schema (:mod:`netops.policy.schema`); meaning
(regexes compile, zones exist, ids are unique, waivers name rules, dates are
dates) is checked here.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from netops.errors import InputError
from netops.policy.fields import DEFAULT_KIND, HOST_FIELDS, KIND_FIELDS, SEGREGATION_OPTIONS, FieldType
from netops.policy.schema import build_schema
from netops.probe.rules import RULES as PROBE_RULES
from netops.yamlfile import YamlList, YamlMap, load


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(build_schema())


def _plain(node: Any) -> Any:
    """The document as JSON types (YAML dates become ISO strings) for the schema."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, (dt.date, dt.datetime)):
        return node.isoformat()
    return node


def _key(path: list[Any]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _line(doc: Any, path: list[Any]) -> int:
    """Line of the last element of ``path`` in the loaded document."""
    node, line = doc, getattr(doc, "line", 1)
    for p in path:
        if not isinstance(node, (YamlMap, YamlList)):
            break
        line = node.where(p)
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            break
    return line or 1


class _Errors(list):
    def __init__(self, file: str, doc: Any) -> None:
        super().__init__()
        self.file, self.doc = file, doc

    def add(self, path: list[Any], message: str) -> None:
        self.append(InputError(message, file=self.file, line=_line(self.doc, path), key=_key(path)))


def _schema_errors(errors: _Errors, doc: Any) -> None:
    for err in _validator().iter_errors(_plain(doc)):
        path = list(err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = set(err.schema.get("properties", {}))
            for extra in sorted(set(err.instance) - allowed):
                errors.add(path + [extra], f"unknown key {extra!r} (known: {', '.join(sorted(allowed))})")
        elif err.validator == "required":
            missing = err.message.split("'")[1]
            errors.add(path, f"missing required key {missing!r}")
        elif err.validator == "enum":
            hint = f"; quote it: '{err.instance}'" if str(err.instance) in err.validator_value else ""
            errors.add(path, f"unknown value {err.instance!r} (one of: {', '.join(map(str, err.validator_value))}){hint}")
        elif err.validator == "not":
            rule = doc["rules"][path[1]]
            errors.add(path, f"{path[-1]!r} is not used by rules of kind {rule.get('kind', DEFAULT_KIND)}")
        elif err.validator == "pattern" and path and path[-1] == "expires":
            errors.add(path, f"{err.instance!r} is not a date (YYYY-MM-DD)")
        else:
            errors.add(path, err.message)


def _check_value(errors: _Errors, path: list[Any], ftype: FieldType, value: Any, zones: set[str]) -> None:
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


def _semantic_errors(errors: _Errors, doc: YamlMap) -> None:
    zones = set(doc.get("zones") or {}) if isinstance(doc.get("zones"), dict) else set()
    rules = doc.get("rules") if isinstance(doc.get("rules"), list) else []
    kinds: dict[str, str] = {}
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        kind = rule.get("kind", DEFAULT_KIND)
        rid = rule.get("id")
        if isinstance(rid, str):
            if rid in kinds:
                errors.add(["rules", i, "id"], f"duplicate rule id {rid!r}")
            kinds.setdefault(rid, kind)
        fields = KIND_FIELDS.get(kind)
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
            options = SEGREGATION_OPTIONS | (rule.get("options") if isinstance(rule.get("options"), dict) else {})
            for name in ("management_zone", "isolated_zones"):
                wanted = options[name] if isinstance(options[name], list) else [options[name]]
                path = ["rules", i, "options", name] if name in (rule.get("options") or {}) else ["rules", i, "kind"]
                for zone in wanted:
                    if isinstance(zone, str) and zone not in zones:
                        errors.add(path, f"segregation needs zone {zone!r} ({name}); define it or set options.{name}")
    waivers = doc.get("waivers") if isinstance(doc.get("waivers"), list) else []
    for i, waiver in enumerate(waivers):
        if not isinstance(waiver, dict):
            continue
        rid = waiver.get("rule")
        probe = PROBE_RULES.get(rid) if isinstance(rid, str) else None
        if isinstance(rid, str) and rid not in kinds and probe is None:
            errors.add(["waivers", i, "rule"], f"waiver for unknown rule {rid!r}")
        kind = kinds.get(rid) if isinstance(rid, str) else None
        if probe is not None and rid not in kinds:
            for key in ("ssid", "interface"):
                if key in waiver and key != probe.waiver_object:
                    allowed = f"use '{probe.waiver_object}'" if probe.waiver_object else "waive it per host"
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


def lint_document(doc: Any, file: str) -> list[InputError]:
    """Every error of an already loaded policy document, sorted by line."""
    errors = _Errors(file, doc)
    if not isinstance(doc, YamlMap):
        errors.add([], "a policy file is a mapping with 'rules' (and 'zones', 'waivers')")
        return list(errors)
    _schema_errors(errors, doc)
    _semantic_errors(errors, doc)
    unique = {(e.line, e.key, e.message): e for e in errors}
    return sorted(unique.values(), key=lambda e: (e.line or 0, e.key or ""))


def lint(path: str | Path) -> tuple[Any, list[InputError]]:
    """Load and lint a policy file: the document and its errors (empty when valid)."""
    try:
        doc = load(path)
    except InputError as exc:
        return None, [exc]
    return doc, lint_document(doc, str(path))
