"""Restore a device to a stored configuration: diff, push, save, verify.

The plan compares the device's current configuration (fetched, guarded and
cleaned like a backup) with the stored version. Redacted lines are never
pushed; they are listed as manual steps. After pushing, the device is fetched
again and must need no further commands. A push that stops (a line refused,
the connection lost) says how far it went (:class:`netops.drivers.push.Progress`)
and the device is read again, for the recovery plan (:mod:`netops.backup.recovery`).
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
from netops.drivers.push import Progress, PushFailed
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
    recovery: dict[str, Any] | None = None  # the plan to finish or roll back a push that stopped or failed verification
    progress: Progress | None = field(default=None, repr=False)  # how far the push went (None: nothing to push)
    running: str = field(default="", repr=False)  # the device's configuration when planned (before the push)
    after: str | None = field(default=None, repr=False)  # and after the push (None: not read)

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if k not in ("progress", "running", "after")}
        return out | {"push": self.progress.to_dict() if self.progress else None}


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
    return RestorePlan(host, platform, commit, commands, manual, running=running)


def fetch_current(nr: Nornir, host: str, options: FetchOptions) -> str:
    """``host``'s running configuration, fetched, guarded and cleaned like a backup (restore, remediate)."""
    return str(run_one(single_host(nr, host), lambda t: Result(host=t.host, result=current(t, options)), options.timeout))


def push_commands(nr: Nornir, host: str, platform: str, commands: list[str], options: FetchOptions) -> Progress:
    """Push ``commands`` to ``host`` on a privileged session with its driver's push (which also saves); how far it
    went (``error`` set when it stopped). Raises only when no session could be opened (nothing was sent).
    The one push path of restore, remediate and the recovery plans."""
    driver = get_driver(platform)

    def push(task: Task) -> Result:
        conn = open_session(task, driver, options)
        progress = Progress(list(commands), applied=list(commands))
        try:
            driver.push(conn, commands, options.timeout)
        except PushFailed as exc:
            progress = exc.progress
        except Exception as exc:  # a platform whose push confirms no single line: what took is read back
            progress = Progress(list(commands), error=describe(exc, options.timeout), confirmed=False)
        finally:
            close(task)  # the push saved; a graceful logout only waits (OpenWrt's shell: the whole read timeout)
        return Result(host=task.host, result=progress)

    done = run_one(single_host(nr, host), push, options.timeout)
    assert isinstance(done, Progress)
    return done


def read_back(nr: Nornir, host: str, options: FetchOptions) -> str | None:
    """``host``'s configuration after a push that stopped; None when it cannot be read (the device is gone)."""
    try:
        return fetch_current(nr, host, options)
    except NetopsError:
        return None


def apply_restore(nr: Nornir, store: GitStore, plan: RestorePlan, options: FetchOptions) -> RestorePlan:
    """Push ``plan``'s commands, save, fetch again and verify nothing is left to do. A push that stops leaves
    ``progress`` saying how far it went, ``verified`` False and ``after`` the device as read then (None: unreadable)."""
    driver = get_driver(plan.platform)
    progress = push_commands(nr, plan.host, plan.platform, plan.commands, options) if plan.commands else None
    plan.progress = progress
    plan.pushed = progress is not None and progress.complete
    intended = store.show(plan.host, plan.commit)
    plan.after = read_back(nr, plan.host, options) if progress and not progress.complete else fetch_current(nr, plan.host, options)
    if plan.after is not None:
        plan.remaining, _ = split_manual(driver.remediation(plan.after, intended))
    plan.verified = (progress is None or progress.complete) and plan.after is not None and not plan.remaining
    return plan
