"""AireOS operational state for ``netops snapshot``: the APs joined, from ``show ap summary`` (Cisco Wireless
Controller Command Reference, Release 8.10; ntc-templates ``cisco_wlc_ssh``).

AireOS lists only the APs joined to it, so each one listed is "up"; an AP that left is absent. Interfaces and
clients per SSID come over SNMP.
"""

from __future__ import annotations

from typing import Any

from netops.drivers.base import StateSpec
from netops.drivers.cisco_wlc.facts import APS, PLATFORM
from netops.model import DeviceState
from netops.parsing.showtext import records, text


def aps(output: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in records(PLATFORM, APS, output):
        name = text(row.get("ap_name"))
        if name:
            found[name] = {"model": text(row.get("ap_model")), "state": "up", "address": text(row.get("ip_address"))}
    return found


def parse(outputs: dict[str, str]) -> DeviceState:
    return {"aps": aps(outputs[APS])} if APS in outputs else {}


SPEC = StateSpec(commands=(APS,), parser=parse)
