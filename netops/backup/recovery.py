"""The plan a push leaves when it stops: what took, and the lines to finish it or to roll it back.

A restore or a remediation whose push stops (the connection drops, the device refuses a line) or whose
verification fails writes one JSON file under ``<data dir>/plans/`` (0600; redacted lines stay redacted):
the lines applied (each confirmed by the device's echo and prompt), the line that failed and why, the
lines never sent, the running configuration before the push and the one it was to reach (restore: the
stored version). From the device as it was read right after the failure it lists

- ``finish``: what completes the push: hier_config's remediation from that state to the intended
  configuration (restore), or the failed line and the lines never sent, under their section (remediate);
- ``rollback``: what brings the device back to its configuration before the push: the remediation from
  that state to the one before.

``netops restore --resume PLAN`` / ``--rollback PLAN`` (``netops remediate`` the same for its plans) run it:
the device is read again and the lines computed anew from what it has then (the lines in the file are
what will be pushed if nothing changed since), pushed the same way, and verified.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from netops.backup.manual import split_manual
from netops.drivers.base import PlatformDriver
from netops.drivers.push import Progress
from netops.errors import InputError

ACTIONS = ("resume", "rollback")
DIRECTORY = "plans"  # under the data directory


@dataclass
class RecoveryPlan:
    kind: str  # the command that pushed: restore or remediate
    host: str
    platform: str
    created: str  # UTC, ISO 8601
    reason: str  # why the push stopped (or what the verification found)
    applied: list[str]  # confirmed by the device
    failed: str | None  # the line that failed (None: the push completed, the verification did not)
    not_sent: list[str]
    finish: list[str]  # the lines that complete the push
    rollback: list[str]  # the lines that undo what was applied
    manual: list[str] = field(default_factory=list)  # steps of either a human must do (secrets are never pushed)
    read_back: bool = True  # finish and rollback come from the device read after the failure (else: recomputed when run)
    before: str = ""  # the running configuration before the push (cleaned, secrets redacted)
    intended: str | None = None  # the configuration the push was to reach; None: remediate (its lines are the goal)
    commit: str | None = None  # restore: the stored version
    confirmed: bool = True  # False: the platform's push confirms no single line; ``applied`` is unknown
    path: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> dict[str, Any]:
        """What a command's result shows of it (without the configurations)."""
        return {k: v for k, v in self.to_dict().items() if k not in ("before", "intended")}

    def target(self, action: str) -> str | None:
        """The configuration ``action`` brings the device to (None: remediate's finish, its lines as they are)."""
        return self.before if action == "rollback" else self.intended


def _section_of(commands: list[str], index: int) -> list[str]:
    """The section lines (less indented, before ``index``) that ``commands[index]`` sits in."""
    line = commands[index]
    depth = len(line) - len(line.lstrip(" "))
    parents: list[str] = []
    for earlier in reversed(commands[:index]):
        indent = len(earlier) - len(earlier.lstrip(" "))
        if indent < depth and earlier.strip() != "exit":
            parents.insert(0, earlier)
            depth = indent
        if depth == 0:
            break
    return parents


def unsent(progress: Progress) -> list[str]:
    """The failed line and those never sent, each within its section."""
    start = len(progress.applied)
    rest = progress.commands[start:]
    return (_section_of(progress.commands, start) + rest) if rest else []


def build(driver: PlatformDriver, kind: str, host: str, progress: Progress, reason: str, before: str,
          intended: str | None, after: str | None, commit: str | None = None) -> RecoveryPlan:
    """The plan of a push that stopped (``progress``), from the device's configuration ``after`` it (None: it could not
    be read; the lines are then computed when the plan runs)."""
    manual: list[str] = []
    finish = unsent(progress)
    rollback: list[str] = []
    if after is not None:
        rollback, manual = split_manual(driver.remediation(after, before))
        if intended is not None:
            finish, more = split_manual(driver.remediation(after, intended))
            manual += [m for m in more if m not in manual]
    return RecoveryPlan(
        kind=kind, host=host, platform=driver.platform, created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        reason=reason, applied=list(progress.applied), failed=progress.failed, not_sent=progress.not_sent,
        finish=finish, rollback=rollback, manual=manual, read_back=after is not None, before=before, intended=intended,
        commit=commit, confirmed=progress.confirmed,
    )


def write(plan: RecoveryPlan, data_dir: Path) -> Path:
    """Store ``plan`` as ``<data dir>/plans/<kind>-<host>-<UTC stamp>.json`` (0600); its path (also set on it)."""
    directory = Path(data_dir) / DIRECTORY
    directory.mkdir(parents=True, exist_ok=True)
    stamp = plan.created.replace("-", "").replace(":", "").replace("+0000", "Z")
    path = directory / f"{plan.kind}-{plan.host}-{stamp}.json"
    for n in range(2, 100):
        if not path.exists():
            break
        path = directory / f"{plan.kind}-{plan.host}-{stamp}-{n}.json"
    plan.path = str(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(plan.to_dict(), out, indent=2)
        out.write("\n")
        out.flush()
        os.fsync(out.fileno())
    return path


def load(path: Path, key: str) -> RecoveryPlan:
    """The plan in ``path``; an input error (``key``: the flag that named it) when it is not one."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        plan = RecoveryPlan(**raw)
    except FileNotFoundError:
        raise InputError("no such plan", file=path, key=key) from None
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(f"not a netops recovery plan: {exc}", file=path, key=key) from None
    plan.path = str(path)
    return plan
