"""``netops probe dhcp``: broadcast a DHCPDISCOVER from a lab host, collect every
offer for a bounded time, and flag servers the inventory does not authorise
for that VLAN (site data ``dhcp_servers``)."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

from scapy.layers.dhcp import BOOTP, DHCP
from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Dot1Q, Ether
from scapy.utils import mac2str

from labs.netns.plan import HostPlan, InjectorPlan
from netops.policy.findings import Detail, Finding, Notice
from netops.probe.frames import exchange, mac_of
from netops.probe.netns import inside
from netops.probe.rules import RULES

SOURCE = "dhcp"
RULE = "PROBE-DHCP-001"
IFACE = "eth0"


@dataclass(frozen=True)
class Vantage:
    """Where a DISCOVER leaves from: a lab host's namespace, or a trunk port with an 802.1Q tag."""

    name: str
    ns: str
    site: str
    vlan: int
    node: str  # the device it hangs off
    where: str
    tags: tuple[int, ...] = ()

    @classmethod
    def of_host(cls, host: HostPlan) -> Vantage:
        return cls(host.name, host.ns, host.site, host.vlan, host.node, host.attached)

    @classmethod
    def of_trunk(cls, injector: InjectorPlan, vlan: int) -> Vantage:
        return cls(injector.ns.split("-", 1)[1], injector.ns, injector.site, vlan, injector.node,
                   f"{injector.node} {injector.switch_port}, 802.1Q tag {vlan}", (vlan,))


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

    host: str  # the lab host that asked
    site: str
    vlan: int
    authorised: list[str]
    offers: list[Offer] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _option(dhcp: DHCP, name: str) -> Any:
    return next((o[1] for o in dhcp.options if isinstance(o, tuple) and o[0] == name), None)


def discover(vantage: Vantage, authorised: list[str], timeout: float) -> DhcpProbe:
    """One DISCOVER (broadcast flag set) from ``vantage``; every OFFER answering it within ``timeout`` seconds."""
    xid = secrets.randbits(32)
    with inside(vantage.ns):
        mac = mac_of(IFACE)
        frame = Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")
        for tag in vantage.tags:
            frame = frame / Dot1Q(vlan=tag)
        frame = (frame / IP(src="0.0.0.0", dst="255.255.255.255") / UDP(sport=68, dport=67)
                 / BOOTP(chaddr=mac2str(mac), xid=xid, flags=0x8000) / DHCP(options=[("message-type", "discover"), "end"]))
        replies = exchange(IFACE, [frame], timeout)
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
        return [], [Notice("dhcp-silent", f"no DHCP offer on VLAN {probe.vlan} at {vantage.name} ({vantage.where})", host=vantage.node)]
    expected = "one of " + ", ".join(probe.authorised) if probe.authorised else "no DHCP server (none authorised for this VLAN)"
    findings = [
        Finding(rule=RULE, title=RULES[RULE].title, severity=RULES[RULE].severity, host=vantage.node, site=vantage.site, object=f"VLAN {probe.vlan}",
                kind="dhcp", details=[Detail("dhcp server", expected, f"{o.server_id} (from {o.source_ip}, MAC {o.source_mac}) "
                                             f"offered {o.offered} to {vantage.name} on {vantage.where}")], source=SOURCE)
        for o in probe.offers if not o.authorised
    ]
    return findings, []
