"""Prometheus exposition of the latest SNMP figures, read from the history on every scrape."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from netops.snmp import history


def _latest(conn: sqlite3.Connection, table: str, key: str) -> list[sqlite3.Row]:
    """Rows of ``table`` from the latest poll of each device (``key`` names it), and only if that poll reached it:
    the figures of a device that stopped answering are not current, so they are not exported as if they were."""
    return conn.execute(
        f"""SELECT t.* FROM {table} t
            JOIN (SELECT host, max(poll_id) AS poll_id FROM snmp_device GROUP BY host) l
              ON t.{key} = l.host AND t.poll_id = l.poll_id
            JOIN snmp_device d ON d.host = l.host AND d.poll_id = l.poll_id AND d.reachable = 1"""
    ).fetchall()


class HistoryCollector(Collector):
    """Builds metric families from the newest poll of every host."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        conn = history.open_history(self.data_dir)
        try:
            yield from self._families(conn)
        finally:
            conn.close()

    def _families(self, conn: sqlite3.Connection) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        dev_labels = ["host", "site", "platform"]
        up = GaugeMetricFamily("netops_device_up", "1 if the device answered the last SNMP poll", labels=dev_labels)
        uptime = GaugeMetricFamily("netops_device_uptime_seconds", "sysUpTime", labels=dev_labels)
        cpu = GaugeMetricFamily("netops_device_cpu_percent", "CPU load", labels=dev_labels)
        mem = GaugeMetricFamily("netops_device_memory_percent", "Memory used", labels=dev_labels)
        polled = GaugeMetricFamily("netops_device_last_poll_timestamp_seconds", "When the device was last polled", labels=dev_labels)
        for d in history.latest_devices(conn):
            labels = [d["host"], d["site"] or "", d["platform"] or ""]
            up.add_metric(labels, float(d["reachable"]))
            polled.add_metric(labels, d["ts"])
            if d["sys_uptime"] is not None:
                uptime.add_metric(labels, d["sys_uptime"] / 100)
            if d["cpu"] is not None:
                cpu.add_metric(labels, d["cpu"])
            if d["memory"] is not None:
                mem.add_metric(labels, d["memory"])
        yield from (up, uptime, cpu, mem, polled)

        if_labels = ["host", "interface"]
        oper = GaugeMetricFamily("netops_interface_oper_up", "1 if ifOperStatus is up", labels=if_labels)
        counters = {
            col: CounterMetricFamily(f"netops_interface_{col}", f"IF-MIB {col.replace('_', ' ')}", labels=if_labels)
            for col in ("in_octets", "out_octets", "in_errors", "out_errors", "in_discards", "out_discards")
        }
        bps = {
            col: GaugeMetricFamily(f"netops_interface_{col}", f"{col.split('_')[0]}put rate over the last poll interval", labels=if_labels)
            for col in ("in_bps", "out_bps")
        }
        for i in _latest(conn, "snmp_interface", "host"):
            labels = [i["host"], i["name"] or str(i["ifindex"])]
            oper.add_metric(labels, float(i["oper_status"] == "up"))
            for col, family in counters.items():
                if i[col] is not None:
                    family.add_metric(labels, i[col])
            for col, rate in bps.items():
                if i[col] is not None:
                    rate.add_metric(labels, i[col])
        yield oper
        yield from counters.values()
        yield from bps.values()

        ap_up = GaugeMetricFamily("netops_ap_up", "1 if the controller reports the AP up", labels=["controller", "ap", "model"])
        ap_clients = GaugeMetricFamily("netops_ap_clients", "Clients associated to the AP", labels=["controller", "ap"])
        for a in _latest(conn, "snmp_ap", "controller"):
            ap_up.add_metric([a["controller"], a["name"], a["model"] or ""], float(a["status"] == "up"))
            if a["clients"] is not None:
                ap_clients.add_metric([a["controller"], a["name"]], a["clients"])
        yield from (ap_up, ap_clients)

        ssid = GaugeMetricFamily("netops_ssid_clients", "Clients per SSID", labels=["controller", "ssid"])
        for s in _latest(conn, "snmp_ssid", "controller"):
            ssid.add_metric([s["controller"], s["ssid"]], s["clients"] or 0)
        yield ssid

        active = GaugeMetricFamily("netops_alert_active", "Active alerts", labels=["host", "kind", "subject", "severity"])
        for a in conn.execute("SELECT * FROM snmp_alert"):
            active.add_metric([a["host"], a["kind"], a["subject"], a["severity"]], 1.0)
        yield active
