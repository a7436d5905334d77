"""AOS 8 (Mobility Conductor / controller) facts: ``show version``, ``show inventory`` and
``show ap database long``.

Commands (ArubaOS 8.5.0.x Command-Line Interface Reference Guide: ``show version``, ``show inventory``,
``show ap database [long]``; aruba-campus's apdb2csv.py runs ``show ap database long`` on AOS 8 conductors).
``show inventory`` and ``show ap database long`` are read with ntc-templates' ``aruba_os`` templates;
``show version`` here (ntc-templates' ``aruba_os`` ``show version`` template reads the
ArubaOS-Switch banner, not a controller's): "ArubaOS (MODEL: <model>), Version <version>", "Switch uptime is
<days> days <hours> hours ...", "Reboot Cause: <cause>".
"""

from __future__ import annotations

from netops.drivers.base import FactsSpec
from netops.model import ApFacts, DeviceFacts
from netops.parsing.showtext import arubaos_banner, first, records, text

VERSION, INVENTORY, APS = "show version", "show inventory", "show ap database long"


def ap_rows(output: str) -> list[dict[str, str]]:
    """``show ap database long`` records: name, model (AP type), serial, mac, address, status."""
    found = []
    for row in records("aruba_os", APS, output):
        name = text(row.get("ap_name"))
        if name:
            found.append({"name": name, "model": text(row.get("ap_model")), "serial": text(row.get("serial")),
                          "mac": text(row.get("mac_address")), "address": text(row.get("ip_address")),
                          "status": text(row.get("status"))})
    return found


def parse(outputs: dict[str, str]) -> DeviceFacts:
    model, version, uptime, reboot = arubaos_banner(outputs.get(VERSION, ""))
    inventory = first(records("aruba_os", INVENTORY, outputs.get(INVENTORY, "")))
    serial = text(inventory.get("system_serial"))
    return DeviceFacts(
        vendor="Aruba",
        model=text(inventory.get("sc_model")) or model,
        serials=(serial,) if serial else (),
        os_name="ArubaOS" if version else "",
        os_version=version,
        uptime_s=uptime,
        reload_reason=reboot,
        aps=tuple(ApFacts(name=r["name"], model=r["model"], serial=r["serial"], mac=r["mac"], address=r["address"])
                  for r in ap_rows(outputs.get(APS, ""))),
    )


SPEC = FactsSpec(commands=(VERSION, INVENTORY, APS), parser=parse)
