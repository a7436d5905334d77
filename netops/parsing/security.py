"""Vendor-neutral security level from AKM suites, WPA versions and PMF.

AKM names (IEEE 802.11 suite type in brackets): ``dot1x`` (1), ``psk`` (2),
``ft-dot1x`` (3), ``ft-psk`` (4), ``dot1x-sha256`` (5), ``psk-sha256`` (6),
``sae`` (8), ``ft-sae`` (9), ``suite-b`` (11), ``suite-b-192`` (12), ``owe`` (18),
``sae-ext-key`` (24). Cipher names: ``wep``, ``tkip``, ``ccmp-128``, ``ccmp-256``,
``gcmp-128``, ``gcmp-256``.
"""

from __future__ import annotations

from collections.abc import Iterable

from netops.model import Pmf, Security

AKMS: tuple[str, ...] = (
    "dot1x", "psk", "ft-dot1x", "ft-psk", "dot1x-sha256", "psk-sha256",
    "sae", "ft-sae", "suite-b", "suite-b-192", "owe", "sae-ext-key",
)
CIPHERS: tuple[str, ...] = ("wep", "tkip", "ccmp-128", "ccmp-256", "gcmp-128", "gcmp-256")
_ENTERPRISE = {"dot1x", "dot1x-sha256", "suite-b"}
_WPA3_ENTERPRISE = {"dot1x-sha256", "suite-b"}
_SAE = {"sae", "sae-ext-key"}
_PSK = {"psk", "psk-sha256"}


def ordered(names: Iterable[str], vocabulary: tuple[str, ...]) -> list[str]:
    """``names`` without duplicates, in the order of ``vocabulary`` (unknown names last)."""
    unique = set(names)
    rank = {name: i for i, name in enumerate(vocabulary)}
    return sorted(unique, key=lambda n: (rank.get(n, len(rank)), n))


def classify(akm: Iterable[str], pmf: Pmf, *, wpa3: bool = False, wpa1: bool = False, wep: bool = False) -> Security:
    """The security level a WLAN offers, judged by its weakest way in.

    ``wpa3``: the vendor's WPA3 switch is on; ``wpa1``: WPA (version 1) is
    offered; ``wep``: static or dynamic WEP. Transition modes are named as
    such: SAE next to PSK is ``wpa3-sae-transition``; WPA3-Enterprise without
    PMF required is ``wpa3-enterprise-transition``; PSK next to 802.1X is PSK.
    """
    base = {name.removeprefix("ft-") for name in akm}
    if wep:
        return "wep"
    if not base:
        return "open"
    if "suite-b-192" in base:
        return "wpa3-enterprise-192"
    if base & _SAE:
        return "wpa3-sae-transition" if base & _PSK else "wpa3-sae"
    if base & _PSK:
        return "wpa-psk" if wpa1 else "wpa2-psk"
    if base & _ENTERPRISE:
        if wpa1:
            return "wpa-enterprise"
        if wpa3 or base & _WPA3_ENTERPRISE:
            return "wpa3-enterprise" if pmf == "required" else "wpa3-enterprise-transition"
        return "wpa2-enterprise"
    if base == {"owe"}:
        return "owe"
    return "open"
