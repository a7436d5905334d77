"""The poller against real agents on 127.37.x, cross-checked with net-snmp's tools.

- snmpsim serving real device recordings from ``snmpsim-data`` (Cisco AireOS
  WLC with 226 APs, Aruba 7210 controller, Cisco C3560 switch);
- net-snmp ``snmpd`` with SNMPv2c and SNMPv3 authPriv (SHA/AES).
"""

from __future__ import annotations

import bz2
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import snmpsim_data

from netops.model import SnmpTarget
from netops.snmp.collect import poll_sync
from netops.snmp.pysnmp_backend import PysnmpBackend
from netops.snmp.sample import PollTarget

pytestmark = pytest.mark.slow
RECORDINGS = Path(snmpsim_data.__file__).parent / "data" / "network"
RECORDED = {  # community (selects the data file) -> recording
    "wlc": "appliance/cisco-controller.snmprec.bz2",
    "aruba": "wifi/aruba-7210.snmprec.bz2",
    "c3560": "switch/cisco-c3560.snmprec.bz2",
}
SIM_ADDRESS = "127.37.2.1"
SIM_PORT = 1161
WORK = Path(f"/tmp/netops-test-snmpsim-{os.getuid()}")  # recordings and their index, kept between runs (indexing takes minutes)
V3_USER, V3_AUTH, V3_PRIV = "netops-test", "auth-pass-1234", "priv-pass-5678"
SNMPD_ADDRESS = "127.37.3.1"


def net_snmp(*args: str) -> list[str]:
    out = subprocess.run(list(args), capture_output=True, text=True, timeout=120, check=True).stdout
    return [line for line in out.splitlines() if line.strip()]


def bulkwalk(community: str, oid: str, address: str = SIM_ADDRESS, port: int = SIM_PORT) -> dict[str, str]:
    """OID suffix (below ``oid``) -> value as ``snmpbulkwalk -On -OQ -Oe -Ot`` prints it."""
    lines = net_snmp("snmpbulkwalk", "-v2c", "-c", community, "-On", "-OQ", "-Oe", "-Ot",
                     f"{address}:{port}", oid)
    out = {}
    for line in lines:
        name, _, value = line.partition(" = ")
        if name.startswith("." + oid + "."):
            out[name[len(oid) + 2:]] = value.strip().strip('"')
    return out


def wait_for_agent(address: str, port: int, community: str, seconds: int) -> None:
    """Until the agent answers a GET, re-sent every second (net-snmp's retries): a request sent before the agent
    bound its port is lost, one sent while it opens a recording waits in the socket and is answered then."""
    proc = subprocess.run(["snmpget", "-v2c", "-c", community, "-t", "1", "-r", str(seconds - 1), f"{address}:{port}",
                           "1.3.6.1.2.1.1.3.0"], capture_output=True, text=True, timeout=seconds + 30)
    if proc.returncode != 0 or "Timeticks" not in proc.stdout:
        raise RuntimeError(f"agent {address}:{port} did not start")


