"""Restore a device to a stored configuration: plan (nothing changes), then push, save and verify; or rebuild a
wiped device whole, secrets from the vault."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from pathlib import Path

from nornir.core import Nornir

from netops.backup.fetch import FetchOptions
from netops.backup.rebuild import Bootstrap, RebuildPlan, apply_rebuild, describe_failure, export, plan_rebuild
from netops.backup.restore import RestorePlan, apply_restore, plan_restore
from netops.errors import InputError, unknown
from netops.inventory import Filters, open_nornir
from netops.locks import job_lock
from netops.results import DeviceResult, Status
from netops.services import inventory, recovery, snapshot
from netops.services.audit import recorded
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
    with recorded(settings, "restore", host) as entry:
        done = plan_restore(_one(settings, host), repo, host, rev, options)
        entry.detail = {"dry_run": True, "rev": rev, "commit": done.commit, "commands": done.commands,
                        "manual": done.manual}
        entry.result = "dry run"
    return done


def restore(settings: Settings, host: str, rev: str, options: FetchOptions = FetchOptions(),
            confirm: Confirm | None = None, trigger: str = "netops", on_event: Listener = ignore,
            reason: str | None = None, snapshots: bool = True) -> RestorePlan:
    """Plan again under the lock (the device may have changed since any preview), ask ``confirm`` with the
    plan, push, save and verify. Returns the plan as it ended (``pushed``, ``verified``, ``remaining``).

    With ``snapshots``, the device's operational state is snapshotted right before the push and after the
    verification (``restore-<host>-<UTC stamp>-before``/``-after``) and the diff goes into the plan's ``state``;
    a snapshot that fails is reported there and never stops the restore.

    A push that stops (a line refused, the connection lost) or whose verification fails leaves a recovery plan
    (:mod:`netops.services.recovery`, in ``recovery``: the lines applied, the one that failed, those not sent, and
    the lines to finish or roll back).

    The audit trail records the commands applied, the manual steps and the result, with ``reason`` (default
    ``NETOPS_REASON``); nothing is pushed when the trail cannot be written."""
    repo = store(settings)
    nr = _one(settings, host)
    started, begun = time.monotonic(), datetime.now(timezone.utc)
    with job_lock(settings.data_dir, "backup", f"netops restore {host} ({trigger})"), \
            recorded(settings, "restore", host, reason=reason, changing=True) as entry:
        on_event(Started("restore", (host,)))
        planned = plan_restore(nr, repo, host, rev, options)
        entry.detail = {"rev": rev, "commit": planned.commit, "trigger": trigger, "commands": [], "planned": planned.commands,
                        "manual": planned.manual}
        if not planned.commands or (confirm is not None and not confirm(planned)):
            done = planned
            entry.result = "ok: nothing to push" if not planned.commands else "declined"
        else:
            with snapshot.around(settings, f"restore-{snapshot.safe_name(host)}", [host], f"restore {host}",
                                 enabled=snapshots) as states:
                done = apply_restore(nr, repo, planned, options)
            if snapshots:
                done.state = states.to_dict()
            progress = done.progress
            entry.detail |= {"commands": progress.applied if progress else [], "verified": done.verified,
                             "remaining": done.remaining, "push": progress.stop() if progress else None}
            if states.before or states.after:
                entry.detail |= {"snapshots": [states.before, states.after], "regressions": states.regressions}
            entry.result = "ok" if done.verified is not False else f"failed: {_failure(done)}"
            if progress is not None and not done.verified:
                why = None if not progress.complete else f"verification failed: {len(done.remaining)} command(s) still needed"
                left = recovery.leave(settings, "restore", host, done.platform, progress, done.running,
                                      repo.show(host, done.commit), done.after, done.commit, why)
                done.recovery = left.summary()
                entry.detail["recovery_plan"] = left.path
        del entry.detail["planned"]
    pushed = f"pushed {len(done.commands)} command(s)" if done.pushed else "nothing to push"
    if done.verified is False:
        plan_file = f"; plan {done.recovery['path']}" if done.recovery else ""
        result = DeviceResult(host, Status.FAILED, f"{_failure(done)}{plan_file}", "", begun,
                              time.monotonic() - started, done)
    else:
        verified = f"; verified against {done.commit[:12]}" if done.verified else ""
        result = DeviceResult(host, Status.OK if done.pushed or not done.commands else Status.SKIPPED, pushed + verified, "", begun,
                              time.monotonic() - started, done)
    on_event(Finished(result))
    return done


def _failure(done: RestorePlan) -> str:
    if done.progress is not None and not done.progress.complete:
        return recovery.stopped(done.progress)
    return f"pushed {len(done.commands)} command(s); still needs {len(done.remaining)}: {'; '.join(done.remaining[:5])}"


def bootstrap(username: str | None, password_env: str | None, secret_env: str | None = None,
              env: Mapping[str, str] | None = None) -> Bootstrap | None:
    """The first login of replacement hardware, its password and enable secret read from the environment (the enable
    secret is the password unless ``secret_env`` names another variable)."""
    if username is None and password_env is None:
        return None
    if not username or not password_env:
        raise InputError("a bootstrap login needs both --bootstrap-username and --bootstrap-password-env",
                         key="--bootstrap-username" if not username else "--bootstrap-password-env")
    values = os.environ if env is None else env
    for flag, name in (("--bootstrap-password-env", password_env), ("--bootstrap-secret-env", secret_env)):
        if name is not None and not values.get(name):
            raise InputError(f"environment variable {name} is not set", key=flag)
    password = values[password_env]
    return Bootstrap(username, password, values[secret_env] if secret_env else password)  # enable: the same by default


def rebuild_plan(settings: Settings, host: str, rev: str, identity: Path, options: FetchOptions = FetchOptions(),
                 login: Bootstrap | None = None) -> RebuildPlan:
    """What a full rebuild of ``host`` would push (secrets redacted); the device is only read."""
    with recorded(settings, "rebuild", host) as entry:
        done = plan_rebuild(_one(settings, host), store(settings), host, rev, identity, options, login)
        entry.detail = {"dry_run": True, "rev": rev, "commit": done.commit, "commands": len(done.commands),
                        "secrets": done.secrets, "manual": done.manual}
        entry.result = "dry run"
    return done


def export_config(settings: Settings, host: str, rev: str, identity: Path, path: Path) -> str:
    """``host``'s complete configuration at ``rev``, secrets included, written to ``path`` (0600); the commit."""
    require_host(settings, host)
    with recorded(settings, "rebuild.export", host) as entry:  # a file with every secret of the device
        commit = export(store(settings), host, rev, identity, path)
        entry.detail = {"rev": rev, "commit": commit, "file": str(path)}
    return commit


