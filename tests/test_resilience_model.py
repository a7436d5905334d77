"""The campus model's fast single-failure answer (dominator trees) equals the plain search, on random campuses."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from netops.inventory.hosts import HostInfo
from netops.model import Neighbor, ParsedConfig
from netops.resilience.campus import Campus, CampusInputs
from netops.resilience.whatif import whatif

ROLES = ("core", "access", "wlc")


@st.composite
def campuses(draw: st.DrawFn) -> Campus:
    count = draw(st.integers(min_value=2, max_value=14))
    hosts = {}
    for i in range(count):
        role = "core" if i < draw(st.integers(min_value=0, max_value=2)) else draw(st.sampled_from(ROLES[1:]))
        site = draw(st.sampled_from(("a", "b")))
        hosts[f"d{i}"] = HostInfo(name=f"d{i}", site=site, role=role, platform="cisco_xe")
    pairs = draw(st.lists(st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)), max_size=3 * count))
    configs = {name: ParsedConfig(host=name, platform="cisco_xe") for name in hosts}
    cabled: dict[str, dict[str, str]] = {}
    for n, (a, b) in enumerate(pairs, 1):
        if a != b:
            cabled.setdefault(f"d{a}", {})[f"e{n}a"] = f"d{b}:e{n}b"
    return Campus(CampusInputs(hosts, configs, neighbors=_tables(cabled)))


def _tables(cabled: dict[str, dict[str, str]]) -> dict[str, list[Neighbor]]:
    """Each cable as an LLDP neighbour entry of its first device."""
    tables: dict[str, list[Neighbor]] = {}
    for device, ports in cabled.items():
        for local, remote in ports.items():
            other, port = remote.split(":")
            tables.setdefault(device, []).append(Neighbor(local, other, port, "lldp"))
    return tables


@settings(max_examples=300, deadline=None)
@given(campuses())
def test_single_failure_equals_search(campus: Campus) -> None:
    for device in campus.hosts:
        fast = campus.lost_with(device)
        plain = campus.in_service - campus.reachable({device}, ()) - {device}
        assert fast == plain
        impact = whatif(campus, [device])
        assert set(impact.isolated) == plain
        assert impact.isolated == sorted(impact.isolated)


@settings(max_examples=100, deadline=None)
@given(campuses())
def test_nothing_failed_takes_nothing(campus: Campus) -> None:
    assert whatif(campus).harmless
