"""SNMP polling: poll cycles into the history, and the latest figures per campus."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import closing
from datetime import datetime, timezone
from typing import Any

from netops import audit
from netops.engine.config import engine_config
from netops.errors import InputError
from netops.inventory import Filters
from netops.results import DeviceResult, RunResult, Status
from netops.services import alerts, privacy, report
from netops.services.audit import outcome, recorded, scope
from netops.services.events import Finished, Listener, Started, ignore
from netops.settings import Settings
from netops.snmp import history, targets
from netops.snmp.backends import backend_factory
from netops.snmp.cycle import Collector, PollOptions, local_collector, run_cycle
from netops.snmp.sample import ApState, DeviceSample
from netops.snmp.status import recent_events, summary
from netops.snmp.targets import ControllerManaged
from netops.snmp.thresholds import load_thresholds

Sample = DeviceResult[DeviceSample | ApState]


def _result(sample: DeviceSample) -> Sample:
    started = datetime.fromtimestamp(sample.time, timezone.utc)
    status = Status.FAILED if sample.error else Status.OK
    reason = sample.error or ("; ".join(sample.notices) if sample.notices else None)  # e.g. a column cut at 10,000 rows
    return Sample(sample.host, status, reason, sample.site, started, sample.elapsed, sample)


def ap_result(ap: ControllerManaged, polled: bool, sample: DeviceSample | None) -> Sample:
    """The AP's state as its controller's sample reports it (``polled``: the controller has an SNMP target)."""
    controller = ap.controller
    if controller is None:
        return Sample(ap.host, Status.SKIPPED, "no SNMP agent of its own and no controller in the inventory", ap.site,
                      payload=ApState(None))
    if not polled:
        return Sample(ap.host, Status.SKIPPED, f"polled through its controller {controller}, which has no SNMP target "
                      "in the inventory", ap.site, payload=ApState(controller))
    if sample is None:
        return Sample(ap.host, Status.FAILED, f"state unknown: no answer from its controller {controller}", ap.site,
                      payload=ApState(controller))
    started = datetime.fromtimestamp(sample.time, timezone.utc)
    if sample.error:
        return Sample(ap.host, Status.FAILED, f"state unknown: its controller {controller} failed ({sample.error})",
                      ap.site, started, sample.elapsed, ApState(controller))
    listed = {a.name: a for a in sample.aps or []}.get(ap.host)
    if listed is None:
        return Sample(ap.host, Status.FAILED, f"its controller {controller} does not list it (not joined)", ap.site,
                      started, sample.elapsed, ApState(controller))
    state = ApState(controller, listed.status, listed.model, listed.clients)
    if listed.status != "up":
        return Sample(ap.host, Status.FAILED, f"{listed.status} according to its controller {controller}", ap.site,
                      started, sample.elapsed, state)
    return Sample(ap.host, Status.OK, None, ap.site, started, sample.elapsed, state)


def collector(settings: Settings, options: PollOptions, broker: str | None = None) -> Collector:
    """Where a poll's SNMP work runs: on the workers with a broker (``broker``, else ``engine.broker``), else here
    with the backend ``snmp.backend`` names."""
    engine = engine_config(settings, broker)
    if engine.distributed:
        from netops.engine import remote  # the engine's client, imported only when used

        return remote.collector(engine, options)
    return local_collector(backend_factory(settings.snmp_backend), options)


def once(settings: Settings, filters: Filters = Filters(), options: PollOptions = PollOptions(),
         on_event: Listener = ignore, broker: str | None = None) -> RunResult[DeviceSample | ApState]:
    """Poll the selected devices once and record samples, rates, events and alerts. A selected AP without an
    agent of its own gets its state from its controller, which is polled (and recorded) for it, selected or not."""
    thresholds = load_thresholds(settings.thresholds)
    options = privacy.poll_options(settings, options)  # retention per data class; client tables pseudonymised
    collect = collector(settings, options, broker)
    selection = targets.select(settings, filters)
    selected = {t.host for t in selection.targets}
    polled = selection.targets + [t for name, t in selection.controllers.items() if name not in selected]
    waiting: dict[str, list[ControllerManaged]] = {}
    results: list[Sample] = []
    on_event(Started("poll", tuple(sorted(selected | {m.host for m in selection.managed}))))
    for ap in selection.managed:
        if ap.controller in selection.controllers:
            waiting.setdefault(ap.controller, []).append(ap)
        else:
            results.append(ap_result(ap, False, None))
            on_event(Finished(results[-1]))

    def done(sample: DeviceSample) -> None:
        out = [_result(sample)] if sample.host in selected else []
        out += [ap_result(ap, True, sample) for ap in waiting.get(sample.host, [])]
        for result in out:
            on_event(Finished(result))

    begun, started = datetime.now(timezone.utc), time.monotonic()
    with recorded(settings, "poll", scope(filters)) as entry:  # one record per --once run; none per service cycle
        with closing(history.open_history(settings.data_dir)) as conn:
            samples = run_cycle(conn, polled, thresholds, collect, options, on_done=done)
        by_host = {s.host: s for s in samples}
        results += [_result(s) for s in samples if s.host in selected]
        results += [ap_result(ap, True, by_host.get(controller)) for controller, aps in waiting.items() for ap in aps]
        run = RunResult("poll", begun, sorted(results, key=lambda r: r.host), time.monotonic() - started)
        alerts.after_run(settings, "poll")  # deliver alerts raised or cleared by this poll; never fails the poll
        counts = run.counts()
        entry.detail = {"mode": "once", "devices": counts["devices"], "failed": counts.get("failed", 0)}
        entry.result = outcome(run)
    return run


def every(settings: Settings, interval: float, stop: threading.Event, filters: Filters = Filters(),
          options: PollOptions = PollOptions(), on_cycle: Callable[[RunResult[DeviceSample | ApState]], None] = lambda _r: None,
          reload: threading.Event | None = None, on_reload: Callable[[str | None], None] = lambda _error: None,
          broker: str | None = None) -> None:
    """Poll every ``interval`` seconds until ``stop`` is set. Targets and thresholds are resolved at the start and
    again before the next cycle whenever ``reload`` is set (SIGHUP): an inventory or thresholds file that no longer
    loads keeps the service on what it had, and ``on_reload`` gets the error (None: reloaded). The audit trail gets
    the service's start, each reload and its stop (with the cycles run), not every cycle."""
    thresholds = load_thresholds(settings.thresholds)
    options = privacy.poll_options(settings, options)  # retention per data class; client tables pseudonymised
    chosen = targets.select(settings, filters).targets
    collect = collector(settings, options, broker)
    audit.record(settings.data_dir, "poll", target=scope(filters),
                 detail={"mode": "service", "event": "started", "interval": interval, "devices": len(chosen)})
    cycles = 0
    with recorded(settings, "poll", scope(filters)) as entry, closing(history.open_history(settings.data_dir)) as conn:
        entry.detail = {"mode": "service", "event": "stopped", "interval": interval}
        while not stop.is_set():
            if reload is not None and reload.is_set():
                reload.clear()
                try:
                    thresholds, chosen = load_thresholds(settings.thresholds), targets.select(settings, filters).targets
                except InputError as exc:
                    audit.record(settings.data_dir, "poll", target=scope(filters), result="failed",
                                 detail={"mode": "service", "event": "reload", "error": str(exc), "devices": len(chosen)})
                    on_reload(str(exc))
                else:
                    audit.record(settings.data_dir, "poll", target=scope(filters),
                                 detail={"mode": "service", "event": "reload", "devices": len(chosen)})
                    on_reload(None)
            cycles += 1
            entry.detail["cycles"] = cycles
            begun, started = datetime.now(timezone.utc), time.monotonic()
            samples = run_cycle(conn, chosen, thresholds, collect, options)
            on_cycle(RunResult("poll", begun, [_result(s) for s in samples], time.monotonic() - started))
            alerts.after_run(settings, "poll")
            report.watch_deadline(settings)  # the always-on poller raises "report not sent" at the deadline
            _sleep(interval - (time.monotonic() - started), stop, reload)


def _sleep(seconds: float, stop: threading.Event, reload: threading.Event | None) -> None:
    """Wait ``seconds``, or less when the service is stopped or asked to reload (a reload polls at once)."""
    deadline = time.monotonic() + seconds
    while not stop.is_set() and not (reload is not None and reload.is_set()):
        left = deadline - time.monotonic()
        if left <= 0:
            return
        stop.wait(min(left, 0.2))


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
    from prometheus_client import CollectorRegistry

    from netops.snmp.exporter import HistoryCollector, start_server

    registry = CollectorRegistry()
    registry.register(HistoryCollector(settings.data_dir))
    history.open_history(settings.data_dir).close()  # create the tables before the first scrape
    try:
        server, thread = start_server(address, port, registry)  # an unreadable history: 503 and a reason
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
