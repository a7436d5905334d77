"""Prometheus exposition of the latest SNMP figures, read from the history on every scrape.

A scrape reads one snapshot of the database (one read transaction: a poll stored meanwhile is in all of its
figures or in none), never creates or changes the database, and a database that is missing, corrupt or busy
beyond the scrape's patience is an HTTP 503 with a one-line reason (:func:`start_server`), not a 500 and a
traceback.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import make_wsgi_app
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from netops.snmp import history
from netops.stores.db import db_path

SCRAPE_BUSY_TIMEOUT = 10.0  # seconds a scrape waits on a locked database (Prometheus' default scrape timeout)


class HistoryUnavailable(Exception):
    """The history cannot be read; the message is the one-line reason served with the 503."""


def _latest(conn: sqlite3.Connection, table: str, key: str) -> list[sqlite3.Row]:
    """Rows of ``table`` from the latest poll of each device (``key`` names it), and only if that poll reached it:
    the figures of a device that stopped answering are not current, so they are not exported as if they were."""
    return conn.execute(
        f"""SELECT t.* FROM {table} t
            JOIN {history.LATEST_POLLS} l ON t.{key} = l.host AND t.poll_id = l.poll_id
            JOIN snmp_device d ON d.host = l.host AND d.poll_id = l.poll_id AND d.reachable = 1"""
    ).fetchall()


class HistoryCollector(Collector):
    """Builds metric families from the newest poll of every host."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        path = db_path(self.data_dir)
        try:
            # mode=rw: an existing database only (a scrape never creates an empty one in place of a missing one)
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=SCRAPE_BUSY_TIMEOUT,
                                   isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            if not path.exists():
                raise HistoryUnavailable(f"no database at {path} (netops poll creates it)") from None
            raise HistoryUnavailable(f"cannot open {path}: {exc}") from None
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA query_only=1")
            conn.execute("BEGIN")  # one snapshot for every query of this scrape
            families = list(self._families(conn))
        except sqlite3.Error as exc:
            raise HistoryUnavailable(f"cannot read {path}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
        finally:
            conn.close()
        yield from families

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


def metrics_app(registry: Collector) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    """prometheus_client's WSGI app, with an unreadable history served as ``503`` and a one-line reason."""
    app = make_wsgi_app(registry)

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        try:
            return app(environ, start_response)  # it calls start_response only once the output is built
        except HistoryUnavailable as exc:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain; charset=utf-8")])
            return [f"netops exporter: {exc}\n".encode()]

    return guarded


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def start_server(address: str, port: int, registry: Collector) -> tuple[WSGIServer, threading.Thread]:
    """Serve ``registry`` on ``address:port`` from a daemon thread, a thread per scrape (as prometheus_client's
    ``start_http_server``, with :func:`metrics_app`)."""
    family = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM)[0][0]

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True
        address_family = family

    server = make_server(address, port, metrics_app(registry), Server, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
