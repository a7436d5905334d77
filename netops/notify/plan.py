"""What to send now: a pure function of the outbox's pending deliveries, the clock and the limits.

Per target:

- a delivery that failed waits before its next attempt (30 s, doubling per attempt, at most an hour) and is
  given up after ``max_attempts`` attempts;
- a transition never overtakes an earlier one of the same alert: a clearing waits while its raise waits
  for a retry;
- at most ``messages`` messages go out within any ``per`` seconds (counting the messages already sent in
  the window). When more alerts are due than the budget left, the oldest go out one message each and all
  the later ones as one digest, the last message the budget allows (so a target receives them in the order
  they happened); with no budget left, everything waits for the window to move (``Plan.next_at``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

RETRY_FIRST = 30.0  # seconds before the first retry of a failed delivery
RETRY_MAX = 3600.0


@dataclass(frozen=True)
class Limits:
    messages: int = 5  # per target within ``per``
    per: float = 600.0  # seconds
    max_attempts: int = 10  # then the delivery is given up (recorded)


@dataclass(frozen=True)
class Pending:
    """One transition not yet delivered to one target."""

    id: int  # the transition's row in the outbox
    target: str
    time: float  # when the transition happened (order of delivery)
    severity: str
    attempts: int = 0  # failed attempts so far
    last_try: float | None = None
    key: str = ""  # the alert's key: its transitions reach a target in order


@dataclass(frozen=True)
class Message:
    """One message to one target: a single alert, or a digest of several."""

    target: str
    ids: tuple[int, ...]
    digest: bool = False


@dataclass(frozen=True)
class Plan:
    messages: tuple[Message, ...] = ()
    held: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # target -> ids waiting for the rate limit
    next_at: Mapping[str, float] = field(default_factory=dict)  # target -> when its window lets the held ones go
    backoff: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # target -> ids waiting to be retried
    retry_at: Mapping[str, float] = field(default_factory=dict)  # target -> when the first of them is due
    give_up: tuple[tuple[str, int], ...] = ()  # (target, id): attempts exhausted


def retry_delay(attempts: int) -> float:
    """Seconds between a delivery's ``attempts``-th failure and its next attempt."""
    return min(RETRY_MAX, RETRY_FIRST * 2 ** max(0, attempts - 1))


def plan(pending: Sequence[Pending], sent: Mapping[str, Sequence[float]], now: float, limits: Limits) -> Plan:
    """The messages to send at ``now``, per target in the order given; ``sent``: per target, the times of the
    messages that went out (only those within ``limits.per`` before ``now`` count)."""
    messages: list[Message] = []
    held: dict[str, tuple[int, ...]] = {}
    next_at: dict[str, float] = {}
    backoff: dict[str, tuple[int, ...]] = {}
    retry_at: dict[str, float] = {}
    give_up: list[tuple[str, int]] = []
    targets = list(dict.fromkeys(p.target for p in pending))
    for target in targets:
        due: list[Pending] = []
        waiting: list[int] = []
        blocked: set[str] = set()  # keys with a transition waiting for its retry
        for p in sorted((p for p in pending if p.target == target), key=lambda p: (p.time, p.id)):
            if p.attempts >= limits.max_attempts:
                give_up.append((target, p.id))
            elif p.attempts and p.last_try is not None and now < p.last_try + retry_delay(p.attempts):
                waiting.append(p.id)
                due_at = p.last_try + retry_delay(p.attempts)
                retry_at[target] = min(retry_at.get(target, due_at), due_at)
                blocked.add(p.key)
            elif p.key and p.key in blocked:
                waiting.append(p.id)  # after its alert's earlier transition
            else:
                due.append(p)
        if waiting:
            backoff[target] = tuple(waiting)
        if not due:
            continue
        window = sorted(t for t in sent.get(target, ()) if now - limits.per < t <= now)
        budget = limits.messages - len(window)
        if budget <= 0:
            held[target] = tuple(p.id for p in due)
            next_at[target] = window[len(window) - limits.messages] + limits.per  # when the oldest counted message leaves
            continue
        if len(due) <= budget:
            messages += [Message(target, (p.id,)) for p in due]
            continue
        messages += [Message(target, (p.id,)) for p in due[:budget - 1]]
        messages.append(Message(target, tuple(p.id for p in due[budget - 1:]), digest=True))
    return Plan(tuple(messages), held, next_at, backoff, retry_at, tuple(give_up))
