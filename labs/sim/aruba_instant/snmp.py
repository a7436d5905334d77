"""How an Aruba Instant AP's SNMP agent identifies itself (it serves no vendor MIBs)."""

from __future__ import annotations

from labs.sim.snmp_data import SnmpProfile

SNMP = SnmpProfile(
    descr=lambda model: f"ArubaOS (MODEL: {model.removeprefix('AP-')}), Version 8.10.0.12-8.10.0.12",
    default_model="AP-515",
    object_ids={},
    default_object_id="1.3.6.1.4.1.14823.1.2.111",
    services=72,
)
