"""The namespace tier end to end (root only; CI runs as root): FRR routers over SSH
and backed up, the probes' answers on the correct lab, and each deliberately
broken lab caught: the guest VLAN on a staff port (changed with netmiko through the
lab's SSH CLI, re-rendered on ``write memory``), a rogue DHCP server in the guest
VLAN. The probes read the probe plan the tier writes (built from the lab's own
reading of its configurations, never netops' parsers) and go through the same
code as on a campus; a tagged vantage from the AP trunk port exercises what an
admin laptop on a trunk port does (802.1Q frames, ARP answered for its own
address). Teardown leaves no namespace, process or file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import start_lab
from lab_client import connect

from labs import netns, runner
from labs.cli import netns_inputs
from labs.netns.state import NetnsState
from labs.state import LabState, load_state
from netops.cli import main
from netops.probe.segregation import DOUBLE, TAGGED
from netops.services import probe
from netops.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
TOPOLOGY = ROOT / "tests" / "data" / "probe" / "netns.clab.yml"
TOOLS = ("ovs-vswitchd", "ovsdb-server", "dnsmasq", "nft", "/usr/lib/frr/zebra", "/usr/sbin/sshd")

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not all(shutil.which(t) for t in TOOLS),
    reason="the namespace tier needs root, Open vSwitch, FRR, dnsmasq, nftables and sshd",
)


class Tier:
    def __init__(self, lab_dir: Path, data_dir: Path, lab: LabState, state: NetnsState) -> None:
        self.lab_dir, self.data_dir, self.lab, self.state = lab_dir, data_dir, lab, state

    def reload(self) -> NetnsState:
        state = netns.load(self.lab_dir)
        assert state is not None
        return state

    def settings(self, **flags) -> Settings:
        """Lab mode on this tier: the probes follow the plan the tier wrote."""
        return Settings.resolve(env={}, lab=True, lab_dir=self.lab_dir, data_dir=self.data_dir, **flags)


@pytest.fixture(scope="module")
def tier(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tier]:
    lab_dir = tmp_path_factory.mktemp("netns") / "run"
    data_dir = tmp_path_factory.mktemp("netns-data")
    lab = start_lab(lab_dir, TOPOLOGY)
    try:
        zones, dhcp = netns_inputs(Settings.resolve(env={}, lab=False))
        state = netns.up(lab_dir, lab, zones, dhcp)
        lab = load_state(lab_dir)
        assert lab is not None
        yield Tier(lab_dir, data_dir, lab, state)
    finally:
        netns.down(lab_dir)
        runner.down(lab_dir)


class Result:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = code, stdout, stderr


@pytest.fixture
def netops(tier: Tier, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """The real CLI entry point, in-process, on the tier's lab and a private data directory."""
    for key, value in {"COLUMNS": "200", "NETOPS_LAB_DIR": str(tier.lab_dir), "NETOPS_DATA_DIR": str(tier.data_dir),
                       "NETOPS_INVENTORY": str(ROOT / "inventory"), "NETOPS_BACKUP_DIR": str(tier.data_dir / "backups")}.items():
        monkeypatch.setenv(key, value)

    def run(*args: str) -> Result:
        monkeypatch.setattr(sys, "argv", ["netops", *args])
        with pytest.raises(SystemExit) as exc:
            main()
        out = capsys.readouterr()
        return Result(int(exc.value.code or 0), out.out, out.err)

    return run


def _configure(tier: Tier, node: str, commands: list[str]) -> None:
    runtime = tier.lab.node(node)
    assert runtime is not None
    conn = connect(runtime)
    try:
        conn.send_config_set(commands)
        conn.save_config()
    finally:
        conn.disconnect()


