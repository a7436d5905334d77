"""What an OpenWrt AP's SNMP agent (net-snmp) serves beyond the shared MIBs."""

from __future__ import annotations

from labs.sim.snmp_data import NET_SNMP_LINUX, Records, SnmpProfile, digest


def linux_health(rec: Records, node: str) -> None:
    """UCD-SNMP-MIB load and memory, as OpenWrt's net-snmp serves them."""
    ucd = (1, 3, 6, 1, 4, 1, 2021)
    rec.text(ucd + (10, 1, 3, 1), f"0.{digest('cpu', node) % 90 + 5:02d}")
    rec.int(ucd + (4, 5, 0), 249_356)
    rec.wobbling(ucd + (4, 6, 0), "2", 180_000, 4_000)


SNMP = SnmpProfile(
    descr=lambda model: "Linux OpenWrt 5.15.150 #0 SMP Fri Mar 22 22:09:42 2024 aarch64",
    default_model="",
    object_ids={},
    default_object_id=NET_SNMP_LINUX,
    services=72,
    health=linux_health,
)
