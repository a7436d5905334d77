"""Wi-Fi networks seen in 802.11 beacons and probe responses, classified from
their RSN / WPA information elements (IEEE 802.11-2020 §9.4.2.24).

Information elements are walked from the raw frame body, so a malformed or
truncated element ends that frame's parsing with a note instead of an error.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from scapy.layers.dot11 import Dot11, Dot11Beacon, Dot11ProbeResp
from scapy.packet import Packet

IEEE_OUI = b"\x00\x0f\xac"
MS_WPA_OUI_TYPE = b"\x00\x50\xf2\x01"

AKM_NAMES = {
    1: "dot1x",
    2: "psk",
    3: "ft-dot1x",
    4: "ft-psk",
    5: "dot1x-sha256",
    6: "psk-sha256",
    8: "sae",
    9: "ft-sae",
    11: "suite-b",
    12: "suite-b-192",
    13: "ft-dot1x-sha384",
    18: "owe",
    24: "sae-ext-key",
    25: "ft-sae-ext-key",
}
CIPHER_NAMES = {1: "wep-40", 2: "tkip", 4: "ccmp-128", 5: "wep-104", 8: "gcmp-128", 9: "gcmp-256", 10: "ccmp-256"}

SAE = {8, 9, 24, 25}
PSK = {2, 4, 6}
DOT1X_LEGACY = {1, 3}
DOT1X_SHA256 = {5}
SUITE_B_192 = {12, 13}
OWE = {18}

ELT_SSID, ELT_DSSS, ELT_RSN, ELT_HT_OPERATION, ELT_VENDOR = 0, 3, 48, 61, 221


@dataclass
class Network:
    """One BSS (BSSID + SSID) as advertised over the air."""

    bssid: str
    ssid: str
    hidden: bool
    channel: int | None
    security: str
    akm: list[str] = field(default_factory=list)
    ciphers: list[str] = field(default_factory=list)
    pmf: str = "disabled"
    frames: int = 0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Rsn:
    akms: list[int]
    pairwise: list[int]
    mfpc: bool
    mfpr: bool


def _suites(data: bytes, offset: int, oui: bytes) -> tuple[list[int], int]:
    (count,) = struct.unpack_from("<H", data, offset)
    offset += 2
    suites = []
    for _ in range(count):
        selector = data[offset : offset + 4]
        if len(selector) < 4:
            raise ValueError("truncated suite list")
        if selector[:3] == oui:
            suites.append(selector[3])
        offset += 4
    return suites, offset


def parse_rsn(body: bytes) -> _Rsn:
    """Parse an RSN element body (version, group, pairwise, AKMs, capabilities)."""
    if len(body) < 2:
        raise ValueError("RSN element shorter than its version field")
    offset = 2 + 4  # version, group data cipher
    pairwise, akms, caps = [4], [1], 0  # defaults when optional fields are absent
    if len(body) >= offset + 2:
        pairwise, offset = _suites(body, offset, IEEE_OUI)
    if len(body) >= offset + 2:
        akms, offset = _suites(body, offset, IEEE_OUI)
    if len(body) >= offset + 2:
        (caps,) = struct.unpack_from("<H", body, offset)
    return _Rsn(akms=akms, pairwise=pairwise, mfpc=bool(caps & 0x80), mfpr=bool(caps & 0x40))


def parse_wpa(body: bytes) -> _Rsn:
    """Parse the WPA (v1) vendor element body after its OUI and type."""
    offset = 2 + 4  # version, multicast cipher
    pairwise, offset = _suites(body, offset, b"\x00\x50\xf2")
    akms, _ = _suites(body, offset, b"\x00\x50\xf2")
    return _Rsn(akms=akms, pairwise=pairwise, mfpc=False, mfpr=False)


def classify(rsn: _Rsn | None, wpa: _Rsn | None, privacy: bool) -> tuple[str, str]:
    """(security, pmf) in the netops model's terms."""
    if rsn is None:
        if wpa is not None:
            return ("wpa-enterprise" if set(wpa.akms) & {1} else "wpa-psk"), "disabled"
        return ("wep" if privacy else "open"), "disabled"
    akms = set(rsn.akms)
    pmf = "required" if rsn.mfpr else "optional" if rsn.mfpc else "disabled"
    if akms & SUITE_B_192:
        security = "wpa3-enterprise-192"
    elif akms & OWE:
        security = "owe"
    elif akms & SAE:
        security = "wpa3-sae-transition" if akms & PSK else "wpa3-sae"
    elif akms & DOT1X_SHA256:
        security = "wpa3-enterprise" if rsn.mfpr and not akms & DOT1X_LEGACY else "wpa3-enterprise-transition"
    elif akms & DOT1X_LEGACY:
        security = "wpa2-enterprise"
    elif akms & PSK:
        security = "wpa2-psk"
    else:
        security = "open"
    return security, pmf


