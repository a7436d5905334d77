"""AireOS facts: ``show sysinfo``, ``show inventory`` and ``show ap summary``.

Commands (Cisco Wireless LAN Controller configuration guides 7.x, "Controlling Lightweight Access Points":
``show ap summary`` lists the joined APs; ``show sysinfo`` and ``show inventory`` in the controller command
reference), read with ntc-templates' ``cisco_wlc_ssh`` templates (whose samples are real AireOS captures). ``show
sysinfo`` gives the software ("Product Version"), the name, the uptime ("109 days 16 hrs 33 mins 12 secs") and
the last reset; ``show inventory`` the model (PID) and serial of the chassis.
"""

from __future__ import annotations

from netops.drivers.base import FactsSpec
from netops.model import ApFacts, DeviceFacts
from netops.parsing.showtext import first, records, text, uptime_seconds

SYSINFO, INVENTORY, APS = "show sysinfo", "show inventory", "show ap summary"
PLATFORM = "cisco_wlc_ssh"


def aps(output: str) -> tuple[ApFacts, ...]:
    """The APs of ``show ap summary`` (only joined APs are listed)."""
    found = []
    for row in records(PLATFORM, APS, output):
        name = text(row.get("ap_name"))
        if name:
            found.append(ApFacts(name=name, model=text(row.get("ap_model")), mac=text(row.get("mac_address")),
                                 address=text(row.get("ip_address"))))
    return tuple(found)


def parse(outputs: dict[str, str]) -> DeviceFacts:
    sysinfo = first(records(PLATFORM, SYSINFO, outputs.get(SYSINFO, "")))
    inventory = records(PLATFORM, INVENTORY, outputs.get(INVENTORY, ""))
    chassis = next((r for r in inventory if text(r.get("name")).lower() == "chassis"), inventory[0] if inventory else {})
    version = text(sysinfo.get("product_version"))
    return DeviceFacts(
        vendor="Cisco",
        model=text(chassis.get("pid")),
        serials=tuple(s for s in (text(chassis.get("sn")),) if s),
        os_name="AireOS" if version else "",
        os_version=version,
        uptime_s=uptime_seconds(text(sysinfo.get("system_up_time"))),
        reload_reason=text(sysinfo.get("last_reset")),
        hostname=text(sysinfo.get("system_name")),
        aps=aps(outputs.get(APS, "")),
    )


SPEC = FactsSpec(commands=(SYSINFO, INVENTORY, APS), parser=parse)
