"""IOS-XE operational state for ``netops snapshot``: interfaces, VLANs, trunks, spanning-tree roots, HSRP/VRRP,
port-channels and, on a Catalyst 9800, the APs joined.

Commands: ``show interfaces`` (Command Reference, Cisco IOS XE Fuji 16.8.x (Catalyst 3650 Switches), "Interface and
Hardware Commands"); ``show etherchannel summary``, ``show interfaces trunk``, ``show spanning-tree root``
(Catalyst 9400 Command Reference, Cisco IOS XE 17.12, "Layer 2/3 Commands"; 16.12.x for the Catalyst 9300); ``show
vlan brief`` (Cisco IOS LAN Switching Command Reference, ``show vlan [brief | id ...]``: "one line for each VLAN,
naming the VLAN, status, and ports"); ``show standby brief`` / ``show vrrp brief`` (IOS XE First Hop Redundancy
Protocols command reference); ``show ap summary`` on a 9800 (see facts.py). Read with ntc-templates' ``cisco_ios``
templates, except ``show interfaces trunk`` (no template: read here).

Interface names come out in full (``Gi1/0/1`` -> ``GigabitEthernet1/0/1``), states in lower case.
A feature is returned only when its command's output is there (a platform error is no output).
"""

from __future__ import annotations

import re
from typing import Any

from netops.drivers.base import StateSpec
from netops.drivers.cisco_xe.facts import APS
from netops.model import DeviceState
from netops.parsing.ifnames import full_name
from netops.parsing.showtext import cisco_mac, records, template_input, text, to_int, vlan_list, vlan_table

INTERFACES, VLANS, TRUNKS = "show interfaces", "show vlan brief", "show interfaces trunk"
STP, HSRP, VRRP, ETHERCHANNEL = "show spanning-tree root", "show standby brief", "show vrrp brief", "show etherchannel summary"

_SPEED = re.compile(r"(\d{1,9})\s*([MG])b", re.I)
_MEMBER_FLAGS = {"p": "bundled", "bndl": "bundled", "d": "down", "down": "down", "s": "suspended", "susp": "suspended",
                 "i": "stand-alone", "indep": "stand-alone", "h": "hot-standby", "hot-sby": "hot-standby",
                 "w": "waiting", "u": "unsuitable", "r": "layer3", "m": "min-links-not-met"}
_TRUNK_HEADER = re.compile(r"^\s*Port\s+(Mode\b|Vlans allowed on trunk|Vlans allowed and active|Vlans in spanning)", re.I)
_TRUNK_ROW = re.compile(r"^\s*([A-Za-z][\w\-]*\d[\w/.:]*)\s+(.*?)\s*$")
_VLAN_CONTINUATION = re.compile(r"^\s+([\d,\-\s]+)$")
_IF_BLOCK = re.compile(r"^(\S+) is .*line protocol is")
_ERRORS = re.compile(r"^\s+(\d{1,20}) (input|output) errors\b")


def _first_int(*values: Any) -> int | None:
    return next((n for n in (to_int(v) for v in values) if n is not None), None)


def speed_mbps(speed: str, bandwidth: str) -> int | None:
    """The speed in Mb/s from "1000Mb/s" / "10Gb/s" / "100Mbps", else from the bandwidth ("1000000 Kbit")."""
    match = _SPEED.search(speed or "")
    if match:
        return int(match.group(1)) * (1000 if match.group(2).upper() == "G" else 1)
    kbit = to_int(bandwidth)
    return kbit // 1000 if kbit is not None else None


def _counter_lines(output: str) -> dict[str, dict[str, int]]:
    """Each interface's "N input errors" / "N output errors" read from its block (the template misses the
    output errors of an SVI, whose line has no collisions)."""
    found: dict[str, dict[str, int]] = {}
    current: dict[str, int] | None = None
    for line in (output or "").splitlines():
        block = _IF_BLOCK.match(line)
        if block:
            current = found.setdefault(full_name(block.group(1)), {})
            continue
        counter = _ERRORS.match(line)
        if counter and current is not None:
            current.setdefault(f"{counter.group(2)}_errors", int(counter.group(1)))
    return found


