"""Data-driven parser tests: ``tests/data/wifi/<platform>/<case>.cfg`` against ``<case>.json``.

Each JSON holds the expected part of ``ParsedConfig.to_dict()``, written from
vendor documentation: ``wlans``, ``ports``, ``svis`` (lists compared in order,
each expected item a subset of the parsed one), ``vlan_names`` (exact) and
``issues`` (exact count; each expected item a subset, usually just ``line``;
absent means none). ``allowed_vlans`` may be written as a range string
(``"1-4094"``). Adding a platform is adding a directory.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netops.drivers import all_drivers, get_driver

DATA = Path(__file__).parent / "data" / "wifi"
CASES = sorted(DATA.glob("*/*.cfg"))


def _ranges(vlans: list[int]) -> str:
    """[1, 2, 3, 7] → "1-3,7" (independent of the parser's helpers)."""
    out: list[str] = []
    for v in vlans:
        if out and "-" not in out[-1].split(",")[-1] and int(out[-1]) == v - 1:
            out[-1] = f"{out[-1]}-{v}"
        elif out and "-" in out[-1] and int(out[-1].split("-")[1]) == v - 1:
            out[-1] = f"{out[-1].split('-')[0]}-{v}"
        else:
            out.append(str(v))
    return ",".join(out)


def _subset(expected: dict, actual: dict, where: str) -> None:
    for key, value in expected.items():
        assert key in actual, f"{where}: no field {key!r}"
        got = actual[key]
        if key == "allowed_vlans" and isinstance(value, str):
            got = _ranges(got)
        assert got == value, f"{where}.{key}: expected {value!r}, parsed {got!r}"


def _compare_list(kind: str, expected: list[dict], actual: list[dict]) -> None:
    assert len(actual) == len(expected), f"{kind}: expected {len(expected)}, parsed {len(actual)}: {actual}"
    for index, (want, got) in enumerate(zip(expected, actual)):
        _subset(want, got, f"{kind}[{index}]")


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.stem}" for c in CASES])
def test_parser_case(case: Path) -> None:
    expected = json.loads(case.with_suffix(".json").read_text(encoding="utf-8"))
    parsed = get_driver(case.parent.name).parse(case.read_text(encoding="utf-8"), "dut").to_dict()
    for kind in ("wlans", "ports", "svis"):
        if kind in expected:
            _compare_list(kind, expected[kind], parsed[kind])
    if "vlan_names" in expected:
        assert parsed["vlan_names"] == expected["vlan_names"]
    _compare_list("issues", expected.get("issues", []), parsed["issues"])


def test_every_case_has_expectations() -> None:
    for case in CASES:
        assert case.with_suffix(".json").is_file(), f"{case} has no expected JSON"


def test_every_platform_has_cases() -> None:
    covered = {c.parent.name for c in CASES}
    assert set(all_drivers()) <= covered, f"platforms without parser cases: {set(all_drivers()) - covered}"


@pytest.mark.parametrize("platform", sorted(all_drivers()))
def test_parsers_never_raise_on_garbage(platform: str) -> None:
    garbage = 'wlan "unbalanced\ninterface\nvlan\nconfig\noption x\n\x00\n' + "\n".join(
        line for case in CASES for line in case.read_text(encoding="utf-8").splitlines()[::3]
    )
    parsed = get_driver(platform).parse(garbage, "dut")
    assert parsed.platform == platform


def _lab_nodes() -> list:
    import labs
    from netops.inventory.clab import load_topology

    if not labs.DEFAULT_TOPOLOGY.exists():
        return []
    return [n for n in load_topology(labs.DEFAULT_TOPOLOGY).nodes if n.startup_config and n.platform in all_drivers()]


@pytest.mark.parametrize("node", _lab_nodes(), ids=lambda n: n.name)
def test_lab_startup_configs_parse_without_issues(node) -> None:
    parsed = get_driver(node.platform).parse(node.config_text(), node.name)
    assert parsed.issues == []
    assert parsed.wlans or parsed.ports, f"{node.name}: nothing parsed"
