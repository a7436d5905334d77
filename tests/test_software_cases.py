"""``kind: software`` rules on data-driven cases.

``tests/data/software/<case>/`` holds ``policy.yaml`` (rules and waivers), ``inventory.yaml`` (the hosts: today,
``hosts`` with site, role, platform, model, and the stored ``facts`` per host: model, version, collected, via),
optionally ``lifecycle.yaml``, and ``expected.yaml``: the findings (rule, host, object, waived, the detail's
expected and actual) and notices (kind, host) after the waivers, or the ``error`` (file, line, key, message) bad
input raises.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from netops import defaults
from netops.errors import InputError
from netops.inventory.hosts import HostInfo
from netops.policy import waivers
from netops.policy.engine import check
from netops.policy.loader import load_policy
from netops.policy.software import HostFacts, SoftwareInputs, load_lifecycle, parse_version

DATA = Path(__file__).parent / "data" / "software"
CASES = sorted(p for p in DATA.iterdir() if (p / "expected.yaml").exists())


def _run(case: Path) -> tuple[list[dict], list[dict]]:
    inv = yaml.safe_load((case / "inventory.yaml").read_text())
    today = inv["today"]
    hosts = {name: HostInfo(name=name, site=h["site"], role=h["role"], platform=h["platform"], model=h.get("model", ""),
                            groups=(f"site_{h['site']}", f"role_{h['role']}", f"platform_{h['platform']}"))
             for name, h in inv["hosts"].items()}
    facts = {name: HostFacts(f.get("model", ""), str(f.get("version", "")), f.get("collected", ""), f.get("via", ""))
             for name, f in (inv.get("facts") or {}).items()}
    table = case / "lifecycle.yaml"
    lifecycle = load_lifecycle(table if table.exists() else defaults.path("policy", "lifecycle.yaml"))
    policy = load_policy([case / "policy.yaml"])
    result = check(policy, hosts, {}, None, SoftwareInputs(facts, lifecycle, today))
    findings, used = waivers.apply(policy.waivers, result.findings, today)
    notices = result.notices + waivers.notices(policy.waivers, used, today, set(hosts))
    shown = [{"rule": f.rule, "host": f.host, "object": f.object, "waived": f.waived, "expected": f.expected, "actual": f.actual}
             for f in sorted(findings, key=lambda f: (f.rule, f.host, f.object))]
    return shown, sorted(({"kind": n.kind, "host": n.host} for n in notices), key=lambda n: (n["kind"], n["host"] or ""))


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_case(case: Path) -> None:
    expected = yaml.safe_load((case / "expected.yaml").read_text())
    if "error" in expected:
        with pytest.raises(InputError) as caught:
            _run(case)
        errors = getattr(caught.value, "errors", [caught.value])
        got = [{"file": Path(e.file or "").name, "line": e.line, "key": e.key} for e in errors]
        assert got == [{k: v for k, v in e.items() if k != "message"} for e in expected["error"]]
        for e, want in zip(errors, expected["error"]):
            assert want["message"] in e.message
        return
    findings, notices = _run(case)
    assert findings == expected["findings"]
    assert notices == expected.get("notices", [])


@pytest.mark.parametrize("a, b", [
    ("17.09.04a", "17.9.4a"),  # IOS-XE pads with zeros
    ("8.10.190.0", "8.10.190"),  # AireOS: a trailing .0 says nothing
    ("8.10.0.12_88234", "8.10.0.12"),  # a build number is not a version
    ("23.05.3", "23.5.3"),  # OpenWrt
    ("8.10.0.12-8.10.0.12", "8.10.0.12"),  # Aruba Instant prints its version twice
])
def test_versions_that_are_the_same(a: str, b: str) -> None:
    assert parse_version(a) == parse_version(b)


@pytest.mark.parametrize("older, newer", [
    ("17.9.4", "17.9.4a"),  # the rebuild is later
    ("17.9.4a", "17.9.5"),
    ("17.9.5", "17.12.1"),  # numeric, not text: 9 < 12
    ("8.10.185.0", "8.10.190.0"),
    ("8.10.0.12", "8.11.0.1"),
    ("23.05.0-rc1", "23.05.0"),  # a release candidate comes before its release
    ("22.03.5", "23.05.3"),
    ("15.2(7)E3", "15.2(7)E10"),
])
def test_version_order(older: str, newer: str) -> None:
    assert parse_version(older) < parse_version(newer)


@pytest.mark.parametrize("text", ["", "latest", "v17.9", "17.9.4 !", "SNAPSHOT"])
def test_not_a_version(text: str) -> None:
    with pytest.raises(ValueError, match="is not a software version"):
        parse_version(text)


def test_the_shipped_lifecycle_table_names_the_secretariats_models_with_sources() -> None:
    table = load_lifecycle(defaults.path("policy", "lifecycle.yaml"))
    inventory = yaml.safe_load(defaults.path("inventory", "hosts.yaml").read_text())
    models = {h["data"]["model"] for h in inventory.values() if (h.get("data") or {}).get("model")}
    assert all(table.find(m) is not None for m in models), sorted(m for m in models if table.find(m) is None)
    for entry in {id(e): e for e in table.models.values()}.values():
        assert entry.source.startswith("https://") and entry.checked is not None
        assert entry.end_of_support is None or entry.end_of_support > dt.date(2000, 1, 1)


def test_check_reads_the_lifecycle_table_and_refuses_a_bad_one(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "configs").mkdir()
    env = {**os.environ, "NETOPS_DATA_DIR": str(tmp_path / "data"), "NETOPS_LAB": "", "NETOPS_INVENTORY": "", "NETOPS_CONFIG": ""}
    base = [sys.executable, "-m", "netops", "check", "--backup-dir", str(tmp_path / "configs"), "--json",
            "--policy", str(DATA / "lifecycle" / "policy.yaml")]
    bad = subprocess.run([*base, "--lifecycle", str(DATA / "bad_lifecycle_date" / "lifecycle.yaml")], capture_output=True,
                         text=True, env=env, timeout=120, cwd=tmp_path)
    assert bad.returncode == 2 and "lifecycle.yaml:4: models.C9200-48P.end_of_support: '31.12.2027' is not a date" in bad.stderr
    good = subprocess.run([*base, "--lifecycle", str(DATA / "lifecycle" / "lifecycle.yaml")], capture_output=True, text=True,
                          env=env, timeout=120, cwd=tmp_path)
    report = json.loads(good.stdout)
    # the secretariat's inventory, never read: its models are not in this test table, so every host is a notice
    assert report["findings"] == [] and {n["kind"] for n in report["notices"]} >= {"unknown-model"}
