"""Send what the outbox holds: plan (rate limit, digest, retries), send per target, record every outcome.

One delivery at a time per data directory (an ``fcntl`` lock on ``<data dir>/alerts.lock``): a poll
service and a cron backup finishing together never send the same alert twice. A target that fails is
not tried again in the same run; its messages stay in the outbox for the next run.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netops.ages import short
from netops.notify import outbox
from netops.notify.model import Alert
from netops.notify.plan import Limits, Plan, plan
from netops.notify.render import Outgoing
from netops.notify.targets import DeliveryError, Target

LOCK_NAME = "alerts.lock"


@dataclass(frozen=True)
class Sent:
    """One message sent (or tried) to one target."""

    target: str
    kind: str  # single, digest, test
    alerts: tuple[Alert, ...]
    ok: bool
    detail: str  # what the target answered, or why it failed

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "kind": self.kind, "ok": self.ok, "detail": self.detail,
                "alerts": [a.headline for a in self.alerts]}


@dataclass(frozen=True)
class Outcome:
    sent: list[Sent] = field(default_factory=list)
    plan: Plan = Plan()
    busy: bool = False  # another delivery held the lock: nothing sent by this one


def limit_text(limits: Limits) -> str:
    return f"{limits.messages} message{'s' if limits.messages != 1 else ''} per {short(limits.per)}"


@contextmanager
def delivery_lock(data_dir: Path, wait: float) -> Iterator[bool]:
    """Hold the delivery lock (True), or yield False when another delivery kept it for ``wait`` seconds."""
    path = Path(data_dir) / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.1)
        yield True
    finally:
        os.close(fd)


def send_due(conn: sqlite3.Connection, targets: Sequence[Target], limits: Limits, now: float) -> Outcome:
    """Send every message the plan allows at ``now`` and record each outcome in the outbox."""
    by_name = {t.name: t for t in targets}
    todo = plan(outbox.pending(conn, list(by_name)), outbox.recent_messages(conn, now - limits.per), now, limits)
    outbox.give_up(conn, todo.give_up)
    alerts = outbox.transitions(conn, {i for m in todo.messages for i in m.ids})
    failed: set[str] = set()
    sent: list[Sent] = []
    order = {t.name: n for n, t in enumerate(targets)}
    for message in sorted(todo.messages, key=lambda m: order[m.target]):  # per target in plan order
        if message.target in failed:
            continue  # tried again by the next run
        out = Outgoing(tuple(alerts[i] for i in message.ids), digest=message.digest, limit=limit_text(limits))
        try:
            detail, ok = by_name[message.target].send(out), True
        except DeliveryError as exc:
            detail, ok = str(exc), False
        except Exception as exc:  # a bug in a target must not lose the outbox's state
            detail, ok = f"{type(exc).__name__}: {exc}", False
        if not ok:
            failed.add(message.target)
        outbox.record_message(conn, message.target, out.kind, message.ids, ok, detail, now, limits.max_attempts)
        sent.append(Sent(message.target, out.kind, out.alerts, ok, detail))
    return Outcome(sent, todo)


def send_test(targets: Sequence[Target]) -> list[Sent]:
    """One test message to every target (nothing is queued or counted)."""
    out: list[Sent] = []
    message = Outgoing((), test=True)
    for target in targets:
        try:
            out.append(Sent(target.name, "test", (), True, target.send(message)))
        except DeliveryError as exc:
            out.append(Sent(target.name, "test", (), False, str(exc)))
    return out
