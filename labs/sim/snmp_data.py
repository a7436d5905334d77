"""A lab node's SNMP data as snmpsim ``.snmprec`` records, generated from its config.

Counters, sysUpTime and gauges are snmpsim ``numeric`` variations, so they move
on their own; everything else is fixed at generation. Values that are not in the
config (rates, client counts, MACs) are derived from a hash of the node name, so
the same lab always shows the same numbers; sysUpTime starts where the SSH
simulator's ``show version`` uptime does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from labs.sim.device import uptime_offset
from labs.sim.snmp_config import PARSERS, DeviceFacts, Interface, Ssid
from netops.inventory.clab import ClabNode

Oid = tuple[int, ...]
MIB2 = (1, 3, 6, 1, 2, 1)
SYSTEM = MIB2 + (1,)
IF_TABLE = MIB2 + (2, 2, 1)
IFX_TABLE = MIB2 + (31, 1, 1, 1)
CISCO = (1, 3, 6, 1, 4, 1, 9)
AIRESPACE = (1, 3, 6, 1, 4, 1, 14179)
ARUBA = (1, 3, 6, 1, 4, 1, 14823)
BSN_AP = AIRESPACE + (2, 2, 1, 1)
BSN_AP_IF_USERS = AIRESPACE + (2, 2, 2, 1, 15)
BSN_ESS = AIRESPACE + (2, 1, 1, 1)
BSN_STATION = AIRESPACE + (2, 1, 4, 1)
CL_AP = CISCO + (9, 513, 1, 1, 1, 1)
CL_AP_CONNECT_COUNT = CISCO + (9, 513, 1, 3, 35, 0)
CL_WLAN = CISCO + (9, 512, 1, 1, 1, 1)
WLSX_AP = ARUBA + (2, 2, 1, 5, 2, 1, 4, 1)
WLSX_RADIO = ARUBA + (2, 2, 1, 5, 2, 1, 5, 1)
WLSX_ESSID = ARUBA + (2, 2, 1, 5, 2, 1, 8, 1)
WLSX_STATION = ARUBA + (2, 2, 1, 5, 2, 2, 1, 1)
WLSX_WLAN_TOTALS = ARUBA + (2, 2, 1, 5, 2, 1)
WLSX_SWITCH_TOTALS = ARUBA + (2, 2, 1, 1, 3)



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

    def int(self, oid: Oid, value: int) -> None:
        self.rows[oid] = ("2", str(value))

    def gauge(self, oid: Oid, value: int) -> None:
        self.rows[oid] = ("66", str(value))

    def counter(self, oid: Oid, value: int) -> None:
        self.rows[oid] = ("65", str(value))

    def object_id(self, oid: Oid, value: str) -> None:
        self.rows[oid] = ("6", value)

    def growing(self, oid: Oid, tag: str, initial: int, rate: int | float) -> None:
        """A value that grows by ``rate`` per second (Counter32 wraps, like a real one)."""
        wrap = ",wrap=1" if tag == "65" else ""
        self.rows[oid] = (f"{tag}:numeric", f"rate={rate},initial={initial}{wrap}")

    def wobbling(self, oid: Oid, tag: str, centre: int, spread: int) -> None:
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

        def col(c: int) -> Oid:
            return IF_TABLE + (c, index)

        def xcol(c: int) -> Oid:
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


@dataclass
class Station:
    mac: bytes
    ap: Ap
    ssid: Ssid


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
    for ssid in facts.ssids:
        count = digest(controller, ssid.ssid) % 13 if ssid.enabled and up else 0
        for i in range(count):
            ap = up[(digest(controller, ssid.ssid) + i) % len(up)]
            ap.clients += 1
            stations.append(Station(mac(controller, ssid.ssid, i), ap, ssid))
    return Wireless(aps, facts.ssids, stations)


def index_of(value: bytes) -> Oid:
    return tuple(value)


def string_index(value: str) -> Oid:
    raw = value.encode()
    return (len(raw), *raw)


def serial(prefix: str, name: str) -> str:
    return f"{prefix}{digest('serial', name) % 10**8:08d}"


def add_cisco_wireless(rec: Records, w: Wireless) -> None:
    """AIRESPACE-WIRELESS-MIB and CISCO-LWAPP-AP/WLAN-MIB, as AireOS and the 9800 serve them."""
    for ap in w.aps:
        idx = index_of(ap.mac)
        rec.octets(BSN_AP + (1,) + idx, ap.mac)
        rec.int(BSN_AP + (2,) + idx, 2)
        rec.text(BSN_AP + (3,) + idx, ap.name)
        rec.text(BSN_AP + (4,) + idx, ap.location)
        rec.int(BSN_AP + (6,) + idx, 1 if ap.up else 2)  # associated(1) / disassociating(2)
        rec.text(BSN_AP + (16,) + idx, ap.model)
        rec.text(BSN_AP + (17,) + idx, serial("FJC", ap.name))
        rec.int(BSN_AP + (37,) + idx, 1)
        rec.counter(BSN_AP_IF_USERS + idx + (0,), ap.clients_24ghz)  # slot 0: 802.11b/g
        rec.counter(BSN_AP_IF_USERS + idx + (1,), ap.clients_5ghz)  # slot 1: 802.11a
        rec.octets(CL_AP + (2,) + idx, ap.mac)
        rec.text(CL_AP + (5,) + idx, ap.name)
        rec.text(CL_AP + (49,) + idx, ap.location)
        rec.gauge(CL_AP + (54,) + idx, ap.clients)
    rec.gauge(CL_AP_CONNECT_COUNT, len(w.up_aps))
    for ssid in w.ssids:
        rec.gauge(BSN_ESS + (1, ssid.wlan_id), ssid.wlan_id)
        rec.text(BSN_ESS + (2, ssid.wlan_id), ssid.ssid)
        rec.int(BSN_ESS + (6, ssid.wlan_id), 1 if ssid.enabled else 0)
        rec.counter(BSN_ESS + (38, ssid.wlan_id), w.clients(ssid))
        rec.int(CL_WLAN + (2, ssid.wlan_id), 1)
        rec.text(CL_WLAN + (3, ssid.wlan_id), ssid.profile)
        rec.text(CL_WLAN + (4, ssid.wlan_id), ssid.ssid)
    for i, st in enumerate(w.stations):
        idx = index_of(st.mac)
        rec.octets(BSN_STATION + (1,) + idx, st.mac)
        rec.octets(BSN_STATION + (2,) + idx, bytes([100, 64, 1 + i // 250, 1 + i % 250]))
        rec.octets(BSN_STATION + (4,) + idx, st.ap.mac)
        rec.int(BSN_STATION + (6,) + idx, st.ssid.wlan_id)
        rec.text(BSN_STATION + (7,) + idx, st.ssid.ssid)
        rec.int(BSN_STATION + (9,) + idx, 3)  # associated


def add_aruba_wireless(rec: Records, w: Wireless) -> None:
    """WLSX-WLAN-MIB and WLSX-SWITCH-MIB, as ArubaOS 8 controllers serve them."""
    for ap in w.aps:
        idx = index_of(ap.mac)
        rec.text(WLSX_AP + (3,) + idx, ap.name)
        rec.text(WLSX_AP + (4,) + idx, "default")
        rec.object_id(WLSX_AP + (5,) + idx, "1.3.6.1.4.1.14823.1.2.1")
        rec.text(WLSX_AP + (6,) + idx, serial("CN", ap.name))
        rec.text(WLSX_AP + (13,) + idx, ap.model)
        rec.int(WLSX_AP + (19,) + idx, 1 if ap.up else 2)  # up(1) / down(2)
        # wlsxWlanRadioTable, indexed by AP MAC + wlanAPRadioNumber, as the aruba-7210
        # recording lays it out: radio 1 dot11a(1) on 5 GHz, radio 2 dot11g(3) on 2.4 GHz
        for radio, phy, channel, clients in ((1, 1, 36, ap.clients_5ghz), (2, 3, 1, ap.clients_24ghz)):
            rec.int(WLSX_RADIO + (2,) + idx + (radio,), phy)  # wlanAPRadioType
            rec.int(WLSX_RADIO + (3,) + idx + (radio,), channel)  # wlanAPRadioChannel
            rec.int(WLSX_RADIO + (7,) + idx + (radio,), clients)  # wlanAPRadioNumAssociatedClients
    seen: set[str] = set()
    for ssid in w.ssids:
        if ssid.ssid in seen:
            continue
        seen.add(ssid.ssid)
        idx = string_index(ssid.ssid)
        serving = [s for s in w.ssids if s.ssid == ssid.ssid]
        rec.gauge(WLSX_ESSID + (2,) + idx, sum(w.clients(s) for s in serving))
        enabled = any(s.enabled for s in serving)
        rec.gauge(WLSX_ESSID + (3,) + idx, len(w.up_aps) if enabled else 0)
        rec.gauge(WLSX_ESSID + (4,) + idx, len(w.aps) - len(w.up_aps) if enabled else 0)
    for st in w.stations:
        rec.text(WLSX_STATION + (12,) + index_of(st.mac), st.ssid.ssid)
    for totals in (WLSX_WLAN_TOTALS, WLSX_SWITCH_TOTALS):
        rec.gauge(totals + (1, 0), len(w.up_aps))
        rec.gauge(totals + (2, 0), len(w.stations))


# ---------------------------------------------------------------- platforms


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


def aireos_health(rec: Records, node: str) -> None:
    """AIRESPACE-SWITCHING-MIB agentResourceInfo (KB)."""
    resources = AIRESPACE + (1, 1, 5)
    rec.wobbling(resources + (1, 0), "2", digest("cpu", node) % 20 + 2, 2)
    rec.int(resources + (2, 0), 1_000_948)
    rec.wobbling(resources + (3, 0), "2", 460_940, 5_000)


def aruba_health(rec: Records, node: str) -> None:
    """WLSX-SYSTEMEXT-MIB processor and memory tables (KB)."""
    sysx = ARUBA + (2, 2, 1, 2, 1)
    rec.text(sysx + (13, 1, 2, 1), "Network Processor CPU")
    rec.wobbling(sysx + (13, 1, 3, 1), "2", digest("cpu", node) % 25 + 3, 3)
    rec.int(sysx + (15, 1, 2, 1), 3_932_160)
    rec.wobbling(sysx + (15, 1, 3, 1), "2", 1_900_000, 20_000)
    rec.wobbling(sysx + (15, 1, 4, 1), "2", 2_032_160, 20_000)


def linux_health(rec: Records, node: str) -> None:
    """UCD-SNMP-MIB load and memory, as OpenWrt's net-snmp serves them."""
    ucd = (1, 3, 6, 1, 4, 1, 2021)
    rec.text(ucd + (10, 1, 3, 1), f"0.{digest('cpu', node) % 90 + 5:02d}")
    rec.int(ucd + (4, 5, 0), 249_356)
    rec.wobbling(ucd + (4, 6, 0), "2", 180_000, 4_000)


