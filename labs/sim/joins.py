"""Which APs a controller has joined right now, as the lab's state has it (``show ap summary`` and friends).

An AP is a topology node with a ``netops-controller`` label naming its controller. It is joined while it is up:
no ``netops-ap-status: down`` label, not powered off by the ``down`` fault, not cut off from the core of its site
(:mod:`labs.sim.campus`), and the access-switch port its cable ends on (the topology's links, named as the switch
names them through its ``netops-interfaces`` label) is not shut down in the switch's running configuration and the
switch is powered on. An AP without a cable only needs to be up. The controllers' SNMP AP tables stay static.

The numbers a controller shows of an AP (MAC address, serial, clients) are the ones its SNMP agent serves
(:mod:`labs.sim.snmp_data`), so the SSH and SNMP views of the same AP agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from labs.sim.campus import topology_wires
from labs.sim.device import SimNode, uptime_offset
from labs.sim.facts import DeviceFacts
from labs.sim.neighbors import speaker
from labs.sim.snmp_data import mac, serial, wireless
from netops.inventory.clab import ClabNode


@dataclass(frozen=True)
class JoinedAp:
    """One AP as its controller lists it."""

    name: str
    model: str
    address: str
    mac: bytes  # its Ethernet (base radio) MAC, as the controller's SNMP AP table has it
    radio_mac: bytes
    serial: str
    location: str
    group: str
    clients: int
    uptime_s: int
    switch: str = ""  # the access switch and port it is cabled to ("" when it has no cable)
    switch_port: str = ""


def colon_mac(value: bytes) -> str:
    return ":".join(f"{b:02x}" for b in value)


def dotted_mac(value: bytes) -> str:
    raw = value.hex()
    return f"{raw[0:4]}.{raw[4:8]}.{raw[8:12]}"


def cabled_to(book: Any, name: str) -> tuple[str, str] | None:
    """(switch, switch port) at the other end of AP ``name``'s cable, None when it has none."""
    for wire in topology_wires(book.topology) if book.topology else ():
        seen = wire.seen_from(name)
        if seen is not None:
            return seen[1], seen[2]
    return None


def is_joined(book: Any, record: dict[str, Any]) -> bool:
    """Whether the AP of this state-file record is up and reaches its controller right now."""
    name = record.get("name", "")
    labels: dict[str, str] = record.get("labels") or {}
    if labels.get("netops-ap-status", "up") == "down":
        return False
    faults = book.get(name)
    if faults.down or faults.cut_off:
        return False
    cable = cabled_to(book, name)
    if cable is None:
        return True
    switch, port = cable
    peer = book.records.get(switch)
    if peer is None or not book.is_up(switch):
        return False
    return not speaker(peer).port(port).shutdown


def joined_aps(node: SimNode, facts: DeviceFacts, default_model: str, group: str = "default-group",
               serial_prefix: str = "FGL") -> list[JoinedAp]:
    """The APs controller ``node`` lists right now, by name; ``facts``: its configuration as its SNMP agent reads
    it (AP locations, SSIDs for the client counts)."""
    book = node.book
    if book is None:
        return []
    book.refresh()
    me = node.runtime.name
    records = sorted((r for r in book.records.values() if (r.get("labels") or {}).get("netops-controller") == me),
                     key=lambda r: r.get("name", ""))
    up = [r for r in records if is_joined(book, r)]
    clab = [ClabNode(name=r["name"], kind="linux", platform=r.get("platform", ""), labels=dict(r.get("labels") or {}))
            for r in up]
    clients = {ap.name: ap.clients for ap in wireless(me, facts, clab, default_model).aps}
    out: list[JoinedAp] = []
    for n in clab:
        cable = cabled_to(book, n.name) or ("", "")
        out.append(JoinedAp(
            name=n.name, model=n.labels.get("netops-model", default_model), address=n.labels.get("netops-address", "0.0.0.0"),
            mac=mac("ap", n.name), radio_mac=mac("radio", n.name), serial=serial(serial_prefix, n.name),
            location=facts.ap_locations.get(n.name) or n.labels.get("netops-location", n.site or "default location"),
            group=n.labels.get("netops-ap-group", group), clients=clients.get(n.name, 0),
            uptime_s=min(node.uptime(), uptime_offset(n.name)), switch=cable[0], switch_port=cable[1]))
    return out
