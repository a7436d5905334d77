"""Data-driven redundancy parsing: ``tests/data/redundancy/<platform>/<case>/config.cfg`` against ``expected.json``.

``expected.json`` holds only the redundancy part of ``ParsedConfig.to_dict()``, compared exactly:
``ports`` (the port-channel members: name and channel_group), ``svis`` (those with first-hop
redundancy: vlan and fhrp), ``stp_priorities`` (VLAN keys as strings), ``controller_ha`` and
``ap_joins``. The lines the cases add are all understood: no case reports a parse issue.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from netops.drivers import get_driver

DATA = Path(__file__).parent / "data" / "redundancy"
CASES = sorted(p.parent for p in DATA.glob("*/*/config.cfg"))


def _redundancy(parsed: dict[str, Any]) -> dict[str, Any]:
    return {
        "ports": [{"name": p["name"], "channel_group": p["channel_group"]} for p in parsed["ports"] if p["channel_group"] is not None],
        "svis": [{"vlan": s["vlan"], "fhrp": s["fhrp"]} for s in parsed["svis"] if s["fhrp"]],
        "stp_priorities": {str(vlan): priority for vlan, priority in parsed["stp_priorities"].items()},
        "controller_ha": parsed["controller_ha"],
        "ap_joins": parsed["ap_joins"],
    }


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_redundancy_case(case: Path) -> None:
    parsed = get_driver(case.parent.name).parse((case / "config.cfg").read_text(encoding="utf-8"), "dut").to_dict()
    assert parsed["issues"] == []
    assert _redundancy(parsed) == json.loads((case / "expected.json").read_text(encoding="utf-8"))


def test_every_case_has_expectations() -> None:
    assert CASES
    for case in CASES:
        assert (case / "expected.json").is_file(), f"{case} has no expected.json"
