"""netops.notify.plan: what goes out now, given the outbox, the clock and the limits (pure, exhaustive)."""

from __future__ import annotations

import itertools

import pytest

from netops.notify.plan import RETRY_FIRST, RETRY_MAX, Limits, Message, Pending, plan, retry_delay

NOW = 1_800_000_000.0
LIMITS = Limits(messages=5, per=600.0, max_attempts=4)


def pending(n: int, target: str = "mail", severity: str = "high", start: int = 1, **kw) -> list[Pending]:
    return [Pending(i, target, NOW - 100 + i, severity, **kw) for i in range(start, start + n)]


def ids(messages: tuple[Message, ...], target: str | None = None) -> list[tuple[int, ...]]:
    return [m.ids for m in messages if target is None or m.target == target]


def test_nothing_pending_nothing_planned() -> None:
    assert plan([], {}, NOW, LIMITS).messages == ()


def test_within_the_budget_one_message_per_alert_oldest_first() -> None:
    out = plan(list(reversed(pending(3))), {}, NOW, LIMITS)
    assert ids(out.messages) == [(1,), (2,), (3,)] and not any(m.digest for m in out.messages)
    assert out.held == {} and out.give_up == ()


def test_exactly_the_budget_still_singles() -> None:
    out = plan(pending(5), {}, NOW, LIMITS)
    assert ids(out.messages) == [(1,), (2,), (3,), (4,), (5,)]


def test_over_the_budget_the_rest_goes_as_one_digest_within_the_budget() -> None:
    out = plan(pending(9), {}, NOW, LIMITS)
    assert ids(out.messages) == [(1,), (2,), (3,), (4,), (5, 6, 7, 8, 9)]
    assert [m.digest for m in out.messages] == [False] * 4 + [True]
    assert len(out.messages) == LIMITS.messages  # the digest counts as one message


def test_the_oldest_go_alone_and_the_later_ones_in_the_digest_in_order() -> None:
    rows = pending(4, severity="low") + [Pending(10, "mail", NOW - 1, "critical"), Pending(11, "mail", NOW - 200, "medium")]
    out = plan(rows, {}, NOW, Limits(messages=3, per=600))
    assert ids(out.messages) == [(11,), (1,), (2, 3, 4, 10)]  # a target gets them in the order they happened


def test_a_clearing_never_overtakes_its_raise_waiting_for_a_retry() -> None:
    rows = [Pending(1, "mail", NOW - 50, "high", attempts=1, last_try=NOW - 10, key="snmp/device_down/a/a"),
            Pending(2, "mail", NOW - 5, "high", key="snmp/device_down/a/a"),  # its clearing
            Pending(3, "mail", NOW - 4, "high", key="snmp/device_down/b/b")]  # another alert: not held back
    out = plan(rows, {}, NOW, LIMITS)
    assert ids(out.messages) == [(3,)] and out.backoff == {"mail": (1, 2)}
    later = plan(rows[:2], {}, NOW + 20, LIMITS)
    assert ids(later.messages) == [(1,), (2,)]


def test_a_given_up_raise_does_not_hold_its_clearing() -> None:
    rows = [Pending(1, "mail", NOW - 50, "high", attempts=4, last_try=NOW - 1, key="k"), Pending(2, "mail", NOW - 5, "high", key="k")]
    out = plan(rows, {}, NOW, LIMITS)
    assert out.give_up == (("mail", 1),) and ids(out.messages) == [(2,)]


def test_messages_sent_within_the_window_use_the_budget() -> None:
    sent = {"mail": [NOW - 500, NOW - 300, NOW - 10]}
    out = plan(pending(4), sent, NOW, LIMITS)
    assert ids(out.messages) == [(1,), (2, 3, 4)] and out.messages[1].digest


def test_messages_older_than_the_window_do_not_count() -> None:
    sent = {"mail": [NOW - 600, NOW - 601, NOW - 5000, NOW - 600.5]}  # the window is (now - per, now]
    out = plan(pending(5), sent, NOW, LIMITS)
    assert ids(out.messages) == [(1,), (2,), (3,), (4,), (5,)]


def test_a_message_at_the_edge_of_the_window_counts() -> None:
    sent = {"mail": [NOW - 599.9, NOW - 1, NOW - 2, NOW - 3]}
    out = plan(pending(3), sent, NOW, LIMITS)
    assert ids(out.messages) == [(1, 2, 3)] and out.messages[0].digest


def test_budget_of_one_sends_everything_as_one_digest() -> None:
    out = plan(pending(3), {}, NOW, Limits(messages=1, per=60))
    assert ids(out.messages) == [(1, 2, 3)] and out.messages[0].digest


def test_budget_of_one_and_a_single_alert_is_not_a_digest() -> None:
    out = plan(pending(1), {}, NOW, Limits(messages=1, per=60))
    assert ids(out.messages) == [(1,)] and not out.messages[0].digest


