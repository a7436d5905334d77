"""State parsers: ``tests/data/state/<platform>/<case>.txt`` (real command outputs, each under a line
``=== <command>``) against ``<case>.json`` (the :data:`netops.model.DeviceState` expected, written by reading
the capture), and odd input that must give what could be read, never an exception."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_facts_parse import ODD, read_case

from netops.drivers import all_drivers, get_driver
from netops.model import STATE_FEATURES

DATA = Path(__file__).parent / "data" / "state"
CASES = sorted(DATA.glob("*/*.txt"))


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.stem}" for c in CASES])
def test_state_case(case: Path) -> None:
    spec = get_driver(case.parent.name).state
    outputs, expected = read_case(case, spec)
    assert spec is not None
    state = spec.parser(outputs)
    assert set(state) <= set(STATE_FEATURES)
    assert json.loads(json.dumps(state)) == expected


def test_platforms_with_a_state_spec() -> None:
    with_state = {name for name, d in all_drivers().items() if d.state is not None}
    assert {"cisco_xe", "cisco_wlc", "aruba_os", "aruba_instant", "aruba_aoscx"} <= with_state
    assert get_driver("openwrt").state is None  # read over SNMP only
    assert with_state <= {c.parent.name for c in CASES}


@pytest.mark.parametrize("platform", sorted(n for n, d in all_drivers().items() if d.state is not None))
def test_odd_outputs_give_what_could_be_read(platform: str) -> None:
    spec = get_driver(platform).state
    assert spec is not None
    assert spec.parser({}) == {}  # nothing answered: no feature (SNMP fills what it can)
    for odd in ODD:
        state = spec.parser({command: odd for command in spec.commands})
        assert set(state) <= set(STATE_FEATURES)
        assert all(isinstance(keys, dict) for keys in state.values())
        for command in spec.commands:
            spec.parser({command: odd})
