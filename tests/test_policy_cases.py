"""Data-driven policy checks: each ``tests/data/policy/<case>/`` holds a policy, an inventory,
``configs/<site>/<host>.cfg`` files parsed by the real platform parsers, and ``expected.json``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from netops.policy.store import latest_run_id, load_run, open_db
from netops.services.check import CheckOptions, run
from netops.settings import Settings

CASES = Path(__file__).parent / "data" / "policy"
CASE_DIRS = sorted(p for p in CASES.iterdir() if (p / "expected.json").is_file())


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda p: p.name)
def test_case(case: Path, tmp_path: Path) -> None:
    expected = json.loads((case / "expected.json").read_text())
    settings = Settings.resolve(inventory=case / "inventory", data_dir=tmp_path, lab=False, policy=[case / "policy.yaml"])
    checked = run(settings, CheckOptions(configs=case / "configs", today=dt.date.fromisoformat(expected["today"])))
    meta, result = checked.meta, checked.result

    got = {(f.rule, f.host, f.object): f for f in result.findings}
    want = {(f["rule"], f["host"], f["object"]): f for f in expected["findings"]}
    assert sorted(got) == sorted(want)
    for key, w in want.items():
        f = got[key]
        assert (f.severity, f.waived) == (w["severity"], w["waived"]), key
        assert [d.key for d in f.details] == w["keys"], key
        assert w.get("message_contains", "") in f.message, (key, f.message)

    notices = sorted((n.kind, n.host, n.rule) for n in result.notices)
    assert notices == sorted((n["kind"], n["host"], n["rule"]) for n in expected["notices"])
    assert {r.rule: r.checked for r in result.rules} == expected["checked"]

    # the run is stored and reads back identically
    with open_db(tmp_path) as conn:
        assert latest_run_id(conn) == meta["id"]
        _, stored = load_run(conn, meta["id"])
    assert [f.to_dict() for f in stored.findings] == [f.to_dict() for f in result.findings]
    assert [n.to_dict() for n in stored.notices] == [n.to_dict() for n in result.notices]
