"""ArubaOS ``opmode`` values (AOS 8 and Instant share them) as AKMs, ciphers and PMF.

``opmode-transition`` is on by default: ``wpa3-sae-aes`` then also serves
WPA2-PSK and ``wpa3-aes-ccm-128`` also WPA2-Enterprise, both with PMF optional;
``enhanced-open`` adds an open BSS next to a hidden OWE one, so the SSID is
``open`` (AKM ``owe`` still listed). Without transition, WPA3 and OWE require
PMF. For WPA/WPA2 modes PMF comes from ``mfp-capable`` (optional) and
``mfp-required``; ``mfp-required`` also makes a WPA3 transition mode require PMF. Source: HPE Aruba Networking "Security Modes" (WPA3-Personal,
WPA3-Enterprise, Enhanced Open) and the AOS 8 CLI reference.
"""

from __future__ import annotations

from dataclasses import dataclass

from netops.model import Pmf, Security
from netops.parsing.security import AKMS, CIPHERS, classify, ordered


@dataclass(frozen=True)
class _Mode:
    akm: tuple[str, ...]
    ciphers: tuple[str, ...]
    transition_akm: tuple[str, ...] | None = None  # AKMs while opmode-transition is on
    pmf: Pmf | None = None  # fixed PMF (WPA3/OWE without transition); None: from mfp-* lines
    wpa1: bool = False
    wep: bool = False


OPMODES: dict[str, _Mode] = {
    "opensystem": _Mode((), ()),
    "static-wep": _Mode((), ("wep",), wep=True),
    "dynamic-wep": _Mode(("dot1x",), ("wep",), wep=True),
    "wpa-tkip": _Mode(("dot1x",), ("tkip",), wpa1=True),
    "wpa-aes": _Mode(("dot1x",), ("ccmp-128",), wpa1=True),
    "wpa-psk-tkip": _Mode(("psk",), ("tkip",), wpa1=True),
    "wpa-psk-aes": _Mode(("psk",), ("ccmp-128",), wpa1=True),
    "wpa2-aes": _Mode(("dot1x",), ("ccmp-128",)),
    "wpa2-tkip": _Mode(("dot1x",), ("tkip",)),
    "wpa2-psk-aes": _Mode(("psk",), ("ccmp-128",)),
    "wpa2-psk-tkip": _Mode(("psk",), ("tkip",)),
    "wpa3-sae-aes": _Mode(("sae",), ("ccmp-128",), transition_akm=("psk", "sae"), pmf="required"),
    "wpa3-aes-ccm-128": _Mode(("dot1x-sha256",), ("ccmp-128",), transition_akm=("dot1x", "dot1x-sha256"), pmf="required"),
    "wpa3-aes-gcm-256": _Mode(("dot1x-sha256",), ("gcmp-256",), pmf="required"),
    "wpa3-cnsa": _Mode(("suite-b-192",), ("gcmp-256",), pmf="required"),
    "enhanced-open": _Mode(("owe",), ("ccmp-128",), transition_akm=("owe",), pmf="required"),
}
_PMF_RANK = {"disabled": 0, "optional": 1, "required": 2}


@dataclass
class OpmodeSecurity:
    security: Security
    akm: list[str]
    ciphers: list[str]
    pmf: Pmf


def resolve(opmodes: list[str], *, transition: bool, mfp_capable: bool, mfp_required: bool) -> OpmodeSecurity:
    """Combine one or more opmodes (``opmode wpa2-aes,wpa-tkip``) into one security view.

    Raises ``ValueError`` for an unknown opmode.
    """
    akm: set[str] = set()
    ciphers: set[str] = set()
    pmfs: list[Pmf] = []
    wpa1 = wep = owe_transition = False
    for name in opmodes:
        mode = OPMODES.get(name)
        if mode is None:
            raise ValueError(f"unknown opmode {name!r}")
        in_transition = transition and mode.transition_akm is not None
        akm.update(mode.transition_akm if in_transition and mode.transition_akm else mode.akm)
        ciphers.update(mode.ciphers)
        wpa1 |= mode.wpa1
        wep |= mode.wep
        owe_transition |= in_transition and name == "enhanced-open"
        if owe_transition:
            pmfs.append("disabled")
        elif in_transition:
            pmfs.append("required" if mfp_required else "optional")
        elif mode.pmf is not None:
            pmfs.append(mode.pmf)
        elif mode.akm and not wep:
            pmfs.append("required" if mfp_required else "optional" if mfp_capable else "disabled")
        else:
            pmfs.append("disabled")
    pmf: Pmf = min(pmfs, key=_PMF_RANK.__getitem__) if pmfs else "disabled"
    security = "open" if owe_transition else classify(akm, pmf, wpa1=wpa1, wep=wep)
    return OpmodeSecurity(security=security, akm=ordered(akm, AKMS), ciphers=ordered(ciphers, CIPHERS), pmf=pmf)
