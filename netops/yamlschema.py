"""JSON Schema validation of YAML documents, with every error at its file, line and key.

Used for every file a user writes: ``netops.yaml``, policy files, probe plans.
The document comes from :mod:`netops.yamlfile` (which remembers lines); the
schema checks its structure and :class:`Errors` collects what the caller's own
meaning checks find on top.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import jsonschema

from netops.ages import PATTERN as AGE_PATTERN
from netops.errors import InputError
from netops.yamlfile import YamlList, YamlMap

Path_ = list[Any]  # a key path inside the document: ["rules", 3, "match", "ssid"]


def plain(node: Any) -> Any:
    """The document as JSON types (YAML dates become ISO strings) for the schema."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, (dt.date, dt.datetime)):
        return node.isoformat()
    return node


def dotted(path: Path_) -> str:
    """``rules[3].match.ssid``."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def line_of(doc: Any, path: Path_) -> int:
    """Line of the last element of ``path`` in the loaded document (the nearest existing one)."""
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


class Errors(list[InputError]):
    """Input errors of one document, each located by its key path."""

    def __init__(self, file: str, doc: Any) -> None:
        super().__init__()
        self.file, self.doc = file, doc

    def add(self, path: Path_, message: str) -> None:
        self.append(InputError(message, file=self.file, line=line_of(self.doc, path), key=dotted(path)))

    def sorted(self) -> list[InputError]:
        """Unique errors in file order."""
        unique = {(e.line, e.key, e.message): e for e in self}
        return sorted(unique.values(), key=lambda e: (e.line or 0, e.key or ""))


def schema_errors(errors: Errors, validator: jsonschema.protocols.Validator, doc: Any) -> Iterable[jsonschema.ValidationError]:
    """Add the common schema errors to ``errors`` in plain words; yield the ones a caller words itself
    (``not``, and formats it knows better)."""
    for err in validator.iter_errors(plain(doc)):
        path = list(err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = set(err.schema.get("properties", {}))
            for extra in sorted(set(err.instance) - allowed, key=str):
                errors.add(path + [extra], f"unknown key {extra!r} (known: {', '.join(sorted(allowed))})")
        elif err.validator == "required":
            missing = err.message.split("'")[1]
            errors.add(path, f"missing required key {missing!r}")
        elif err.validator == "enum":
            hint = f"; quote it: '{err.instance}'" if str(err.instance) in map(str, err.validator_value) else ""
            errors.add(path, f"unknown value {err.instance!r} (one of: {', '.join(map(str, err.validator_value))}){hint}")
        elif err.validator == "pattern" and err.validator_value == AGE_PATTERN:
            errors.add(path, f"{err.instance!r} is not an age (e.g. 30m, 12h, 7d, 2w)")
        elif err.validator == "type":
            wanted: list[str] = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]  # type names
            shown = repr(err.instance) if isinstance(err.instance, (str, int, float, bool)) else _kind(err.instance)
            errors.add(path, f"{shown} is not {' or '.join(_TYPE_WORDS.get(w, w) for w in wanted)}")
        else:
            yield err


_TYPE_WORDS = {"object": "a mapping", "array": "a list", "string": "text", "integer": "a whole number",
               "number": "a number", "boolean": "true or false", "null": "empty"}


def _kind(value: Any) -> str:
    for kind, word in (((dict,), "a mapping"), ((list,), "a list"), ((bool,), "true/false"), ((int, float), "a number"),
                       ((str,), "text"), ((type(None),), "empty")):
        if isinstance(value, kind):
            return word
    return type(value).__name__


def validate(doc: Any, file: str, schema: dict[str, Any]) -> list[InputError]:
    """Every schema error of ``doc`` (a loaded YAML document), in file order."""
    errors = Errors(file, doc)
    for err in schema_errors(errors, jsonschema.Draft202012Validator(schema), doc):
        errors.add(list(err.absolute_path), err.message)
    return errors.sorted()
