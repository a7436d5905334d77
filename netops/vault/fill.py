"""Using what the vault holds: a stored configuration with its secrets put back, and a check that a device
has the vault's secrets (reporting only labels, never values)."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from netops.backup.clean import Secret, clean_keeping_secrets
from netops.drivers.base import REDACTED, BackupSpec
from netops.errors import InputError


def fill(stored_text: str, secrets: Sequence[Secret]) -> str:
    """``stored_text`` with every redacted line replaced by the device's original (a collapsed block by its
    body lines): the complete configuration. Secrets are taken in order per stored line, so a redacted line
    that occurs twice (two users with the same privilege, one key per server) gets each its own value.
    A marker the vault cannot fill is an input error naming the line (which carries no secret)."""
    queues: dict[str, deque[Secret]] = {}
    for secret in secrets:
        queues.setdefault(secret.stored, deque()).append(secret)
    out: list[str] = []
    lines = stored_text.split("\n")  # as cleaning splits: a form feed in a banner is not a line break
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, 1):
        queue = queues.get(line)
        if queue:
            out.extend(queue.popleft().original)
        elif REDACTED in line:
            raise InputError(f"line {number}: the vault has no secret for {line.strip()!r} "
                             "(the entry and the configuration are of different revisions?)", key="vault")
        else:
            out.append(line)
    return "\n".join(out) + "\n" if out else ""


def _label(secret: Secret) -> str:
    return f"{secret.label}: {secret.stored.strip()}" if secret.label else secret.stored.strip()


def compare(expected: Sequence[Secret], actual: Sequence[Secret]) -> tuple[bool, list[str]]:
    """Whether ``actual`` (a device's secrets) are ``expected`` (the vault's), line by line in order per stored
    line; the labels of those that differ, are missing or are extra, safe to print."""
    wanted: dict[str, list[Secret]] = {}
    found: dict[str, list[Secret]] = {}
    for secret in expected:
        wanted.setdefault(secret.stored, []).append(secret)
    for secret in actual:
        found.setdefault(secret.stored, []).append(secret)
    labels: list[str] = []
    for stored, want in wanted.items():
        have = found.get(stored, [])
        for index, secret in enumerate(want):
            if index >= len(have):
                labels.append(f"missing {_label(secret)}")
            elif have[index].original != secret.original:
                labels.append(f"different {_label(secret)}")
        labels += [f"not in the vault {_label(s)}" for s in have[len(want):]]
    for stored, have in found.items():
        if stored not in wanted:
            labels += [f"not in the vault {_label(s)}" for s in have]
    return not labels, labels


def matches(raw_running: str, spec: BackupSpec, secrets: Sequence[Secret]) -> tuple[bool, list[str]]:
    """Whether a device's configuration (``raw_running``, as fetched) has exactly the vault's ``secrets``:
    cleaned like a backup, its removed secrets are compared with the vault's. Returns (ok, the labels of
    the secrets that differ), never a value."""
    _, running = clean_keeping_secrets(raw_running, spec)
    return compare(secrets, running)