def _wait_rendered(tier: Tier, port: str, tag: int, timeout: float = 15.0) -> None:
    """The tier's watcher re-renders after ``write memory``: wait until the port carries ``tag``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if next(p for p in tier.reload().plan.ports if p.switch_port == port and p.node == "jmu-acc-1").tag == tag:
            return
        time.sleep(0.2)
    raise AssertionError(f"{port} not re-rendered to VLAN {tag} within {timeout} s")


def test_routers_speak_vtysh_over_ssh_and_are_backed_up(tier: Tier, netops) -> None:
    router = tier.lab.node("jmu-wan")
    assert router is not None and router.platform == "frr" and router.host.startswith("127.")
    conn = connect(router)
    try:
        assert conn.find_prompt() == "jmu-wan#"
        running = conn.send_command("show running-config")
        assert "hostname jmu-wan" in running and "router ospf" in running
    finally:
        conn.disconnect()
    _, up = runner.status(tier.lab_dir)
    assert up["jmu-wan"] and up["srn-wan"]
    proc = netops("--lab", "backup", "--host", "jmu-wan", "--host", "srn-wan", "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    shown = netops("backup", "show", "srn-wan")
    assert shown.returncode == 0 and "hostname srn-wan" in shown.stdout and "ip address 10.255.10.2/30" in shown.stdout


def test_segregation_on_the_correct_lab(tier: Tier) -> None:
    run = probe.segregation(tier.settings(), probe.PlanOptions(wait=1.0))
    assert run.origin == str(netns.plan_file(tier.lab_dir))
    cells = {(c["site"], c["source"], c["target"]): c for c in run.payload["cells"]}
    assert run.findings == []
    for site in ("jammu", "srinagar"):
        assert cells[(site, "staff", "ap-mgmt")]["reachable"]  # same VRF: routed
        for a, b in (("staff", "guest"), ("guest", "staff"), ("iot", "staff"), ("staff", "iot"), ("guest", "iot")):
            assert not cells[(site, a, b)]["reachable"] and cells[(site, a, b)]["required"] == "blocked"
        for zone in ("staff", "guest", "iot", "ap-mgmt"):  # the AP trunk carries every Wi-Fi zone
            assert cells[(site, TAGGED, zone)]["reachable"]
        assert not cells[(site, DOUBLE, "staff")]["reachable"]


def test_a_tagged_vantage_on_a_trunk_port_reaches_its_own_vlan_only(tier: Tier, tmp_path: Path) -> None:
    """What an admin laptop on a trunk port does on a campus: 802.1Q-tagged frames from an address it does not
    configure (netops answers ARP for it). From the AP trunk's injector, tagged into the staff VLAN, the staff
    gateway and staff host answer; the isolated guest host does not."""
    injector = tier.state.plan.injectors[0]
    staff = next(h for h in tier.state.plan.hosts if h.site == injector.site and h.zone == "staff")
    guest = next(h for h in tier.state.plan.hosts if h.site == injector.site and h.zone == "guest")
    plan = tmp_path / "laptop.yaml"
    net = staff.address.rsplit(".", 1)[0]
    plan.write_text(f"""\
vantages:
  - {{name: laptop-staff, site: {injector.site}, zone: staff, vlan: {staff.vlan}, interface: eth0, netns: {injector.ns},
     tagged: true, address: {net}.250/24, gateway: {staff.gateway}, device: {injector.node}}}
targets:
  - {{name: staff-host, site: {injector.site}, zone: staff, vlan: {staff.vlan}, address: {staff.address}}}
  - {{name: guest-host, site: {injector.site}, zone: guest, vlan: {guest.vlan}, address: {guest.address}}}
