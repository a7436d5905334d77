"""Collect one device (system, interfaces, CPU/memory, controller tables) and poll many.

Every device gets its own deadline; a device that times out, answers with an
error, or stops answering mid-walk yields a sample carrying ``error`` while the
other devices carry on. A table column cut at the backend's row limit is kept
and named in the sample's ``notices``. At most ``concurrency`` devices are in flight.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Sequence

from netops.drivers import all_drivers
from netops.drivers.snmp import ApTable, SnmpProfile, SsidClients, Utilisation
from netops.model import SnmpTarget
from netops.privacy.pseudonym import Pseudonymiser
from netops.snmp import oids
from netops.snmp.backend import MAX_ROWS, Column, SnmpBackend, SnmpRequestError, Value
from netops.snmp.clients import collect_clients, pseudonymise
from netops.snmp.sample import ApSample, DeviceSample, InterfaceSample, PollTarget

CONTROLLER_ROLES = frozenset({"wlc", "controller"})
IF_COLUMNS = (
    oids.IF_NAME, oids.IF_DESCR, oids.IF_ADMIN_STATUS, oids.IF_OPER_STATUS,
    oids.IF_HC_IN_OCTETS, oids.IF_HC_OUT_OCTETS, oids.IF_IN_ERRORS, oids.IF_OUT_ERRORS,
    oids.IF_IN_DISCARDS, oids.IF_OUT_DISCARDS, oids.IF_HIGH_SPEED,
)


def profile_for(platform: str) -> SnmpProfile | None:
    """The platform driver's SNMP profile (None: MIB-2 only)."""
    driver = all_drivers().get(platform)
    return getattr(driver, "snmp", None)


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace").rstrip("\x00")
    return "" if value is None else str(value)


INT64 = range(-(2**63), 2**63)  # what the poll history (SQLite INTEGER) holds
COUNT = range(0, 2**31)  # a count of APs' clients: a larger or negative one is a wrong value (a wrong type)


def _int(value: object) -> int | None:
    """An integer the agent sent, None for another type or one the history cannot hold (a Counter64 from
    2**63 up: a reset or a wrong value, as no octet counter gets there in practice)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value in INT64 else None


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value in COUNT else None


async def collect_interfaces(backend: SnmpBackend, snmp: SnmpTarget) -> list[InterfaceSample]:
    cols = await backend.walk(snmp, IF_COLUMNS)
    bits = 64
    if not cols[oids.IF_HC_IN_OCTETS]:  # no ifXTable counters: fall back to 32-bit ones
        bits = 32
        low = await backend.walk(snmp, (oids.IF_IN_OCTETS, oids.IF_OUT_OCTETS))
        cols[oids.IF_HC_IN_OCTETS], cols[oids.IF_HC_OUT_OCTETS] = low[oids.IF_IN_OCTETS], low[oids.IF_OUT_OCTETS]
    indexes = sorted(set(cols[oids.IF_DESCR]) | set(cols[oids.IF_NAME]))
    out = []
    for idx in indexes:
        def col(oid: str, idx: tuple[int, ...] = idx) -> object:
            return cols[oid].get(idx)

        descr = _text(col(oids.IF_DESCR))
        out.append(InterfaceSample(
            index=idx[0] if idx else 0,
            name=_text(col(oids.IF_NAME)) or descr,
            descr=descr,
            admin_status=oids.IF_STATUS.get(_int(col(oids.IF_ADMIN_STATUS)) or 0, "unknown"),
            oper_status=oids.IF_STATUS.get(_int(col(oids.IF_OPER_STATUS)) or 0, "unknown"),
            in_octets=_int(col(oids.IF_HC_IN_OCTETS)),
            out_octets=_int(col(oids.IF_HC_OUT_OCTETS)),
            counter_bits=bits,
            in_errors=_int(col(oids.IF_IN_ERRORS)),
            out_errors=_int(col(oids.IF_OUT_ERRORS)),
            in_discards=_int(col(oids.IF_IN_DISCARDS)),
            out_discards=_int(col(oids.IF_OUT_DISCARDS)),
            speed_mbps=_int(col(oids.IF_HIGH_SPEED)),
        ))
    return out


async def collect_utilisation(backend: SnmpBackend, snmp: SnmpTarget, spec: Utilisation) -> float | None:
    columns = [c for c in (spec.percent, spec.used, spec.free, spec.total) if c]
    cols = await backend.walk(snmp, columns)
    if spec.percent:
        values = [v for v in cols[spec.percent].values() if isinstance(v, int)]
        return round(sum(values) / len(values), 1) if values else None
    def total_of(column: str | None) -> int | None:
        return sum(v for v in cols[column].values() if isinstance(v, int)) if column else None

    used, free, total = total_of(spec.used), total_of(spec.free), total_of(spec.total)
    if total is None and used is not None and free is not None:
        total = used + free
    if used is None and total is not None and free is not None:
        used = total - free
    if used is None or not total:
        return None
    return round(100.0 * used / total, 1)


def _by_ap(column: Column, keys: Iterable[tuple[int, ...]]) -> dict[tuple[int, ...], int]:
    """Sum a column indexed by AP key (+ optional suffix) per AP key."""
    width = {len(k) for k in keys}
    sums: dict[tuple[int, ...], int] = {}
    for idx, value in column.items():
        count = _count(value)
        if count is not None:
            for w in width:
                sums[idx[:w]] = sums.get(idx[:w], 0) + count
    return sums


async def collect_aps(backend: SnmpBackend, snmp: SnmpTarget, spec: ApTable) -> list[ApSample]:
    columns = [c for c in (spec.name, spec.status, spec.model) if c]
    cols = await backend.walk(snmp, columns)
    names = cols[spec.name]
    clients: dict[tuple[int, ...], int] = {}
    if spec.clients:
        clients = _by_ap((await backend.walk(snmp, [spec.clients]))[spec.clients], names)
    aps = []
    for key, name in names.items():
        status = "up"
        if spec.status:
            status = "up" if cols[spec.status].get(key) in spec.up_values else "down"
        aps.append(ApSample(
            name=_text(name),
            status=status,
            model=_text(cols[spec.model].get(key)) if spec.model else "",
            clients=clients.get(key, 0) if spec.clients else None,
        ))
    return sorted(aps, key=lambda a: a.name)


def _index_string(index: tuple[int, ...]) -> str:
    """A length-prefixed string index (``6.66.85.80...``) as text."""
    if index and index[0] == len(index) - 1:
        index = index[1:]
    return bytes(i for i in index if i < 256).decode("utf-8", errors="replace")


async def collect_ssids(backend: SnmpBackend, snmp: SnmpTarget, spec: SsidClients) -> dict[str, int]:
    columns = [c for c in (spec.counts, spec.names) if c]
    cols = await backend.walk(snmp, columns)
    out: dict[str, int] = {}
    for idx, count in cols[spec.counts].items():
        ssid = _text(cols[spec.names].get(idx)) if spec.names else _index_string(idx)
        clients = _count(count)
        if clients is not None:
            out[ssid] = out.get(ssid, 0) + clients
    return dict(sorted(out.items()))


class _Noting:
    """The backend as one device's collection sees it: notes every column a walk cut at its row limit."""

    def __init__(self, backend: SnmpBackend) -> None:
        self.backend = backend
        self.cut: list[str] = []

    async def get(self, target: SnmpTarget, oids: Sequence[str]) -> dict[str, Value]:
        return await self.backend.get(target, oids)

    async def walk(self, target: SnmpTarget, columns: Sequence[str], max_rows: int = MAX_ROWS) -> dict[str, Column]:
        cols = await self.backend.walk(target, columns, max_rows)
        self.cut += [f"{oid} stopped at {len(rows)} rows: the agent has more, which this poll does not hold"
                     for oid, rows in cols.items() if rows.truncated]
        return cols

    def close(self) -> None:
        self.backend.close()


