"""The one result type: a run's counts."""

from __future__ import annotations

from datetime import datetime, timezone

from netops.results import DeviceResult, RunResult, Status


def test_counts_ok_covers_changed_and_unchanged() -> None:
    """A backup's devices are changed or unchanged: all of them count as ok (Status.OK alone must not win)."""
    statuses = [Status.CHANGED, Status.UNCHANGED, Status.UNCHANGED, Status.FAILED, Status.SKIPPED]
    run: RunResult[None] = RunResult("backup", datetime.now(timezone.utc), [DeviceResult(f"d{i}", s) for i, s in enumerate(statuses)])
    assert run.counts() == {"devices": 5, "ok": 3, "changed": 1, "unchanged": 2, "failed": 1, "skipped": 1}
    assert list(run.counts()) == ["devices", "ok", "changed", "unchanged", "failed", "skipped"]


def test_counts_of_a_poll() -> None:
    statuses = [Status.OK, Status.OK, Status.FAILED]
    run: RunResult[None] = RunResult("poll", datetime.now(timezone.utc), [DeviceResult(f"d{i}", s) for i, s in enumerate(statuses)])
    assert run.counts() == {"devices": 3, "ok": 2, "changed": 0, "unchanged": 0, "failed": 1, "skipped": 0}
