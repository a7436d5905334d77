"""Take a snapshot: every device in scope read over SSH and SNMP at once, one record per device.

Over SSH (one privileged session per device, :func:`netops.backup.fetch.fetch_outputs`) the driver's
``StateSpec.commands`` and ``NeighborSpec.commands``, read by ``StateSpec.parser`` and ``driver.parse_neighbors``
(the ``neighbors`` feature). Over SNMP (:func:`netops.snmp.collect.collect`, as ``netops poll`` reads a device)
what SSH does not give: interfaces from IF-MIB and a controller's APs when the driver reads no state over SSH or
its parser left them out; clients per SSID always. A transport that does not answer is recorded with its reason
and gives no features: a device that answered nothing is "unreachable", never "every interface down".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from nornir.core import Nornir
from nornir.core.inventory import Host
from nornir.core.task import Result, Task

from netops.backup.fetch import FetchOptions, describe, fetch_outputs
from netops.drivers import all_drivers
from netops.drivers.base import PlatformDriver
from netops.inventory import hosts as h
from netops.model import STATE_FEATURES, DeviceState, Neighbor
from netops.parsing.ifnames import find_named
from netops.parsing.neighbors import join_outputs
from netops.snapshot.record import DeviceSnapshot, Snapshot
from netops.snmp.backend import SnmpBackend
from netops.snmp.collect import poll_sync
from netops.snmp.pysnmp_backend import PysnmpBackend
from netops.snmp.sample import DeviceSample, PollTarget

SSH, SNMP = "ssh", "snmp"
FROM_SNMP = ("interfaces", "aps")  # what SNMP fills when SSH does not give it (clients per SSID: always SNMP)


@dataclass(frozen=True)
class TakeOptions:
    fetch: FetchOptions = field(default_factory=lambda: FetchOptions(timeout=60.0))
    snmp_deadline: float = 30.0  # seconds per device
    concurrency: int = 20  # SNMP devices in flight (SSH: the inventory's runner)


@dataclass
class _Reading:
    """What one transport gave for one device."""

    ok: bool
    reason: str | None = None
    started: float = 0.0  # Unix time
    state: DeviceState | None = None  # SSH: the StateSpec parser's features
    neighbors: list[Neighbor] | None = None  # SSH: the neighbour table (None: not read)
    sample: DeviceSample | None = None  # SNMP


def reads_over_ssh(driver: PlatformDriver | None) -> bool:
    """Whether a snapshot logs into devices of this driver: SSH-managed, with a state or neighbour spec."""
    return (driver is not None and driver.backup is not None and driver.netmiko_device_type is not None
            and (driver.state is not None or driver.neighbors is not None))


def ssh_commands(driver: PlatformDriver) -> tuple[str, ...]:
    commands = list(driver.state.commands if driver.state else ()) + list(driver.neighbors.commands if driver.neighbors else ())
    return tuple(dict.fromkeys(commands))


def _read_ssh(task: Task, driver: PlatformDriver, options: FetchOptions) -> _Reading:
    started = time.time()
    try:
        outputs = fetch_outputs(task, driver, options, ssh_commands(driver))
    except Exception as exc:
        return _Reading(False, describe(exc, options.timeout), started)
    reading = _Reading(True, None, started)
    try:
        if driver.state is not None:
            reading.state = driver.state.parser({c: o for c, o in outputs.items() if c in driver.state.commands})
        if driver.neighbors is not None:
            reading.neighbors = driver.parse_neighbors(
                join_outputs((c, outputs[c]) for c in driver.neighbors.commands if c in outputs))
    except Exception as exc:  # a parser that cannot read an output: the device answered, its state is not recorded
        reading.reason = f"output not understood: {type(exc).__name__}: {exc}"
        reading.state = reading.neighbors = None
    return reading


def _neighbor_feature(neighbors: list[Neighbor], interfaces: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """``"<local port> <neighbour>" -> port, protocol``; the local port as the interfaces feature names it, a
    neighbour both CDP and LLDP announce once (the first table's)."""
    out: dict[str, dict[str, Any]] = {}
    names = list(interfaces or {})
    for n in neighbors:
        local = find_named(names, n.local_port, key=str) or n.local_port
        out.setdefault(f"{local} {n.device}", {"port": n.port, "protocol": n.protocol})
    return dict(sorted(out.items()))


def _snmp_features(sample: DeviceSample) -> DeviceState:
    features: DeviceState = {"interfaces": {
        i.name: {"admin": i.admin_status, "oper": i.oper_status, "speed_mbps": i.speed_mbps,
                 "in_errors": i.in_errors, "out_errors": i.out_errors}
        for i in sorted(sample.interfaces, key=lambda i: i.name) if i.name}}
    if sample.aps is not None:
        features["aps"] = {a.name: {"model": a.model, "state": a.status, "address": ""} for a in sample.aps}
    if sample.clients_per_ssid is not None:
        features["ssid_clients"] = {ssid: {"clients": n} for ssid, n in sorted(sample.clients_per_ssid.items())}
    return features


def device_record(host: str, platform: str, site: str, driver: PlatformDriver | None, readings: dict[str, _Reading]) -> DeviceSnapshot:
    """One device's record from what each transport gave."""
    starts = [r.started for r in readings.values() if r.started]
    taken = datetime.fromtimestamp(min(starts) if starts else time.time(), timezone.utc).isoformat(timespec="seconds")
    record = DeviceSnapshot(host, platform, site, taken)
    features: DeviceState = {}
    ssh, snmp = readings.get(SSH), readings.get(SNMP)
    for transport, reading in readings.items():
        record.reachable[transport] = reading.ok
        if reading.reason:
            record.reasons[transport] = reading.reason
    if ssh is not None and ssh.ok and ssh.state is not None:
        features.update({f: dict(keys) for f, keys in ssh.state.items()})
    if snmp is not None and snmp.ok and snmp.sample is not None:
        from_snmp = _snmp_features(snmp.sample)
        ssh_gave = driver is None or driver.state is None or (ssh is not None and ssh.ok and ssh.state is not None)
        for feature in FROM_SNMP:
            if feature in from_snmp and feature not in features and ssh_gave:
                features[feature] = from_snmp[feature]
        if "ssid_clients" in from_snmp:
            features["ssid_clients"] = from_snmp["ssid_clients"]
    if ssh is not None and ssh.ok and ssh.neighbors is not None:
        features["neighbors"] = _neighbor_feature(ssh.neighbors, features.get("interfaces"))
    order = {f: i for i, f in enumerate(STATE_FEATURES)}
    record.features = dict(sorted(features.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
    return record


def _snmp_reading(sample: DeviceSample) -> _Reading:
    if sample.error or not sample.reachable:
        return _Reading(False, sample.error or "no answer (no sysUpTime)", sample.time)
    return _Reading(True, None, sample.time, sample=sample)


def take(nr: Nornir, snmp_targets: list[PollTarget], name: str, scope: str, origin: str = "manual",
         options: TakeOptions = TakeOptions(), skipped: Mapping[str, str] | None = None,
         on_start: Callable[[tuple[str, ...]], None] = lambda _hosts: None,
         on_device: Callable[[DeviceSnapshot], None] = lambda _d: None,
         drivers: Mapping[str, PlatformDriver] | None = None,
         backend_factory: Callable[[], SnmpBackend] = PysnmpBackend) -> Snapshot:
    """Read every host of ``nr`` over SSH (where its driver reads state or neighbours) and every target of
    ``snmp_targets`` over SNMP, both at once; ``on_device`` gets each device's record as soon as it is complete.
    Hosts neither reaches are listed in ``skipped`` with the reason."""
    drivers = all_drivers() if drivers is None else drivers
    begun, started = datetime.now(timezone.utc), time.monotonic()
    inventory: dict[str, Host] = dict(nr.inventory.hosts)
    ssh_hosts = {n for n, host in inventory.items() if reads_over_ssh(drivers.get(host.platform or ""))}
    targets = {t.host: t for t in snmp_targets}
    expected: dict[str, set[str]] = {}
    for host in ssh_hosts:
        expected.setdefault(host, set()).add(SSH)
    for host in targets:
        expected.setdefault(host, set()).add(SNMP)
    snapshot = Snapshot(name, begun.isoformat(timespec="seconds"), scope, origin)
    snapshot.skipped = {n: (skipped or {}).get(n) or f"nothing to read: platform {h.platform(host) or '?'} has no SSH state "
                        "or neighbour table and the host no SNMP agent"
                        for n, host in inventory.items() if n not in expected}
    snapshot.skipped.update({n: why for n, why in (skipped or {}).items() if n not in expected})
    on_start(tuple(sorted(expected)))
    readings: dict[str, dict[str, _Reading]] = {n: {} for n in expected}
    lock = threading.Lock()

    def deliver(host: str, transport: str, reading: _Reading) -> None:
        with lock:
            readings[host][transport] = reading
            if set(readings[host]) != expected[host]:
                return
            known = inventory.get(host)
            target = targets.get(host)
            platform = (known.platform if known is not None else None) or (target.platform if target else "")
            site = h.site(known) if known is not None else (target.site if target else "")
            record = device_record(host, platform or "", site, drivers.get(platform or ""), readings[host])
            snapshot.devices[host] = record
        on_device(record)

    def read(task: Task) -> Result:
        driver = drivers[task.host.platform or ""]
        deliver(task.host.name, SSH, _read_ssh(task, driver, options.fetch))
        return Result(host=task.host)

    def over_snmp() -> None:
        try:
            poll_sync(list(targets.values()), backend_factory, concurrency=options.concurrency,
                      deadline=options.snmp_deadline, on_done=lambda s: deliver(s.host, SNMP, _snmp_reading(s)))
        except Exception as exc:  # the SNMP engine itself failed: every target is recorded with the reason
            for host in targets:
                if SNMP not in readings[host]:
                    deliver(host, SNMP, _Reading(False, f"SNMP failed: {type(exc).__name__}: {exc}", time.time()))

    snmp_thread = threading.Thread(target=over_snmp, name="snapshot-snmp", daemon=True)
    if targets:
        snmp_thread.start()
    if ssh_hosts:
        aggregated = nr.filter(filter_func=lambda host: host.name in ssh_hosts).run(task=read, name="snapshot", on_failed=True)
        for host, multi in aggregated.items():
            if SSH not in readings[host]:
                deliver(host, SSH, _Reading(False, f"internal error: {multi[0].exception!r}", time.time()))
    if targets:
        snmp_thread.join()
    snapshot.devices = dict(sorted(snapshot.devices.items()))
    snapshot.elapsed = time.monotonic() - started
    return snapshot
