"""Restore a device to a stored configuration: diff, push, save, verify.

The plan compares the device's current configuration (fetched, guarded and
cleaned like a backup) with the stored version. Redacted lines are never
pushed; they are listed as manual steps. After pushing, the device is fetched
again and must need no further commands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from nornir.core import Nornir
from nornir.core.task import Result, Task

from netops.backup.fetch import FetchOptions, close, describe, open_session
from netops.backup.gitstore import GitStore
from netops.backup.live import current
from netops.backup.manual import split_manual
from netops.drivers import get_driver
from netops.errors import InputError, NetopsError, unknown


@dataclass
class RestorePlan:
    host: str
    platform: str
    commit: str
    commands: list[str]  # what would be pushed
    manual: list[str]  # what netops cannot do (secrets it never stored, unknown negations)
    pushed: bool = False
    verified: bool | None = None
    remaining: list[str] = field(default_factory=list)  # commands still needed after the push
    state: dict[str, Any] | None = None  # the snapshots taken before and after the push and their diff (netops snapshot)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def single_host(nr: Nornir, host: str) -> Nornir:
    one = nr.filter(name=host)
    if host not in one.inventory.hosts:
        raise unknown("host", host, nr.inventory.hosts, key="HOST")
    return one


def run_one(nr: Nornir, task: Callable[[Task], Any], timeout: float) -> Any:
    result = next(iter(nr.run(task=task, name="restore").values()))[0]
    if isinstance(result.exception, ValueError):
        raise NetopsError(f"{result.host.name if result.host else 'device'}: {result.exception}")
    if result.exception is not None:
        raise NetopsError(f"restore failed: {describe(result.exception, timeout)}")
    return result.result


def plan_restore(nr: Nornir, store: GitStore, host: str, rev: str, options: FetchOptions) -> RestorePlan:
    """What ``restore`` would do, without touching the device."""
    one = single_host(nr, host)
    platform = one.inventory.hosts[host].platform or ""
    driver = get_driver(platform)
    commit = store.resolve(rev)
    intended = store.show(host, commit)
    if not driver.can_restore:
        raise InputError(f"{platform}: restore is not supported", key="platform")
    running = run_one(one, lambda t: Result(host=t.host, result=current(t, options)), options.timeout)
    commands, manual = split_manual(driver.remediation(running, intended))
    return RestorePlan(host, platform, commit, commands, manual)


def fetch_current(nr: Nornir, host: str, options: FetchOptions) -> str:
    """``host``'s running configuration, fetched, guarded and cleaned like a backup (restore, remediate)."""
    return str(run_one(single_host(nr, host), lambda t: Result(host=t.host, result=current(t, options)), options.timeout))


def push_commands(nr: Nornir, host: str, platform: str, commands: list[str], options: FetchOptions) -> str:
    """Push ``commands`` to ``host`` on a privileged session with its driver's push (which also saves); the output.
    The one push path of restore and remediate."""
    driver = get_driver(platform)

    def push(task: Task) -> Result:
        try:
            conn = open_session(task, driver, options)
            output = driver.push(conn, commands, options.timeout)
        finally:
            close(task, graceful=True)
        return Result(host=task.host, result=output)

    return str(run_one(single_host(nr, host), push, options.timeout))


def apply_restore(nr: Nornir, store: GitStore, plan: RestorePlan, options: FetchOptions) -> RestorePlan:
    """Push ``plan``'s commands, save, fetch again and verify nothing is left to do."""
    driver = get_driver(plan.platform)
    if plan.commands:
        push_commands(nr, plan.host, plan.platform, plan.commands, options)
        plan.pushed = True
    intended = store.show(plan.host, plan.commit)
    running = fetch_current(nr, plan.host, options)
    plan.remaining, _ = split_manual(driver.remediation(running, intended))
    plan.verified = not plan.remaining
    return plan