@dataclass(frozen=True)
class Platform:
    """How one platform's agent looks: its config dialect, identity and vendor MIBs."""

    dialect: str
    descr: Callable[[str], str]  # model -> sysDescr
    default_model: str
    object_ids: dict[str, str]  # model -> sysObjectID
    default_object_id: str
    services: int
    health: Callable[[Records, str], None] | None = None
    controller_mibs: Callable[[Records, Wireless], None] | None = None
    ap_model: str = ""


# the same release as the SSH simulator's "show version" (labs/sim/cisco_ios.py)
IOS_XE_TAIL = (
    ", Version 17.9.4a, RELEASE SOFTWARE (fc3)\r\nTechnical Support: http://www.cisco.com/techsupport\r\n"
    "Copyright (c) 1986-2023 by Cisco Systems, Inc.\r\nCompiled Fri 20-Oct-23 10:44 by mcpre"
)


def ios_xe_descr(model: str) -> str:
    software = "C9800 Software (C9800_IOSXE-K9)" if model.upper().startswith("C9800") else (
        "Catalyst L3 Switch Software (CAT9K_IOSXE)"
    )
    return f"Cisco IOS Software [Cupertino], {software}{IOS_XE_TAIL}"


PLATFORMS: dict[str, Platform] = {
    "cisco_xe": Platform(
        dialect="ios",
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
    ),
    "cisco_wlc": Platform(
        dialect="aireos",
        descr=lambda model: "Cisco Controller",
        default_model="AIR-CT5520-K9",
        object_ids={
            "AIR-CT5508-K9": "1.3.6.1.4.1.9.1.1069",  # cisco5500Wlc
            "AIR-CT5520-K9": "1.3.6.1.4.1.9.1.2170",  # cisco5520WLC
            "AIR-CT3504-K9": "1.3.6.1.4.1.9.1.2427",  # cisco3504WLC
        },
        default_object_id="1.3.6.1.4.1.9.1.2170",
        services=72,
        health=aireos_health,
        controller_mibs=add_cisco_wireless,
        ap_model="AIR-AP2802I-E-K9",
    ),
    "aruba_os": Platform(
        dialect="aruba",
        descr=lambda model: f"ArubaOS (MODEL: Aruba{model.removeprefix('Aruba')}), Version 8.10.0.12 (90188)",
        default_model="7210",
        object_ids={"7210": "1.3.6.1.4.1.14823.1.1.32", "7220": "1.3.6.1.4.1.14823.1.1.33", "7240": "1.3.6.1.4.1.14823.1.1.34"},
        default_object_id="1.3.6.1.4.1.14823.1.1.32",
        services=72,
        health=aruba_health,
        controller_mibs=add_aruba_wireless,
        ap_model="AP-515",
    ),
    "aruba_instant": Platform(
        dialect="aruba",
        descr=lambda model: f"ArubaOS (MODEL: {model.removeprefix('AP-')}), Version 8.10.0.12-8.10.0.12",
        default_model="AP-515",
        object_ids={},
        default_object_id="1.3.6.1.4.1.14823.1.2.111",
        services=72,
    ),
    "openwrt": Platform(
        dialect="openwrt",
        descr=lambda model: "Linux OpenWrt 5.15.150 #0 SMP Fri Mar 22 22:09:42 2024 aarch64",
        default_model="",
        object_ids={},
        default_object_id="1.3.6.1.4.1.8072.3.2.10",
        services=72,
        health=linux_health,
    ),
}


