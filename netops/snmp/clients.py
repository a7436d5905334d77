"""Wi-Fi clients from a controller's client table (the platform's :class:`netops.drivers.snmp.ClientTable`).

:func:`collect_clients` returns clear identifiers (MAC, IP, user name): they are
personal data and stay in memory. ``netops clients`` shows them on the admin's
terminal; ``netops poll`` turns them into :class:`ClientSighting` (keyed pseudonyms,
:mod:`netops.privacy.pseudonym`) as soon as they are read, and only those are stored.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from netops.drivers.snmp import ApTable, ClientTable
from netops.model import SnmpTarget
from netops.privacy.pseudonym import Pseudonymiser, normalise_ip, normalise_mac
from netops.snmp.backend import Column, Index, SnmpBackend, SnmpRequestError, Value

if TYPE_CHECKING:
    from netops.snmp.sample import PollTarget


@dataclass
class ClientRecord:
    """One associated client as its controller reports it, identifiers in clear (never written anywhere)."""

    mac: str
    ip: str | None = None
    user: str | None = None
    ap: str | None = None
    ap_mac: str | None = None
    ssid: str | None = None
    vlan: int | None = None
    interface: str | None = None
    rssi: int | None = None
    snr: int | None = None
    status: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ClientSighting:
    """What a poll stores of one client: pseudonyms instead of MAC, user and IP; the rest is not personal."""

    mac: str
    user: str | None
    ip: str | None
    ap: str | None
    ssid: str | None
    vlan: int | None
    interface: str | None
    rssi: int | None
    snr: int | None
    status: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def pseudonymise(client: ClientRecord, pseudonyms: Pseudonymiser) -> ClientSighting | None:
    """The stored form of ``client`` (None when its MAC is unreadable: nothing to follow it by)."""
    mac = pseudonyms.of("mac", client.mac)
    if mac is None:
        return None
    return ClientSighting(mac, pseudonyms.of("user", client.user), pseudonyms.of("ip", client.ip), client.ap,
                          client.ssid, client.vlan, client.interface, client.rssi, client.snr, client.status)


def _text(value: Value) -> str | None:
    if isinstance(value, bytes):
        text = value.decode("utf-8", errors="replace").rstrip("\x00").strip()
        return text or None
    return None if value is None else (str(value).strip() or None)


def _int(value: Value) -> int | None:
    """An integer the history (SQLite INTEGER) can hold; another type or a larger one is None."""
    return value if isinstance(value, int) and -(2**63) <= value < 2**63 else None


def _mac(value: Value | Index) -> str | None:
    if isinstance(value, tuple):
        return normalise_mac(bytes(value)) if len(value) == 6 and all(0 <= v < 256 for v in value) else None
    if isinstance(value, (bytes, str)):
        return normalise_mac(value)
    return None


def _ip(value: Value) -> str | None:
    if isinstance(value, bytes) and len(value) == 4:
        value = ".".join(str(b) for b in value)
    if isinstance(value, str):
        ip = normalise_ip(value)
        return None if ip in (None, "0.0.0.0") else ip
    return None


def _by_mac(column: Column) -> dict[Index, Value]:
    """A column's rows keyed by the client MAC (the first six sub-identifiers of the index)."""
    return {idx[:6]: value for idx, value in column.items() if len(idx) >= 6}