async def collect(backend: SnmpBackend, target: PollTarget, deadline: float,
                  pseudonyms: Pseudonymiser | None = None) -> DeviceSample:
    """Poll one device; failures are carried in the sample, never raised. With ``pseudonyms``, a controller's
    client table is read too and kept only as pseudonymised sightings (clear identifiers never leave this call)."""
    sample = DeviceSample(target.host, target.platform, target.site, target.role, time.time())
    profile = profile_for(target.platform) or SnmpProfile()
    snmp = target.snmp
    backend = noting = _Noting(backend)
    step = "sysUpTime"
    start = time.monotonic()
    try:
        async with asyncio.timeout(deadline):
            system = await backend.get(snmp, [oids.SYS_NAME, oids.SYS_DESCR, oids.SYS_UPTIME])
            sample.reachable = system[oids.SYS_UPTIME] is not None
            sample.sys_name = _text(system[oids.SYS_NAME]) or None
            sample.sys_descr = _text(system[oids.SYS_DESCR]) or None
            sample.sys_uptime = _int(system[oids.SYS_UPTIME])
            step = "interfaces"
            sample.interfaces = await collect_interfaces(backend, snmp)
            if profile.cpu:
                step = "CPU"
                sample.cpu_percent = await collect_utilisation(backend, snmp, profile.cpu)
            if profile.memory:
                step = "memory"
                sample.memory_percent = await collect_utilisation(backend, snmp, profile.memory)
            if profile.aps:
                step = "AP table"
                aps = await collect_aps(backend, snmp, profile.aps)
                if aps or target.role in CONTROLLER_ROLES:
                    sample.aps = aps
                    if profile.ssids:
                        step = "clients per SSID"
                        sample.clients_per_ssid = await collect_ssids(backend, snmp, profile.ssids)
                    if profile.clients and pseudonyms is not None:
                        step = "client table"
                        clear = await collect_clients(backend, snmp, profile.clients, profile.aps)
                        sample.clients = [s for c in clear if (s := pseudonymise(c, pseudonyms)) is not None]
                        del clear
    except SnmpRequestError as exc:
        sample.error = f"{step}: {exc}"
    except TimeoutError:
        sample.error = f"{step}: no complete answer within the {deadline:g} s device deadline"
    sample.notices = noting.cut
    sample.elapsed = round(time.monotonic() - start, 3)
    return sample


async def poll(
    backend: SnmpBackend,
    targets: list[PollTarget],
    *,
    concurrency: int = 20,
    deadline: float = 30.0,
    on_done: Callable[[DeviceSample], None] | None = None,
    pseudonyms: Pseudonymiser | None = None,
) -> list[DeviceSample]:
    """Poll every target with at most ``concurrency`` devices in flight; results keep input order."""
    gate = asyncio.Semaphore(concurrency)

    async def one(target: PollTarget) -> DeviceSample:
        async with gate:
            sample = await collect(backend, target, deadline, pseudonyms)
        if on_done:
            on_done(sample)
        return sample

    return list(await asyncio.gather(*(one(t) for t in targets)))


def poll_sync(targets: list[PollTarget], backend_factory: Callable[[], SnmpBackend], **options: object) -> list[DeviceSample]:
    """Run :func:`poll` on a fresh event loop with a fresh backend."""

    async def run() -> list[DeviceSample]:
        backend = backend_factory()
        try:
            return await poll(backend, targets, **options)  # type: ignore[arg-type]
        finally:
            backend.close()

    return asyncio.run(run())
