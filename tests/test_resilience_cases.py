"""Data-driven resilience audits: each ``tests/data/resilience/<case>/`` is a small campus (``configs/<host>.cfg``
and ``<host>.neighbors``, an ``inventory/``, an optional ``topology.clab.yml``) with the answers an administrator
works out on paper in ``expected.json``:

- ``single_points_of_failure``: the complete list, in the audit's order (devices by name, then links by id), each
  ``{"device"|"link", "scope", "impact"}``;
- ``findings``: the active findings of the redundancy rules (RES-001..RES-006) as sorted ``[rule, host, object]``;
- ``whatif``: failures (``fail`` devices, ``fail_links`` ``A:IF-B:IF``) and what stops working (``expect``);
  ``failed_links`` (optional) the link ids the answer names; ``xfail`` (optional) why the implementation answers
  otherwise (a strict expected failure: it reports the disagreement until the implementation changes);
- ``xfail_single_points`` (optional): why the implementation's list differs from the one worked out on paper.

Each case runs twice: through the services (``run_audit`` / ``run_whatif``) and through the real entry point
(``python -m netops resilience audit|whatif ... --json``), whose JSON shape is checked too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from netops.services.resilience import ResilienceOptions, run_audit, run_whatif
from netops.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "data" / "resilience"
CASE_DIRS = sorted(p for p in CASES.iterdir() if (p / "expected.json").is_file())
WHATIF_KEYS = {"failed", "isolated", "vlans_without_gateway", "aps_without_service", "ssids_affected", "clients_affected"}
EFFECTS = ("isolated", "vlans_without_gateway", "aps_without_service", "ssids_affected", "clients_affected")


def expected(case: Path) -> dict[str, Any]:
    return json.loads((case / "expected.json").read_text(encoding="utf-8"))


def topology(case: Path) -> Path | None:
    path = case / "topology.clab.yml"
    return path if path.is_file() else None


@pytest.fixture
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No netops.yaml of the machine or the working directory leaks into the settings."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return tmp_path


def settings_of(case: Path, data_dir: Path) -> Settings:
    return Settings.resolve(env={}, inventory=case / "inventory", topology=topology(case), data_dir=data_dir)


def audit_keys(findings: list[dict[str, Any]]) -> list[list[str]]:
    return sorted([f["rule"], f["host"], f["object"]] for f in findings if not f.get("waived"))


def cli(data_dir: Path, case: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``netops resilience ...`` on the case's snapshot through the real entry point."""
    where = ["--configs", str(case / "configs")]
    if topology(case) is not None:
        where += ["--topology", str(topology(case))]
    cmd = [sys.executable, "-m", "netops", "--inventory", str(case / "inventory"), "--data-dir", str(data_dir),
           "resilience", *args, *where, "--json"]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(data_dir), "XDG_CONFIG_HOME": str(data_dir / "xdg"),
           "COLUMNS": "200"}
    return subprocess.run(cmd, cwd=data_dir, capture_output=True, text=True, timeout=120, env=env)


def whatif_args(item: dict[str, Any]) -> list[str]:
    args = []
    for device in item["fail"]:
        args += ["--fail", device]
    for link in item["fail_links"]:
        args += ["--fail-link", link]
    return args


def check_single_points(got: list[dict[str, Any]], want: dict[str, Any]) -> None:
    """The audit's list against the case's; ``"xfail_single_points": "<why>"`` marks a list the implementation
    disputes: an expected failure while it does, a failure (to drop the mark) once it agrees."""
    disputed = want.get("xfail_single_points")
    if disputed is None:
        assert got == want["single_points_of_failure"]
    elif got != want["single_points_of_failure"]:
        pytest.xfail(disputed)
    else:
        pytest.fail(f"the implementation now agrees; drop xfail_single_points ({disputed})")


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda p: p.name)
def test_audit(case: Path, isolated_env: Path) -> None:
    want = expected(case)
    result = run_audit(settings_of(case, isolated_env), ResilienceOptions(configs=case / "configs"))
    got = result.to_dict()
    assert audit_keys(got["findings"]) == sorted(want["findings"])
    # every finding is of a redundancy rule and carries its details
    assert all(f["rule"].startswith("RES-") and f["details"] for f in got["findings"])
    # the configurations parse cleanly and the neighbour tables read: no notice unless the case expects one
    assert sorted(n.kind for n in result.notices) == sorted(want.get("notices", [])), [n.to_dict() for n in result.notices]
    check_single_points(got["single_points_of_failure"], want)


def whatif_params() -> list[Any]:
    """One test per what-if; one whose answer the implementation disputes carries ``"xfail": "<why>"`` (strict)."""
    params = []
    for case in CASE_DIRS:
        for i, item in enumerate(expected(case)["whatif"]):
            marks = [pytest.mark.xfail(strict=True, reason=item["xfail"])] if item.get("xfail") else []
            params.append(pytest.param(case, i, id=f"{case.name}-{i}", marks=marks))
    return params


@pytest.mark.parametrize(("case", "index"), whatif_params())
def test_whatif(case: Path, index: int, isolated_env: Path) -> None:
    item = expected(case)["whatif"][index]
    impact = run_whatif(settings_of(case, isolated_env), item["fail"], item["fail_links"], ResilienceOptions(configs=case / "configs"))
    got = impact.to_dict()
    assert {k: got[k] for k in EFFECTS} == item["expect"], item
    assert got["failed"]["devices"] == sorted(item["fail"])
    assert len(got["failed"]["links"]) == len(item["fail_links"])
    if "failed_links" in item:
        assert got["failed"]["links"] == item["failed_links"]


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda p: p.name)
def test_cli_json(case: Path, tmp_path: Path) -> None:
    """The same answers through ``netops resilience audit|whatif --json``, with the documented JSON shape and exit codes."""
    want = expected(case)
    audit = cli(tmp_path, case, "audit")
    assert audit.returncode in (0, 1), audit.stderr
    report = json.loads(audit.stdout)
    assert audit_keys(report["findings"]) == sorted(want["findings"])
    for point in report["single_points_of_failure"]:
        assert ("device" in point) != ("link" in point) and set(point["impact"]) == set(EFFECTS)

    for item in (w for w in want["whatif"] if not w.get("xfail")):
        proc = cli(tmp_path, case, "whatif", *whatif_args(item))
        assert proc.returncode == 0, proc.stderr
        answer = json.loads(proc.stdout)
        assert set(answer) == WHATIF_KEYS
        assert set(answer["failed"]) == {"devices", "links"}
        assert {k: answer[k] for k in EFFECTS} == item["expect"], item
        for key in ("isolated", "vlans_without_gateway", "aps_without_service", "ssids_affected"):
            assert answer[key] == sorted(answer[key]), key

    campus_wide = [p for p in want["single_points_of_failure"] if p["scope"] == "campus"]
    assert audit.returncode == (1 if campus_wide or want["findings"] else 0), audit.stderr
    check_single_points(report["single_points_of_failure"], want)
