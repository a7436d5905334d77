"""``netops poll --interval`` as a service: SIGHUP reads the inventory again; a bad edit keeps it polling."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

NETOPS = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "netops"

HOST = """{name}:
  hostname: 127.0.0.1
  groups: [platform_cisco_xe]
  data:
    site: jammu
    role: access
    snmp: {{version: 2c, community_env: NETOPS_TEST_COMMUNITY, port: {port}, timeout: 0.2, retries: 0}}
"""


def closed_port() -> int:
    """A UDP port on 127.0.0.1 nothing listens on (an agent that never answers)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_inventory(directory: Path, names: list[str], port: int) -> None:
    (directory / "groups.yaml").write_text("platform_cisco_xe:\n  platform: cisco_xe\n")
    (directory / "hosts.yaml").write_text("".join(HOST.format(name=n, port=port) for n in names))


def cycles(stream, count: int, timeout: float = 30.0) -> list[list[str]]:
    """The hosts of the next ``count`` cycles the service prints (one JSON document per cycle)."""
    found, buffer, deadline = [], "", time.monotonic() + timeout
    while len(found) < count and time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        buffer += line
        if line.rstrip() == "]":
            found.append(sorted(r["host"] for r in json.loads(buffer)))
            buffer = ""
    return found


@pytest.mark.matrix("poll service: inventory edited while it runs", "SIGHUP after adding a host, after a broken edit")
def test_sighup_reloads_the_inventory_and_a_bad_edit_keeps_the_old_one(tmp_path: Path) -> None:
    inventory, port = tmp_path / "inventory", closed_port()
    inventory.mkdir()
    write_inventory(inventory, ["sw-1"], port)
    env = {**os.environ, "NETOPS_INVENTORY": str(inventory), "NETOPS_DATA_DIR": str(tmp_path / "data"), "NETOPS_LAB": "0",
           "NETOPS_TEST_COMMUNITY": "public", "NETOPS_CONFIG": str(tmp_path / "netops.yaml")}
    (tmp_path / "netops.yaml").write_text("# the built-in configuration\n")
    proc = subprocess.Popen([str(NETOPS), "poll", "--interval", "1", "--timeout", "1", "--json"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert cycles(proc.stdout, 1) == [["sw-1"]]
        write_inventory(inventory, ["sw-1", "sw-2"], port)
        proc.send_signal(signal.SIGHUP)
        seen = cycles(proc.stdout, 3)
        assert ["sw-1", "sw-2"] in seen and seen[-1] == ["sw-1", "sw-2"]  # at most one cycle was already under way
        (inventory / "hosts.yaml").write_text("sw-3:\n  hostname: [not, an, address\n")  # a YAML error
        proc.send_signal(signal.SIGHUP)
        assert cycles(proc.stdout, 2)[-1] == ["sw-1", "sw-2"]  # still polling what it had
        assert proc.poll() is None
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "reloaded the inventory and thresholds" in err
    assert "reload failed, still polling what was loaded before" in err and "hosts.yaml" in err
    assert "Traceback" not in err
