"""AOS-CX facts: ``show system`` (ArubaOS-CX 10.03 Monitoring Guide and 8320 10.01 guide on support.hpe.com, "show system":
hostname, vendor, product name, chassis serial, AOS-CX version, up time), read with ntc-templates'
``aruba_aoscx`` template; the uptime from its "Up Time" line ("1 day, 23 hours, 32 minutes", "up 1 week, 5 hours,
28 minutes"; "under a minute" counts nothing). ``show system`` gives no reload reason (``show boot-history`` does).
"""

from __future__ import annotations

import re

from netops.drivers.base import FactsSpec
from netops.model import DeviceFacts
from netops.parsing.showtext import first, records, text, uptime_seconds

SYSTEM = "show system"

_UP_TIME = re.compile(r"^\s*Up Time\s*:\s*(.*)$", re.M)


def parse(outputs: dict[str, str]) -> DeviceFacts:
    output = outputs.get(SYSTEM, "")
    # the guide's examples indent the lines by one space; the template wants them at the margin
    system = first(records("aruba_aoscx", SYSTEM, "\n".join(line.strip() for line in output.splitlines())))
    up = _UP_TIME.search(output)
    serial, version = text(system.get("serial")), text(system.get("version"))
    return DeviceFacts(
        vendor="Aruba",
        model=text(system.get("product")),
        serials=(serial,) if serial else (),
        os_name="AOS-CX" if version else "",
        os_version=version,
        uptime_s=uptime_seconds(up.group(1)) if up else None,
        hostname=text(system.get("hostname")),
    )


SPEC = FactsSpec(commands=(SYSTEM,), parser=parse)
