"""The JSON Schema of policy files, built from :mod:`netops.policy.fields`.

The copy shipped for editors next to the built-in policy
(``netops/defaults/policy/policy.schema.json``) is regenerated with
``python -m netops.policy.schema`` (a test keeps it equal to this).
"""

from __future__ import annotations

import json
from typing import Any

from netops import defaults
from netops.policy.fields import DEFAULT_KIND, HOST_FIELDS, KIND_FIELDS, KINDS, SEGREGATION_OPTIONS, Field, FieldType
from netops.policy.findings import SEVERITIES
from netops.policy.redundancy import CHECKS
from netops.policy.redundancy import OPTIONS as REDUNDANCY_OPTIONS
from netops.policy.software import APPROVAL_KEYS

SCHEMA_PATH = defaults.path("policy", "policy.schema.json")

_TEXT_DOC = "a string is a regex (re.search: anchor it yourself); a list is any-of exact values"
_NOT_ALLOWED: dict[str, Any] = {"not": {}, "description": "not used by this rule kind"}
_MANY_DOC = "match: any element; require: every element; forbid: no element"


def _strings(doc: str) -> dict[str, Any]:
    return {"type": ["string", "array"], "items": {"type": "string"}, "minItems": 1, "description": doc}


def _value_schema(field: Field) -> dict[str, Any]:
    doc = field.doc
    t = field.type
    if t is FieldType.TEXT:
        return _strings(f"{doc}: {_TEXT_DOC}" + (f" ({_MANY_DOC})" if field.many else ""))
    if t in (FieldType.ENUM, FieldType.TOKENS):
        many = f" ({_MANY_DOC})" if field.many else ""
        return {
            "type": ["string", "array"],
            "items": {"enum": list(field.values)},
            "minItems": 1,
            "if": {"type": "string"},
            "then": {"enum": list(field.values)},
            "description": f"{doc}: one value or a list (any-of), exact{many}",
        }
    if t is FieldType.BOOL:
        return {"type": "boolean", "description": doc}
    if t in (FieldType.INT, FieldType.VLANS):
        many = f" ({_MANY_DOC})" if field.many else ""
        return {
            "type": ["integer", "array"],
            "items": {"$ref": "#/$defs/vlan"},
            "minItems": 1,
            "minimum": 1,
            "maximum": 4094,
            "description": f"{doc}: a VLAN or a list (any-of){many}",
        }
    if t is FieldType.ZONES:
        extra = f" ({_MANY_DOC}; require also needs at least one VLAN)" if field.many else ""
        return _strings(f"{doc}: a zone name or a list of zones; the VLAN must be in their union{extra}")
    raise ValueError(t)


def _object(fields: dict[str, Field], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "minProperties": 1,
        "additionalProperties": False,
        "properties": {name: _value_schema(f) for name, f in fields.items()},
    }


_LINE_REGEX_DOC = "a regex matching the WHOLE line (re.fullmatch) unless the rule says partial: true"
LINE_KEYS: dict[str, Any] = {  # the keys of kind: lines rules (netops.policy.lines)
    "parent": {"type": "string", "minLength": 1,
               "description": f"the parent lines looked under, e.g. 'line vty \\d+ \\d+' ({_LINE_REGEX_DOC}); absent: the top level"},
    "having": _strings(f"a parent is checked only when it has a child line matching each ({_LINE_REGEX_DOC})"),
    "lacking": _strings(f"a parent is checked only when no child line matches any ({_LINE_REGEX_DOC})"),
    "present": _strings(f"lines that must be there, one matching each ({_LINE_REGEX_DOC})"),
    "absent": _strings(f"lines that must not be there ({_LINE_REGEX_DOC})"),
    "fix": _strings("the lines that make it compliant, added under the parent (the offending lines are removed: "
                    "the driver derives their negation)"),
    "partial": {"type": "boolean", "description": "regexes match anywhere in the line (re.search) instead of the whole line"},
    "manual": {"type": "boolean", "description": "the fix is shown but never pushed by netops remediate (e.g. it needs a secret)"},
}


