"""What an IOS-XE switch's or Catalyst 9800's SNMP agent serves beyond the shared MIBs."""

from __future__ import annotations

from labs.sim.cisco_wlc.snmp import CISCO, add_cisco_wireless
from labs.sim.snmp_data import Records, SnmpProfile, digest


def cisco_health(rec: Records, node: str) -> None:
    """CISCO-PROCESS-MIB cpmCPUTotalTable and CISCO-MEMORY-POOL-MIB."""
    cpu = digest("cpu", node) % 30 + 5
    cpm = CISCO + (9, 109, 1, 1, 1, 1)
    rec.int(cpm + (2, 1), 1000)
    for column in (6, 7, 8):  # 5 s, 1 min, 5 min
        rec.wobbling(cpm + (column, 1), "66", cpu, 3)
    pool = CISCO + (9, 48, 1, 1, 1)
    total = 2_000_000_000
    used = total * (digest("mem", node) % 40 + 20) // 100
    for index, (name, size, share) in enumerate((("Processor", total, used), ("lsmpi_io", 6_000_000, 5_800_000)), 1):
        rec.text(pool + (2, index), name)
        rec.int(pool + (3, index), 0)
        rec.int(pool + (4, index), 1)
        rec.wobbling(pool + (5, index), "66", share, share // 50)
        rec.gauge(pool + (6, index), size - share)


# the same release as the SSH simulator's "show version" (cli.py)
IOS_XE_TAIL = (
    ", Version 17.9.4a, RELEASE SOFTWARE (fc3)\r\nTechnical Support: http://www.cisco.com/techsupport\r\n"
    "Copyright (c) 1986-2023 by Cisco Systems, Inc.\r\nCompiled Fri 20-Oct-23 10:44 by mcpre"
)


def ios_xe_descr(model: str) -> str:
    software = "C9800 Software (C9800_IOSXE-K9)" if model.upper().startswith("C9800") else (
        "Catalyst L3 Switch Software (CAT9K_IOSXE)"
    )
    return f"Cisco IOS Software [Cupertino], {software}{IOS_XE_TAIL}"


SNMP = SnmpProfile(
    descr=ios_xe_descr,
    default_model="C9300-48P",
    object_ids={  # CISCO-PRODUCTS-MIB product names
        "C9200-48P": "1.3.6.1.4.1.9.1.2589",  # ciscoCat920048P
        "C9200L-48P-4G": "1.3.6.1.4.1.9.1.2586",  # ciscoCat9200L48P4G
        "C9300-24P": "1.3.6.1.4.1.9.1.2436",  # ciscoCat930024P
        "C9300-48P": "1.3.6.1.4.1.9.1.2440",  # ciscoCat930048P
        "C9500-24Y4C": "1.3.6.1.4.1.9.1.2573",  # ciscoCat950024Y4C
        "C9800-40-K9": "1.3.6.1.4.1.9.1.2530",  # ciscoC980040K9
        "C9800-80-K9": "1.3.6.1.4.1.9.1.2669",  # ciscoC980080K9
        "C9800-L-C-K9": "1.3.6.1.4.1.9.1.2860",  # ciscoC9800LCK9
        "C9800-CL-K9": "1.3.6.1.4.1.9.1.2391",  # ciscoC9800CLK9
    },
    default_object_id="1.3.6.1.4.1.9.1.2440",
    services=6,
    health=cisco_health,
    controller_mibs=add_cisco_wireless,
    ap_model="C9120AXI-E",
)
