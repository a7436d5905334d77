"""The ``down`` fault: a powered-off node, and the nodes it cuts off from the core of their site."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from lab_client import netmiko_params
from netmiko import ConnectHandler
from netmiko.exceptions import NetmikoTimeoutException, ReadTimeout

from labs import runner
from labs.sim.campus import Wire, cut_off
from labs.state import LabState, NodeRuntime, load_state

pytestmark = pytest.mark.lab
SYS_NAME = "1.3.6.1.2.1.1.5.0"


def sys_name(node: NodeRuntime) -> str | None:
    """sysName over SNMP v2c with a 1 s timeout; None when the agent is silent."""
    proc = subprocess.run(["snmpget", "-v2c", "-c", node.snmp_community, "-t", "1", "-r", "0", "-Oqv",
                           f"{node.host}:{node.snmp_port}", SYS_NAME], capture_output=True, text=True, timeout=10)
    return proc.stdout.strip().strip('"') if proc.returncode == 0 else None


def answers(node: NodeRuntime) -> bool:
    """Whether an SSH login reaches a prompt within a few seconds."""
    try:
        conn = ConnectHandler(**netmiko_params(node, conn_timeout=3, auth_timeout=3, banner_timeout=3,
                                               read_timeout_override=3, fast_cli=False))
    except (NetmikoTimeoutException, ReadTimeout, ValueError, OSError, EOFError):
        return False
    try:
        return bool(conn.find_prompt())
    except (ReadTimeout, ValueError, OSError, EOFError):
        return False
    finally:
        conn.disconnect()


@pytest.fixture
def power(lab: LabState) -> Iterator[Callable[[str], NodeRuntime]]:
    """Switch nodes off for one test; every node switched back on afterwards."""
    lab_dir = lab_dir_of()
    switched: list[str] = []

    def off(name: str) -> NodeRuntime:
        switched.append(name)
        runner.set_fault(lab_dir, name, "down")
        time.sleep(0.3)  # the workers look at the state file every 0.1 s
        node = lab.node(name)
        assert node is not None
        return node

    yield off
    for name in switched:
        if "down" in (node(lab_dir_state(), name).faults):
            runner.set_fault(lab_dir, name, "down", clear=True)
    time.sleep(0.3)


def lab_dir_state() -> LabState:
    state = load_state(lab_dir_of())
    assert state is not None
    return state


def node(lab: LabState, name: str) -> NodeRuntime:
    found = lab.node(name)
    assert found is not None
    return found


def test_cut_off_follows_the_links():
    nodes = {"core1": ("core", "s"), "core2": ("core", "s"), "acc": ("access", "s"), "wlc": ("wlc", "s"),
             "ap": ("ap", "s"), "loose": ("access", "s"), "other": ("core", "t")}
    cabling = [Wire("core1", "a", "acc", "a"), Wire("core2", "b", "acc", "b"), Wire("core1", "c", "wlc", "a"),
               Wire("acc", "c", "ap", "a"), Wire("core1", "d", "core2", "d")]
    assert cut_off(nodes, cabling, set()) == set()
    assert cut_off(nodes, cabling, {"core1"}) == {"wlc"}
    assert cut_off(nodes, cabling, {"acc"}) == {"ap"}
    assert cut_off(nodes, cabling, {"core1", "core2"}) == {"acc", "wlc", "ap"}  # the whole site; "loose" never had a path


def test_stopping_jmu_core_1_cuts_off_jmu_wlc_1_only(lab: LabState, power):
    core = power("jmu-core-1")
    assert not answers(core) and sys_name(core) is None
    wlc = node(lab, "jmu-wlc-1")
    assert sys_name(wlc) is None
    assert not answers(wlc)
    for name in ("jmu-acc-1", "jmu-core-2", "jmu-wlc-2"):
        assert answers(node(lab, name)), name
    assert sys_name(node(lab, "jmu-ap-b1-f1-01")) == "jmu-ap-b1-f1-01"
    runner.set_fault(lab_dir_of(), "jmu-core-1", "down", clear=True)
    time.sleep(0.3)
    assert sys_name(wlc) == "jmu-wlc-1" and answers(wlc) and answers(core)


def test_stopping_srn_core_1_cuts_off_the_single_homed_switch(lab: LabState, power):
    power("srn-core-1")
    for name in ("srn-acc-4", "srn-wlc-aireos"):
        assert sys_name(node(lab, name)) is None, name
    assert sys_name(node(lab, "srn-ap-b2-f2-01")) is None  # behind srn-acc-4
    assert sys_name(node(lab, "srn-acc-3")) == "srn-acc-3"
    assert sys_name(node(lab, "srn-wlc-aruba")) == "srn-wlc-aruba"


def test_a_down_node_leaves_its_neighbours_tables(lab: LabState, power):
    from lab_client import connect

    power("jmu-acc-2")
    conn = connect(node(lab, "jmu-core-1"))
    try:
        out = conn.send_command("show cdp neighbors detail")
    finally:
        conn.disconnect()
    assert "jmu-acc-1.jmu" in out and "jmu-acc-2.jmu" not in out


def lab_dir_of() -> Path:
    """The session lab's directory (the ``lab`` fixture exports it)."""
    return Path(os.environ["NETOPS_LAB_DIR"])
