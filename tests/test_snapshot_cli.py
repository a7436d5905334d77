"""``netops snapshot`` on stored snapshots: bad input (exit 2 with a message naming what exists), --json shapes,
exit 1 on a regression. The snapshots are the diff cases' files (tests/data/snapshot/), copied into a data dir."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "data" / "snapshot"


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "snapshots"
    folder.mkdir(parents=True)
    shutil.copy(CASES / "every-regression" / "a.json", folder / "before.json")
    shutil.copy(CASES / "every-regression" / "b.json", folder / "after.json")
    shutil.copy(CASES / "no-change" / "b.json", folder / "same.json")
    return tmp_path / "data"


def run(netops_cli, data: Path, *args: str) -> tuple[int, str, str]:
    return netops_cli("--data-dir", str(data), "snapshot", *args)


def test_unknown_snapshot_is_bad_input_naming_the_ones_that_exist(netops_cli, data) -> None:
    rc, out, err = run(netops_cli, data, "diff", "before", "no-such-snap")
    assert rc == 2 and out == ""
    assert "no-such-snap" in err and "after, before, same" in err
    rc, _, err = run(netops_cli, data, "show", "nope", "--json")
    assert rc == 2 and "'nope'" in err and "before" in err
    rc, _, err = run(netops_cli, data, "delete", "nope")
    assert rc == 2 and "'nope'" in err


@pytest.mark.parametrize("name", ["bad name", "../etc/passwd", "-x", ".hidden", "a/b", "x" * 200])
def test_bad_snapshot_name_is_bad_input(netops_cli, data, name: str) -> None:
    rc, out, err = run(netops_cli, data, "show", "--", name) if name.startswith("-") else run(netops_cli, data, "show", name)
    assert rc == 2 and "not a snapshot name" in err, err


def test_take_refuses_a_bad_or_existing_name_before_reading_devices(netops_cli, data) -> None:
    rc, _, err = run(netops_cli, data, "take", "bad name")
    assert rc == 2 and "not a snapshot name" in err
    rc, _, err = run(netops_cli, data, "take", "before")
    assert rc == 2 and "--force" in err


def test_diff_json_shape_and_exit_1_on_a_regression(netops_cli, data) -> None:
    rc, out, err = run(netops_cli, data, "diff", "before", "after", "--json")
    assert rc == 1, err
    doc = json.loads(out)
    assert set(doc) == {"a", "b", "clients_drop", "regressions", "changes"}
    assert doc["a"] == "before" and doc["b"] == "after" and doc["clients_drop"] == 0.5
    assert {"host", "feature", "key", "before", "after", "message"} == set(doc["regressions"][0])
    assert ("wlc-1", "aps", "ap-01") in {(c["host"], c["feature"], c["key"]) for c in doc["regressions"]}
    rc, out, _ = run(netops_cli, data, "diff", "before", "after")
    assert rc == 1 and "REGRESSION" in out and "no longer carries VLAN 110" in out


def test_diff_without_regression_exits_0(netops_cli, data) -> None:
    rc, out, err = run(netops_cli, data, "diff", "before", "same", "--json")
    assert rc == 0, err
    assert json.loads(out)["regressions"] == [] and json.loads(out)["changes"] == []
    rc, out, _ = run(netops_cli, data, "diff", "before", "same")
    assert rc == 0 and "no change" in out


def test_clients_drop_must_be_a_fraction(netops_cli, data) -> None:
    rc, _, err = run(netops_cli, data, "diff", "before", "after", "--clients-drop", "50")
    assert rc == 2 and "--clients-drop" in err


def test_list_show_delete_json(netops_cli, data) -> None:
    rc, out, err = run(netops_cli, data, "list", "--json")
    assert rc == 0, err
    rows = json.loads(out)["snapshots"]
    assert {r["name"] for r in rows} == {"before", "after", "same"}
    assert set(rows[0]) == {"name", "taken", "scope", "devices", "unreachable", "origin"}
    assert next(r for r in rows if r["name"] == "before")["devices"] == 3

    rc, out, err = run(netops_cli, data, "show", "before", "--host", "wlc-1", "--json")
    assert rc == 0, err
    shown = json.loads(out)
    assert list(shown["devices"]) == ["wlc-1"]
    assert set(shown["devices"]["wlc-1"]) == {"host", "platform", "site", "taken", "reachable", "reasons", "features"}
    rc, _, err = run(netops_cli, data, "show", "before", "--host", "nope")
    assert rc == 2 and "nope" in err

    rc, out, err = run(netops_cli, data, "delete", "same", "--json")
    assert rc == 0 and json.loads(out) == {"deleted": "same"}, err
    assert not (data / "snapshots" / "same.json").exists()
