"""Each fault switch, observed from a real netmiko client."""

from __future__ import annotations

import time

import pytest
from lab_client import connect, netmiko_params
from netmiko import ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException, ReadTimeout

from labs import runner

pytestmark = pytest.mark.lab


@pytest.fixture
def faulty(sim_lab):
    """Set a fault on core1 for one test; cleared afterwards."""
    lab_dir, state = sim_lab
    node = state.node("core1")

    def set_fault(spec: str):
        runner.set_fault(lab_dir, node.name, spec)
        return node

    yield set_fault
    runner.set_fault(lab_dir, node.name, None, clear=True)


def full_config(node) -> str:
    conn = connect(node)
    try:
        return conn.send_command("show running-config")
    finally:
        conn.disconnect()


def test_auth_fail_refuses_good_credentials(faulty):
    node = faulty("auth-fail")
    with pytest.raises(NetmikoAuthenticationException):
        ConnectHandler(**netmiko_params(node))


def test_slow_delays_every_reply(faulty):
    node = faulty("slow=0.5")
    conn = ConnectHandler(**netmiko_params(node, read_timeout_override=30))
    try:
        start = time.monotonic()
        out = conn.send_command("show clock")
        assert time.monotonic() - start >= 0.5
        assert "UTC" in out
    finally:
        conn.disconnect()


def test_hang_accepts_then_never_answers(faulty):
    node = faulty("hang")
    with pytest.raises((ReadTimeout, ValueError, OSError)):
        conn = ConnectHandler(**netmiko_params(node, read_timeout_override=3, fast_cli=False))
        conn.send_command("show version", read_timeout=3)


def test_disconnect_closes_in_the_middle_of_the_config(faulty):
    node = faulty("disconnect")
    conn = ConnectHandler(**netmiko_params(node, read_timeout_override=5))
    conn.enable()
    with pytest.raises((ReadTimeout, OSError, EOFError)):
        conn.send_command("show running-config")
    conn.disconnect()


def test_truncate_sends_part_of_the_config_then_a_prompt(faulty, sim_lab):
    node = sim_lab[1].node("core1")
    complete = full_config(node)
    faulty("truncate")
    truncated = full_config(node)  # a normal prompt follows: netmiko returns normally
    assert truncated and complete.startswith(truncated.rstrip("\n"))
    assert len(truncated) < len(complete) * 0.6
    assert not truncated.rstrip().endswith("end")


def test_runtime_fault_and_clear_through_the_cli(sim_lab, netops_cli):
    lab_dir, state = sim_lab
    env = {"NETOPS_LAB_DIR": str(lab_dir)}
    rc, out, err = netops_cli("lab", "fault", "owrt1", "auth-fail", "--json", env=env)
    assert rc == 0, err
    assert '"auth-fail"' in out
    node = state.node("owrt1")
    with pytest.raises(NetmikoAuthenticationException):
        ConnectHandler(**netmiko_params(node))
    rc, out, err = netops_cli("lab", "fault", "owrt1", "slow=1", env=env)
    assert rc == 0 and ("slow=1, auth-fail" in out or "auth-fail, slow=1" in out), out
    rc, out, err = netops_cli("lab", "fault", "owrt1", "--clear", "auth-fail", env=env)  # one fault, not all
    assert rc == 0 and out.strip() == "owrt1: faults slow=1", out
    rc, out, err = netops_cli("lab", "fault", "owrt1", "--clear", "auth-fail", env=env)
    assert rc == 2 and "owrt1 has no auth-fail fault" in err
    rc, out, err = netops_cli("lab", "fault", "owrt1", env=env)  # no FAULT: what it has, and how to add one
    assert rc == 0 and "slow=1" in out and "netops lab fault owrt1 FAULT" in out
    rc, out, err = netops_cli("lab", "fault", "owrt1", "--clear", env=env)
    assert rc == 0 and "none" in out
    conn = connect(node)
    assert conn.find_prompt() == "root@owrt1:~#"
    conn.disconnect()
    rc, out, err = netops_cli("lab", "fault", "owrt1", "explode", env=env)
    assert rc == 2 and "unknown fault 'explode'" in err