def start_snmpsim(log: Path, address: str, names: dict[str, str]) -> subprocess.Popen:
    """snmpsim on ``address``; the data files live in one fixed directory so their index is built once."""
    data = WORK / "data"
    data.mkdir(parents=True, exist_ok=True)
    for community, rel in names.items():
        dest = data / f"{community}.snmprec"  # decompressed: snmpsim reads .bz2 files too, but far too slowly
        if not dest.exists():
            with bz2.open(RECORDINGS / rel) as src, open(f"{dest}.tmp", "wb") as out:
                shutil.copyfileobj(src, out)
            os.replace(f"{dest}.tmp", dest)
    env = dict(os.environ, SNMPSIM_ALLOW_ROOT="true")
    with open(log, "w") as err:
        return subprocess.Popen(
            [str(Path(sys.executable).parent / "snmpsim-command-responder"), f"--data-dir={data}",
             f"--cache-dir={WORK / 'cache'}", f"--agent-udpv4-endpoint={address}:{SIM_PORT}"],
            stdout=subprocess.DEVNULL, stderr=err, env=env, start_new_session=True,
        )


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory):
    """snmpsim serving the three recordings; the community picks the device."""
    proc = start_snmpsim(tmp_path_factory.mktemp("snmpsim") / "snmpsim.log", SIM_ADDRESS, RECORDED)
    try:
        for community in RECORDED:
            wait_for_agent(SIM_ADDRESS, SIM_PORT, community, 300)  # opening a recording takes up to a minute
        yield SIM_ADDRESS
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def snmpd(tmp_path_factory: pytest.TempPathFactory):
    """net-snmp snmpd with a v2c community and a v3 authPriv user; secrets only in 0600 files."""
    tmp = tmp_path_factory.mktemp("snmpd")
    conf = tmp / "snmpd.conf"
    fd = os.open(conf, os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(f"rocommunity netops-v2 127.0.0.0/8\nrouser {V3_USER} priv\n"
                 f"createUser {V3_USER} SHA \"{V3_AUTH}\" AES \"{V3_PRIV}\"\n")
    env = dict(os.environ, SNMP_PERSISTENT_DIR=str(tmp / "persist"))
    proc = subprocess.Popen(
        ["snmpd", "-f", "-Lf", str(tmp / "snmpd.log"), "-C", "-c", str(conf), f"udp:{SNMPD_ADDRESS}:{SIM_PORT}"],
        env=env, start_new_session=True,
    )
    try:
        wait_for_agent(SNMPD_ADDRESS, SIM_PORT, "netops-v2", 30)
        yield SNMPD_ADDRESS
    finally:
        stop(proc)


def sim(host: str, community: str, platform: str, role: str = "wlc", **kw) -> PollTarget:
    """A target on the recordings agent (snmpsim answers slowly: generous timeout unless given)."""
    kw = {"timeout": 5.0, "retries": 2, **kw}
    return PollTarget(host, platform, SnmpTarget(SIM_ADDRESS, SIM_PORT, community=community, **kw), role=role)


CONTROLLERS = {  # community -> (platform, AP name column, clients column, SSID counts column, SSID names column)
    "wlc": ("cisco_wlc", "1.3.6.1.4.1.14179.2.2.1.1.3", "1.3.6.1.4.1.14179.2.2.2.1.15",
            "1.3.6.1.4.1.14179.2.1.1.1.38", "1.3.6.1.4.1.14179.2.1.1.1.2"),
    "aruba": ("aruba_os", "1.3.6.1.4.1.14823.2.2.1.5.2.1.4.1.3", "1.3.6.1.4.1.14823.2.2.1.5.2.1.5.1.7",
              "1.3.6.1.4.1.14823.2.2.1.5.2.1.8.1.2", None),
}


@pytest.mark.parametrize("community", sorted(CONTROLLERS))
def test_controller_aps_and_clients_equal_net_snmp(recordings: str, community: str) -> None:
    platform, name_col, clients_col, counts_col, names_col = CONTROLLERS[community]
    [s] = poll_sync([sim(community, community, platform)], PysnmpBackend, deadline=120)
    assert s.error is None and s.reachable
    names = bulkwalk(community, name_col)
    clients = bulkwalk(community, clients_col)
    assert len(s.aps) == len(names) > 0
    assert sum(a.clients for a in s.aps) == sum(int(v) for v in clients.values())
    counts = bulkwalk(community, counts_col)
    if names_col:
        ssid_names = bulkwalk(community, names_col)
        expected: dict[str, int] = {}
        for idx, n in counts.items():
            expected[ssid_names[idx]] = expected.get(ssid_names[idx], 0) + int(n)
    else:  # Aruba: the ESSID is the (length-prefixed) index
        expected = {bytes(int(x) for x in idx.split(".")[1:]).decode(): int(n) for idx, n in counts.items()}
    assert s.clients_per_ssid == expected


def test_aireos_ap_status_and_model_equal_net_snmp(recordings: str) -> None:
    [s] = poll_sync([sim("wlc", "wlc", "cisco_wlc")], PysnmpBackend, deadline=120)
    status = bulkwalk("wlc", "1.3.6.1.4.1.14179.2.2.1.1.6")
    models = set(bulkwalk("wlc", "1.3.6.1.4.1.14179.2.2.1.1.16").values())
    assert sum(a.status == "up" for a in s.aps) == sum(v in ("1", "associated") for v in status.values())
    assert {a.model for a in s.aps} == models


def test_switch_interfaces_equal_net_snmp(recordings: str) -> None:
    [s] = poll_sync([sim("sw", "c3560", "cisco_xe", role="access")], PysnmpBackend, deadline=60)
    assert s.error is None and s.aps is None  # a switch is not a controller
    descr = bulkwalk("c3560", "1.3.6.1.2.1.2.2.1.2")
    hc_in = bulkwalk("c3560", "1.3.6.1.2.1.31.1.1.1.6")
    oper = bulkwalk("c3560", "1.3.6.1.2.1.2.2.1.8")
    assert {str(i.index): i.descr for i in s.interfaces} == descr
    assert {str(i.index): str(i.in_octets) for i in s.interfaces if i.in_octets is not None} == hc_in
    assert sum(i.oper_status == "up" for i in s.interfaces) == sum(v in ("1", "up") for v in oper.values())
    assert s.sys_uptime == int(net_snmp("snmpget", "-v2c", "-c", "c3560", "-Ovt", f"{SIM_ADDRESS}:{SIM_PORT}",
                                        "1.3.6.1.2.1.1.3.0")[0])


@pytest.mark.parametrize("version", ["2c", "3"])
def test_snmpd_v2c_and_v3_equal_net_snmp(snmpd: str, version: str) -> None:
    if version == "3":
        snmp = SnmpTarget(snmpd, SIM_PORT, version="3", user=V3_USER, auth_key=V3_AUTH, priv_key=V3_PRIV)
        cli = ["-v3", "-l", "authPriv", "-u", V3_USER, "-a", "SHA", "-A", V3_AUTH, "-x", "AES", "-X", V3_PRIV]
    else:
        snmp = SnmpTarget(snmpd, SIM_PORT, community="netops-v2")
        cli = ["-v2c", "-c", "netops-v2"]
    [s] = poll_sync([PollTarget("linux", "openwrt", snmp)], PysnmpBackend, deadline=30)
    assert s.error is None, s.error
    sys_name = net_snmp("snmpget", *cli, "-Ovq", f"{snmpd}:{SIM_PORT}", "1.3.6.1.2.1.1.5.0")[0].strip('"')
    assert s.sys_name == sys_name
    descr = net_snmp("snmpbulkwalk", *cli, "-Ovq", f"{snmpd}:{SIM_PORT}", "1.3.6.1.2.1.2.2.1.2")
    assert sorted(i.descr for i in s.interfaces) == sorted(d.strip('"') for d in descr)
    total, avail = (int(v) for v in net_snmp("snmpget", *cli, "-Ovq", f"{snmpd}:{SIM_PORT}",
                                             "1.3.6.1.4.1.2021.4.5.0", "1.3.6.1.4.1.2021.4.6.0"))
    assert s.memory_percent == pytest.approx(100 * (total - avail) / total, abs=2)  # UCD-SNMP-MIB memory


def test_failures_are_per_device_and_bounded(recordings: str, snmpd: str) -> None:
    targets = [
        sim("good", "c3560", "cisco_xe", role="access"),
        sim("wrong-community", "nope", "cisco_xe", timeout=1, retries=1),
        PollTarget("silent", "cisco_xe", SnmpTarget("127.37.2.99", SIM_PORT, community="x", timeout=1, retries=1)),
        PollTarget("bad-v3-key", "openwrt", SnmpTarget(snmpd, SIM_PORT, version="3", user=V3_USER,
                                                       auth_key="wrong-auth-key", priv_key=V3_PRIV, timeout=1, retries=0)),
        PollTarget("unknown-v3-user", "openwrt", SnmpTarget(snmpd, SIM_PORT, version="3", user="nobody",
                                                            auth_key=V3_AUTH, priv_key=V3_PRIV, timeout=1, retries=0)),
    ]
    samples = {s.host: s for s in poll_sync(targets, PysnmpBackend, deadline=10)}
    assert samples["good"].error is None and samples["good"].interfaces
    for host in ("wrong-community", "silent", "bad-v3-key", "unknown-v3-user"):
        assert not samples[host].reachable
        assert samples[host].error.startswith("sysUpTime: get:"), samples[host].error
        assert samples[host].elapsed <= 10 + 1  # the device deadline holds
    assert "unknown" in samples["unknown-v3-user"].error.lower()


class KillingBackend(PysnmpBackend):
    """The real backend; the agent process is killed once ``after`` requests have been answered."""

    def __init__(self, proc: subprocess.Popen, after: int) -> None:
        super().__init__()
        self.proc, self.after, self.sent = proc, after, 0

    async def _requester(self, target, bulk):  # type: ignore[override]
        request = await super()._requester(target, bulk)

        async def counted(oids, reps):
            answer = await request(oids, reps)
            self.sent += 1
            if self.sent == self.after:
                os.killpg(self.proc.pid, signal.SIGKILL)
            return answer

        return counted


def test_agent_going_away_mid_walk(recordings: str, tmp_path: Path) -> None:
    proc = start_snmpsim(tmp_path / "snmpsim.log", "127.37.2.2", {"c3560": RECORDED["c3560"]})
    try:
        wait_for_agent("127.37.2.2", SIM_PORT, "c3560", 120)
        targets = [PollTarget("vanishing", "cisco_xe", SnmpTarget("127.37.2.2", SIM_PORT, community="c3560", timeout=1, retries=1)),
                   sim("other", "wlc", "cisco_wlc")]
        # the 3rd answer is mid-way through the interface walk of the first device
        samples = poll_sync(targets, lambda: KillingBackend(proc, 3), concurrency=1, deadline=60)
    finally:
        stop(proc)
    vanished, other = samples
    assert vanished.reachable and vanished.error.startswith("interfaces: walk"), vanished.error
    assert "No SNMP response" in vanished.error
    assert other.error is None and len(other.aps) > 0


# -- the command line, with an inventory of the recorded devices ---------------------------------


@pytest.fixture
def lab_env(recordings: str, tmp_path: Path) -> dict[str, str]:
    """An inventory of the recorded devices (SNMPv2c, communities from the environment)."""
    inv = tmp_path / "inventory"
    inv.mkdir()
    hosts = {  # name: (platform, role, site, address, community)
        "srn-wlc-1": ("cisco_wlc", "wlc", "srinagar", SIM_ADDRESS, "wlc"),
        "jmu-wlc-1": ("aruba_os", "wlc", "jammu", SIM_ADDRESS, "aruba"),
        "jmu-acc-1": ("cisco_xe", "access", "jammu", SIM_ADDRESS, "c3560"),
        "srn-acc-9": ("cisco_xe", "access", "srinagar", "127.37.2.98", "c3560"),
    }
    env = dict(os.environ, NETOPS_INVENTORY=str(inv), NETOPS_DATA_DIR=str(tmp_path / "data"), NETOPS_LAB="0")
    lines = []
    for name, (platform, role, site, address, community) in hosts.items():
        var = f"H7_TEST_COMMUNITY_{community.upper()}"
        env[var] = community
        lines.append(f"{name}:\n  hostname: {address}\n  platform: {platform}\n  data:\n    site: {site}\n    role: {role}\n"
                     f"    snmp: {{version: 2c, community_env: {var}, port: {SIM_PORT}, timeout: 5, retries: 2}}\n")
    (inv / "hosts.yaml").write_text("".join(lines))
    (inv / "groups.yaml").write_text("{}\n")
    (inv / "defaults.yaml").write_text("{}\n")
    return env


def netops(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "netops", *args], env=env, capture_output=True, text=True, timeout=300)


