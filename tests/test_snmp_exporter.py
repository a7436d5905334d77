"""The Prometheus exposition never passes old figures off as current ones."""

from __future__ import annotations

import time
from pathlib import Path

from prometheus_client import CollectorRegistry, generate_latest

from netops.snmp import history
from netops.snmp.exporter import HistoryCollector
from netops.snmp.sample import DeviceSample, InterfaceSample


def _poll(data_dir: Path, reachable: bool) -> None:
    now = time.time()
    interfaces = [InterfaceSample(1, "GigabitEthernet1/0/1", oper_status="up", in_octets=10, out_octets=20)] if reachable else []
    sample = DeviceSample("jmu-acc-1", "cisco_xe", "jammu", "access", now, reachable=reachable, interfaces=interfaces,
                          error=None if reachable else "No SNMP response")
    with history.open_history(data_dir) as conn:
        history.store_poll(conn, [sample], now, now)


def _scrape(data_dir: Path) -> str:
    registry = CollectorRegistry()
    registry.register(HistoryCollector(data_dir))
    return generate_latest(registry).decode()


def test_interfaces_of_a_device_that_stopped_answering_are_not_exported(tmp_path: Path) -> None:
    _poll(tmp_path, reachable=True)
    text = _scrape(tmp_path)
    assert 'netops_device_up{host="jmu-acc-1",platform="cisco_xe",site="jammu"} 1.0' in text
    assert 'netops_interface_oper_up{host="jmu-acc-1",interface="GigabitEthernet1/0/1"} 1.0' in text
    _poll(tmp_path, reachable=False)
    text = _scrape(tmp_path)
    assert 'netops_device_up{host="jmu-acc-1",platform="cisco_xe",site="jammu"} 0.0' in text
    assert 'netops_interface_oper_up{host="jmu-acc-1"' not in text
    assert 'netops_interface_in_octets_total{host="jmu-acc-1"' not in text
