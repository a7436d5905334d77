"""AOS 8 operational state for ``netops snapshot``: the APs in ``show ap database long`` and the VLANs of
``show vlan`` (ArubaOS 8.x CLI Reference Guide).

An AP's status is "Up <time>" or "Down" (ntc-templates ``aruba_os`` reads the table): "up" / "down".
``show vlan`` on a controller prints a "VLAN CONFIGURATION" table (VLAN, Description, Ports, AAA Profile,
Option-82) with no status column: each VLAN listed gets its description as name and an empty status.
ntc-templates' ``aruba_os`` ``show vlan`` template reads the ArubaOS-Switch table instead, so it is read here.
"""

from __future__ import annotations

from typing import Any

from netops.drivers.aruba_os.facts import APS, ap_rows
from netops.drivers.base import StateSpec
from netops.model import DeviceState
from netops.parsing.showtext import dashed_table
from netops.parsing.tokens import is_number

VLANS = "show vlan"


def ap_state(status: str) -> str:
    """"Up 2d:17h:8m:4s" -> "up"; "Down" -> "down"; anything else: its first word, lower case."""
    words = status.split()
    return words[0].lower() if words else ""


def aps(output: str) -> dict[str, dict[str, Any]]:
    return {r["name"]: {"model": r["model"], "state": ap_state(r["status"]), "address": r["address"]}
            for r in ap_rows(output)}


def vlans(output: str) -> dict[str, dict[str, Any]]:
    """The "VLAN CONFIGURATION" table, cut at its dashed columns (a VLAN may have no description or no ports)."""
    found: dict[str, dict[str, Any]] = {}
    for row in dashed_table(output):
        vid = row.get("VLAN", "")
        if is_number(vid, 4) and 0 < int(vid) < 4095:
            found[str(int(vid))] = {"name": row.get("Description", ""), "status": ""}
    return found


def parse(outputs: dict[str, str]) -> DeviceState:
    state: DeviceState = {}
    if APS in outputs:
        state["aps"] = aps(outputs[APS])
    if VLANS in outputs:
        state["vlans"] = vlans(outputs[VLANS])
    return state


SPEC = StateSpec(commands=(APS, VLANS), parser=parse)
