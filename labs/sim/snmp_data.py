"""A lab node's SNMP data as snmpsim ``.snmprec`` records, generated from its config.

Counters, sysUpTime and gauges are snmpsim ``numeric`` variations, so they move
on their own; everything else is fixed at generation. Values that are not in the
config (rates, client counts, MACs) are derived from a hash of the node name, so
the same lab always shows the same numbers; sysUpTime starts where the SSH
simulator's ``show version`` uptime does.

Here is what every platform shares: the record format, the system group, IF-MIB
and the wireless model a controller reports (its APs, SSIDs and clients). What
one platform adds (sysDescr and sysObjectID, its CPU and memory MIBs, its
controller MIBs) is its :class:`SnmpProfile`, in ``labs/sim/<platform>/snmp.py``.
"""

from __future__ import annotations

import builtins
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from labs.sim.device import uptime_offset
from labs.sim.facts import DeviceFacts, Interface, Ssid
from netops.inventory.clab import ClabNode

Oid = tuple[int, ...]
MIB2 = (1, 3, 6, 1, 2, 1)
SYSTEM = MIB2 + (1,)
IF_TABLE = MIB2 + (2, 2, 1)
IFX_TABLE = MIB2 + (31, 1, 1, 1)
NET_SNMP_LINUX = "1.3.6.1.4.1.8072.3.2.10"  # NET-SNMP-TC netSnmpAgentOIDs.linux


def digest(*parts: object) -> int:
    """A stable pseudo-random number for these parts (independent of PYTHONHASHSEED)."""
    return int.from_bytes(hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()[:8], "big")


def mac(*parts: object) -> bytes:
    """A locally administered unicast MAC derived from parts."""
    raw = digest("mac", *parts).to_bytes(8, "big")[:6]
    return bytes([(raw[0] | 0x02) & 0xFE]) + raw[1:]


@dataclass
class Records:
    """snmprec lines under construction, keyed by OID."""

    rows: dict[Oid, tuple[str, str]] = field(default_factory=dict)

    def text(self, oid: Oid, value: str) -> None:
        self.rows[oid] = ("4x", value.encode().hex())

    def octets(self, oid: Oid, value: bytes) -> None:
        self.rows[oid] = ("4x", value.hex())

    # below this method, ``int`` in the class body means the method: annotations say ``builtins.int``
    def int(self, oid: Oid, value: int) -> None:
        self.rows[oid] = ("2", str(value))

    def gauge(self, oid: Oid, value: builtins.int) -> None:
        self.rows[oid] = ("66", str(value))

    def counter(self, oid: Oid, value: builtins.int) -> None:
        self.rows[oid] = ("65", str(value))

    def ip_address(self, oid: Oid, value: str) -> None:
        self.rows[oid] = ("64", value)

    def object_id(self, oid: Oid, value: str) -> None:
        self.rows[oid] = ("6", value)

    def growing(self, oid: Oid, tag: str, initial: builtins.int, rate: builtins.int | float) -> None:
        """A value that grows by ``rate`` per second (Counter32 wraps, like a real one)."""
        wrap = ",wrap=1" if tag == "65" else ""
        self.rows[oid] = (f"{tag}:numeric", f"rate={rate},initial={initial}{wrap}")

    def wobbling(self, oid: Oid, tag: str, centre: builtins.int, spread: builtins.int) -> None:
        """A gauge that varies randomly around ``centre``."""
        self.rows[oid] = (f"{tag}:numeric", f"rate=0,initial={max(centre - spread, 0)},deviation={spread}")

    def snmprec(self) -> str:
        return "".join(f"{dotted(oid[:-1])}.{oid[-1]}|{tag}|{value}\n" for oid, (tag, value) in sorted(self.rows.items()))


@lru_cache(maxsize=8192)
def dotted(oid: Oid) -> str:
    return ".".join(map(str, oid))


# ---------------------------------------------------------------- interfaces

# name prefix -> (ifType, speed in Mb/s, short name)
IF_KINDS: list[tuple[str, int, int, str]] = [
    ("hundredgige", 6, 100_000, "Hu"),
    ("fortygigabitethernet", 6, 40_000, "Fo"),
    ("twentyfivegige", 6, 25_000, "Twe"),
    ("tengigabitethernet", 6, 10_000, "Te"),
    ("fivegigabitethernet", 6, 5_000, "Fi"),
    ("twogigabitethernet", 6, 2_500, "Tw"),
    ("appgigabitethernet", 6, 1_000, "Ap"),
    ("gigabitethernet", 6, 1_000, "Gi"),
    ("fastethernet", 6, 100, "Fa"),
    ("port-channel", 161, 2_000, "Po"),
    ("vlan", 53, 1_000, "Vl"),
    ("loopback", 24, 8_000, "Lo"),
    ("tunnel", 131, 100, "Tu"),
    ("eth", 6, 1_000, "eth"),
    ("br-", 6, 1_000, "br-"),
]