""")
    run = probe.segregation(tier.settings(probe_plan=plan), probe.PlanOptions(wait=1.0))
    cells = {c["target"]: c for c in run.payload["cells"]}
    assert cells["staff"]["reachable"] and any("echo reply" in e for e in cells["staff"]["evidence"])
    assert not cells["guest"]["reachable"] and cells["guest"]["required"] == "blocked"
    assert run.findings == []


def test_guest_vlan_on_a_staff_port_is_a_leak(tier: Tier, netops) -> None:
    _configure(tier, "jmu-acc-1", ["interface GigabitEthernet1/0/1", "switchport access vlan 900"])
    try:
        _wait_rendered(tier, "GigabitEthernet1/0/1", 900)
        proc = netops("--lab", "probe", "segregation", "--json")
        assert proc.returncode == 1, proc.stderr
        out = json.loads(proc.stdout)
        leaks = {(f["rule"], f["site"], f["object"]) for f in out["findings"]}
        assert ("PROBE-SEG-001", "jammu", "staff -> guest") in leaks
        assert all(site == "jammu" for _, site, _ in leaks)  # the other campus is untouched
        staff_guest = next(f for f in out["findings"] if f["object"] == "staff -> guest")
        assert staff_guest["host"] == "jmu-acc-1" and "GigabitEthernet1/0/1" in staff_guest["message"]
        empty = tier.data_dir / "no-configs"
        empty.mkdir(exist_ok=True)
        check = netops("check", "--backup-dir", str(empty), "--json")
        assert check.returncode == 1
        merged = [f for f in json.loads(check.stdout)["findings"] if f["source"] == "segregation"]
        assert {f["object"] for f in merged} >= {"staff -> guest"}
    finally:
        _configure(tier, "jmu-acc-1", ["interface GigabitEthernet1/0/1", "switchport access vlan 110"])
        _wait_rendered(tier, "GigabitEthernet1/0/1", 110)
    after = probe.segregation(tier.settings()).findings
    assert after == [], [f"{f.object}: {f.message}" for f in after]


def test_dhcp_offers_come_from_authorised_servers(tier: Tier) -> None:
    relayed = probe.dhcp(tier.settings(), probe.PlanOptions(vantages=("jmu-staff",)))
    offers = [o for p in relayed.payload["probes"] for o in p["offers"]]
    assert [(o["server_id"], o["authorised"]) for o in offers] == [("10.10.5.10", True)]
    assert offers[0]["offered"].startswith("10.10.110.")
    injector = tier.state.plan.injectors[0]
    tagged = probe.dhcp(tier.settings(), probe.PlanOptions(vantages=(injector.ns.split("-", 1)[1],)), vlan=900)
    assert [(o["server_id"], o["authorised"]) for p in tagged.payload["probes"] for o in p["offers"]] == [("10.10.90.2", True)]
    assert relayed.findings == tagged.findings == []


def test_rogue_dhcp_server_in_the_guest_vlan(tier: Tier, netops) -> None:
    guest = tier.state.host("jmu-guest")
    assert guest is not None
    rogue = subprocess.Popen(
        ["ip", "netns", "exec", guest.ns, "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--port=0",
         "--bind-interfaces", "--interface=eth0", "--no-ping", "--dhcp-range=10.10.90.150,10.10.90.160,255.255.254.0,1h",
         f"--dhcp-leasefile={tier.data_dir / 'rogue.leases'}"], stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        proc = netops("--lab", "probe", "dhcp", "--vlan", "900", "--json")
        assert proc.returncode == 1, proc.stderr
        out = json.loads(proc.stdout)
        offers = {(p["site"], o["server_id"], o["authorised"]) for p in out["probes"] for o in p["offers"]}
        assert ("jammu", "10.10.90.2", True) in offers and ("jammu", "10.10.90.100", False) in offers
        assert [(f["rule"], f["object"], f["site"]) for f in out["findings"]] == [("PROBE-DHCP-001", "VLAN 900", "jammu")]
        assert "10.10.90.100" in out["findings"][0]["message"]
    finally:
        rogue.terminate()
        rogue.wait(10)


def test_unknown_vantage_is_exit_2(tier: Tier, netops) -> None:
    proc = netops("--lab", "probe", "dhcp", "--vantage", "no-such-host")
    assert proc.returncode == 2 and "no-such-host" in proc.stderr
    old = netops("--lab", "probe", "dhcp", "--netns", "jmu-stafff")  # the old spelling, with a typo
    assert old.returncode == 2 and "did you mean jmu-staff" in old.stderr


def test_down_leaves_no_namespace_process_or_file(tier: Tier) -> None:
    state = tier.reload()
    gate = state.gate_pid
    assert netns.down(tier.lab_dir)
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert state.plan.lab_id not in listed
    assert not any(Path(f"/run/netns/{ns}").exists() for ns in state.plan.namespaces)
    assert gate is not None and not Path(f"/proc/{gate}").exists()
    assert not Path(state.dir).exists()
    lab = load_state(tier.lab_dir)
    assert lab is not None and lab.node("jmu-wan") is None
    assert not netns.down(tier.lab_dir)  # safe to repeat