def build_schema() -> dict[str, Any]:
    """The schema as a dict (draft 2020-12)."""
    defs: dict[str, Any] = {
        "vlan": {"type": "integer", "minimum": 1, "maximum": 4094},
        "zone": {
            "type": ["array", "object"],
            "description": "a list of VLANs, or {vlans: [...], vrf: NAME} to also name the VRF its SVIs belong to",
            "items": {"$ref": "#/$defs/vlan"},
            "minItems": 1,
            "required": ["vlans"],
            "additionalProperties": False,
            "properties": {
                "vlans": {"type": "array", "items": {"$ref": "#/$defs/vlan"}, "minItems": 1},
                "vrf": {"type": "string", "minLength": 1},
            },
        },
        "segregation-options": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "management_zone": {
                    "type": "string",
                    "description": f"zone of VLANs every AP port may carry besides its WLANs' (default {SEGREGATION_OPTIONS['management_zone']})",
                },
                "isolated_zones": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "zones whose SVIs must be in their zone's vrf, or at least outside the global table and "
                    f"not shared with other zones (default {', '.join(SEGREGATION_OPTIONS['isolated_zones'])})",
                },
            },
        },
        "redundancy-options": {
            "type": "object",
            "additionalProperties": False,
            "required": ["check"],
            "properties": {
                "check": {"enum": list(CHECKS), "description": "which redundancy check (docs/resilience.md)"},
                "roles": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                          "description": f"uplinks: the roles that need them (default {', '.join(REDUNDANCY_OPTIONS['roles'])})"},
                "min_upstream": {"type": "integer", "minimum": 1,
                                 "description": f"uplinks: distinct upstream devices (default {REDUNDANCY_OPTIONS['min_upstream']})"},
                "zones": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                          "description": "first_hop, stp_root: the zones whose VLANs are checked (default every zone)"},
                "root_roles": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                               "description": f"stp_root: roles the root may have (default {', '.join(REDUNDANCY_OPTIONS['root_roles'])})"},
            },
        },
        "version": {"type": "string", "minLength": 1, "pattern": "^[0-9]",
                    "description": "a software version as the device prints it, quoted (17.9.4a = 17.09.04a, 8.10.190.0, 23.05.3)"},
        "software-options": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "approved": {
                    "type": "array", "minItems": 1,
                    "description": "approved versions per model: the first entry whose models match the device's model applies",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "models": {"type": ["string", "array"], "items": {"type": "string", "minLength": 1}, "minItems": 1,
                                       "description": "model glob(s), case-insensitive (C9300-*, AIR-CT5520-K9); absent: every model"},
                            "exact": {"$ref": "#/$defs/version", "description": "the one approved version"},
                            "minimum": {"$ref": "#/$defs/version", "description": "this version or later"},
                            "versions": {"type": "array", "items": {"$ref": "#/$defs/version"}, "minItems": 1,
                                         "description": "the approved versions"},
                        },
                        "description": f"models, and exactly one of {', '.join(APPROVAL_KEYS)}",
                    },
                },
                "lifecycle": {"type": "boolean", "description": "check the model's end of support (the lifecycle table, "
                                                                "netops.yaml lifecycle:)"},
                "warn_days": {"type": "integer", "minimum": 0,
                              "description": "lifecycle: an end of support within this many days is a finding too (default 0)"},
            },
        },
    }
    kind_rules = []
    for kind, fields in KIND_FIELDS.items():
        defs[f"match-{kind}"] = _object(
            HOST_FIELDS | fields, f"selects the {kind} objects the rule applies to: every key must hold"
        )
        then: dict[str, Any] = {"match": {"$ref": f"#/$defs/match-{kind}"}}
        then |= {key: _NOT_ALLOWED for key in LINE_KEYS} if kind != "lines" else {}
        if kind == "lines":
            defs[f"match-{kind}"] = _object(HOST_FIELDS, "selects the hosts the rule applies to: every key must hold")
            then |= {"require": _NOT_ALLOWED, "forbid": _NOT_ALLOWED, "options": _NOT_ALLOWED}
        elif fields:
            defs[f"fields-{kind}"] = _object(fields, f"conditions on {kind} objects")
            then |= {"require": {"$ref": f"#/$defs/fields-{kind}"}, "forbid": {"$ref": f"#/$defs/fields-{kind}"}, "options": _NOT_ALLOWED}
        else:
            then |= {"require": _NOT_ALLOWED, "forbid": _NOT_ALLOWED, "options": {"$ref": f"#/$defs/{kind}-options"}}
        selects: dict[str, Any] = {"properties": {"kind": {"const": kind}}}
        if kind != DEFAULT_KIND:  # without ``kind`` a rule is of the default kind
            selects["required"] = ["kind"]
        kind_rules.append({"if": selects, "then": {"properties": then}})
    rule = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "title", "severity"],
        "properties": {
            "id": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$", "description": "unique rule id, e.g. WIFI-001"},
            "title": {"type": "string", "minLength": 1},
            "severity": {"enum": list(SEVERITIES)},
            "kind": {"enum": list(KINDS), "description": "what the rule checks (default wlan)"},
            "description": {"type": "string"},
            "source": {
                "type": ["string", "array"],
                "items": {"type": "string"},
                "description": "the standard or guide the rule comes from",
            },
            "match": {"type": "object"},
            "require": {"type": "object"},
            "forbid": {"type": "object"},
            "options": {"type": "object"},
        } | LINE_KEYS,
        "allOf": kind_rules,
    }
    waiver = {
        "type": "object",
        "additionalProperties": False,
        "required": ["rule", "reason", "expires"],
        "properties": {
            "rule": {"type": "string", "description": "id of the waived rule"},
            "host": {"type": "string", "description": "exact host name (absent: every host)"},
            "ssid": {"type": "string", "description": "exact SSID (wlan rules; absent: every SSID)"},
            "interface": {"type": "string", "description": "exact interface (switchport, svi, segregation rules)"},
            "reason": {"type": "string", "minLength": 1},
            "expires": {
                "type": "string",
                "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                "description": "YYYY-MM-DD, last day the waiver holds",
            },
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "netops policy: Wi-Fi, VLANs, redundancy, configuration lines (hardening) and software versions",
        "type": "object",
        "additionalProperties": False,
        "required": ["rules"],
        "properties": {
            "zones": {
                "type": "object",
                "description": "named VLAN sets",
                "propertyNames": {"pattern": "^[A-Za-z0-9][A-Za-z0-9_-]*$"},
                "additionalProperties": {"$ref": "#/$defs/zone"},
            },
            "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
            "waivers": {"type": "array", "items": {"$ref": "#/$defs/waiver"}},
        },
        "$defs": defs | {"rule": rule, "waiver": waiver},
    }


def render() -> str:
    return json.dumps(build_schema(), indent=2) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(render(), encoding="utf-8")
    print(SCHEMA_PATH)