def test_no_budget_left_holds_everything_until_the_window_moves() -> None:
    sent = {"mail": [NOW - 550, NOW - 400, NOW - 300, NOW - 200, NOW - 100]}
    out = plan(pending(2), sent, NOW, LIMITS)
    assert out.messages == () and out.held == {"mail": (1, 2)}
    assert out.next_at == {"mail": NOW - 550 + 600}  # when the oldest counted message leaves the window
    later = plan(pending(2), sent, out.next_at["mail"], LIMITS)
    assert ids(later.messages) == [(1, 2)] and later.messages[0].digest  # one slot: one digest


def test_more_sent_than_allowed_waits_for_enough_of_them_to_leave() -> None:
    sent = {"mail": [NOW - 590, NOW - 580, NOW - 500, NOW - 400, NOW - 300, NOW - 200, NOW - 100]}  # 7 > 5 (limit lowered)
    out = plan(pending(1), sent, NOW, LIMITS)
    assert out.next_at == {"mail": NOW - 500 + 600}  # then 4 remain in the window: one slot


def test_targets_have_their_own_budget() -> None:
    rows = pending(3, "mail") + pending(3, "webhook", start=11)
    sent = {"webhook": [NOW - 10] * 4}
    out = plan(rows, sent, NOW, LIMITS)
    assert ids(out.messages, "mail") == [(1,), (2,), (3,)]
    assert ids(out.messages, "webhook") == [(11, 12, 13)]


def test_a_failed_delivery_waits_before_its_retry() -> None:
    rows = [Pending(1, "mail", NOW - 50, "high", attempts=1, last_try=NOW - 10),
            Pending(2, "mail", NOW - 50, "high", attempts=1, last_try=NOW - RETRY_FIRST),
            Pending(3, "mail", NOW - 50, "high", attempts=2, last_try=NOW - 45)]
    out = plan(rows, {}, NOW, LIMITS)
    assert ids(out.messages) == [(2,)]
    assert out.backoff == {"mail": (1, 3)}  # 30 s after one failure, 60 s after two
    assert out.retry_at == {"mail": NOW + 15}  # the first of them


def test_attempts_spent_are_given_up() -> None:
    rows = [Pending(1, "mail", NOW - 50, "high", attempts=4, last_try=NOW - 9999), Pending(2, "syslog", NOW, "high", attempts=3)]
    out = plan(rows, {}, NOW, LIMITS)
    assert out.give_up == (("mail", 1),) and ids(out.messages) == [(2,)]


@pytest.mark.parametrize(("attempts", "delay"), [(1, 30), (2, 60), (3, 120), (7, 1920), (8, RETRY_MAX), (40, RETRY_MAX)])
def test_retry_delay_doubles_up_to_an_hour(attempts: int, delay: float) -> None:
    assert retry_delay(attempts) == delay


def test_retry_without_a_recorded_try_is_due() -> None:
    out = plan([Pending(1, "mail", NOW, "high", attempts=1, last_try=None)], {}, NOW, LIMITS)
    assert ids(out.messages) == [(1,)]


def test_two_runs_never_exceed_the_limit_in_one_window() -> None:
    """Run after run, what was sent counts: no window of ``per`` seconds ever holds more than ``messages`` messages."""
    limits = Limits(messages=3, per=600)
    sent: list[float] = []
    queue = pending(10)
    now = NOW
    delivered: list[int] = []
    for run in range(6):
        out = plan(queue, {"mail": sent}, now, limits)
        for m in out.messages:
            sent.append(now)
            delivered += m.ids
        queue = [p for p in queue if p.id not in delivered]
        queue += [Pending(100 + run, "mail", now, "high")]  # a new alert every run
        for t in sent:
            assert sum(1 for u in sent if t - limits.per < u <= t) <= limits.messages
        now += 240
    assert sorted(delivered) == sorted(set(delivered))  # nothing sent twice


@pytest.mark.parametrize(("n", "used", "limit"), list(itertools.product(range(0, 9), range(0, 7), range(1, 6))))
def test_every_due_alert_is_sent_once_or_held(n: int, used: int, limit: int) -> None:
    limits = Limits(messages=limit, per=600)
    severities = ["critical", "high", "medium", "low", "info"]
    rows = [Pending(i, "mail", NOW - 100 + (i * 7) % 13, severities[i % 5]) for i in range(n)]
    sent = {"mail": [NOW - 10 * (k + 1) for k in range(used)]}
    out = plan(rows, sent, NOW, limits)
    budget = limit - used
    carried = [i for m in out.messages for i in m.ids]
    held = list(out.held.get("mail", ()))
    assert sorted(carried + held) == list(range(n)) and len(set(carried)) == len(carried)
    assert len(out.messages) <= max(0, budget)
    if n == 0:
        assert out.messages == () and not held
    elif budget <= 0:
        assert out.messages == () and held and out.next_at["mail"] > NOW
    elif n <= budget:
        assert len(out.messages) == n and not any(m.digest for m in out.messages)
    else:
        assert len(out.messages) == budget and out.messages[-1].digest and len(out.messages[-1].ids) >= 2
        assert sum(m.digest for m in out.messages) == 1
    in_order = [p.id for p in sorted(rows, key=lambda p: (p.time, p.id))]
    assert carried == in_order[:len(carried)]  # the oldest first, the digest last: the order they happened
