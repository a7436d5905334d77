"""The lab's SNMP agents (labs/sim/snmp_agent.py), read over real UDP sockets.

A small topology (tests/data/lab_snmp/lab.clab.yml) is served on 127.32.1.0/24;
every expectation about a node sits next to its config in
tests/data/lab_snmp/<platform>/<node>.yml. Readers: pysnmp 7 (SNMPv2c and SNMPv3
authPriv) and net-snmp's snmpget/snmpbulkwalk, whose credentials come from an
snmp.conf (SNMPCONFPATH), never from the command line.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml

from labs.sim.faults import node_faults
from labs.sim.snmp_agent import SnmpAgent
from labs.state import LabState, NodeRuntime, save_state
from netops.inventory.clab import ClabTopology, load_topology

DATA = Path(__file__).parent / "data" / "lab_snmp"
TOPOLOGY = DATA / "lab.clab.yml"
PORT = 10161

SYS_DESCR, SYS_OBJECT_ID, SYS_UPTIME = "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.3.0"
SYS_CONTACT, SYS_NAME, SYS_LOCATION = "1.3.6.1.2.1.1.4.0", "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.6.0"
IF_DESCR, IF_ADMIN = "1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.7"
IF_IN_OCTETS, IF_IN_ERRORS = "1.3.6.1.2.1.2.2.1.10", "1.3.6.1.2.1.2.2.1.14"
IF_NAME, IF_HC_IN, IF_ALIAS = "1.3.6.1.2.1.31.1.1.1.1", "1.3.6.1.2.1.31.1.1.1.6", "1.3.6.1.2.1.31.1.1.1.18"
BSN_AP_NAME, BSN_AP_STATUS, BSN_AP_MODEL = (f"1.3.6.1.4.1.14179.2.2.1.1.{c}" for c in (3, 6, 16))
BSN_ESS_SSID, BSN_ESS_ADMIN, BSN_ESS_CLIENTS = (f"1.3.6.1.4.1.14179.2.1.1.1.{c}" for c in (2, 6, 38))
BSN_STATION_SSID, BSN_STATION_AP = "1.3.6.1.4.1.14179.2.1.4.1.7", "1.3.6.1.4.1.14179.2.1.4.1.4"
CL_AP_NAME, CL_AP_CLIENTS = "1.3.6.1.4.1.9.9.513.1.1.1.1.5", "1.3.6.1.4.1.9.9.513.1.1.1.1.54"
CL_WLAN_SSID = "1.3.6.1.4.1.9.9.512.1.1.1.1.4"
CISCO_CPU_5MIN = "1.3.6.1.4.1.9.9.109.1.1.1.1.8"
AIREOS_CPU = "1.3.6.1.4.1.14179.1.1.5.1.0"
WLSX_AP_NAME, WLSX_AP_MODEL, WLSX_AP_STATUS = (f"1.3.6.1.4.1.14823.2.2.1.5.2.1.4.1.{c}" for c in (3, 13, 19))
WLSX_ESSID_STATIONS = "1.3.6.1.4.1.14823.2.2.1.5.2.1.8.1.2"
WLSX_RADIO_CLIENTS = "1.3.6.1.4.1.14823.2.2.1.5.2.1.5.1.7"  # wlanAPRadioNumAssociatedClients
WLSX_STATION_ESSID = "1.3.6.1.4.1.14823.2.2.1.5.2.2.1.1.12"
WLSX_TOTAL_APS, WLSX_TOTAL_STATIONS = "1.3.6.1.4.1.14823.2.2.1.1.3.1.0", "1.3.6.1.4.1.14823.2.2.1.1.3.2.0"
WLSX_CPU = "1.3.6.1.4.1.14823.2.2.1.2.1.13.1.3"

ADMIN = {1: "up", 2: "down"}


# ------------------------------------------------------------------ readers


class Reader:
    """pysnmp 7 reads of one agent, SNMPv2c or SNMPv3 authPriv (SHA / AES-128)."""

    opened: list[Reader] = []  # closed after each test (autouse fixture below)

    def __init__(self, node: NodeRuntime, v3: bool = False, community: str | None = None, auth_key: str | None = None):
        from pysnmp.hlapi.v3arch.asyncio import (
            CommunityData,
            UsmUserData,
            usmAesCfb128Protocol,
            usmHMACSHAAuthProtocol,
        )

        self.address = (node.host, node.snmp_port)
        if v3:
            self.auth = UsmUserData(
                node.snmp_v3_user, authKey=auth_key or node.snmp_v3_auth_key, privKey=node.snmp_v3_priv_key,
                authProtocol=usmHMACSHAAuthProtocol, privProtocol=usmAesCfb128Protocol,
            )
        else:
            self.auth = CommunityData(community or node.snmp_community, mpModel=1)

        self.loop = asyncio.new_event_loop()
        self.engine = None
        Reader.opened.append(self)

    def _run(self, coro_factory):
        from pysnmp.hlapi.v3arch.asyncio import SnmpEngine, UdpTransportTarget

        async def run():
            if self.engine is None:
                self.engine = SnmpEngine()  # one engine per reader: creating one costs ~0.15 s
            target = await UdpTransportTarget.create(self.address, timeout=1, retries=1)
            return await coro_factory(self.engine, target)

        return self.loop.run_until_complete(run())

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close_dispatcher()
        self.loop.close()

    def get(self, *oids: str) -> tuple[object, dict[str, object]]:
        """(error indication, {oid: value}) for a GET."""
        from pysnmp.hlapi.v3arch.asyncio import ContextData, ObjectIdentity, ObjectType, get_cmd

        async def go(engine, target):
            err, status, _, vbs = await get_cmd(
                engine, self.auth, target, ContextData(), *(ObjectType(ObjectIdentity(o)) for o in oids),
                lookupMib=False,
            )
            return err or (status if status else None), {str(name): value for name, value in vbs}

        return self._run(go)

    def walk(self, oid: str) -> dict[str, object]:
        """{index suffix: value} of a subtree (GETBULK)."""
        from pysnmp.hlapi.v3arch.asyncio import ContextData, ObjectIdentity, ObjectType, bulk_walk_cmd

        async def go(engine, target):
            rows: dict[str, object] = {}
            async for err, status, _, vbs in bulk_walk_cmd(
                engine, self.auth, target, ContextData(), 0, 25, ObjectType(ObjectIdentity(oid)),
                lexicographicMode=False, lookupMib=False,
            ):
                assert not err and not status, f"walk {oid} on {self.address}: {err or status}"
                for name, value in vbs:
                    rows[str(name)[len(oid) + 1:]] = value
            return rows

        return self._run(go)


@pytest.fixture(autouse=True)
def _close_readers():
    yield
    while Reader.opened:
        Reader.opened.pop().close()


def text(value: object) -> str:
    return value.asOctets().decode()  # type: ignore[attr-defined]


class NetSnmp:
    """net-snmp command-line tools, credentials in a private snmp.conf."""

    def __init__(self, node: NodeRuntime, confdir: Path, v3: bool):
        confdir.mkdir(parents=True, exist_ok=True, mode=0o700)
        conf = confdir / "snmp.conf"
        lines = ["defVersion 2c", f"defCommunity {node.snmp_community}"]
        if v3:
            lines = [
                "defVersion 3", "defSecurityLevel authPriv", f"defSecurityName {node.snmp_v3_user}",
                "defAuthType SHA", f"defAuthPassphrase {node.snmp_v3_auth_key}",
                "defPrivType AES", f"defPrivPassphrase {node.snmp_v3_priv_key}",
            ]
        fd = os.open(conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write("\n".join(lines) + "\n")
        self.env = {"PATH": os.environ["PATH"], "SNMPCONFPATH": str(confdir), "HOME": str(confdir), "MIBS": ""}
        self.target = f"{node.host}:{node.snmp_port}"

    def run(self, tool: str, *oids: str) -> list[str]:
        out = subprocess.run(
            [tool, "-On", "-Oqv", "-t", "1", "-r", "1", self.target, *oids],
            env=self.env, capture_output=True, text=True, timeout=30, check=True,
        )
        return [line.strip().strip('"') for line in out.stdout.splitlines()]


# ------------------------------------------------------------------ the lab under test


def lab_state(topology: ClabTopology, subnet: str) -> LabState:
    """Runtime entries as ``lab up`` makes them: one 127.x address each, shared random credentials."""
    creds = {
        "snmp_community": "c" + secrets.token_hex(8),
        "snmp_v3_user": "v3" + secrets.token_hex(3),
        "snmp_v3_auth_key": secrets.token_hex(12),
        "snmp_v3_priv_key": secrets.token_hex(12),
    }
    nodes = [
        NodeRuntime(
            name=n.name, platform=n.platform, role=n.role, site=n.site, host=f"{subnet}.{i}", ssh_port=None,
            snmp_port=PORT, username="lab", password="unused", enable_secret="unused",
            config_path=str(n.startup_config or ""), labels=dict(n.labels), faults=node_faults(n.labels), **creds,
        )
        for i, n in enumerate(topology.nodes, start=10)
    ]
    return LabState(name=topology.name, topology=str(topology.path), engine="local", started="", pids=[], nodes=nodes)


@pytest.fixture(scope="module")
def topology() -> ClabTopology:
    return load_topology(TOPOLOGY)


@pytest.fixture(scope="module")
def snmp_lab(topology: ClabTopology, tmp_path_factory: pytest.TempPathFactory):
    state = lab_state(topology, "127.32.1")
    agent = SnmpAgent(tmp_path_factory.mktemp("lab-snmp") / "snmp")
    pids = agent.start(state, topology)
    yield state, pids
    agent.stop()


def expected_nodes() -> list[tuple[str, Path]]:
    """(node, expectation file) for every node whose config has an expectation file."""
    topology = load_topology(TOPOLOGY)
    return [
        (n.name, n.startup_config.with_suffix(".yml"))
        for n in topology.nodes
        if n.startup_config and n.startup_config.with_suffix(".yml").is_file() and "hang" not in node_faults(n.labels)
    ]


def node(state: LabState, name: str) -> NodeRuntime:
    found = state.node(name)
    assert found is not None
    return found


# ------------------------------------------------------------------ tests


@pytest.mark.parametrize(("name", "expected_file"), expected_nodes(), ids=[n for n, _ in expected_nodes()])
def test_agent_shows_the_node_config(snmp_lab, name: str, expected_file: Path, tmp_path: Path):
    """System group and interfaces follow the config, the same for every reader."""
    state, _ = snmp_lab
    expected = yaml.safe_load(expected_file.read_text())
    n = node(state, name)
    views = {}
    for version, reader in (("v2c", Reader(n)), ("v3", Reader(n, v3=True))):
        err, system = reader.get(SYS_DESCR, SYS_OBJECT_ID, SYS_CONTACT, SYS_NAME, SYS_LOCATION)
        assert err is None, f"{version}: {err}"
        assert text(system[SYS_DESCR]).startswith(expected["sysDescr"])
        assert str(system[SYS_OBJECT_ID]) == expected["sysObjectID"]
        assert text(system[SYS_CONTACT]) == expected["sysContact"]
        assert text(system[SYS_LOCATION]) == expected["sysLocation"]
        descr = {i: text(v) for i, v in reader.walk(IF_DESCR).items()}
        names = {i: text(v) for i, v in reader.walk(IF_NAME).items()}
        aliases = {i: text(v) for i, v in reader.walk(IF_ALIAS).items()}
        admin = {i: ADMIN[int(v)] for i, v in reader.walk(IF_ADMIN).items()}
        interfaces = {descr[i]: [names[i], aliases[i], admin[i]] for i in descr}
        assert interfaces == expected["interfaces"]
        views[version] = (text(system[SYS_NAME]), tuple(sorted(descr.values())))
    for version in ("v2c", "v3"):
        tool = NetSnmp(n, tmp_path / version, v3=version == "v3")
        views[f"net-snmp {version}"] = (
            tool.run("snmpget", SYS_NAME)[0], tuple(sorted(tool.run("snmpbulkwalk", IF_DESCR))),
        )
    assert set(views.values()) == {(expected["sysName"], tuple(sorted(expected["interfaces"])))}, views


def test_counters_grow_and_uptime_advances(snmp_lab):
    state, _ = snmp_lab
    n = node(state, "jmu-sw1")
    reader = Reader(n, v3=True)
    admin = {i: int(v) for i, v in reader.walk(IF_ADMIN).items()}
    up, down = [i for i, s in admin.items() if s == 1], [i for i, s in admin.items() if s == 2]
    assert up and down

    def sample() -> tuple[int, dict[str, int], dict[str, int]]:
        err, values = reader.get(SYS_UPTIME)
        assert err is None
        hc = {i: int(v) for i, v in reader.walk(IF_HC_IN).items()}
        low = {i: int(v) for i, v in reader.walk(IF_IN_OCTETS).items()}
        return int(values[SYS_UPTIME]), hc, low

    uptime1, hc1, low1 = sample()
    time.sleep(1.5)
    uptime2, hc2, low2 = sample()
    assert 100 <= uptime2 - uptime1 <= 1000  # TimeTicks: hundredths of a second
    assert all(hc2[i] > hc1[i] for i in up)
    assert all((low2[i] - low1[i]) % 2**32 > 0 for i in up)  # Counter32 may wrap
    assert all(hc2[i] == hc1[i] for i in down)


def test_error_ports_accumulate_input_errors(snmp_lab):
    """Up ports named in ``netops-if-errors`` accumulate input errors; down ports never do
    (jmu-sw1 names Gi1/0/4 and Te1/1/1, up, and Gi1/0/2, shut down)."""
    state, _ = snmp_lab
    readers = {n.name: Reader(n) for n in state.nodes if "hang" not in n.faults and n.config_path}
    admin = {(name, i): int(v) for name, r in readers.items() for i, v in r.walk(IF_ADMIN).items()}
    first = {(name, i): int(v) for name, r in readers.items() for i, v in r.walk(IF_IN_ERRORS).items()}
    time.sleep(2.1)
    second = {(name, i): int(v) for name, r in readers.items() for i, v in r.walk(IF_IN_ERRORS).items()}
    growing = {key for key in first if second[key] > first[key]}
    assert {("jmu-sw1", "5"), ("jmu-sw1", "6")} <= growing  # ifIndex of Gi1/0/4, Te1/1/1
    assert not [key for key in growing if admin[key] == 2]


def test_health_objects(snmp_lab):
    state, _ = snmp_lab
    for name, oid in (("jmu-sw1", CISCO_CPU_5MIN), ("jmu-wlc1", CISCO_CPU_5MIN), ("sxr-mc1", WLSX_CPU)):
        values = Reader(node(state, name)).walk(oid)
        assert values and all(0 <= int(v) <= 100 for v in values.values()), name
    err, values = Reader(node(state, "sxr-wlc1")).get(AIREOS_CPU)
    assert err is None and 0 <= int(values[AIREOS_CPU]) <= 100


def topology_aps(topology: ClabTopology, controller: str) -> dict[str, tuple[str, str]]:
    """AP name -> (model, status) for the APs the topology joins to ``controller``."""
    return {
        n.name: (n.labels["netops-model"], n.labels.get("netops-ap-status", "up"))
        for n in topology.nodes
        if n.labels.get("netops-controller") == controller
    }


@pytest.mark.parametrize("controller", ["jmu-wlc1", "sxr-wlc1"])
def test_cisco_controller_tables(snmp_lab, topology: ClabTopology, controller: str):
    """bsnAPTable rows are the topology's APs; SSIDs follow the config; client counts
    agree between the ESS table, the station table and the per-AP counters."""
    state, _ = snmp_lab
    reader = Reader(node(state, controller), v3=True)
    names, status, models = (reader.walk(c) for c in (BSN_AP_NAME, BSN_AP_STATUS, BSN_AP_MODEL))
    shown = {text(names[i]): (text(models[i]), "up" if int(status[i]) == 1 else "down") for i in names}
    assert shown == topology_aps(topology, controller)
    lwapp = {i: text(v) for i, v in reader.walk(CL_AP_NAME).items()}
    assert sorted(lwapp.values()) == sorted(shown)

    expected = yaml.safe_load(topology.node(controller).startup_config.with_suffix(".yml").read_text())["ssids"]
    ssids = {i: text(v) for i, v in reader.walk(BSN_ESS_SSID).items()}
    admin = {i: int(v) for i, v in reader.walk(BSN_ESS_ADMIN).items()}
    assert {s: [int(i), admin[i] == 1] for i, s in ssids.items()} == expected
    assert sorted(text(v) for v in reader.walk(CL_WLAN_SSID).values()) == sorted(expected)

    per_ssid = {ssids[i]: int(v) for i, v in reader.walk(BSN_ESS_CLIENTS).items()}
    stations = Counter(text(v) for v in reader.walk(BSN_STATION_SSID).values())
    assert per_ssid == {s: stations.get(s, 0) for s in per_ssid}
    assert sum(per_ssid.values()) == sum(int(v) for v in reader.walk(CL_AP_CLIENTS).values())
    assert all(per_ssid[s] == 0 for s, (_, enabled) in expected.items() if not enabled)
    up_macs = {i for i in names if int(status[i]) == 1}
    station_aps = {bytes(v.asOctets()) for v in reader.walk(BSN_STATION_AP).values()}
    assert station_aps <= {bytes(int(x) for x in i.split(".")) for i in up_macs}


def test_aruba_controller_tables(snmp_lab, topology: ClabTopology):
    state, _ = snmp_lab
    reader = Reader(node(state, "sxr-mc1"), v3=True)
    names, models, status = (reader.walk(c) for c in (WLSX_AP_NAME, WLSX_AP_MODEL, WLSX_AP_STATUS))
    shown = {text(names[i]): (text(models[i]), "up" if int(status[i]) == 1 else "down") for i in names}
    assert shown == topology_aps(topology, "sxr-mc1")

    essids = {}
    for index, value in reader.walk(WLSX_ESSID_STATIONS).items():
        length, *chars = (int(x) for x in index.split("."))
        assert length == len(chars)
        essids[bytes(chars).decode()] = int(value)
    expected = yaml.safe_load(topology.node("sxr-mc1").startup_config.with_suffix(".yml").read_text())["ssids"]
    assert set(essids) == set(expected)
    stations = Counter(text(v) for v in reader.walk(WLSX_STATION_ESSID).values())
    assert essids == {s: stations.get(s, 0) for s in essids}
    err, totals = reader.get(WLSX_TOTAL_APS, WLSX_TOTAL_STATIONS)
    assert err is None
    assert int(totals[WLSX_TOTAL_APS]) == sum(1 for _, s in shown.values() if s == "up")
    assert int(totals[WLSX_TOTAL_STATIONS]) == sum(essids.values())

    # wlsxWlanRadioTable: AP MAC (6 sub-ids) + radio number, as in snmpsim-data's aruba-7210 recording
    per_ap: Counter[str] = Counter()
    radios: dict[str, set[int]] = {}
    for index, value in reader.walk(WLSX_RADIO_CLIENTS).items():
        *ap_mac, radio = index.split(".")
        assert len(ap_mac) == 6 and radio in ("1", "2"), index
        key = ".".join(ap_mac)
        per_ap[key] += int(value)
        radios.setdefault(key, set()).add(int(radio))
    assert set(radios) == set(names) and all(r == {1, 2} for r in radios.values())
    assert sum(per_ap.values()) == int(totals[WLSX_TOTAL_STATIONS]) > 0
    assert all(per_ap[i] == 0 for i in names if int(status[i]) != 1)


def test_wrong_credentials_get_no_answer(snmp_lab, tmp_path: Path):
    state, _ = snmp_lab
    n = node(state, "jmu-sw1")
    err, _ = Reader(n, community="not-" + n.snmp_community).get(SYS_NAME)
    assert "timeout" in str(err).lower()
    err, _ = Reader(n, v3=True, auth_key="x" + n.snmp_v3_auth_key).get(SYS_NAME)
    assert err is not None
    wrong = NodeRuntime(**{**n.__dict__, "snmp_community": "public"})
    with pytest.raises(subprocess.CalledProcessError):
        NetSnmp(wrong, tmp_path / "wrong", v3=False).run("snmpget", SYS_NAME)


def test_hang_fault_never_answers(snmp_lab):
    state, _ = snmp_lab
    hung = [n for n in state.nodes if "hang" in n.faults]
    assert hung
    for n in hung:
        started = time.monotonic()
        err, _ = Reader(n).get(SYS_NAME)
        assert "timeout" in str(err).lower()
        assert time.monotonic() - started >= 1.5  # timeout 1 s, one retry


def test_hang_follows_the_lab_state_file(topology: ClabTopology, tmp_path: Path):
    """``netops lab fault`` rewrites state.json in the lab directory; the agents follow it."""
    small = ClabTopology(topology.name, topology.path, [topology.node("jmu-sw1"), topology.node("sxr-mc1")], [])
    state = lab_state(small, "127.32.3")
    agent = SnmpAgent(tmp_path / "snmp")
    agent.start(state, small)
    try:
        sw, mc = state.nodes
        assert Reader(sw).get(SYS_NAME)[0] is None
        sw.faults = ["hang"]
        save_state(tmp_path, state)
        assert "timeout" in str(Reader(sw).get(SYS_NAME)[0]).lower()
        assert Reader(mc).get(SYS_NAME)[0] is None
        sw.faults = []
        save_state(tmp_path, state)
        assert Reader(sw).get(SYS_NAME)[0] is None
    finally:
        agent.stop()


def test_no_credential_in_process_arguments_or_files(snmp_lab):
    state, pids = snmp_lab
    n = state.nodes[0]
    secrets_ = [n.snmp_community, n.snmp_v3_auth_key, n.snmp_v3_priv_key]
    for pid in pids:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode()
        assert not any(s in cmdline for s in secrets_)
        args = [a.split("=", 1)[1] for a in cmdline.split("\0") if a.startswith("--args-from-file=")]
        assert args and not Path(args[0]).exists()


def test_stop_leaves_nothing_behind(topology: ClabTopology, tmp_path: Path):
    small = ClabTopology(topology.name, topology.path, [topology.node("jmu-sw1"), topology.node("sxr-wlc1")], [])
    state = lab_state(small, "127.32.2")
    agent = SnmpAgent(tmp_path / "snmp")
    pids = agent.start(state, small)
    assert pids
    err, values = Reader(state.nodes[1]).get(SYS_NAME)
    assert err is None and text(values[SYS_NAME]) == "SXR-WLC-01"
    agent.stop()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not (tmp_path / "snmp").exists()
    err, _ = Reader(state.nodes[1]).get(SYS_NAME)
    assert err is not None


@pytest.mark.lab
def test_full_lab_agents_answer(request: pytest.FixtureRequest):
    """Against the whole lab (tests/conftest.py's ``lab`` session fixture), when present."""
    try:
        full: LabState = request.getfixturevalue("lab")
    except pytest.FixtureLookupError:
        pytest.skip("no session 'lab' fixture (tests/conftest.py)")
    served = [n for n in full.nodes if n.snmp_port is not None and "hang" not in n.faults]
    assert served
    for n in served:
        err, values = Reader(n, v3=True).get(SYS_NAME, SYS_UPTIME)
        assert err is None, n.name
        assert text(values[SYS_NAME])
