"""The hardening baseline (netops/defaults/policy/hardening.yaml, kind: lines) on data-driven cases.

``tests/data/hardening/<platform>/<case>/config.cfg`` is checked as an access switch (or the platform's device)
against the shipped baseline through the real parser and driver; ``expected.json`` lists every finding: rule,
object, line, the failed conditions and the fix commands. A hardened configuration gives none.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netops import defaults
from netops.drivers import get_driver
from netops.drivers.remediation import MANUAL
from netops.inventory.hosts import HostInfo
from netops.policy.engine import check
from netops.policy.loader import load_policy
from netops.policy.store import load_run, open_db, save_run

DATA = Path(__file__).parent / "data" / "hardening"
CASES = sorted(p.parent for p in DATA.glob("*/*/config.cfg"))
BASELINE = defaults.path("policy", "hardening.yaml")


def _check(case: Path):
    platform = case.parent.name
    host = f"{platform}-{case.name}"
    facts = HostInfo(name=host, site="jammu", role="access", platform=platform, groups=("site_jammu", "role_access"))
    text = (case / "config.cfg").read_text()
    parsed = get_driver(platform).parse(text, host)
    parsed.text = text
    return check(load_policy([BASELINE]), {host: facts}, {host: parsed})


def _shown(result) -> list[dict]:
    return [{"rule": f.rule, "object": f.object, "line": f.line, "details": [str(d) for d in f.details], "fix": list(f.fix)}
            for f in result.findings]


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_case(case: Path) -> None:
    got = _shown(_check(case))
    expected = json.loads((case / "expected.json").read_text())
    assert got == expected["findings"]
    if case.name == "hardened":
        assert got == []


def test_every_platform_of_the_baseline_has_a_hardened_and_a_weak_case() -> None:
    platforms = {p.parent.name for p in CASES}
    assert platforms == {"cisco_xe", "cisco_wlc", "aruba_os", "aruba_instant", "openwrt"}
    assert all((DATA / p / c / "config.cfg").exists() for p in platforms for c in ("hardened", "weak"))


def test_a_fix_that_needs_a_secret_is_manual_and_never_shows_one() -> None:
    result = _check(DATA / "cisco_xe" / "weak")
    secrets = next(f for f in result.findings if f.rule == "HARD-IOS-007")
    assert secrets.fix and all(c.startswith(MANUAL) for c in secrets.fix)
    snmp = next(f for f in result.findings if f.rule == "HARD-IOS-008")
    assert all(c.startswith(MANUAL) for c in snmp.fix)


def test_fixes_are_stored_with_the_run(tmp_path: Path) -> None:
    import datetime as dt

    result = _check(DATA / "cisco_xe" / "weak")
    conn = open_db(tmp_path)
    run_id = save_run(conn, result, started=dt.datetime.now(dt.timezone.utc), policy=str(BASELINE), configs="test")
    _, loaded = load_run(conn, run_id)
    assert [f.fix for f in loaded.findings] == [f.fix for f in result.findings]
    assert [f.to_dict()["fix"] for f in loaded.findings] == [list(f.fix) for f in result.findings]


def test_lint_names_file_line_and_key_of_every_lines_error() -> None:
    from netops.policy.lint import lint

    bad = DATA / "lint-errors.yaml"
    _, errors = lint([bad])
    assert [(e.line, e.key) for e in errors] == [
        (6, "rules[0].match.ssid"), (7, "rules[0].parent"), (8, "rules[0].present[1]"), (12, "rules[1].kind"),
        (13, "rules[1].require"), (17, "rules[2].present")]
    assert "bad regex 'line vty (\\\\d+'" in errors[1].message
    assert "needs 'present' or 'absent'" in errors[3].message and "not used by rules of kind wlan" in errors[5].message
    _, errors = lint([BASELINE, defaults.path("policy", "secretariat.yaml")])
    assert errors == []


def regenerate() -> None:  # pragma: no cover - run by hand after a deliberate change, then review the diff
    for case in CASES:
        (case / "expected.json").write_text(json.dumps({"findings": _shown(_check(case))}, indent=1) + "\n")


if __name__ == "__main__":  # pragma: no cover
    regenerate()