def interfaces(output: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    counters = _counter_lines(output)
    for row in records("cisco_ios", INTERFACES, output):
        name = full_name(text(row.get("interface")))
        if not name:
            continue
        link, protocol = text(row.get("link_status")).lower(), text(row.get("protocol_status")).lower()
        found[name] = {
            "admin": "down" if "administratively" in link else "up",
            "oper": "up" if protocol.startswith("up") and link == "up" else "down",
            "speed_mbps": speed_mbps(text(row.get("speed")), text(row.get("bandwidth"))),
            "in_errors": _first_int(row.get("input_errors"), counters.get(name, {}).get("input_errors")),
            "out_errors": _first_int(row.get("output_errors"), counters.get(name, {}).get("output_errors")),
        }
    return found


def vlans(output: str) -> dict[str, dict[str, Any]]:
    return vlan_table("cisco_ios", VLANS, output)


def trunks(output: str) -> dict[str, dict[str, Any]]:
    """``show interfaces trunk``: each trunking port with its "Vlans allowed and active in management domain"
    (a long list wraps onto indented continuation lines); a port that is not trunking is left out."""
    section, last = "", ""
    status: dict[str, str] = {}
    active: dict[str, str] = {}
    for line in template_input(output or "").splitlines():  # lines cut: _TRUNK_ROW backtracks on a huge one
        header = _TRUNK_HEADER.match(line)
        if header:
            section, last = header.group(1).lower(), ""
            continue
        if section == "vlans allowed and active":
            more = _VLAN_CONTINUATION.match(line)
            if more and last:
                active[last] += "," + more.group(1)
                continue
        row = _TRUNK_ROW.match(line)
        if not row or not section:
            continue
        port, rest = full_name(row.group(1)), row.group(2)
        if section == "mode":
            fields = rest.split()
            status[port] = fields[2].lower() if len(fields) >= 3 else ""
        elif section == "vlans allowed and active":
            active[port], last = rest, port
    return {port: {"vlans": vlan_list(active.get(port, ""))} for port in status if status[port] == "trunking"}


def stp_root(output: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in records("cisco_ios", STP, output):
        instance = to_int(row.get("vlan_id"))
        mac, priority = cisco_mac(text(row.get("root_id"))), to_int(row.get("priority"))
        if instance is None or not mac or priority is None:
            continue
        port = text(row.get("root_port"))
        found[str(instance)] = {"root_id": f"{priority}.{mac}", "root_port": full_name(port) if port else ""}
    return found


def fhrp(hsrp: str | None, vrrp: str | None) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for protocol, command, output in (("hsrp", HSRP, hsrp), ("vrrp", VRRP, vrrp)):
        for row in records("cisco_ios", command, output or ""):
            interface, group = full_name(text(row.get("interface"))), to_int(row.get("group"))
            if interface and group is not None:
                found[f"{interface} {group}"] = {"protocol": protocol, "state": text(row.get("state")).lower(),
                                                 "virtual_ip": text(row.get("virtual_ip_address"))}
    return found


def port_channels(output: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in records("cisco_ios", ETHERCHANNEL, output):
        name = full_name(text(row.get("bundle_name")))
        if not name:
            continue
        members = row.get("member_interface") or []
        flags = row.get("member_interface_status") or []
        found[name] = {
            "status": "up" if "U" in text(row.get("bundle_status")) else "down",
            "members": {full_name(str(m)): _MEMBER_FLAGS.get(str(f).lower(), str(f).lower())
                        for m, f in zip(members, flags, strict=False) if str(m).strip()},
        }
    return found


def ap_state(state: str) -> str:
    """A 9800's AP state: "Registered" is joined ("up"), anything else as printed, lower case."""
    state = state.strip().lower()
    return "up" if state == "registered" else state


def aps(output: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in records("cisco_ios", APS, output):
        name = text(row.get("ap_name"))
        if name:
            found[name] = {"model": text(row.get("ap_model")), "state": ap_state(text(row.get("state"))),
                           "address": text(row.get("ip_address"))}
    return found


def parse(outputs: dict[str, str]) -> DeviceState:
    """The features whose commands answered (a switch has no ``aps``; a 9800 no port-channels, usually)."""
    state: DeviceState = {}
    readers = ((INTERFACES, "interfaces", interfaces), (VLANS, "vlans", vlans), (TRUNKS, "trunks", trunks),
               (STP, "stp_root", stp_root), (ETHERCHANNEL, "port_channels", port_channels), (APS, "aps", aps))
    for command, feature, reader in readers:
        if command in outputs:
            state[feature] = reader(outputs[command])
    if HSRP in outputs or VRRP in outputs:
        state["fhrp"] = fhrp(outputs.get(HSRP), outputs.get(VRRP))
    return state


SPEC = StateSpec(commands=(INTERFACES, VLANS, TRUNKS, STP, HSRP, VRRP, ETHERCHANNEL, APS), parser=parse)