def access_points(nodes: Iterable[ClabNode]) -> dict[str, list[ClabNode]]:
    """Controller name -> the nodes (APs) whose ``netops-controller`` label names it."""
    joined: dict[str, list[ClabNode]] = {}
    for n in nodes:
        if n.labels.get("netops-controller"):
            joined.setdefault(n.labels["netops-controller"], []).append(n)
    return joined


def node_records(node: ClabNode, aps: list[ClabNode]) -> Records:
    """Everything ``node``'s agent serves; ``aps``: the nodes joined to it as controller."""
    platform = PLATFORMS.get(node.platform)
    rec = Records()
    facts = PARSERS[platform.dialect](node.config_text()) if platform else DeviceFacts()
    model = node.labels.get("netops-model") or (platform.default_model if platform else "")
    rec.text(SYSTEM + (1, 0), platform.descr(model) if platform else f"{node.platform} {model}".strip())
    rec.object_id(
        SYSTEM + (2, 0),
        platform.object_ids.get(model.removeprefix("Aruba"), platform.default_object_id) if platform else
        "1.3.6.1.4.1.8072.3.2.10",
    )
    rec.growing(SYSTEM + (3, 0), "67", uptime_offset(node.name) * 100, 100)  # as "show version" counts it
    rec.text(SYSTEM + (4, 0), facts.contact)
    rec.text(SYSTEM + (5, 0), facts.hostname or node.name)
    rec.text(SYSTEM + (6, 0), facts.location)
    rec.int(SYSTEM + (7, 0), platform.services if platform else 72)
    error_ports = {p.strip() for p in node.labels.get("netops-if-errors", "").split(",") if p.strip()}
    add_interfaces(rec, node.name, facts.interfaces, error_ports)
    if platform and platform.health:
        platform.health(rec, node.name)
    if platform and platform.controller_mibs and (aps or facts.ssids):
        platform.controller_mibs(rec, wireless(node.name, facts, aps, platform.ap_model))
    return rec
