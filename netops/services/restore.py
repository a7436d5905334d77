"""Restore a device to a stored configuration: plan (nothing changes), then push, save and verify."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timezone

from nornir.core import Nornir

from netops.backup.fetch import FetchOptions
from netops.backup.restore import RestorePlan, apply_restore, plan_restore
from netops.errors import unknown
from netops.inventory import Filters, open_nornir
from netops.locks import job_lock
from netops.results import DeviceResult, Status
from netops.services import inventory
from netops.services.backup import store
from netops.services.events import Finished, Listener, Started, ignore
from netops.settings import Settings

Confirm = Callable[[RestorePlan], bool]  # shown the plan; True: push it


def require_host(settings: Settings, host: str) -> None:
    """An input error naming the closest hosts when ``host`` is not in the inventory."""
    known = inventory.hosts(settings)
    if host not in known:
        raise unknown("host", host, known, key="HOST")


def _one(settings: Settings, host: str) -> Nornir:
    require_host(settings, host)
    return open_nornir(settings, Filters.of(hosts=[host]), workers=1)


def plan(settings: Settings, host: str, rev: str, options: FetchOptions = FetchOptions()) -> RestorePlan:
    """What a restore of ``host`` to ``rev`` would push now and what needs a human; the device is only read."""
    repo = store(settings)
    return plan_restore(_one(settings, host), repo, host, rev, options)


def restore(settings: Settings, host: str, rev: str, options: FetchOptions = FetchOptions(),
            confirm: Confirm | None = None, trigger: str = "netops", on_event: Listener = ignore) -> RestorePlan:
    """Plan again under the lock (the device may have changed since any preview), ask ``confirm`` with the
    plan, push, save and verify. Returns the plan as it ended (``pushed``, ``verified``, ``remaining``)."""
    repo = store(settings)
    nr = _one(settings, host)
    started, begun = time.monotonic(), datetime.now(timezone.utc)
    with job_lock(settings.data_dir, "backup", f"netops restore {host} ({trigger})"):
        on_event(Started("restore", (host,)))
        planned = plan_restore(nr, repo, host, rev, options)
        if not planned.commands or (confirm is not None and not confirm(planned)):
            done = planned
        else:
            done = apply_restore(nr, repo, planned, options)
    pushed = f"pushed {len(done.commands)} command(s)" if done.pushed else "nothing to push"
    if done.verified is False:
        result = DeviceResult(host, Status.FAILED, f"{pushed}; still needs: {'; '.join(done.remaining[:5])}", "", begun,
                              time.monotonic() - started, done)
    else:
        verified = f"; verified against {done.commit[:12]}" if done.verified else ""
        result = DeviceResult(host, Status.OK if done.pushed or not done.commands else Status.SKIPPED, pushed + verified, "", begun,
                              time.monotonic() - started, done)
    on_event(Finished(result))
    return done
