"""AOS-CX operational state for ``netops snapshot``: ``show vlan`` and ``show interface`` (ArubaOS-CX 10.0x
Command-Line Interface Guide on support.hpe.com: "show vlan", "show vlan port" (VLAN modes native-untagged,
trunk), "show interface"), read with ntc-templates' ``aruba_aoscx`` templates.

Interfaces keep AOS-CX's names (``1/1/1``, ``vlan2``, ``lag1``); speed from "Speed 1000 Mb/s"; errors
are the RX / TX "Errors" counters. A port whose VLAN mode is ``native-untagged``, ``native-tagged`` or
``trunk`` is a trunk, carrying its "Allowed VLAN List" (AOS-CX prints no "allowed and active" list).
"""

from __future__ import annotations

from typing import Any

from netops.drivers.base import StateSpec
from netops.model import DeviceState
from netops.parsing.showtext import records, text, to_int, vlan_list, vlan_table

VLANS, INTERFACES = "show vlan", "show interface"

_TRUNK_MODES = {"native-untagged", "native-tagged", "trunk"}


def vlans(output: str) -> dict[str, dict[str, Any]]:
    return vlan_table("aruba_aoscx", VLANS, output)


def interfaces(output: str) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The interfaces and the trunks of ``show interface``."""
    found: dict[str, dict[str, Any]] = {}
    trunks: dict[str, dict[str, Any]] = {}
    for row in records("aruba_aoscx", INTERFACES, output):
        name = text(row.get("interface"))
        if not name:
            continue
        found[name] = {
            "admin": "up" if text(row.get("link_admin")).lower() == "up" else "down",
            "oper": "up" if text(row.get("link_status")).lower() == "up" else "down",
            "speed_mbps": to_int(row.get("speed")),
            "in_errors": to_int(row.get("rx_errors")),
            "out_errors": to_int(row.get("tx_errors")),
        }
        if text(row.get("vlan_mode")).lower() in _TRUNK_MODES:
            allowed = row.get("vlan_trunk") or []
            trunks[name] = {"vlans": vlan_list(",".join(str(a) for a in allowed) if isinstance(allowed, list) else str(allowed))}
    return found, trunks


def parse(outputs: dict[str, str]) -> DeviceState:
    state: DeviceState = {}
    if VLANS in outputs:
        state["vlans"] = vlans(outputs[VLANS])
    if INTERFACES in outputs:
        state["interfaces"], state["trunks"] = interfaces(outputs[INTERFACES])
    return state


SPEC = StateSpec(commands=(VLANS, INTERFACES), parser=parse)
