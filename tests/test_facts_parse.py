"""Facts parsers: ``tests/data/facts/<platform>/<case>.txt`` (real command outputs, each under a line
``=== <command>``) against ``<case>.json`` (the :class:`netops.model.DeviceFacts` expected, as a dict,
written by reading the capture), and odd input that must give what could be read, never an exception."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netops.drivers import all_drivers, get_driver
from netops.drivers.base import FactsSpec, StateSpec
from netops.parsing.neighbors import split_outputs

DATA = Path(__file__).parent / "data" / "facts"
CASES = sorted(DATA.glob("*/*.txt"))
MARKER = "=== "
ODD = ("", "\n", "   \n\n", "garbage\nmore garbage ::: ---\n", "% Invalid input detected at '^' marker.\n",
       "{\"half\": [json\n", "Name  Model\n----  -----\n\x00\x01\xff\n", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n" * 3)


def split_capture(text: str) -> dict[str, str]:
    """A case file as ``{command: output}``: each output follows its ``=== <command>`` line."""
    return split_outputs(text, MARKER)


def read_case(case: Path, spec: FactsSpec | StateSpec | None) -> tuple[dict[str, str], object]:
    """A case's outputs (only commands ``spec`` sends) and its expected JSON."""
    assert spec is not None, case
    outputs = split_capture(case.read_text(encoding="utf-8"))
    assert set(outputs) <= set(spec.commands), "a case holds only commands the driver sends"
    return outputs, json.loads(case.with_suffix(".json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.stem}" for c in CASES])
def test_facts_case(case: Path) -> None:
    spec = get_driver(case.parent.name).facts
    outputs, expected = read_case(case, spec)
    assert spec is not None and json.loads(json.dumps(spec.parser(outputs).to_dict())) == expected


def test_every_platform_with_ssh_has_a_case() -> None:
    with_facts = {name for name, d in all_drivers().items() if d.facts is not None}
    assert {"cisco_xe", "cisco_wlc", "aruba_os", "aruba_instant", "openwrt", "aruba_aoscx"} <= with_facts
    assert with_facts <= {c.parent.name for c in CASES}


@pytest.mark.parametrize("platform", sorted(n for n, d in all_drivers().items() if d.facts is not None))
def test_odd_outputs_give_what_could_be_read(platform: str) -> None:
    spec = get_driver(platform).facts
    assert spec is not None
    assert spec.parser({}).os_version == ""
    for odd in ODD:
        spec.parser({command: odd for command in spec.commands})  # no exception
        for command in spec.commands:
            spec.parser({command: odd})


def test_a_cut_output_gives_what_it_holds() -> None:
    """A ``show version`` cut short (a session that dropped) still gives the lines before the cut."""
    outputs = split_capture((DATA / "cisco_xe" / "c9500_stack.txt").read_text(encoding="utf-8"))
    version = outputs["show version"]
    xe, owrt = get_driver("cisco_xe").facts, get_driver("openwrt").facts
    assert xe is not None and owrt is not None
    facts = xe.parser({"show version": version[:version.index("System returned")]})
    assert (facts.hostname, facts.os_version, facts.uptime_s, facts.serials) == ("AKBTESTW01", "16.09.03", 45394680, ())
    board = '{"hostname": "ap1", "model": 5, "release": "not an object"}'
    facts = owrt.parser({"ubus call system board": board, "ubus call system info": '{"uptime": true}'})
    assert (facts.hostname, facts.model, facts.os_version, facts.uptime_s) == ("ap1", "", "", None)