def rebuild(settings: Settings, host: str, rev: str, identity: Path, options: FetchOptions = FetchOptions(),
            login: Bootstrap | None = None, confirm: Callable[[RebuildPlan], bool] | None = None,
            trigger: str = "netops", on_event: Listener = ignore, reason: str | None = None) -> RebuildPlan:
    """Full rebuild of a device that lost its configuration: plan under the lock, ask ``confirm``, push over
    ``login`` (replacement hardware) or the inventory's credentials, save, then verify configuration and secrets
    with the inventory's credentials. Recorded in the audit trail (not the commands: a whole configuration)."""
    repo = store(settings)
    nr = _one(settings, host)
    started, begun = time.monotonic(), datetime.now(timezone.utc)
    with job_lock(settings.data_dir, "backup", f"netops restore --full {host} ({trigger})"), \
            recorded(settings, "rebuild", host, reason=reason, changing=True) as entry:
        on_event(Started("rebuild", (host,)))
        planned = plan_rebuild(nr, repo, host, rev, identity, options, login)
        entry.detail = {"rev": rev, "commit": planned.commit, "trigger": trigger, "commands": len(planned.commands),
                        "secrets": planned.secrets, "manual": planned.manual,
                        "bootstrap_login": login.username if login else None}
        if confirm is not None and not confirm(planned):
            done = planned
            entry.result = "declined"
        else:
            done = apply_rebuild(nr, repo, planned, options, login)
            entry.detail |= {"pushed": done.pushed, "verified": done.verified,
                             "secrets_verified": done.secrets_verified, "remaining": len(done.remaining)}
            entry.result = ("ok" if done.verified else f"failed: {describe_failure(done)}" if done.pushed
                            else "not pushed: the plan has manual steps")
    if done.verified:
        status, reason = Status.OK, f"rebuilt with {len(done.commands)} command(s); verified against {done.commit[:12]}"
    elif done.verified is None:
        status, reason = Status.SKIPPED, "not pushed"
    else:
        status, reason = Status.FAILED, describe_failure(done)
    on_event(Finished(DeviceResult(host, status, reason, "", begun, time.monotonic() - started, done)))
    return done
