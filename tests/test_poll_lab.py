"""``netops poll`` against the lab's agents (SNMPv3 authPriv from the inventory), cross-checked with net-snmp."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from labs.state import LabState
from netops.drivers import get_driver

pytestmark = [pytest.mark.lab, pytest.mark.slow]


def v3_walk(node, oid: str) -> dict[str, str]:
    """``snmpbulkwalk -v3 authPriv`` (keys via a 0600 config file, not the command line)."""
    out = subprocess.run(
        ["snmpbulkwalk", "-v3", "-l", "authPriv", "-u", node.snmp_v3_user, "-a", "SHA", "-x", "AES",
         "-On", "-OQ", "-Oe", "-Ot", f"{node.host}:{node.snmp_port}", oid],
        env=dict(os.environ, SNMPCONFPATH=_conf_dir(node)), capture_output=True, text=True, timeout=60, check=True,
    ).stdout
    rows = {}
    for line in out.splitlines():
        name, _, value = line.partition(" = ")
        if name.startswith("." + oid + "."):
            rows[name[len(oid) + 2:]] = value.strip().strip('"')
    return rows


_CONF: dict[str, str] = {}


def _conf_dir(node) -> str:
    if node.name not in _CONF:
        import tempfile

        d = tempfile.mkdtemp(prefix="h7-snmpconf-")
        fd = os.open(f"{d}/snmp.conf", os.O_WRONLY | os.O_CREAT, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(f"defAuthPassphrase {node.snmp_v3_auth_key}\ndefPrivPassphrase {node.snmp_v3_priv_key}\n")
        _CONF[node.name] = d
    return _CONF[node.name]


def test_poll_lab_controllers_equal_net_snmp(lab: LabState) -> None:
    proc = subprocess.run([sys.executable, "-m", "netops", "poll", "--once", "--json", "--role", "wlc"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    polled = {h["host"]: h for h in json.loads(proc.stdout)}
    controllers = [n for n in lab.nodes if n.role == "wlc" and n.name in polled]
    assert controllers
    for node in controllers:
        got = polled[node.name]
        assert got["error"] is None and got["reachable"], got["error"]
        profile = get_driver(node.platform).snmp
        names = v3_walk(node, profile.aps.name)
        assert sorted(a["name"] for a in got["aps"]) == sorted(names.values())
        assert sorted(a["name"] for a in got["aps"]) == sorted(n.name for n in lab.nodes if n.labels.get("netops-controller") == node.name)
        counts = v3_walk(node, profile.ssids.counts)
        assert sum(got["clients_per_ssid"].values()) == sum(int(v) for v in counts.values())


def test_poll_lab_switch_interfaces_equal_net_snmp(lab: LabState) -> None:
    node = next(n for n in lab.nodes if n.role == "access" and not n.faults)
    proc = subprocess.run([sys.executable, "-m", "netops", "poll", "--once", "--json", "--host", node.name],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    [got] = json.loads(proc.stdout)
    descr = v3_walk(node, "1.3.6.1.2.1.2.2.1.2")
    assert len(got["interfaces"]) == len(descr)
    oper = v3_walk(node, "1.3.6.1.2.1.2.2.1.8")
    assert sum(i["oper_status"] == "up" for i in got["interfaces"]) == sum(v in ("1", "up") for v in oper.values())


def test_poll_a_controller_managed_ap_reports_its_controllers_word(lab: LabState) -> None:
    """``poll --once --host AP``: the AP has no agent; its row comes from its controller's AP table (net-snmp agrees)."""
    ap = next(n for n in lab.nodes if n.role == "ap" and n.labels.get("netops-controller", "").endswith("wlc-1"))
    controller = lab.node(ap.labels["netops-controller"])
    assert controller is not None
    proc = subprocess.run([sys.executable, "-m", "netops", "poll", "--once", "--json", "--host", ap.name],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    [row] = json.loads(proc.stdout)  # only what was asked for, although the controller was polled for it
    assert (row["host"], row["status"], row["controller"], row["ap_status"]) == (ap.name, "ok", controller.name, "up")
    names = v3_walk(controller, get_driver(controller.platform).snmp.aps.name)
    assert ap.name in names.values()
    table = subprocess.run([sys.executable, "-m", "netops", "poll", "--once", "--host", ap.name],
                           capture_output=True, text=True, timeout=300, env=dict(os.environ, COLUMNS="200"))
    assert table.returncode == 0 and f"state from its controller {controller.name}" in table.stdout
