"""Policy lint: every error with file, line and key; the shipped schema and policies."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from netops.policy.loader import load_policy
from netops.policy.schema import SCHEMA_PATH, build_schema, render
from netops.services.check import lint_policy

ROOT = Path(__file__).resolve().parents[1]
LINT_CASES = sorted((ROOT / "tests" / "data" / "policy" / "lint").glob("*.yaml"))


def netops(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "netops", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("case", LINT_CASES, ids=lambda p: p.stem)
def test_lint_reports_every_error_with_line_and_key(case: Path) -> None:
    expected = json.loads(case.with_suffix(".json").read_text())
    _, errors = lint_policy([case])
    assert [(e.file, e.line, e.key) for e in errors] == [(str(case), x["line"], x["key"]) for x in expected]
    for error, want in zip(errors, expected):
        assert want["message"] in error.message


def test_lint_cli_exit_codes_and_json() -> None:
    bad = ROOT / "tests/data/policy/lint/waivers.yaml"
    proc = netops("policy", "lint", str(bad))
    assert proc.returncode == 2
    assert f"{bad}:14: waivers[0].rule: waiver for unknown rule 'WIFI-009'" in proc.stderr
    proc = netops("policy", "lint", "--json", str(bad))
    assert proc.returncode == 2
    errors = json.loads(proc.stdout)["errors"]
    assert len(errors) == 6 and errors[0] == {"file": str(bad), "line": 14, "key": "waivers[0].rule", "message": "waiver for unknown rule 'WIFI-009'"}
    proc = netops("policy", "lint", "policy/secretariat.yaml", "policy/examples/issue.yaml")
    assert proc.returncode == 0, proc.stderr
    assert "policy/secretariat.yaml: ok" in proc.stdout


def test_shipped_schema_is_current_and_valid() -> None:
    assert SCHEMA_PATH.read_text() == render(), "regenerate: python -m netops.policy.schema"
    jsonschema.Draft202012Validator.check_schema(build_schema())


def test_issue_example_loads_unchanged() -> None:
    policy = load_policy([ROOT / "policy/examples/issue.yaml"])
    assert [r.id for r in policy.rules] == ["WIFI-001", "WIFI-002", "WIFI-003", "WIFI-004", "VLAN-001", "SEG-001"]
    assert policy.zones["staff"].vlans == {110, 111}
    assert policy.rules[5].options == {"management_zone": "ap-mgmt", "isolated_zones": ["guest", "iot"]}
    assert policy.waivers[0].object == "JKS-Staff-Legacy"


def test_secretariat_baseline_cites_a_source_for_every_rule() -> None:
    policy = load_policy([ROOT / "policy/secretariat.yaml"])
    assert len(policy.rules) >= 10
    assert all(rule.source for rule in policy.rules)
