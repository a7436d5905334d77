"""The SNMP backends answer alike: the same cases against gufo-snmp and pysnmp, on real sockets.

Agents on 127.37.24.x: snmpsim serving ``tests/data/snmp_backends/conform.snmprec``
(community ``conform``: non-UTF-8 octet strings, Counter64 up to 2**64-1, IpAddress,
OIDs, a 30-row column) and, for the collector's notice, a 10,001-row ``ifDescr``
(community ``big``); net-snmp ``snmpd`` with SNMPv3 users; a UDP socket that never
answers. Each case names a request and the plain Python it must come back as.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from test_poll_agents import stop, wait_for_agent

from netops.model import SnmpTarget
from netops.snmp.backend import SnmpRequestError
from netops.snmp.backends import backend_factory
from netops.snmp.collect import poll_sync
from netops.snmp.sample import PollTarget

pytestmark = pytest.mark.slow
DATA = Path(__file__).parent / "data" / "snmp_backends"
SIM, SNMPD, SILENT, PORT = "127.37.24.1", "127.37.24.2", "127.37.24.3", 1161
BACKENDS = ("gufo", "pysnmp")
USERS = {  # SNMPv3 user -> (auth protocol, auth key, priv protocol, priv key), each authPriv
    "conform-sha-aes": ("SHA", "auth-pass-1234", "AES", "priv-pass-5678"),
    "conform-sha256-aes256": ("SHA256", "auth-pass-4321", "AES256", "priv-pass-8765"),
}
BIG_ROWS = 10001  # one more than a walk reads by default


def v2(community: str = "conform", address: str = SIM, **kw: Any) -> SnmpTarget:
    return SnmpTarget(address, PORT, community=community, **{"timeout": 5.0, "retries": 1, **kw})


def v3(user: str) -> SnmpTarget:
    auth, auth_key, priv, priv_key = USERS[user]
    return SnmpTarget(SNMPD, PORT, version="3", user=user, auth_key=auth_key, priv_key=priv_key, auth_protocol=auth,
                      priv_protocol=priv, timeout=5.0, retries=1)


@dataclass(frozen=True)
class Case:
    name: str
    target: SnmpTarget
    get: tuple[str, ...] = ()  # scalars to GET; else columns to walk
    walk: tuple[str, ...] = ()
    max_rows: int = 10000
    expect: dict[str, Any] = field(default_factory=dict)  # OID -> value, or column -> {index: value}
    truncated: frozenset[str] = frozenset()  # columns the walk must mark cut


IF_DESCR, IF_PHYS, IF_OPER = "1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.6", "1.3.6.1.2.1.2.2.1.8"
HC_IN, HIGH_SPEED, IP_ADDR, FDB_PORT = "1.3.6.1.2.1.31.1.1.1.6", "1.3.6.1.2.1.31.1.1.1.15", "1.3.6.1.2.1.4.20.1.1", "1.3.6.1.2.1.17.4.3.1.2"
FDB = {(i,): i * 10 for i in range(1, 31)}
CASES = [
    Case("get: text, OID, time ticks; an absent object is None", v2(),
         get=("1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.1.9.0"),
         expect={"1.3.6.1.2.1.1.5.0": b"sw-conform", "1.3.6.1.2.1.1.2.0": "1.3.6.1.4.1.9.1.1208",
                 "1.3.6.1.2.1.1.3.0": 123456, "1.3.6.1.2.1.1.9.0": None}),
    Case("get: Counter64 at 2**64-1, non-UTF-8 octets, negative integer", v2(),
         get=(HC_IN + ".3", IF_DESCR + ".3", IF_OPER + ".3"),
         expect={HC_IN + ".3": 2**64 - 1, IF_DESCR + ".3": b"Pi\xff\x0f/\xfe", IF_OPER + ".3": -7}),
    Case("walk: several columns together, each to its own end", v2(),
         walk=(IF_DESCR, IF_PHYS, IF_OPER, HC_IN, HIGH_SPEED),
         expect={IF_DESCR: {(1,): b"Gi1/0/1", (2,): b"Gi1/0/2", (3,): b"Pi\xff\x0f/\xfe"},
                 IF_PHYS: {(1,): b"\x00\xff\xfe\x80\xc3\x01", (2,): b""},
                 IF_OPER: {(1,): 1, (2,): 2, (3,): -7},
                 HC_IN: {(1,): 0, (2,): 2**32, (3,): 2**64 - 1},
                 HIGH_SPEED: {(1,): 1000, (2,): 2**32 - 1}}),
    Case("walk: IpAddress rows dotted, indexed by address", v2(), walk=(IP_ADDR,),
         expect={IP_ADDR: {(10, 0, 0, 1): "10.0.0.1", (192, 0, 2, 254): "192.0.2.254"}}),
    Case("walk: a column absent from the agent is empty", v2(), walk=("1.3.6.1.2.1.2.2.1.99", IF_OPER),
         expect={"1.3.6.1.2.1.2.2.1.99": {}, IF_OPER: {(1,): 1, (2,): 2, (3,): -7}}),
    Case("walk: stopped at max_rows with rows left is marked truncated", v2(), walk=(FDB_PORT, IF_OPER), max_rows=25,
         expect={FDB_PORT: {k: v for k, v in FDB.items() if k[0] <= 25}, IF_OPER: {(1,): 1, (2,): 2, (3,): -7}},
         truncated=frozenset({FDB_PORT})),
    Case("walk: exactly max_rows rows is complete, not truncated", v2(), walk=(FDB_PORT,), max_rows=30,
         expect={FDB_PORT: FDB}),
    *(Case(f"SNMPv3 authPriv {USERS[user][0]}/{USERS[user][2]}: get", v3(user),
           get=("1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.4.0", "1.3.6.1.2.1.1.7.0", "1.3.6.1.2.1.1.99.0"),
           expect={"1.3.6.1.2.1.1.2.0": "1.3.6.1.4.1.8072.3.2.10", "1.3.6.1.2.1.1.4.0": b"netops-conform",
                   "1.3.6.1.2.1.1.7.0": 72, "1.3.6.1.2.1.1.99.0": None})
      for user in USERS),
    *(Case(f"SNMPv3 authPriv {USERS[user][0]}/{USERS[user][2]}: walk", v3(user), walk=("1.3.6.1.2.1.2.2.1.1",),
           expect={"1.3.6.1.2.1.2.2.1.1": "interfaces"})  # net-snmp's own ifIndex column: compared in the test
      for user in USERS),
]


@pytest.fixture(scope="module")
def agents(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """snmpsim (conform, big), snmpd (SNMPv3 users) and a silent UDP socket; secrets only in a 0600 file."""
    tmp = tmp_path_factory.mktemp("agents")
    data = tmp / "data"
    data.mkdir()
    shutil.copy(DATA / "conform.snmprec", data / "conform.snmprec")
    with open(data / "big.snmprec", "w") as fh:
        fh.write("1.3.6.1.2.1.1.3.0|67|100\n")
        fh.writelines(f"1.3.6.1.2.1.2.2.1.2.{i}|4|port{i}\n" for i in range(1, BIG_ROWS + 1))
    sim = subprocess.Popen(
        [str(Path(sys.executable).parent / "snmpsim-command-responder"), f"--data-dir={data}", f"--cache-dir={tmp / 'cache'}",
         f"--agent-udpv4-endpoint={SIM}:{PORT}"],
        stdout=subprocess.DEVNULL, stderr=open(tmp / "snmpsim.log", "w"), env=dict(os.environ, SNMPSIM_ALLOW_ROOT="true"),
        start_new_session=True)
    conf = tmp / "snmpd.conf"
    with os.fdopen(os.open(conf, os.O_WRONLY | os.O_CREAT, 0o600), "w") as fh:
        fh.write("rocommunity conform-v2 127.0.0.0/8\nsyscontact netops-conform\nsysservices 72\n")
        for user, (auth, auth_key, priv, priv_key) in USERS.items():
            fh.write(f"rouser {user} priv\ncreateUser {user} {auth} \"{auth_key}\" {priv} \"{priv_key}\"\n")
    snmpd = subprocess.Popen(["snmpd", "-f", "-Lf", str(tmp / "snmpd.log"), "-C", "-c", str(conf), f"udp:{SNMPD}:{PORT}"],
                             env=dict(os.environ, SNMP_PERSISTENT_DIR=str(tmp / "persist")), start_new_session=True)
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind((SILENT, PORT))
    try:
        for address, community in ((SIM, "conform"), (SIM, "big"), (SNMPD, "conform-v2")):
            wait_for_agent(address, PORT, community, 60)
        yield
    finally:
        silent.close()
        stop(snmpd)
        stop(sim)


def net_snmp_if_index() -> dict[tuple[int, ...], int]:
    out = subprocess.run(["snmpbulkwalk", "-v2c", "-c", "conform-v2", "-On", "-OQ", f"{SNMPD}:{PORT}", "1.3.6.1.2.1.2.2.1.1"],
                         capture_output=True, text=True, check=True).stdout
    return {(int(line.split(" = ")[0].rsplit(".", 1)[1]),): int(line.split(" = ")[1]) for line in out.splitlines() if " = " in line}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(agents: None, backend: str, case: Case) -> None:
    async def run() -> dict[str, Any]:
        engine = backend_factory(backend)()
        try:
            if case.get:
                return await engine.get(case.target, case.get)
            cols = await engine.walk(case.target, case.walk, case.max_rows)
            assert {c for c, rows in cols.items() if rows.truncated} == case.truncated
            return {c: dict(rows) for c, rows in cols.items()}
        finally:
            engine.close()

    got = asyncio.run(run())
    expect = {c: net_snmp_if_index() if v == "interfaces" else v for c, v in case.expect.items()}
    assert got == expect
    assert all(type(got[k]) is type(v) for k, v in expect.items() if not isinstance(v, dict))


@pytest.mark.parametrize("backend", BACKENDS)
def test_silent_agent_fails_after_its_retries(agents: None, backend: str) -> None:
    target = v2(address=SILENT, timeout=0.2, retries=1)

    async def ask(walk: bool) -> None:
        engine = backend_factory(backend)()
        try:
            await (engine.walk(target, [IF_DESCR]) if walk else engine.get(target, ["1.3.6.1.2.1.1.3.0"]))
        finally:
            engine.close()

    for walk in (False, True):
        with pytest.raises(SnmpRequestError):
            asyncio.run(ask(walk))


@pytest.mark.parametrize("backend", ["gufo", pytest.param("pysnmp", marks=pytest.mark.long)])  # pysnmp: 3 s more
def test_a_table_cut_at_the_row_limit_is_a_notice_of_the_device(agents: None, backend: str) -> None:
    target = PollTarget("big-switch", "cisco_xe", v2("big"), role="access")
    [sample] = poll_sync([target], backend_factory(backend), deadline=60)
    assert sample.error is None and sample.reachable
    assert len(sample.interfaces) == BIG_ROWS - 1
    assert sample.notices == [f"{IF_DESCR} stopped at {BIG_ROWS - 1} rows: the agent has more, which this poll does not hold"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_device_past_its_deadline_fails_alone_and_the_poll_closes(agents: None, backend: str) -> None:
    """A request still pending when its device's deadline ends the wait: that device fails with the deadline as
    its reason, the other is polled, and closing the backend raises nothing (pysnmp 7.1 calls a pending request's
    callback with one argument too few when its dispatcher closes)."""
    late = PollTarget("silent-switch", "cisco_xe", v2(address=SILENT, timeout=5.0, retries=0), role="access")
    answering = PollTarget("snmpd-switch", "cisco_xe", v2("conform-v2", address=SNMPD), role="access")
    samples = {s.host: s for s in poll_sync([late, answering], backend_factory(backend), deadline=1.0)}
    assert samples["silent-switch"].error == "sysUpTime: no complete answer within the 1 s device deadline"
    assert samples["snmpd-switch"].reachable and samples["snmpd-switch"].error is None
