"""Availability accounting (netops.report.availability): the rules every report states, case by case."""

from __future__ import annotations

import pytest

from netops.report.availability import DOWN, MAINTENANCE, NODATA, UP, Availability, Sample, campus_percent, timeline

T = 1_800_000_000.0  # the day starts here; one poll a minute unless a case says otherwise
DAY = 3600.0  # a one-hour "day" keeps the figures readable


def polls(pattern: str, every: float = 60.0, first: float = T) -> list[Sample]:
    """``"uu.xx?"``: u up, x failed, ? unknown, . no poll at that minute."""
    return [Sample(first + i * every, {"u": True, "x": False, "?": None}[c]) for i, c in enumerate(pattern) if c != "."]


def states(intervals) -> list[tuple[float, float, str]]:
    return [(i.start - T, i.end - T, i.state) for i in intervals]


def test_every_poll_answered_is_up_all_day() -> None:
    assert states(timeline(polls("u" * 60), T, T + DAY, gap=300, down_after=1)) == [(0, DAY, UP)]


def test_a_single_failed_poll_is_a_blip_when_two_are_needed() -> None:
    line = timeline(polls("u" * 10 + "x" + "u" * 49), T, T + DAY, gap=300, down_after=2)
    assert states(line) == [(0, DAY, UP)]


def test_down_from_the_first_failed_poll_to_the_next_good_one() -> None:
    line = timeline(polls("u" * 10 + "xxx" + "u" * 47), T, T + DAY, gap=300, down_after=2)
    assert states(line) == [(0, 600, UP), (600, 780, DOWN), (780, DAY, UP)]
    entity = Availability("sw1", "jammu", "device", line)
    assert entity.percent == pytest.approx(100 * (DAY - 180) / DAY)


def test_a_gap_in_polling_is_no_data_never_up() -> None:
    samples = polls("u" * 10) + polls("u" * 40, first=T + 1200)  # nothing polled from minute 10 to 20
    line = timeline(samples, T, T + DAY, gap=120, down_after=1)
    assert states(line) == [(0, 660, UP), (660, 1200, NODATA), (1200, DAY, UP)]
    assert Availability("sw1", "jammu", "device", line).percent == 100.0


def test_no_poll_at_all_has_no_percentage() -> None:
    entity = Availability("sw1", "jammu", "device", timeline([], T, T + DAY, gap=300, down_after=1))
    assert states(entity.timeline) == [(0, DAY, NODATA)] and entity.percent is None


def test_an_unknown_sample_is_no_data() -> None:
    line = timeline(polls("uu??" + "u" * 56), T, T + DAY, gap=300, down_after=1)
    assert states(line) == [(0, 120, UP), (120, 240, NODATA), (240, DAY, UP)]


def test_the_day_starts_in_the_state_of_the_poll_before_it() -> None:
    samples = [Sample(T - 30, False)] + polls("u" * 60, first=T + 30)
    line = timeline(samples, T, T + DAY, gap=300, down_after=1)
    assert states(line)[0] == (0, 30, DOWN)


def test_maintenance_is_cut_out_and_counts_neither_way() -> None:
    line = timeline(polls("u" * 10 + "x" * 20 + "u" * 30), T, T + DAY, gap=300, down_after=1,
                    maintenance=[(T + 600, T + 1800)])
    assert states(line) == [(0, 600, UP), (600, 1800, MAINTENANCE), (1800, DAY, UP)]
    assert Availability("sw1", "jammu", "device", line).percent == 100.0


def test_a_partial_day_ends_now() -> None:
    line = timeline(polls("u" * 30), T, T + 1800, gap=300, down_after=1)
    assert states(line) == [(0, 1800, UP)]


def test_campus_percent_weighs_by_measured_time() -> None:
    full = Availability("a", "jammu", "device", timeline(polls("u" * 60), T, T + DAY, 300, 1))
    half = Availability("b", "jammu", "device", timeline(polls("u" * 30 + "x" * 30), T, T + DAY, 300, 1))
    unmeasured = Availability("c", "jammu", "device", timeline([], T, T + DAY, 300, 1))
    assert campus_percent([full, half, unmeasured]) == pytest.approx(75.0)
    assert campus_percent([unmeasured]) is None
