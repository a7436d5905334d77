"""The gufo-snmp backend: BER coding and USM crypto in compiled (Rust) code, I/O on the asyncio loop.

Each target gets one gufo ``SnmpSession`` (a connected UDP socket; for SNMPv3 the
agent's discovered engine and keys), used by one request at a time and kept while
the backend lives, at most ``SESSIONS`` of them idle. gufo sends a request once:
the target's timeout and retries are applied here. A walk reads its columns one
after the other with GETBULK, each to the end of its subtree, to a non-increasing
OID, or to ``max_rows`` rows when the agent has more (the column is then marked
truncated).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from gufo.snmp import Aes128Key, Aes256Key, DesKey, Md5Key, Sha1Key, Sha256Key, SnmpError, SnmpVersion, User
from gufo.snmp.aio import SnmpSession

from netops.model import SnmpTarget
from netops.snmp.backend import MAX_ROWS, Column, SnmpRequestError, Value

_AUTH = {"SHA": Sha1Key, "SHA256": Sha256Key, "MD5": Md5Key}
_PRIV = {"AES": Aes128Key, "AES128": Aes128Key, "AES256": Aes256Key, "DES": DesKey}
MAX_REPETITIONS = 25  # rows per GETBULK (snmp_exporter's default)
SESSIONS = 256  # idle sessions (sockets) kept between requests
REFRESH_AFTER = 120.0  # seconds: SNMPv3 engine time is re-read before the agent's 150 s window closes

T = TypeVar("T")


def _oid(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _plain(value: Any) -> Value:
    """A gufo value as a backend value: gufo gives int, bytes and dotted str already; a float (Opaque) as text."""
    return str(value) if isinstance(value, float) else value


async def _numeric(host: str, port: int) -> str:
    """``host`` as an IP address: gufo takes no names."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_DGRAM)
        return str(found[0][4][0])


def _session(target: SnmpTarget, address: str) -> SnmpSession:
    if target.version != "3":
        return SnmpSession(address, target.port, community=target.community or "", version=SnmpVersion.v2c,
                           timeout=target.timeout, max_repetitions=MAX_REPETITIONS)
    auth = _AUTH[target.auth_protocol.upper()](target.auth_key.encode()) if target.auth_key else None
    priv = _PRIV[target.priv_protocol.upper()](target.priv_key.encode()) if target.priv_key else None
    return SnmpSession(address, target.port, user=User(target.user or "", auth_key=auth, priv_key=priv),
                       version=SnmpVersion.v3, timeout=target.timeout, max_repetitions=MAX_REPETITIONS)


class _Agent:
    """One target's session, the lock that keeps it to one request at a time, and when it was last used."""

    def __init__(self, session: SnmpSession) -> None:
        self.session = session
        self.lock = asyncio.Lock()
        self.used = float("-inf")  # SNMPv3: never refreshed yet


class GufoBackend:
    """gufo-snmp sessions for all targets of a poll."""

    def __init__(self) -> None:
        self._agents: OrderedDict[tuple[Any, ...], _Agent] = OrderedDict()

    async def _agent(self, target: SnmpTarget) -> _Agent:
        key = (target.address, target.port, target.version, target.community, target.user, target.auth_key,
               target.priv_key, target.auth_protocol, target.priv_protocol, target.timeout)
        agent = self._agents.get(key)
        if agent is None:
            try:
                session = _session(target, await _numeric(target.address, target.port))
            except (SnmpError, OSError) as exc:
                raise SnmpRequestError(f"{target.address}: {exc}") from exc
            agent = self._agents[key] = _Agent(session)
            idle = [k for k, a in self._agents.items() if not a.lock.locked()]
            for old in idle[: max(0, len(idle) - SESSIONS)]:
                del self._agents[old]  # its socket closes with the session
        self._agents.move_to_end(key)
        return agent

    @staticmethod
    async def _ask(target: SnmpTarget, what: str, call: Callable[[], Awaitable[T]]) -> T:
        for _ in range(target.retries + 1):
            try:
                return await call()
            except TimeoutError:
                continue
            except (SnmpError, OSError) as exc:
                raise SnmpRequestError(f"{what}: {exc or type(exc).__name__}") from exc
        raise SnmpRequestError(f"{what}: No SNMP response received before timeout ({target.timeout:g} s, {target.retries + 1} tries)")

    async def _ready(self, agent: _Agent, target: SnmpTarget) -> None:
        """SNMPv3: discover the agent's engine, or re-read its time when the last request is old."""
        now = time.monotonic()
        if target.version == "3" and now - agent.used > REFRESH_AFTER:
            await self._ask(target, "SNMPv3 engine discovery", agent.session.refresh)
        agent.used = now

    # -- SnmpBackend --------------------------------------------------------
    async def get(self, target: SnmpTarget, oids: Sequence[str]) -> dict[str, Value]:
        agent = await self._agent(target)
        wanted = [o.strip(".") for o in oids]
        async with agent.lock:
            await self._ready(agent, target)
            got = await self._ask(target, "get", lambda: agent.session.get_many(wanted))
        return {oid: _plain(got.get(w)) for oid, w in zip(oids, wanted)}

    async def walk(self, target: SnmpTarget, columns: Sequence[str], max_rows: int = MAX_ROWS) -> dict[str, Column]:
        agent = await self._agent(target)
        results: dict[str, Column] = {}
        async with agent.lock:
            await self._ready(agent, target)
            for col in columns:
                results[col] = await self._column(agent.session, target, col, max_rows)
        return results

    async def _column(self, session: SnmpSession, target: SnmpTarget, column: str, max_rows: int) -> Column:
        root = column.strip(".")
        width = len(_oid(root))
        rows = Column()
        bulk = session.getbulk(root)  # ends at the end of the subtree; a timed-out step is sent again on the next call
        last: tuple[int, ...] = ()
        while True:
            try:
                oid, value = await self._ask(target, f"walk {column}", bulk.__anext__)
            except StopAsyncIteration:
                return rows
            index = _oid(oid)
            if index <= last:  # an agent that goes round in circles
                return rows
            if len(rows) >= max_rows:  # a row beyond the limit: the column is cut, and says so
                rows.truncated = True
                return rows
            rows[index[width:]] = _plain(value)
            last = index

    def close(self) -> None:
        self._agents.clear()
