"""IOS-XE facts: ``show version``, ``show inventory`` and, on a Catalyst 9800, ``show ap summary``.

Commands: ``show version`` and ``show inventory`` (Command Reference, Cisco IOS XE Gibraltar 16.12.x (Catalyst 9300
Switches), and the Catalyst 9400 17.12 command reference); ``show ap summary`` on a Catalyst 9800 (Cisco blog
"Wireless Catalyst 9800 WLC KPIs, Part 2", blogs.cisco.com, which shows its output: AP Name, Slots, AP Model,
Ethernet MAC, ..., IP Address, State). A switch answers ``show ap summary`` with ``% Invalid input``, which the
collector drops. Read with ntc-templates' ``cisco_ios`` templates.

The serials are the chassis first, then the stack members: ``show version``'s "System Serial Number"
lines (active switch first), else ``show inventory``'s chassis / stack / "Switch N" entries.
"""

from __future__ import annotations

import re

from netops.drivers.base import FactsSpec
from netops.model import ApFacts, DeviceFacts
from netops.parsing.showtext import Row, first, records, text, uptime_seconds

VERSION, INVENTORY, APS = "show version", "show inventory", "show ap summary"

_XE_VERSION = re.compile(r"^Cisco IOS XE Software, Version (\S+)", re.M)
_CHASSIS = re.compile(r"^(?:chassis|switch \d+|\S+ stack|\d+)$", re.I)


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def _list(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [text(value)] if text(value) else []


def aps(output: str) -> tuple[ApFacts, ...]:
    """The APs of a 9800's ``show ap summary`` (ntc-templates ``cisco_ios``)."""
    found = []
    for row in records("cisco_ios", APS, output):
        name = text(row.get("ap_name"))
        if name:
            found.append(ApFacts(name=name, model=text(row.get("ap_model")), mac=text(row.get("mac_address")),
                                 address=text(row.get("ip_address"))))
    return tuple(found)


def _chassis_rows(rows: list[Row]) -> list[Row]:
    return [r for r in rows if _CHASSIS.match(text(r.get("name")))] or rows[:1]


def parse(outputs: dict[str, str]) -> DeviceFacts:
    """Facts from the outputs of :data:`SPEC`'s commands (any of them may be missing)."""
    version_text = outputs.get(VERSION, "")
    version = first(records("cisco_ios", VERSION, version_text))
    inventory = _chassis_rows(records("cisco_ios", INVENTORY, outputs.get(INVENTORY, "")))
    xe = _XE_VERSION.search(version_text)
    models = _list(version.get("hardware")) or [text(r.get("pid")) for r in inventory if text(r.get("pid"))]
    serials = _list(version.get("serial")) + [text(r.get("sn")) for r in inventory]
    is_xe = bool(xe) or "IOS-XE" in version_text or "IOS XE" in version_text
    return DeviceFacts(
        vendor="Cisco",
        model=models[0] if models else "",
        serials=_unique(serials),
        os_name=("IOS-XE" if is_xe else "IOS") if version_text.strip() else "",
        os_version=xe.group(1) if xe else text(version.get("version")),
        uptime_s=uptime_seconds(text(version.get("uptime"))),
        reload_reason=text(version.get("reload_reason")),
        hostname=text(version.get("hostname")),
        aps=aps(outputs.get(APS, "")),
    )


SPEC = FactsSpec(commands=(VERSION, INVENTORY, APS), parser=parse)
