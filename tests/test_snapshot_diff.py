"""Snapshot diffs, data-driven: tests/data/snapshot/<case>/ holds two stored snapshots (a.json, b.json) and the
answer worked out by reading them (expected.json: each regression and change as host, feature, key and a text
its message contains, in the order the diff lists them; ``options`` for a case with another threshold)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netops.snapshot.diff import diff
from netops.snapshot.record import Snapshot

CASES = Path(__file__).parent / "data" / "snapshot"


def _load(path: Path) -> Snapshot:
    return Snapshot.from_dict(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if (p / "expected.json").is_file()))
def test_diff_case(case: str) -> None:
    folder = CASES / case
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    result = diff(_load(folder / "a.json"), _load(folder / "b.json"), **expected.get("options", {}))
    for kind in ("regressions", "changes"):
        got = [(c.host, c.feature, c.key) for c in getattr(result, kind)]
        assert got == [tuple(e[:3]) for e in expected[kind]], kind
        for change, (_, _, _, text) in zip(getattr(result, kind), expected[kind]):
            assert text in change.message, (kind, change)


def test_no_change_is_an_empty_diff() -> None:
    result = diff(_load(CASES / "no-change" / "a.json"), _load(CASES / "no-change" / "b.json"))
    assert result.empty and result.to_dict()["regressions"] == [] and result.to_dict()["changes"] == []


def test_unreachable_device_is_one_regression_and_its_features_are_not_compared() -> None:
    a, b = _load(CASES / "unreachable-in-b" / "a.json"), _load(CASES / "unreachable-in-b" / "b.json")
    assert not b.devices["acc-1"].features and b.unreachable == ["acc-1"]
    result = diff(a, b)
    assert [(c.feature, c.key) for c in result.regressions if c.host == "acc-1"] == [("device", "reachable")]
    assert "timed out" in result.regressions[0].message and "sysUpTime" in result.regressions[0].message


def test_a_diff_reads_as_json_types() -> None:
    result = diff(_load(CASES / "every-regression" / "a.json"), _load(CASES / "every-regression" / "b.json"))
    doc = json.loads(json.dumps(result.to_dict()))
    first = doc["regressions"][0]
    assert set(first) == {"host", "feature", "key", "before", "after", "message"}
    assert first["before"]["oper"] == "up" and first["after"]["oper"] == "down"