def test_cli_poll_once_json_status_and_exporter(lab_env: dict[str, str]) -> None:
    proc = netops(lab_env, "poll", "--once", "--json", "--timeout", "60")
    assert proc.returncode == 1  # one host failed
    hosts = {h["host"]: h for h in json.loads(proc.stdout)}
    wlc = hosts["srn-wlc-1"]
    assert wlc["reachable"] and wlc["error"] is None and isinstance(wlc["sys_uptime"], int)
    assert len(wlc["aps"]) == len(bulkwalk("wlc", "1.3.6.1.4.1.14179.2.2.1.1.3"))
    assert set(wlc["interfaces"][0]) >= {"name", "oper_status", "in_octets", "out_octets", "in_errors"}
    assert "aps" not in hosts["jmu-acc-1"]
    assert not hosts["srn-acc-9"]["reachable"] and "No SNMP response" in hosts["srn-acc-9"]["error"]

    checked = netops(lab_env, "status", "--json")
    assert checked.returncode == 1  # a monitoring check: a device is down
    status = json.loads(checked.stdout)
    srinagar = status["sites"]["srinagar"]
    assert (srinagar["devices_up"], srinagar["devices_down"]) == (1, 1)
    assert srinagar["aps_up"] == sum(a["status"] == "up" for a in wlc["aps"])
    assert srinagar["clients"] == sum(wlc["clients_per_ssid"].values())
    assert [a["kind"] for a in srinagar["alerts"]] == ["device_down"]

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exporter = subprocess.Popen([sys.executable, "-m", "netops", "exporter", "--listen", f"127.0.0.1:{port}"],
                                env=lab_env, stderr=subprocess.PIPE, text=True)
    try:
        assert "serving" in exporter.stderr.readline()
        text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    finally:
        exporter.send_signal(signal.SIGTERM)
        assert exporter.wait(10) == 0
    with socket.socket() as taken:  # the port is in use: one line, exit 2, no traceback
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = netops(lab_env, "exporter", "--listen", f"127.0.0.1:{taken.getsockname()[1]}")
    assert busy.returncode == 2 and "Traceback" not in busy.stderr
    assert busy.stderr.strip().count("\n") == 0 and "cannot listen on 127.0.0.1" in busy.stderr
    ap_lines = [line for line in text.splitlines() if line.startswith("netops_ap_up{") and 'controller="srn-wlc-1"' in line]
    assert len(ap_lines) == len(wlc["aps"])
    assert 'netops_device_up{host="srn-acc-9",platform="cisco_xe",site="srinagar"} 0.0' in text
    assert 'netops_alert_active{host="srn-acc-9",kind="device_down"' in text


def test_cli_poll_interval_stops_cleanly_on_sigterm(lab_env: dict[str, str]) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "netops", "poll", "--interval", "1", "--host", "jmu-acc-1"],
                            env=lab_env, stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        while "polled" not in line:  # one line per finished cycle
            line = proc.stderr.readline()
            assert line, "poll --interval ended before its first cycle"
        assert "polled 1 devices, 0 failed" in line
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    db = Path(lab_env["NETOPS_DATA_DIR"]) / "netops.db"

    assert sqlite3.connect(db).execute("SELECT count(*) FROM snmp_poll").fetchone()[0] >= 1
