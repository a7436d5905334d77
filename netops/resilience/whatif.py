"""What stops working when devices or links fail.

Each answer lists what worked with nothing failed and stops working (a device
the model already sees cut off is no consequence of the failure):

- ``isolated``: working devices (not APs) left with no path over working links
  and devices to a working core switch of their own site;
- ``vlans_without_gateway``: VLANs with a gateway address (an FHRP virtual
  address; clients use one) all of whose holders failed or are isolated;
- ``aps_without_service``: working APs whose switch path to the core is cut
  (when their cabling is known) or, for controller-managed APs, all of whose
  controllers (primary, configured backups, cluster peers) failed or are isolated;
- ``ssids_affected``: the SSIDs those APs serve, and SSIDs every VLAN of which
  lost its gateway;
- ``clients_affected``: from the last poll, clients on the APs without service,
  or on the SSIDs without a gateway (per controller, the larger of the two,
  so no client counts twice: a lower bound when both happen); ``None`` when
  netops never polled the controllers.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from netops.errors import InputError
from netops.resilience.campus import Campus
from netops.resilience.links import End, Link, same_end


@dataclass
class Impact:
    """The answer to one what-if: every list sorted and complete."""

    failed_devices: list[str]
    failed_links: list[str]
    isolated: list[str] = field(default_factory=list)
    vlans_without_gateway: list[int] = field(default_factory=list)
    aps_without_service: list[str] = field(default_factory=list)
    ssids_affected: list[str] = field(default_factory=list)
    clients_affected: int | None = None

    @property
    def harmless(self) -> bool:
        return not (self.isolated or self.vlans_without_gateway or self.aps_without_service)

    def effects(self) -> dict[str, Any]:
        return {
            "isolated": self.isolated,
            "vlans_without_gateway": self.vlans_without_gateway,
            "aps_without_service": self.aps_without_service,
            "ssids_affected": self.ssids_affected,
            "clients_affected": self.clients_affected,
        }

    def to_dict(self) -> dict[str, Any]:
        return {"failed": {"devices": self.failed_devices, "links": self.failed_links}, **self.effects()}


def whatif(campus: Campus, devices: Sequence[str] = (), links: Sequence[Link] = ()) -> Impact:
    """What ``devices`` and ``links`` failing together take away from what works now (nothing failed)."""
    down = set(devices)
    before = campus.in_service
    if len(down) == 1 and not links:
        lost = campus.lost_with(next(iter(down)))
    else:
        lost = before - campus.reachable(down, links) - down

    def works(node: str) -> bool:
        return node in before and node not in lost and node not in down

    isolated = sorted(n for n in lost if n not in campus.aps)
    gateless_vlans = {
        (site, vlan) for (site, vlan), gws in campus.gateways.items()
        for address in {gw.address for gw in gws}
        if any(gw.host in before for gw in gws if gw.address == address)
        and not any(works(gw.host) for gw in gws if gw.address == address)
    }
    gone = down | lost
    candidates = (lost & campus.aps) | {ap for c in gone for ap in campus.aps_of.get(c, ())}
    aps = sorted(ap for ap in candidates - down if _served(campus, ap, lambda n: n in before) and not _served(campus, ap, works))
    ssids = {s for ap in aps for s in campus.ap_ssids.get(ap, [])}
    gateless = _ssids_without_gateway(campus, gateless_vlans)
    ssids |= {ssid for _, ssid in gateless}
    return Impact(
        failed_devices=sorted(down), failed_links=sorted(lk.id for lk in links), isolated=isolated,
        vlans_without_gateway=sorted({vlan for _, vlan in gateless_vlans}), aps_without_service=aps, ssids_affected=sorted(ssids),
        clients_affected=_clients(campus, aps, gateless),
    )


def _served(campus: Campus, ap: str, works: Callable[[str], bool]) -> bool:
    """Whether the AP has a wired path to the core (when its cabling is known) and a controller it can join."""
    wired = not campus.graph.degree(ap) or works(ap)
    controllers = campus.ap_controllers.get(ap)
    joined = controllers is None or any(works(c) for c in controllers) or bool(campus.ap_unresolved.get(ap))
    return wired and joined


def _ssids_without_gateway(campus: Campus, lost: set[tuple[str, int]]) -> set[tuple[str, str]]:
    """(device, SSID) pairs of enabled WLANs every VLAN of which has no gateway left on the device's site."""
    if not lost:
        return set()
    return {
        (host, wlan.ssid)
        for host, config in campus.configs.items()
        for wlan in config.wlans
        if wlan.enabled and wlan.vlans and {(campus.site_of(host), v) for v in wlan.vlans} <= lost
    }


def _clients(campus: Campus, aps: list[str], gateless: set[tuple[str, str]]) -> int | None:
    clients = campus.clients
    if clients is None:
        return None
    per_controller: dict[str, int] = {}
    for ap in aps:
        owner = campus.hosts[ap].controller or ap
        per_controller[owner] = per_controller.get(owner, 0) + clients.aps.get(ap, 0)
    by_ssid: dict[str, int] = {}
    for host, ssid in gateless:
        by_ssid[host] = by_ssid.get(host, 0) + clients.ssids.get((host, ssid), 0)
    return sum(max(per_controller.get(c, 0), by_ssid.get(c, 0)) for c in set(per_controller) | set(by_ssid))


def device(campus: Campus, name: str) -> str:
    """``name`` as an inventory device of the campus, or a clear error (exit 2) with the closest names."""
    if name in campus.hosts:
        return name
    close = difflib.get_close_matches(name, list(campus.hosts), n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise InputError(f"unknown device {name!r}{hint}", key="--fail")


def link(campus: Campus, spec: str) -> Link:
    """The link written ``A:IF-B:IF`` (either order, abbreviated ports allowed), or a clear error (exit 2)."""
    for i, char in enumerate(spec):
        if char != "-":
            continue
        left, right = spec[:i], spec[i + 1:]
        ends = [_end(part) for part in (left, right)]
        if None in ends:
            continue
        a, b = ends
        assert a is not None and b is not None
        if a.device not in campus.hosts or b.device not in campus.hosts:
            continue
        for candidate in campus.graph.get_edge_data(a.device, b.device, default={}).values():
            lk: Link = candidate["link"]
            if (same_end(lk.a, a) and same_end(lk.b, b)) or (same_end(lk.a, b) and same_end(lk.b, a)):
                return lk
    raise InputError(f"no link {spec!r} in the campus model (write DEVICE:PORT-DEVICE:PORT; `netops resilience audit "
                     "--json` lists the links)", key="--fail-link")


def _end(text: str) -> End | None:
    device_, sep, port = text.partition(":")
    return End(device_, port) if sep and device_ and port else None
