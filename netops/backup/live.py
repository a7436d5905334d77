"""Running configurations fetched for a look, never stored: ``netops check --live`` and restore.

Each device's configuration is fetched, guarded and cleaned exactly like a
backup; a fetch the guard rejects (truncated, error banner) is a failure with
its reason, never an exception.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timezone

from nornir.core import Nornir
from nornir.core.task import Result, Task

from netops.backup.clean import clean
from netops.backup.fetch import FetchOptions, describe, fetch_config
from netops.backup.guard import rejection
from netops.backup.run import backs_up, per_host
from netops.drivers import get_driver
from netops.inventory import hosts
from netops.results import DeviceResult, Status

Running = DeviceResult[str]  # payload: the cleaned running configuration


def current(task: Task, options: FetchOptions) -> str:
    """The task's device configuration, fetched, guarded and cleaned; a rejected fetch raises ValueError."""
    driver = get_driver(task.host.platform or "")
    assert driver.backup is not None
    raw = fetch_config(task, driver, options)
    reason = rejection(raw, driver.backup)
    if reason:
        raise ValueError(f"current configuration not usable ({reason})")
    return clean(raw, driver.backup)


def fetch_running(nr: Nornir, options: FetchOptions, on_result: Callable[[Running], None] = lambda _r: None) -> list[Running]:
    """The running configuration of every SSH-managed host of ``nr``, one result per host."""

    def fetch(task: Task) -> Result:
        started, begun = time.monotonic(), datetime.now(timezone.utc)
        site = hosts.site(task.host)
        try:
            text = current(task, options)
        except ValueError as exc:
            outcome = Running(task.host.name, Status.FAILED, str(exc), site, begun, time.monotonic() - started)
        except Exception as exc:
            outcome = Running(task.host.name, Status.FAILED, describe(exc, options.timeout), site, begun, time.monotonic() - started)
        else:
            outcome = Running(task.host.name, Status.OK, None, site, begun, time.monotonic() - started, text)
        on_result(outcome)
        return Result(host=task.host, result=outcome)

    return per_host(backs_up(nr).run(task=fetch, name="fetch-running", on_failed=True))
