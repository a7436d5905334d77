"""One poll cycle: poll, derive rates, evaluate alerts, store, prune."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass

from netops.privacy.pseudonym import Pseudonymiser
from netops.snmp import alerts, history
from netops.snmp.backend import SnmpBackend
from netops.snmp.collect import poll_sync
from netops.snmp.rates import rate, rebooted
from netops.snmp.sample import DeviceSample, PollTarget
from netops.snmp.thresholds import Thresholds


@dataclass(frozen=True)
class PollOptions:
    concurrency: int = 20  # devices in flight
    deadline: float = 30.0  # seconds per device
    retention_days: float | None = None  # poll history (None: 30 days, or netops.yaml's retention.poll_history)
    client_retention_days: float | None = None  # pseudonymised client sightings (None: as the poll history)
    pseudonyms: Pseudonymiser | None = None  # None: controllers' client tables are not read


def apply_rates(conn: sqlite3.Connection, sample: DeviceSample) -> bool:
    """Fill interface rates from the previous stored poll; True if the device rebooted since (also across polls it
    did not answer: its last answer before them tells). No rates across such a gap."""
    if not sample.reachable:
        return False
    before = history.latest_device(conn, sample.host)
    if before is None:
        return False
    if not before["reachable"]:
        last = history.latest_device(conn, sample.host, answered=True)
        return last is not None and rebooted(last["sys_uptime"], sample.sys_uptime, sample.time - last["ts"])
    wall = sample.time - before["ts"]
    reboot = rebooted(before["sys_uptime"], sample.sys_uptime, wall)
    seconds = wall
    if not reboot and before["sys_uptime"] is not None and sample.sys_uptime is not None:
        ticks = (sample.sys_uptime - before["sys_uptime"]) % 2**32
        seconds = ticks / 100 if ticks else wall  # the agent's own clock, when it moved
    previous = history.latest_interfaces(conn, sample.host)
    for i in sample.interfaces:
        p = previous.get(i.index)
        if p is None:
            continue
        bits = i.counter_bits
        in_rate = rate(p["in_octets"], i.in_octets, bits, seconds, reboot)
        out_rate = rate(p["out_octets"], i.out_octets, bits, seconds, reboot)
        i.in_bps = None if in_rate is None else round(in_rate * 8, 1)
        i.out_bps = None if out_rate is None else round(out_rate * 8, 1)
        in_err = rate(p["in_errors"], i.in_errors, 32, seconds, reboot)
        out_err = rate(p["out_errors"], i.out_errors, 32, seconds, reboot)
        if in_err is not None or out_err is not None:
            i.error_rate = round((in_err or 0.0) + (out_err or 0.0), 4)
    return reboot


def record(conn: sqlite3.Connection, samples: list[DeviceSample], started: float, thresholds: Thresholds,
           retention_days: float, client_retention_days: float | None = None) -> int:
    """Rates, events, alerts and history for polled samples; returns the poll id."""
    for sample in samples:
        reboot = apply_rates(conn, sample)
        alerts.process(conn, sample, thresholds, sample.time, reboot)
    poll_id = history.store_poll(conn, samples, started, time.time())
    history.prune(conn, retention_days)
    history.prune_clients(conn, retention_days if client_retention_days is None else client_retention_days)
    return poll_id


Collector = Callable[[list[PollTarget], Callable[[DeviceSample], None] | None], list[DeviceSample]]
"""Polls targets once (here, or on the workers of the distributed engine), calling back per device."""


def local_collector(backend_factory: Callable[[], SnmpBackend], options: PollOptions) -> Collector:
    """Poll in this process with a fresh ``backend_factory()`` backend per cycle."""
    def collect(targets: list[PollTarget], on_done: Callable[[DeviceSample], None] | None) -> list[DeviceSample]:
        return poll_sync(targets, backend_factory, concurrency=options.concurrency, deadline=options.deadline,
                         on_done=on_done, pseudonyms=options.pseudonyms)
    return collect


def run_cycle(
    conn: sqlite3.Connection,
    targets: list[PollTarget],
    thresholds: Thresholds,
    collect: Collector,
    options: PollOptions = PollOptions(),
    on_done: Callable[[DeviceSample], None] | None = None,
) -> list[DeviceSample]:
    """Poll every target once and record the results."""
    started = time.time()
    samples = collect(targets, on_done)
    record(conn, samples, started, thresholds, 30.0 if options.retention_days is None else options.retention_days,
           options.client_retention_days)
    return samples
