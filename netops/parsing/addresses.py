"""Interface addresses in one notation: ``"10.1.2.1/24"``."""

from __future__ import annotations

import ipaddress


def with_prefix(address: str, mask: str | None = None) -> str:
    """``("10.1.2.1", "255.255.255.0")`` or ``("10.1.2.1/24",)`` → ``"10.1.2.1/24"``; ``ValueError`` if invalid."""
    text = f"{address}/{mask}" if mask is not None else address
    if "/" not in text:
        raise ValueError(f"{address!r} has no mask or prefix length")
    return ipaddress.ip_interface(text).with_prefixlen
