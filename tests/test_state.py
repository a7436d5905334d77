"""The dashboard's picture (netops.services.state) when a store is empty or belongs to another inventory."""

from __future__ import annotations

import time
from contextlib import closing
from pathlib import Path

from netops.services.state import State
from netops.settings import Settings
from netops.snmp import history
from netops.snmp.sample import DeviceSample


def settings(tmp_path: Path) -> Settings:
    hosts = tmp_path / "hosts.yaml"
    hosts.write_text("sw1:\n  hostname: 192.0.2.1\n  platform: cisco_xe\n  data: {site: jammu, role: access}\n")
    return Settings.resolve(env={}, inventory=hosts, data_dir=tmp_path / "data")


def test_no_poll_yet_says_where_it_looked(tmp_path: Path) -> None:
    s = settings(tmp_path)
    reason = State(s).snapshot().missing["snmp"]
    assert f"the 1 hosts of inventory {s.inventory}" in reason and str(s.data_dir) in reason and "netops poll" in reason


def test_polls_of_other_hosts_point_at_the_inventory(tmp_path: Path) -> None:
    s = settings(tmp_path)
    with closing(history.open_history(s.data_dir)) as conn:
        now = time.time()
        history.store_poll(conn, [DeviceSample("srn-acc-1", "cisco_xe", "srinagar", "access", now, reachable=True)], now, now)
    reason = State(s).snapshot().missing["snmp"]
    assert "holds polls of 1 other host(s) (srn-acc-1)" in reason and "different inventory" in reason
