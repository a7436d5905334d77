"""The rules the active probes check, in one place: the probes report them, and
policy waivers may name them (``netops policy lint`` knows their ids)."""

from __future__ import annotations

from typing import NamedTuple


class ProbeRule(NamedTuple):
    title: str
    severity: str
    waiver_object: str | None  # the waiver key naming a finding's object ("ssid"); None: host-wide waivers only


RULES: dict[str, ProbeRule] = {
    "PROBE-DHCP-001": ProbeRule("Only the inventory's DHCP servers answer on a VLAN", "critical", None),
    "PROBE-SEG-001": ProbeRule("Isolated zones exchange no packets with other zones", "critical", None),
    "PROBE-SEG-002": ProbeRule("An AP trunk port forwards only the VLANs configured on it", "high", None),
    "PROBE-SEG-003": ProbeRule("Double-tagged frames do not hop into another VLAN", "critical", None),
    "PROBE-WIFI-001": ProbeRule("Evil twin: a secretariat SSID from a BSSID no inventory AP declares", "critical", "ssid"),
    "PROBE-WIFI-003": ProbeRule("Hidden SSID on the air", "low", "ssid"),
    "PROBE-WIFI-004": ProbeRule("Open network on the air", "medium", "ssid"),
}
