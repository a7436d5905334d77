"""Configuration edits of the simulated CLIs, data-driven from ``tests/data/lab/edits/<platform>/<case>/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from labs.sim.device import RUNNING, SimNode
from labs.sim.platforms import SESSIONS
from labs.state import NodeRuntime

EDITS = Path(__file__).parent / "data" / "lab" / "edits"
CASES = sorted(p for p in EDITS.glob("*/*") if p.is_dir())


def session_on(platform: str, config: str, tmp_path: Path):
    (tmp_path / RUNNING).write_text(config)
    runtime = NodeRuntime(name="dut", platform=platform, role="", site="", host="127.0.0.1", ssh_port=None, snmp_port=None,
                          username="u", password="p", enable_secret="s", snmp_community="c", snmp_v3_user="v",
                          snmp_v3_auth_key="a" * 8, snmp_v3_priv_key="b" * 8, config_path=str(tmp_path / RUNNING))
    node = SimNode(runtime, tmp_path, SESSIONS[platform])
    return node, SESSIONS[platform](node)


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_edit_case(case: Path, tmp_path: Path):
    platform = case.parent.name
    node, cli = session_on(platform, (case / "before.cfg").read_text(), tmp_path)
    cli.privileged = True
    if hasattr(cli, "path"):
        cli.handle("configure terminal")
    for line in (case / "commands.txt").read_text().splitlines():
        reply = cli.handle(line)
        assert not any(e in reply.text for e in ERRORS), line
    assert node.text() == (case / "after.cfg").read_text()
    assert (tmp_path / RUNNING).read_text() == node.text()  # mirrored to the node's file


ERRORS = ("Invalid", "Incorrect", "Request failed")  # what the simulated CLIs answer to a refused command

ROUND_TRIPS = [
    # node of labs/secretariat.clab.yml, commands that damage its configuration
    ("jmu-acc-1", ["configure terminal", "no vlan 110", "interface GigabitEthernet1/0/1", "description HACKED",
                   "switchport access vlan 999", "vlan 555", "name ROGUE", "no snmp-server location", "end"]),
    ("jmu-core-1", ["configure terminal", "no interface Vlan110", "no router ospf 10", "interface Vlan20", "shutdown", "end"]),
    ("srn-wlc-aireos", ["config wlan disable 1", "config wlan disable 3", "config wlan delete 3", "config wlan disable 2",
                        "config wlan interface 2 staff", "config wlan enable 2"]),
]


@pytest.mark.parametrize("name, damage", ROUND_TRIPS, ids=[r[0] for r in ROUND_TRIPS])
def test_restore_remediation_round_trip(name: str, damage: list[str], tmp_path: Path):
    """What restore does: the driver's remediation, applied to the damaged device, leaves nothing to do."""
    from labs import DEFAULT_TOPOLOGY
    from netops.drivers import get_driver
    from netops.inventory.clab import load_topology

    node = load_topology(DEFAULT_TOPOLOGY).node(name)
    intended = SESSIONS[node.platform].normalize(node.config_text())
    sim, cli = session_on(node.platform, intended, tmp_path)
    cli.privileged = True
    for line in damage:
        cli.handle(line)
    driver = get_driver(node.platform)
    commands = driver.remediation(sim.text(), intended)
    assert commands
    enter = ["configure terminal"] if hasattr(cli, "path") else []
    for line in enter + [c for c in commands if not c.startswith("!")]:
        reply = cli.handle(line)
        assert not any(e in reply.text for e in ERRORS), line
    assert driver.remediation(sim.text(), intended) == []
