"""``netops probe dhcp``: broadcast a DHCPDISCOVER from each vantage of the probe
plan (or tagged into one VLAN through its trunks), collect every offer for a
bounded time, and flag servers the inventory does not authorise for that VLAN
(site data ``dhcp_servers``). Nothing is requested, so no lease is taken."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

from scapy.layers.dhcp import BOOTP, DHCP
from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Dot1Q, Ether
from scapy.packet import Packet
from scapy.utils import mac2str

from netops.policy.findings import Detail, Finding, Notice
from netops.probe.frames import Wire
from netops.probe.plan import Vantage
from netops.probe.rules import RULES

SOURCE = "dhcp"
RULE = "PROBE-DHCP-001"


def scope(site: str, vlan: int) -> str:
    return f"{SOURCE}:{site}:vlan{vlan}"


@dataclass
class Offer:
    server_id: str
    source_ip: str
    source_mac: str
    offered: str
    authorised: bool


@dataclass
class DhcpProbe:
    """The offers one DISCOVER drew on one VLAN."""

    host: str  # the vantage that asked
    site: str
    vlan: int
    authorised: list[str]
    offers: list[Offer] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _option(dhcp: Packet, name: str) -> Any:
    """An option of a DHCP layer (None when absent)."""
    return next((o[1] for o in dhcp.options if isinstance(o, tuple) and o[0] == name), None)


def discover(vantage: Vantage, wire: Wire, authorised: list[str], timeout: float) -> DhcpProbe:
    """One DISCOVER (broadcast flag set) from ``vantage``; every OFFER answering it within ``timeout`` seconds."""
    xid = secrets.randbits(32)
    frame = Ether(src=wire.mac, dst="ff:ff:ff:ff:ff:ff")
    for tag in vantage.tags:
        frame = frame / Dot1Q(vlan=tag)
    frame = (frame / IP(src="0.0.0.0", dst="255.255.255.255") / UDP(sport=68, dport=67)
             / BOOTP(chaddr=mac2str(wire.mac), xid=xid, flags=0x8000) / DHCP(options=[("message-type", "discover"), "end"]))
    replies = wire.exchange([frame], timeout)
    probe = DhcpProbe(vantage.name, vantage.site, vantage.vlan, authorised)
    for reply in replies:
        bootp, dhcp = reply.getlayer(BOOTP), reply.getlayer(DHCP)
        if bootp is None or dhcp is None or bootp.xid != xid or _option(dhcp, "message-type") != 2:
            continue
        server = str(_option(dhcp, "server_id") or reply[IP].src)
        probe.offers.append(Offer(server, reply[IP].src, reply[Ether].src, bootp.yiaddr, server in authorised))
    return probe


def assess(probe: DhcpProbe, vantage: Vantage) -> tuple[list[Finding], list[Notice]]:
    """A finding per offer from an unauthorised server; a notice when nobody answered."""
    if not probe.offers:
        return [], [Notice("dhcp-silent", f"no DHCP offer on VLAN {probe.vlan} at {vantage.name} ({vantage.where})", host=vantage.device)]
    expected = "one of " + ", ".join(probe.authorised) if probe.authorised else "no DHCP server (none authorised for this VLAN)"
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    sent_from = vantage.interface + (f" in {vantage.netns}" if vantage.netns else "")
    findings = [
        Finding(rule=RULE, title=RULES[RULE].title, severity=RULES[RULE].severity, host=vantage.device, site=vantage.site,
                object=f"VLAN {probe.vlan}", kind="dhcp",
                details=(Detail("dhcp server", expected, f"{o.server_id} (from {o.source_ip}, MAC {o.source_mac}) "
                                f"offered {o.offered} to {vantage.name} on {vantage.where}"),),
                source=SOURCE, scope=scope(vantage.site, probe.vlan), observed=now, origin=sent_from)
        for o in probe.offers if not o.authorised
    ]
    return findings, []
