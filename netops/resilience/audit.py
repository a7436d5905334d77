"""Single points of failure: every device and link whose loss alone takes service from another device,
a VLAN or an AP. An AP's own cable is the AP's, not a single point of failure of the campus; a
controller in an SSO pair loses one chassis, which its peer absorbs. An access switch whose loss takes
only the APs cabled to it is listed with scope ``edge`` (no campus duplicates an AP's cable); every
other entry has scope ``campus``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from netops.resilience.campus import Campus
from netops.resilience.whatif import Impact, whatif

REDUNDANT, SINGLE_HOMED, SPOF, CORE = "redundant", "single-homed", "spof", "core"


@dataclass
class SinglePoint:
    """A device or a link whose failure alone has an impact."""

    impact: Impact
    device: str | None = None
    link: str | None = None

    scope: str = "campus"  # "edge": its loss takes only the APs cabled to it

    def to_dict(self) -> dict[str, Any]:
        who = {"device": self.device} if self.device else {"link": self.link}
        return {**who, "scope": self.scope, "impact": self.impact.effects()}


def _scope(campus: Campus, device: str, impact: Impact) -> str:
    """``edge`` when the device's loss takes only the APs cabled to it (no device, VLAN or other AP)."""
    cabled = set(campus.graph.neighbors(device))
    own = all(ap in cabled for ap in impact.aps_without_service)
    return "edge" if own and not impact.isolated and not impact.vlans_without_gateway else "campus"


def _absorbed(campus: Campus, device: str) -> bool:
    config = campus.configs.get(device)
    return config is not None and any(ha.mode == "sso" and ha.peers for ha in config.controller_ha)


def single_points(campus: Campus) -> list[SinglePoint]:
    """Devices first (by name), then links (by id)."""
    found = [
        SinglePoint(impact, device=device, scope=_scope(campus, device, impact))
        for device in campus.infrastructure()
        if not _absorbed(campus, device) and not (impact := whatif(campus, [device])).harmless
    ]
    simple = nx.Graph(campus.graph)  # parallel links (a port-channel's members) are no bridge
    for u, v in sorted(tuple(sorted(edge)) for edge in nx.bridges(simple)):
        if u in campus.aps or v in campus.aps:
            continue
        parallel = list(campus.graph.get_edge_data(u, v).values())
        if len(parallel) > 1:  # the members of one port-channel: losing one leaves the others
            continue
        link = parallel[0]["link"]
        impact = whatif(campus, links=[link])
        if not impact.harmless:
            found.append(SinglePoint(impact, link=link.id))
    return found


def summary(campus: Campus, points: list[SinglePoint]) -> dict[str, str]:
    """Per infrastructure device: ``spof`` (its loss reaches beyond its own APs), ``core``, ``single-homed`` (fewer
    than two upstream devices) or ``redundant``."""
    distance = campus.distance_to_core()
    spofs = {p.device for p in points if p.device and p.scope == "campus"}
    states = {}
    for device in campus.infrastructure():
        if device in spofs:
            states[device] = SPOF
        elif device in campus.cores:
            states[device] = CORE
        else:
            ups = {other for other, _ in campus.upstream(device, distance)}
            states[device] = REDUNDANT if len(ups) >= 2 else SINGLE_HOMED
    return states
