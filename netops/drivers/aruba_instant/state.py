"""Aruba Instant operational state for ``netops snapshot``: the APs of the cluster, from ``show aps``
(Aruba Instant 8.x CLI Reference Guide). An AP listed is in the cluster ("up"); one that left is absent.
Clients per SSID come over SNMP.
"""

from __future__ import annotations

from typing import Any

from netops.drivers.aruba_instant.facts import APS, ap_rows
from netops.drivers.base import StateSpec
from netops.model import DeviceState


def aps(output: str) -> dict[str, dict[str, Any]]:
    return {r["name"]: {"model": r["model"], "state": "up", "address": r["address"]} for r in ap_rows(output)}


def parse(outputs: dict[str, str]) -> DeviceState:
    return {"aps": aps(outputs[APS])} if APS in outputs else {}


SPEC = StateSpec(commands=(APS,), parser=parse)