async def collect_clients(backend: SnmpBackend, snmp: SnmpTarget, spec: ClientTable,
                          aps: ApTable | None) -> list[ClientRecord]:
    """Every client in the controller's client table, with its AP's name from the AP table."""
    columns = [c for c in (spec.rows, spec.mac, spec.ip, spec.user, spec.ap_mac, spec.bssid, spec.ssid, spec.vlan,
                           spec.interface, spec.rssi, spec.snr, spec.status) if c]
    cols = await backend.walk(snmp, list(dict.fromkeys(columns)))
    rows = _by_mac(cols[spec.rows])
    if not rows:
        return []

    def col(oid: str | None) -> dict[Index, Value]:
        return _by_mac(cols[oid]) if oid else {}

    addresses: dict[Index, str] = {}
    names_by_index: dict[Index, Value] = {}
    if spec.ip_index:
        for idx, value in (await backend.walk(snmp, [spec.ip_index]))[spec.ip_index].items():
            if len(idx) == 10:
                ip = _ip(".".join(map(str, idx[6:])))
                if ip:
                    addresses.setdefault(idx[:6], ip)
                names_by_index.setdefault(idx[:6], value)
    ap_names: dict[Index, str] = {}
    if aps is not None:
        ap_names = {idx: _text(v) or "" for idx, v in (await backend.walk(snmp, [aps.name]))[aps.name].items()}
    bssid_ap: dict[Index, Index] = {}
    if spec.bssid and spec.bssids:
        bssid_ap = {idx[-6:]: idx[:6] for idx in (await backend.walk(snmp, [spec.bssids]))[spec.bssids] if len(idx) >= 13}
    status_names = dict(spec.status_names)
    ip_col, user_col, ap_col, bssid_col = col(spec.ip), col(spec.user), col(spec.ap_mac), col(spec.bssid)
    ssid_col, vlan_col, if_col = col(spec.ssid), col(spec.vlan), col(spec.interface)
    rssi_col, snr_col, status_col = col(spec.rssi), col(spec.snr), col(spec.status)
    mac_col = col(spec.mac)
    out = []
    for key in rows:
        mac = _mac(mac_col.get(key)) or _mac(key)
        if mac is None:
            continue
        ap_key: Index | None = None
        raw_ap = ap_col.get(key)
        if isinstance(raw_ap, bytes) and len(raw_ap) == 6:
            ap_key = tuple(raw_ap)
        elif isinstance(bssid_col.get(key), bytes):
            ap_key = bssid_ap.get(tuple(bssid_col[key]))  # type: ignore[arg-type]
        user_value = names_by_index.get(key) if spec.user == spec.ip_index else user_col.get(key)
        status = _int(status_col.get(key))
        out.append(ClientRecord(
            mac=mac,
            ip=_ip(ip_col.get(key)) or addresses.get(key),
            user=_text(user_value),
            ap=ap_names.get(ap_key) if ap_key else None,
            ap_mac=_mac(ap_key) if ap_key else None,
            ssid=_text(ssid_col.get(key)),
            vlan=_int(vlan_col.get(key)),
            interface=_text(if_col.get(key)),
            rssi=_int(rssi_col.get(key)),
            snr=_int(snr_col.get(key)),
            status=status_names.get(status, str(status)) if status is not None else None,
        ))
    return sorted(out, key=lambda c: (c.ap or "", c.mac))


@dataclass
class ControllerClients:
    """One controller's answer: its clients (clear), or the error that stopped the read."""

    host: str
    site: str
    platform: str
    clients: list[ClientRecord]
    error: str | None = None
    elapsed: float = 0.0


async def read_controllers(backend: SnmpBackend, targets: list[PollTarget], deadline: float = 30.0,
                           concurrency: int = 20) -> list[ControllerClients]:
    """The client tables of ``targets`` (controllers), read concurrently, each within ``deadline`` seconds."""
    from netops.snmp.collect import profile_for

    gate = asyncio.Semaphore(concurrency)

    async def one(target: PollTarget) -> ControllerClients:
        profile = profile_for(target.platform)
        out = ControllerClients(target.host, target.site, target.platform, [])
        if profile is None or profile.clients is None:
            out.error = f"netops reads no client table on {target.platform}"
            return out
        start = time.monotonic()
        async with gate:
            try:
                async with asyncio.timeout(deadline):
                    out.clients = await collect_clients(backend, target.snmp, profile.clients, profile.aps)
            except SnmpRequestError as exc:
                out.error = f"client table: {exc}"
            except TimeoutError:
                out.error = f"client table: no complete answer within the {deadline:g} s deadline"
        out.elapsed = round(time.monotonic() - start, 3)
        return out

    return list(await asyncio.gather(*(one(t) for t in targets)))


def read_controllers_sync(targets: list[PollTarget], backend_factory: Callable[[], SnmpBackend],
                          deadline: float = 30.0) -> list[ControllerClients]:
    """:func:`read_controllers` on a fresh event loop with a fresh backend."""

    async def run() -> list[ControllerClients]:
        backend = backend_factory()
        try:
            return await read_controllers(backend, targets, deadline)
        finally:
            backend.close()

    return asyncio.run(run())
