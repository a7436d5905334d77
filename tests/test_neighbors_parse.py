"""Neighbour tables: ``tests/data/neighbors/<platform>/<case>/input.txt`` (a stored table: real command output
from ntc-templates' test samples under netops' marker lines) against ``expected.json``, and the stored form."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from netops.backup.neighbors import clean_table, find_neighbor_files
from netops.backup.run import NEIGHBORS_CHANGED, BackupPayload, Outcome, _paths, commit_message
from netops.drivers import all_drivers, get_driver
from netops.parsing.neighbors import split_outputs
from netops.results import Status

DATA = Path(__file__).parent / "data" / "neighbors"
CASES = sorted(p.parent for p in DATA.glob("*/*/input.txt"))


def _clean(platform: str, text: str) -> str | None:
    driver = get_driver(platform)
    assert driver.neighbors is not None and driver.backup is not None
    return clean_table(list(split_outputs(text).items()), driver.neighbors.volatile, driver.backup.error_patterns)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_neighbors_case(case: Path) -> None:
    driver = get_driver(case.parent.name)
    text = (case / "input.txt").read_text(encoding="utf-8")
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    assert [n.to_dict() for n in driver.parse_neighbors(text)] == expected
    cleaned = _clean(case.parent.name, text)
    assert cleaned is not None and [n.to_dict() for n in driver.parse_neighbors(cleaned)] == expected
    assert _clean(case.parent.name, cleaned) == cleaned  # idempotent: a stored table compares with a fresh one


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_ageing_lines_make_no_change(case: Path) -> None:
    text = (case / "input.txt").read_text(encoding="utf-8")
    aged = re.sub(r"(Holdtime : |Time remaining: |Neighbor Entries Aged-Out *: )\d+", lambda m: m.group(1) + "7", text)
    assert aged != text
    assert _clean(case.parent.name, aged) == _clean(case.parent.name, text)


def test_a_platform_error_is_no_table() -> None:
    invalid = "show lldp neighbors detail\n                        ^\n% Invalid input detected at '^' marker.\n"
    assert _clean("cisco_xe", f"! netops: show lldp neighbors detail\n{invalid}") is None
    cdp = (DATA / "cisco_xe" / "cdp_and_lldp" / "input.txt").read_text(encoding="utf-8").split("! netops: show lldp")[0]
    kept = _clean("cisco_xe", cdp + f"! netops: show lldp neighbors detail\n{invalid}")
    assert kept is not None and "show lldp" not in kept and [n.protocol for n in get_driver("cisco_xe").parse_neighbors(kept)] == ["cdp"] * 3


def test_platforms_without_a_table() -> None:
    for name, driver in all_drivers().items():
        if driver.neighbors is None:
            assert driver.parse_neighbors("! netops: show cdp neighbors detail\nDevice ID: x\n") == [], name
    assert {"cisco_xe", "cisco_wlc", "aruba_aoscx"} <= {n for n, d in all_drivers().items() if d.neighbors is not None}


def test_find_neighbor_files(tmp_path: Path) -> None:
    (tmp_path / "campus").mkdir()
    (tmp_path / ".git" / "x").mkdir(parents=True)
    (tmp_path / "campus" / "sw1.neighbors").write_text("x")
    (tmp_path / "campus" / "sw1.cfg").write_text("x")
    (tmp_path / ".git" / "x" / "old.neighbors").write_text("x")
    assert find_neighbor_files(tmp_path) == {"sw1": tmp_path / "campus" / "sw1.neighbors"}


def test_a_neighbour_change_alone_is_committed_and_said() -> None:
    alone = Outcome("sw1", Status.CHANGED, NEIGHBORS_CHANGED, "campus", payload=BackupPayload("cisco_xe", "campus/sw1.cfg", neighbors=True))
    both = Outcome("sw2", Status.CHANGED, None, "campus", payload=BackupPayload("cisco_xe", "campus/sw2.cfg", neighbors=True))
    assert _paths(alone) == ["campus/sw1.neighbors"]
    assert _paths(both) == ["campus/sw2.cfg", "campus/sw2.neighbors"]
    message = commit_message([alone, both], "test")
    assert "neighbours: sw1 (campus/sw1.neighbors)" in message
    assert "changed: sw2 (campus/sw2.cfg, neighbours)" in message
