"""YAML loading that remembers where every key came from.

``load(path)`` returns plain ``dict``/``list`` subclasses whose ``where(key)``
gives the source line, so validators can report *file, line and key*.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from netops.errors import InputError


class YamlMap(dict):
    """A mapping that knows its file and the line of each key."""

    file: str = ""
    line: int = 0
    key_lines: dict[Any, int]

    def where(self, key: Any | None = None) -> int:
        """Line of ``key`` (or of the mapping itself)."""
        if key is None:
            return self.line
        return self.key_lines.get(key, self.line)


class YamlList(list):
    """A sequence that knows its file and the line of each item."""

    file: str = ""
    line: int = 0
    item_lines: list[int]

    def where(self, index: int | None = None) -> int:
        if index is None or index >= len(self.item_lines):
            return self.line
        return self.item_lines[index]


_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~10x faster, same marks


def _make_loader(file: str) -> type[yaml.SafeLoader]:
    class Loader(_BASE_LOADER):  # type: ignore[valid-type,misc]
        pass

    def construct_map(loader: yaml.SafeLoader, node: yaml.MappingNode) -> YamlMap:
        loader.flatten_mapping(node)
        result = YamlMap()
        result.file, result.line, result.key_lines = file, node.start_mark.line + 1, {}
        for key_node, value_node in node.value:
            try:
                key = loader.construct_object(key_node, deep=True)
                hash(key)
            except (ValueError, TypeError) as exc:  # an impossible date, or a list or mapping as a key
                raise InputError(f"invalid key: {exc}", file=file, line=key_node.start_mark.line + 1) from None
            if key in result:
                raise InputError(
                    "duplicate key", file=file, line=key_node.start_mark.line + 1, key=str(key)
                )
            try:
                result[key] = loader.construct_object(value_node, deep=True)
            except ValueError as exc:  # e.g. an impossible date such as 2027-02-30
                raise InputError(
                    f"invalid value: {exc}", file=file, line=value_node.start_mark.line + 1, key=str(key)
                ) from None
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    def construct_seq(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> YamlList:
        result = YamlList()
        for child in node.value:
            try:
                result.append(loader.construct_object(child, deep=True))
            except ValueError as exc:  # e.g. an impossible date such as 2027-02-30
                raise InputError(f"invalid value: {exc}", file=file, line=child.start_mark.line + 1) from None
        result.file, result.line = file, node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_map)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, construct_seq)
    return Loader


def loads(text: str, file: str = "<string>") -> Any:
    """Parse YAML text; syntax errors become :class:`InputError` with the line."""
    try:
        return yaml.load(text, Loader=_make_loader(file))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise InputError(
            f"invalid YAML: {exc.problem}", file=file, line=mark.line + 1 if mark else None
        ) from None
    except yaml.YAMLError as exc:  # a character YAML does not allow (a control character, U+FFFE, ...)
        line = getattr(exc, "position", None)
        raise InputError(f"invalid YAML: {exc}", file=file,
                         line=text.count("\n", 0, line) + 1 if isinstance(line, int) else None) from None
    except RecursionError:
        raise InputError("invalid YAML: nested too deeply", file=file) from None


def load(path: str | Path) -> Any:
    """Read and parse a YAML file; a missing file is an :class:`InputError`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", file=path,
                         line=data.count(b"\n", 0, exc.start) + 1) from None
    return loads(text, str(path))