def if_kind(name: str) -> tuple[int, int, str]:
    """(ifType, speed Mb/s, ifName) for an interface name."""
    lower = name.lower().replace(" ", "")
    for prefix, if_type, speed, short in IF_KINDS:
        if lower.startswith(prefix):
            return if_type, speed, short + name.replace(" ", "")[len(prefix):]
    return 1, 1_000, name  # other(1): management, dynamic interfaces, ...


def add_interfaces(rec: Records, node: str, interfaces: list[Interface], error_ports: set[str]) -> None:
    """IF-MIB ifTable and ifXTable. Up ports named in ``error_ports`` (by ifDescr or
    ifName) accumulate input errors and discards; every other port stays clean."""
    rec.int(MIB2 + (2, 1, 0), len(interfaces))
    for index, iface in enumerate(interfaces, start=1):
        if_type, speed, name = if_kind(iface.name)
        up = not iface.shutdown
        seed = digest(node, iface.name)
        octet_rate = (seed % 2_000 + 50) * 1_000 if up else 0  # 50 kB/s .. 2 MB/s
        faulty = up and (iface.name in error_ports or name in error_ports)
        in_octets = seed % 10**12
        out_octets = (seed >> 20) % 10**12

        def col(c: int, index: int = index) -> Oid:
            return IF_TABLE + (c, index)

        def xcol(c: int, index: int = index) -> Oid:
            return IFX_TABLE + (c, index)

        rec.int(col(1), index)
        rec.text(col(2), iface.name)
        rec.int(col(3), if_type)
        rec.int(col(4), 1500)
        rec.gauge(col(5), min(speed * 1_000_000, 4_294_967_295))
        rec.octets(col(6), mac(node, iface.name))
        rec.int(col(7), 1 if up else 2)
        rec.int(col(8), 1 if up else 2)
        rec.growing(col(10), "65", in_octets % 2**32, octet_rate)
        rec.growing(col(13), "65", seed % 97, 0.5 if faulty else 0)
        rec.growing(col(14), "65", seed % 53, 2 if faulty else 0)
        rec.growing(col(16), "65", out_octets % 2**32, octet_rate // 2)
        rec.counter(col(20), 0)
        rec.text(xcol(1), name)
        rec.growing(xcol(6), "70", in_octets, octet_rate)
        rec.growing(xcol(10), "70", out_octets, octet_rate // 2)
        rec.gauge(xcol(15), speed)
        rec.text(xcol(18), iface.description)


# ---------------------------------------------------------------- controllers


@dataclass
class Ap:
    name: str
    model: str
    up: bool
    location: str
    mac: bytes
    clients: int = 0

    @property
    def clients_24ghz(self) -> int:
        """Clients on the 2.4 GHz radio (a third); the rest are on 5 GHz."""
        return self.clients // 3

    @property
    def clients_5ghz(self) -> int:
        return self.clients - self.clients_24ghz


GIVEN = ("asha", "vikram", "farah", "rohit", "meera", "imran", "kavya", "sanjay", "neha", "arjun", "zoya", "tariq",
         "priya", "aamir", "divya", "harpreet")
FAMILY = ("sharma", "bhat", "dar", "kaul", "wani", "gupta", "raina", "mir", "koul", "verma", "lone", "sethi")


@dataclass
class Station:
    """A Wi-Fi client: personal data of a made-up person (the privacy tests grep for it in netops' files)."""

    mac: bytes
    ap: Ap
    ssid: Ssid
    user: str = ""  # 802.1X / web-auth user name; empty on PSK and open SSIDs (IoT devices)
    ip: str = ""
    rssi: int = -60  # dBm
    snr: int = 30  # dB

    @property
    def bssid(self) -> bytes:
        """The BSSID the station is on: its AP's 5 GHz radio's BSS for its SSID."""
        return mac("bssid", self.ap.name, 1, self.ssid.ssid)


@dataclass
class Wireless:
    """What a controller reports: its APs, its SSIDs and the clients on them."""

    aps: list[Ap]
    ssids: list[Ssid]
    stations: list[Station]

    def clients(self, ssid: Ssid) -> int:
        return sum(1 for s in self.stations if s.ssid is ssid)

    @property
    def up_aps(self) -> list[Ap]:
        return [ap for ap in self.aps if ap.up]


def wireless(controller: str, facts: DeviceFacts, joined: Iterable[ClabNode], default_model: str) -> Wireless:
    """APs are the nodes joined to this controller; clients per SSID are
    deterministic per (controller, SSID) and spread over the APs that are up."""
    aps = [
        Ap(
            name=n.name,
            model=n.labels.get("netops-model", default_model),
            up=n.labels.get("netops-ap-status", "up") != "down",
            location=facts.ap_locations.get(n.name) or n.labels.get("netops-location", n.site or "default location"),
            mac=mac("ap", n.name),
        )
        for n in joined
    ]
    up = [ap for ap in aps if ap.up]
    stations: list[Station] = []
    net = 20 + digest("net", controller) % 200
    for ssid in facts.ssids:
        count = digest(controller, ssid.ssid) % 13 if ssid.enabled and up else 0
        for i in range(count):
            ap = up[(digest(controller, ssid.ssid) + i) % len(up)]
            ap.clients += 1
            seed = digest("station", controller, ssid.ssid, i)
            user = "" if "iot" in ssid.ssid.lower() else (
                f"{GIVEN[seed % len(GIVEN)]}.{FAMILY[(seed >> 8) % len(FAMILY)]}{(seed >> 16) % 90 + 10}")
            stations.append(Station(mac(controller, ssid.ssid, i), ap, ssid, user,
                                    f"10.{net}.{ssid.vlan % 256}.{20 + i}", -(38 + (seed >> 24) % 45), 12 + (seed >> 32) % 35))
    return Wireless(aps, facts.ssids, stations)


def index_of(value: bytes) -> Oid:
    return tuple(value)


def string_index(value: str) -> Oid:
    raw = value.encode()
    return (len(raw), *raw)


def serial(prefix: str, name: str) -> str:
    return f"{prefix}{digest('serial', name) % 10**8:08d}"


# ---------------------------------------------------------------- platforms


@dataclass(frozen=True)
class SnmpProfile:
    """How one platform's agent looks: its identity and its vendor MIBs."""

    descr: Callable[[str], str]  # model -> sysDescr
    default_model: str
    object_ids: dict[str, str]  # model -> sysObjectID
    default_object_id: str
    services: int
    health: Callable[[Records, str], None] | None = None  # CPU and memory
    controller_mibs: Callable[[Records, Wireless], None] | None = None
    ap_model: str = ""  # of the APs joined to it (without a netops-model label)


def access_points(nodes: Iterable[ClabNode]) -> dict[str, list[ClabNode]]:
    """Controller name -> the nodes (APs) whose ``netops-controller`` label names it."""
    joined: dict[str, list[ClabNode]] = {}
    for n in nodes:
        if n.labels.get("netops-controller"):
            joined.setdefault(n.labels["netops-controller"], []).append(n)
    return joined


def node_records(node: ClabNode, aps: list[ClabNode]) -> Records:
    """Everything ``node``'s agent serves; ``aps``: the nodes joined to it as controller."""
    from labs.sim.platforms import PLATFORMS  # not at the top: the platform packages build on this module

    platform = PLATFORMS.get(node.platform)
    snmp = platform.snmp if platform else None
    rec = Records()
    facts = platform.read_config(node.config_text()) if platform else DeviceFacts()
    model = node.labels.get("netops-model") or (snmp.default_model if snmp else "")
    rec.text(SYSTEM + (1, 0), snmp.descr(model) if snmp else f"{node.platform} {model}".strip())
    rec.object_id(SYSTEM + (2, 0), snmp.object_ids.get(model, snmp.default_object_id) if snmp else NET_SNMP_LINUX)
    rec.growing(SYSTEM + (3, 0), "67", uptime_offset(node.name) * 100, 100)  # as "show version" counts it
    rec.text(SYSTEM + (4, 0), facts.contact)
    rec.text(SYSTEM + (5, 0), facts.hostname or node.name)
    rec.text(SYSTEM + (6, 0), facts.location)
    rec.int(SYSTEM + (7, 0), snmp.services if snmp else 72)
    error_ports = {p.strip() for p in node.labels.get("netops-if-errors", "").split(",") if p.strip()}
    add_interfaces(rec, node.name, facts.interfaces, error_ports)
    if snmp and snmp.health:
        snmp.health(rec, node.name)
    if snmp and snmp.controller_mibs and (aps or facts.ssids):
        snmp.controller_mibs(rec, wireless(node.name, facts, aps, snmp.ap_model))
    return rec
