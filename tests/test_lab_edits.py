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
        assert "Invalid" not in reply.text and "Incorrect" not in reply.text, line
    assert node.text() == (case / "after.cfg").read_text()
    assert (tmp_path / RUNNING).read_text() == node.text()  # mirrored to the node's file
