"""Availability accounting from poll samples: what was up, down, unmeasured or in maintenance, and when.

The rules, stated in every report:

* a poll sample stands for the time until the next one, but never for more than
  ``gap`` seconds: polls further apart leave *no data* between them, never *up*;
* a device or AP is *down* from the first of at least ``down_after`` consecutive
  failed polls until the next good one (fewer failed polls in a row are a blip and
  count as up, as they raise no alert either);
* a sample that says nothing (an AP whose controller did not answer) is *no data*;
* maintenance windows are cut out of the day and listed;
* availability = up / (up + down): no data and maintenance count neither way, and
  an entity with nothing measured has no percentage at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

UP, DOWN, NODATA, MAINTENANCE = "up", "down", "nodata", "maintenance"


@dataclass(frozen=True)
class Sample:
    time: float  # Unix time of the poll
    up: bool | None  # None: the poll could not tell


@dataclass(frozen=True)
class Interval:
    start: float
    end: float
    state: str  # up, down, nodata, maintenance

    @property
    def seconds(self) -> float:
        return self.end - self.start


@dataclass
class Availability:
    """One device's or AP's day."""

    name: str
    site: str
    kind: str  # "device" or "ap"
    timeline: list[Interval] = field(default_factory=list)

    def total(self, state: str) -> float:
        return sum(i.seconds for i in self.timeline if i.state == state)

    @property
    def measured(self) -> float:
        return self.total(UP) + self.total(DOWN)

    @property
    def percent(self) -> float | None:
        return 100.0 * self.total(UP) / self.measured if self.measured else None

    def intervals(self, state: str) -> list[Interval]:
        return [i for i in self.timeline if i.state == state]


def timeline(samples: Sequence[Sample], start: float, end: float, gap: float, down_after: int,
             maintenance: Iterable[tuple[float, float]] = ()) -> list[Interval]:
    """The entity's day from its samples (those just before ``start`` included, so the day starts in a known state)."""
    ordered = sorted(samples, key=lambda s: s.time)
    states = _states(ordered, max(1, down_after))
    raw: list[Interval] = []
    cursor = start
    for i, (sample, state) in enumerate(zip(ordered, states)):
        following = ordered[i + 1].time if i + 1 < len(ordered) else end
        covered_until = min(following, sample.time + gap, end)
        if sample.time > cursor:
            raw.append(Interval(cursor, min(sample.time, end), NODATA))
        begin = max(sample.time, start)
        if covered_until > begin:
            raw.append(Interval(begin, covered_until, state))
        cursor = max(cursor, covered_until)
        if cursor >= end:
            break
    if cursor < end:
        raw.append(Interval(cursor, end, NODATA))
    clipped = [Interval(max(i.start, start), min(i.end, end), i.state) for i in raw if i.end > start and i.start < end]
    return _merge(_cut(clipped, sorted(maintenance)))


def _states(samples: Sequence[Sample], down_after: int) -> list[str]:
    """Each sample's state, a run of failed polls shorter than ``down_after`` counting as up."""
    out = [NODATA if s.up is None else (UP if s.up else DOWN) for s in samples]
    i = 0
    while i < len(out):
        if out[i] != DOWN:
            i += 1
            continue
        j = i
        while j < len(out) and out[j] == DOWN:
            j += 1
        if j - i < down_after:
            out[i:j] = [UP] * (j - i)
        i = j
    return out


def _cut(intervals: list[Interval], windows: list[tuple[float, float]]) -> list[Interval]:
    out: list[Interval] = []
    for interval in intervals:
        pieces = [interval]
        for w_start, w_end in windows:
            next_pieces = []
            for p in pieces:
                if w_end <= p.start or w_start >= p.end:
                    next_pieces.append(p)
                    continue
                if p.start < w_start:
                    next_pieces.append(Interval(p.start, w_start, p.state))
                next_pieces.append(Interval(max(p.start, w_start), min(p.end, w_end), MAINTENANCE))
                if w_end < p.end:
                    next_pieces.append(Interval(w_end, p.end, p.state))
            pieces = next_pieces
        out.extend(pieces)
    return out


def _merge(intervals: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for i in sorted(intervals, key=lambda i: i.start):
        if i.seconds <= 0:
            continue
        if out and out[-1].state == i.state and out[-1].end >= i.start:
            out[-1] = Interval(out[-1].start, max(out[-1].end, i.end), i.state)
        else:
            out.append(i)
    return out


def campus_percent(entities: Iterable[Availability]) -> float | None:
    """Up time over measured time of all ``entities`` together (None: nothing measured)."""
    entities = list(entities)
    measured = sum(e.measured for e in entities)
    return 100.0 * sum(e.total(UP) for e in entities) / measured if measured else None