def _elements(body: bytes) -> Iterator[tuple[int, bytes]]:
    offset = 0
    while offset + 2 <= len(body):
        eid, length = body[offset], body[offset + 1]
        value = body[offset + 2 : offset + 2 + length]
        if len(value) < length:
            raise ValueError(f"element {eid} truncated ({len(value)} of {length} bytes)")
        yield eid, value
        offset += 2 + length


def network_of(packet: Packet) -> Network | None:
    """The network a beacon / probe response advertises, or None for other frames."""
    dot11 = packet.getlayer(Dot11)
    if dot11 is None:
        return None
    mgmt = packet.getlayer(Dot11Beacon) or packet.getlayer(Dot11ProbeResp)
    if mgmt is None:
        return None
    bssid = (dot11.addr3 or dot11.addr2 or "").lower()
    privacy = bool(mgmt.cap.privacy)  # scapy names the bits; the raw field is little-endian
    body = bytes(mgmt.payload)
    ssid_raw, channel, rsn, wpa, notes = None, None, None, None, []
    try:
        for eid, value in _elements(body):
            if eid == ELT_SSID and ssid_raw is None:  # the first SSID element names the network (IEEE 802.11 9.4.2.2)
                ssid_raw = value
            elif eid == ELT_DSSS and value:
                channel = value[0]
            elif eid == ELT_HT_OPERATION and value and channel is None:
                channel = value[0]
            elif eid == ELT_RSN:
                rsn = parse_rsn(value)
            elif eid == ELT_VENDOR and value[:4] == MS_WPA_OUI_TYPE:
                wpa = parse_wpa(value[4:])
    except (ValueError, struct.error) as exc:
        notes.append(f"malformed frame: {exc}")
    security, pmf = classify(rsn, wpa, privacy)
    source = rsn or wpa
    ssid_raw = ssid_raw or b""
    hidden = not ssid_raw.strip(b"\x00")
    return Network(
        bssid=bssid,
        ssid="" if hidden else ssid_raw.decode("utf-8", errors="replace"),
        hidden=hidden,
        channel=channel,
        security=security,
        akm=[AKM_NAMES.get(a, f"akm-{a}") for a in (source.akms if source else [])],
        ciphers=[CIPHER_NAMES.get(c, f"cipher-{c}") for c in (source.pairwise if source else [])],
        pmf=pmf,
        frames=1,
        notes=notes,
    )


def survey(packets: Iterable[Packet]) -> list[Network]:
    """Fold frames into one :class:`Network` per (BSSID, SSID), in first-seen order."""
    seen: dict[tuple[str, str], Network] = {}
    for packet in packets:
        network = network_of(packet)
        if network is None:
            continue
        key = (network.bssid, network.ssid)
        if key in seen:
            seen[key].frames += 1
            seen[key].notes.extend(n for n in network.notes if n not in seen[key].notes)
        else:
            seen[key] = network
    return list(seen.values())
