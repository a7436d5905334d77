"""What a platform exposes over SNMP beyond MIB-2: data only, built by each driver.

Every field holds numeric OIDs (no MIB is loaded at run time). A *column* is the
OID of a table column without its index; rows are matched by index.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ApTable:
    """The controller's AP table.

    ``name`` is indexed by the AP key (usually its MAC as six sub-identifiers).
    ``clients`` may be indexed by the AP key plus a suffix (e.g. the radio slot):
    rows sharing the AP key are summed. Without ``status`` every listed AP is up
    (the table only holds joined APs) and an AP that disappears is reported down.
    """

    name: str
    status: str | None = None
    up_values: frozenset[int] = frozenset({1})
    model: str | None = None
    clients: str | None = None


@dataclass(frozen=True)
class SsidClients:
    """Clients per SSID.

    ``counts`` gives the number of clients per WLAN row; the SSID of the row is
    the ``names`` column at the same index, or, without ``names``, the index
    itself read as a length-prefixed string (Aruba's ESSID-indexed tables).
    """

    counts: str
    names: str | None = None


@dataclass(frozen=True)
class Utilisation:
    """A percentage, either read directly (``percent``) or as used/free (or used/total) columns.

    Several rows (CPUs, memory pools) are averaged (percent) or summed (used/free).
    """

    percent: str | None = None
    used: str | None = None
    free: str | None = None
    total: str | None = None


@dataclass(frozen=True)
class ClientTable:
    """The controller's table of associated Wi-Fi clients (stations): personal data, read for ``netops clients`` and,
    pseudonymised at once, for the client history of ``netops poll``.

    Every column is indexed by the client's MAC address (six sub-identifiers), possibly followed by more: ``rows``
    lists the clients; ``ip_index`` is a column indexed by MAC + IPv4 address (Aruba's wlsxUserTable), whose index
    gives the client's address and whose value is read as ``user`` when ``user`` names the same column. ``ap_mac``
    gives the AP as the AP table indexes it (its MAC); without it, ``bssid`` and ``bssids`` (a column indexed by
    AP MAC + radio + BSSID) find the AP of the BSSID the client is on. ``status_names`` maps ``status`` values to
    words; ``rssi``/``snr`` are in dBm / dB.
    """

    rows: str
    mac: str | None = None
    ip: str | None = None
    ip_index: str | None = None
    user: str | None = None
    ap_mac: str | None = None
    bssid: str | None = None
    bssids: str | None = None
    ssid: str | None = None
    vlan: str | None = None
    interface: str | None = None
    rssi: str | None = None
    snr: str | None = None
    status: str | None = None
    status_names: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class SnmpProfile:
    """A platform's SNMP specifics."""

    cpu: Utilisation | None = None
    memory: Utilisation | None = None
    aps: ApTable | None = None
    ssids: SsidClients | None = None
    clients: ClientTable | None = None
