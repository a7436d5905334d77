"""``netops check --live``: fetch running configurations over SSH with the backup feature's fetch task.

Nothing is stored in the backup repository; a fetch the backup guard rejects
(truncated, error banner) is not checked and becomes a notice.
"""

from __future__ import annotations

from nornir.core.task import Result, Task

from netops.backup.clean import clean
from netops.backup.fetch import FetchOptions, describe, fetch_config
from netops.backup.guard import rejection
from netops.backup.run import backs_up
from netops.drivers import get_driver
from netops.inventory import open_nornir
from netops.policy.findings import Notice
from netops.policy.progress import Progress, no_progress
from netops.settings import Settings


def fetch_live(
    settings: Settings,
    progress: Progress = no_progress,
    options: FetchOptions = FetchOptions(),
) -> tuple[list[tuple[str, str, str]], list[Notice]]:
    """``(host, origin, text)`` of every SSH-managed host that answered, and a notice per one that did not."""
    nr = backs_up(open_nornir(settings))
    advance = progress("fetching configurations", len(nr.inventory.hosts))

    def fetch(task: Task) -> Result:
        driver = get_driver(task.host.platform or "")
        try:
            raw = fetch_config(task, driver, options)
        except Exception as exc:  # noqa: BLE001 - a failed device is a notice, never an abort
            return Result(host=task.host, result=None, reason=describe(exc, options.timeout))
        finally:
            advance()
        reason = rejection(raw, driver.backup)  # type: ignore[arg-type]
        return Result(host=task.host, result=None if reason else clean(raw, driver.backup), reason=reason)  # type: ignore[arg-type]

    texts: list[tuple[str, str, str]] = []
    notices: list[Notice] = []
    for name, multi in sorted(nr.run(task=fetch, name="policy-live-fetch", on_failed=True).items()):
        result = multi[0]
        if result.result is None:
            reason = getattr(result, "reason", None) or repr(result.exception)
            notices.append(Notice("fetch-failed", f"{name}: not checked, fetch failed: {reason}", host=name))
        else:
            texts.append((name, f"live:{name}", result.result))
    return texts, notices
