"""SNMP polling: poll cycles into the history, and the latest figures per campus."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import closing
from datetime import datetime, timezone
from typing import Any

from netops.errors import InputError
from netops.inventory import Filters
from netops.inventory.filters import WILDCARDS
from netops.results import DeviceResult, RunResult, Status
from netops.services.events import Finished, Listener, Started, ignore
from netops.settings import Settings
from netops.snmp import history, targets
from netops.snmp.cycle import PollOptions, run_cycle
from netops.snmp.pysnmp_backend import PysnmpBackend
from netops.snmp.sample import DeviceSample
from netops.snmp.status import recent_events, summary
from netops.snmp.thresholds import load_thresholds

Sample = DeviceResult[DeviceSample]


def _result(sample: DeviceSample) -> Sample:
    started = datetime.fromtimestamp(sample.time, timezone.utc)
    status = Status.FAILED if sample.error else Status.OK
    return Sample(sample.host, status, sample.error, sample.site, started, sample.elapsed, sample)


def once(settings: Settings, filters: Filters = Filters(), options: PollOptions = PollOptions(),
         on_event: Listener = ignore) -> RunResult[DeviceSample]:
    """Poll the selected devices once and record samples, rates, events and alerts."""
    thresholds = load_thresholds(settings.thresholds)
    chosen = targets.resolve(settings, filters)
    skipped = sorted(h for h in filters.hosts if not WILDCARDS & set(h) and h not in {t.host for t in chosen})
    on_event(Started("poll", tuple(t.host for t in chosen) + tuple(skipped)))
    for host in skipped:
        on_event(Finished(Sample(host, Status.SKIPPED, "no SNMP agent of its own (an AP: polled through its controller)")))
    begun, started = datetime.now(timezone.utc), time.monotonic()
    with closing(history.open_history(settings.data_dir)) as conn:
        samples = run_cycle(conn, chosen, thresholds, PysnmpBackend, options, on_done=lambda s: on_event(Finished(_result(s))))
    return RunResult("poll", begun, [_result(s) for s in samples], time.monotonic() - started)


def every(settings: Settings, interval: float, stop: threading.Event, filters: Filters = Filters(),
          options: PollOptions = PollOptions(), on_cycle: Callable[[RunResult[DeviceSample]], None] = lambda _r: None) -> None:
    """Poll every ``interval`` seconds until ``stop`` is set (targets and thresholds resolved once)."""
    thresholds = load_thresholds(settings.thresholds)
    chosen = targets.resolve(settings, filters)
    with closing(history.open_history(settings.data_dir)) as conn:
        while not stop.is_set():
            begun, started = datetime.now(timezone.utc), time.monotonic()
            samples = run_cycle(conn, chosen, thresholds, PysnmpBackend, options)
            on_cycle(RunResult("poll", begun, [_result(s) for s in samples], time.monotonic() - started))
            stop.wait(max(0.0, interval - (time.monotonic() - started)))


def state(settings: Settings, events: int = 10) -> dict[str, Any]:
    """The latest SNMP figures per campus and the most recent events (``netops status``)."""
    with closing(history.open_history(settings.data_dir)) as conn:
        report = summary(conn)
        report["events"] = recent_events(conn, events)
    return report


def serve(settings: Settings, address: str, port: int, stop: threading.Event, interval: float | None = None,
          on_listening: Callable[[str], None] = lambda _url: None) -> None:
    """Serve the latest SNMP history as Prometheus metrics on ``address:port`` until ``stop`` is set,
    polling every ``interval`` seconds in the meantime when given."""
    from prometheus_client import CollectorRegistry, start_http_server

    from netops.snmp.exporter import HistoryCollector

    registry = CollectorRegistry()
    registry.register(HistoryCollector(settings.data_dir))
    history.open_history(settings.data_dir).close()  # create the tables before the first scrape
    try:
        server, thread = start_http_server(port, addr=address, registry=registry)
    except OSError as exc:
        raise InputError(f"cannot listen on {address}:{port}: {exc.strerror}", key="--listen") from None
    on_listening(f"http://{address}:{port}/metrics")
    try:
        if interval is None:
            stop.wait()
        else:
            every(settings, interval, stop)
    finally:
        server.shutdown()
        thread.join()
