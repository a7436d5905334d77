"""Counter wrap, reset and reboot maths, driven by the tables in tests/data/snmp/."""

from pathlib import Path

import pytest
import yaml

from netops.snmp.rates import counter_delta, rate, rebooted

DATA = Path(__file__).parent / "data" / "snmp"


def table(name: str) -> list[dict]:
    return yaml.safe_load((DATA / name).read_text())


@pytest.mark.parametrize("case", table("counters.yaml"), ids=str)
def test_counter_delta(case: dict) -> None:
    assert counter_delta(case["previous"], case["current"], case["bits"]) == case["delta"]


@pytest.mark.parametrize("case", table("uptime.yaml"), ids=str)
def test_rebooted(case: dict) -> None:
    assert rebooted(case["previous"], case["current"], case["wall"]) is case["reboot"]


@pytest.mark.parametrize("case", table("rates.yaml"), ids=str)
def test_rate(case: dict) -> None:
    got = rate(case["previous"], case["current"], case["bits"], case["seconds"], case["reboot"])
    assert got == (None if case["rate"] is None else pytest.approx(case["rate"]))
