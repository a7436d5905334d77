"""End to end on the lab: a switch stops answering (``netops lab fault NODE hang``), ``netops poll --once`` raises
``device_down`` after ``device_down.after_polls`` polls and the alert mail arrives at a real SMTP server on 127.0.0.1;
clearing the fault brings the cleared mail."""

from __future__ import annotations

from pathlib import Path

import pytest

from labs.state import LabState

pytestmark = pytest.mark.lab


def test_a_hung_switch_is_mailed_down_then_up(lab: LabState, netops_cli, smtp, tmp_path: Path) -> None:
    inbox, port = smtp
    node = lab.node("jmu-acc-2") or next(n for n in lab.nodes if n.role == "access" and not n.faults)
    assert not node.faults
    (tmp_path / "thresholds.yaml").write_text("device_down:\n  after_polls: 2\n")
    config = tmp_path / "netops.yaml"
    config.write_text(f"""thresholds: thresholds.yaml
report:
  mail: {{smtp_host: 127.0.0.1, smtp_port: {port}, tls: none, from: netops@example.org}}
alerts:
  mail: {{to: [noc@example.org]}}
""")
    poll = ("--config", str(config), "--data-dir", str(tmp_path / "data"), "poll", "--once", "--host", node.name, "--timeout", "3")
    rc, out, err = netops_cli(*poll)
    assert rc == 0, err
    rc, out, err = netops_cli("lab", "fault", node.name, "hang")
    assert rc == 0, err
    try:
        rc, out, err = netops_cli(*poll)
        assert rc == 1 and not inbox.messages  # one silent poll is not a device down yet (after_polls: 2)
        rc, out, err = netops_cli(*poll)
        assert rc == 1 and "warning" not in err, err
        assert inbox.subjects() == [f"[netops] RAISED critical device_down {node.name}"]
        text = inbox.messages[0].get_content()
        assert f"{node.name} does not answer SNMP" in text and "netops status" in text
    finally:
        rc, out, err = netops_cli("lab", "fault", node.name, "--clear", "hang")
        assert rc == 0, err
    rc, out, err = netops_cli(*poll)
    assert rc == 0, err
    assert inbox.subjects() == [f"[netops] RAISED critical device_down {node.name}", f"[netops] CLEARED critical device_down {node.name}"]
    assert f"{node.name} answers again" in inbox.messages[1].get_content()
    rc, out, err = netops_cli("--config", str(config), "--data-dir", str(tmp_path / "data"), "alerts", "history", "--json")
    assert rc == 0, err
