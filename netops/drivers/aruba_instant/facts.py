"""Aruba Instant facts: ``show version`` (the AP's own banner) and ``show aps`` (the cluster's APs).

Commands (Aruba Instant 8.x CLI Reference Guide: ``show version``, ``show aps``, also in field notes of Instant
commands such as "Common commands for Aruba Instant": "show aps #show active access-points"); no ntc-templates
template exists for either, so both are read here. ``show version`` prints "ArubaOS (MODEL: <model>), Version
<version>", "AP uptime is <weeks> weeks <days> days ..." and "Reboot Time and Cause: ..." (the banner AOS 8
controllers print too). ``show aps`` is a fixed-width table under a dashed line (Name, IP Address, Mode,
Spectrum, Clients, Type, ..., Serial #, ...); the virtual controller's own row is the one whose name ends in
"*", and its serial is the device's.
"""

from __future__ import annotations

from netops.drivers.base import FactsSpec
from netops.model import ApFacts, DeviceFacts
from netops.parsing.showtext import arubaos_banner, dashed_table

VERSION, APS = "show version", "show aps"


def ap_rows(output: str) -> list[dict[str, str]]:
    """``show aps`` rows as name, model (the Type column), serial, mac, address and ``conductor`` (the row marked "*")."""
    found = []
    for row in dashed_table(output):
        raw = row.get("Name", "")
        name = raw.rstrip("*").strip()
        if not name:
            continue
        found.append({"name": name, "model": row.get("Type", ""), "serial": row.get("Serial #", ""),
                      "mac": row.get("MAC Address", "") or row.get("Ethernet MAC", ""),
                      "address": row.get("IP Address", ""), "conductor": "*" if raw.endswith("*") else ""})
    return found


def parse(outputs: dict[str, str]) -> DeviceFacts:
    model, version, uptime, reboot = arubaos_banner(outputs.get(VERSION, ""))
    rows = ap_rows(outputs.get(APS, ""))
    own = next((r for r in rows if r["conductor"]), None)
    return DeviceFacts(
        vendor="Aruba",
        model=model or (own["model"] if own else ""),
        serials=(own["serial"],) if own and own["serial"] else (),
        os_name="ArubaOS" if version else "",
        os_version=version,
        uptime_s=uptime,
        reload_reason=reboot,
        hostname=own["name"] if own else "",
        aps=tuple(ApFacts(name=r["name"], model=r["model"], serial=r["serial"], mac=r["mac"], address=r["address"])
                  for r in rows),
    )


SPEC = FactsSpec(commands=(VERSION, APS), parser=parse)
