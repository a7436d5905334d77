"""The ``vault`` section of netops.yaml: who the vault encrypts to, and the line-level edit that changes it.

```yaml
vault:
  recipients:
    - age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p   # the DR kit's key
```

No recipients: the vault is off and backups work as without it. ``netops vault init`` and ``netops vault
rekey`` change only the ``recipients`` list of this section (comments and every other line of the file
stay as they are); the result is parsed again and must equal the old file with that one change.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from netops.errors import InputError
from netops.settings import Settings
from netops.vault.keys import check_recipients

KEY = "vault.recipients"
_TOP = re.compile(r"^vault\s*:(?P<rest>.*)$")
_RECIPIENTS = re.compile(r"^(?P<indent>\s+)recipients\s*:(?P<rest>.*)$")


def recipients(settings: Settings) -> tuple[str, ...]:
    """The recipients the vault encrypts to (empty: the vault is off); bad ones are input errors with file and line."""
    entry = settings.section("vault").get("recipients")
    if entry is None or entry.value is None:
        return ()
    values = entry.value if isinstance(entry.value, list) else [entry.value]
    return check_recipients(values, key=KEY, file=entry.file, line=entry.line)


def snippet(values: Sequence[str]) -> str:
    """The YAML of a ``vault`` section with these recipients, to paste into netops.yaml."""
    return "vault:\n  recipients:\n" + "".join(f"    - {r}\n" for r in values)


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _extent(lines: list[str], start: int, deeper: Any) -> int:
    """The index after the last content line of the node starting at ``start``: following lines for which
    ``deeper(line)`` holds, with blank and comment lines between them (trailing ones belong to what follows)."""
    end = start + 1
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if not _content(line):
            continue
        if not deeper(line):
            break
        end = index + 1
    return end


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def with_recipients(text: str, values: Sequence[str], file: str = "netops.yaml") -> str:
    """``text`` (a netops.yaml) with ``vault.recipients`` set to ``values`` by a line-level edit."""
    try:
        doc = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML ({exc})", file=file) from None
    doc = {} if doc is None else doc
    if not isinstance(doc, dict):
        raise InputError("a configuration file is a mapping of settings", file=file)
    items = [f"{r}" for r in values]
    found = doc.get("vault")
    section: dict[str, Any] = dict(found) if isinstance(found, dict) else {}
    lines = text.splitlines()
    top = next((i for i, line in enumerate(lines) if _TOP.match(line)), None)
    if top is None:
        head = text if not text or text.endswith("\n") else text + "\n"
        new = head + ("\n" if head.strip() else "") + "# The secrets vault (netops vault): age recipients its entries are encrypted to.\n" \
            + snippet(items)
    else:
        end = _extent(lines, top, lambda line: _indent(line) > 0)
        rest = _TOP.match(lines[top]).group("rest").split("#", 1)[0].strip()  # type: ignore[union-attr]
        child = next((i for i in range(top + 1, end) if _RECIPIENTS.match(lines[i])), None)
        if rest or child is None:  # a flow mapping, or no recipients key yet: rewrite the section's lines from its data
            merged = {**section, "recipients": items}
            block = yaml.safe_dump({"vault": merged}, default_flow_style=False, sort_keys=False, width=1000).splitlines()
            comments = [line for line in lines[top + 1:end] if line.strip().startswith("#")]
            lines[top:end] = block[:1] + comments + block[1:]
        else:
            indent = _RECIPIENTS.match(lines[child]).group("indent")  # type: ignore[union-attr]
            stop = _extent(lines, child, lambda line: _indent(line) > len(indent)
                           or (_indent(line) == len(indent) and line.lstrip().startswith("- ")))
            lines[child:stop] = [f"{indent}recipients:"] + [f"{indent}  - {r}" for r in items]
        new = "\n".join(lines) + "\n"
    expected = dict(doc)
    expected["vault"] = {**section, "recipients": items}
    try:
        ok = yaml.safe_load(new) == expected
    except yaml.YAMLError:
        ok = False
    if not ok:
        raise InputError(f"cannot change {KEY} in this file safely: set it by hand to\n{snippet(items)}", file=file, key=KEY)
    return new


def write_recipients(path: Path, values: Sequence[str]) -> None:
    """Set ``vault.recipients`` of the configuration file ``path`` to ``values`` (atomic, mode kept)."""
    target = path.resolve()
    try:
        text = target.read_text(encoding="utf-8")
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError as exc:
        raise InputError(f"cannot read it: {exc.strerror}", file=path, key=KEY) from None
    new = with_recipients(text, values, str(path))
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(new)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write it ({exc.strerror}): set it by hand to\n{snippet(values)}", file=path, key=KEY) from None
