"""Read the facts of every SSH-managed host: the driver's :class:`~netops.drivers.base.FactsSpec` commands on one
privileged session, parsed by the driver's parser.

One :class:`~netops.results.DeviceResult` per host: a device that does not answer (or whose answer netops cannot
read) is a failure with its reason, never a device with empty facts; a platform netops reads no facts from is
skipped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timezone

from nornir.core import Nornir
from nornir.core.task import Result, Task

from netops.backup.fetch import FetchOptions, describe, fetch_outputs
from netops.backup.run import backs_up, per_host
from netops.drivers import get_driver
from netops.drivers.base import FactsSpec
from netops.inventory import hosts
from netops.model import DeviceFacts
from netops.results import DeviceResult, Status

Facts = DeviceResult[DeviceFacts]  # payload: what the device said it is

NO_SPEC = "netops reads no facts from this platform"


def read_facts(spec: FactsSpec, outputs: dict[str, str]) -> DeviceFacts:
    """The parsed facts of ``outputs``; ValueError when the device said nothing netops can read."""
    if not outputs:
        raise ValueError(f"no answer to any of: {', '.join(spec.commands)}")
    try:
        facts = spec.parser(outputs)
    except Exception as exc:  # a parser's surprise is this device's failure, never the run's
        raise ValueError(f"facts not read from the output of {', '.join(outputs)}: {exc!r}") from exc
    if not (facts.model or facts.os_version or facts.serials):
        raise ValueError(f"no model, version or serial in the output of {', '.join(outputs)}")
    return facts


def collect(nr: Nornir, options: FetchOptions, on_result: Callable[[Facts], None] = lambda _r: None,
            spec_of: Callable[[str], FactsSpec | None] | None = None) -> list[Facts]:
    """The facts of every SSH-managed host of ``nr``, one result per host, in name order.

    ``spec_of`` gives a platform's facts spec (default: its driver's ``facts``)."""
    specs = spec_of or (lambda platform: get_driver(platform).facts)

    def fetch(task: Task) -> Result:
        started, begun = time.monotonic(), datetime.now(timezone.utc)
        site = hosts.site(task.host)
        platform = task.host.platform or ""
        spec = specs(platform)

        def done(status: Status, reason: str | None = None, facts: DeviceFacts | None = None) -> Result:
            outcome = Facts(task.host.name, status, reason, site, begun, time.monotonic() - started, facts)
            on_result(outcome)
            return Result(host=task.host, result=outcome)

        if spec is None:
            return done(Status.SKIPPED, f"{NO_SPEC} ({platform})")
        try:
            outputs = fetch_outputs(task, get_driver(platform), options, spec.commands)
        except Exception as exc:
            return done(Status.FAILED, describe(exc, options.timeout))
        try:
            facts = read_facts(spec, outputs)
        except ValueError as exc:
            return done(Status.FAILED, str(exc))
        return done(Status.OK, None, facts)

    return per_host(backs_up(nr).run(task=fetch, name="facts", on_failed=True))
