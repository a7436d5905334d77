"""Aruba CX (AOS-CX) parser: switch ports, SVIs and VLAN names.

Ports: ``vlan access N``; ``vlan trunk native N`` (default 1) and ``vlan trunk
allowed LIST|all`` (lines add up, ``no vlan trunk allowed LIST`` removes; a
trunk without any is allowed every VLAN); ``routing`` makes a port routed and
``no routing`` alone leaves it in access VLAN 1. Physical and LAG interfaces
are shut down by default, so only ``no shutdown`` enables them. SVIs:
``interface vlan N`` with ``ip address A/P`` and ``vrf attach NAME``.
"""

from __future__ import annotations

from netops.model import ParsedConfig, ParseIssue, Svi, SwitchPort
from netops.parsing.addresses import with_prefix
from netops.parsing.tree import Node, ios_tree
from netops.parsing.vlans import ALL_VLANS, parse_vlan_list, vlan_id

PLATFORM = "aruba_aoscx"


def parse(text: str, host: str = "") -> ParsedConfig:
    result = ParsedConfig(host=host, platform=PLATFORM)
    for node in ios_tree(text):
        words = node.text.split()
        if words[0] == "vlan" and len(words) == 2:
            _vlan(node, words[1], result)
        elif words[:2] == ["interface", "vlan"] and len(words) == 3:
            try:
                result.svis.append(_svi(node, vlan_id(words[2]), host, result.issues))
            except ValueError as exc:
                result.issues.append(node.issue(str(exc)))
        elif words[0] == "interface" and len(words) in (2, 3) and words[1] not in ("loopback", "mgmt", "tunnel"):
            result.ports.append(_port(node, " ".join(words[1:]), host, result.issues))
    result.issues.sort(key=lambda i: i.line)
    return result


def _vlan(node: Node, spec: str, result: ParsedConfig) -> None:
    try:
        ids = parse_vlan_list(spec)
    except ValueError as exc:
        result.issues.append(node.issue(str(exc)))
        return
    for child in node.children:
        words = child.text.split(None, 1)
        if words[0] == "name":
            if len(words) == 2 and len(ids) == 1:
                result.vlan_names[words[1].strip('"')] = ids[0]
            else:
                result.issues.append(child.issue("'name' needs one VLAN and one name"))


def _svi(node: Node, vlan: int, host: str, issues: list[ParseIssue]) -> Svi:
    svi = Svi(host=host, vlan=vlan, line=node.line)
    for child in node.children:
        words = child.text.split()
        try:
            if words[:2] == ["ip", "address"]:
                if len(words) != 3:
                    raise ValueError("expected 'ip address A.B.C.D/LEN'")
                svi.address = with_prefix(words[2])
            elif words[:2] == ["vrf", "attach"]:
                if len(words) != 3:
                    raise ValueError("expected 'vrf attach NAME'")
                svi.vrf = words[2]
            elif words == ["shutdown"]:
                svi.shutdown = True
            elif words == ["no", "shutdown"]:
                svi.shutdown = False
        except ValueError as exc:
            issues.append(child.issue(str(exc)))
    return svi


def _port(node: Node, name: str, host: str, issues: list[ParseIssue]) -> SwitchPort:
    port = SwitchPort(host=host, name=name, shutdown=True, line=node.line)
    routing: bool | None = None
    access: int | None = None
    native: int | None = None
    allowed: set[int] | None = None
    trunk = False
    for child in node.children:
        words = child.text.split()
        try:
            if words[0] == "description":
                port.description = child.text.split(None, 1)[1] if len(words) > 1 else ""
            elif words in (["shutdown"], ["no", "shutdown"]):
                port.shutdown = words == ["shutdown"]
            elif words in (["routing"], ["no", "routing"]):
                routing = words == ["routing"]
            elif words[:2] == ["vlan", "access"]:
                if len(words) != 3:
                    raise ValueError("expected 'vlan access VLAN'")
                access = 0  # a malformed VLAN leaves the port without one
                access = vlan_id(words[2])
            elif words[:3] == ["vlan", "trunk", "native"]:
                trunk = True
                if len(words) not in (4, 5) or (len(words) == 5 and words[4] != "tag"):
                    raise ValueError("expected 'vlan trunk native VLAN [tag]'")
                native = vlan_id(words[3])
            elif words[:3] == ["vlan", "trunk", "allowed"]:
                trunk = True
                if len(words) != 4:
                    raise ValueError("expected 'vlan trunk allowed LIST|all'")
                added = ALL_VLANS if words[3] == "all" else set(parse_vlan_list(words[3]))
                allowed = (allowed or set()) | added
            elif words[:4] == ["no", "vlan", "trunk", "allowed"] and len(words) == 5:
                allowed = (set(ALL_VLANS) if allowed is None else allowed) - set(parse_vlan_list(words[4]))
            elif words[0] == "vlan" or words[:2] == ["no", "vlan"]:
                raise ValueError("unrecognised vlan command")
        except ValueError as exc:
            issues.append(child.issue(str(exc)))
    if trunk:
        port.mode = "trunk"
        port.native_vlan = native or 1
        port.allowed_vlans = sorted(ALL_VLANS if allowed is None else allowed)
    elif access is not None:
        port.mode = "access"
        port.access_vlan = access or None
    elif routing is True:
        port.mode = "routed"
    elif routing is False:
        port.mode = "access"
        port.access_vlan = 1
    return port
