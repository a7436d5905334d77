"""Full rebuild: bring a device that lost its configuration (replaced, reset, wiped) back to a stored
version, secrets included.

The stored configuration is filled from the vault (the identity decrypts it in memory only), the
platform's remediation turns the device's current configuration into it (hier_config puts the
commands in an order the platform accepts), and nothing is pushed unless every step can be done
by netops. After the push and save, the device is fetched again with the inventory's credentials:
the configuration must match line for line and every secret must be the vault's. What is shown or
stored of the commands is redacted; the secrets exist only in the push itself.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nornir.core import Nornir
from nornir.core.task import Result, Task

from netops.backup.clean import Secret, clean, clean_keeping_secrets, redact_line
from netops.backup.fetch import FetchOptions, close, fetch_config, open_session
from netops.backup.gitstore import GitStore
from netops.backup.guard import rejection
from netops.backup.manual import split_manual
from netops.backup.restore import run_one, single_host
from netops.drivers import get_driver
from netops.drivers.base import REDACTED, BackupSpec, PlatformDriver
from netops.drivers.push import Progress, PushFailed
from netops.errors import InputError
from netops.files import write_atomic
from netops.inventory import credentials
from netops.vault import compare, fill, secrets_at


@dataclass(frozen=True)
class Bootstrap:
    """The first login of replacement hardware: its default account (the password from the environment)."""

    username: str
    password: str
    secret: str | None = None  # enable secret, where the platform asks for one


@dataclass
class RebuildPlan:
    host: str
    platform: str
    commit: str
    backed_up: str  # when the revision was committed (ISO 8601)
    commands: list[str]  # what is pushed, secrets redacted
    manual: list[str]  # what netops cannot do; a plan with manual steps is never pushed
    secrets: int  # secret lines filled from the vault
    notes: list[str] = field(default_factory=list)  # what a rebuild leaves to the device itself
    pushed: bool = False
    verified: bool | None = None  # configuration matches the revision
    secrets_verified: bool | None = None  # every secret is the vault's
    remaining: list[str] = field(default_factory=list)  # commands still needed after the push (redacted)
    mismatched: list[str] = field(default_factory=list)  # what the secret check found different (labels only)
    stopped: str | None = None  # where and why the push stopped (the line redacted); None: it went through
    push: list[str] = field(default_factory=list, repr=False)  # the real commands; never serialised
    expected: list[Secret] = field(default_factory=list, repr=False)  # the vault's secrets, to verify; never serialised

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if k not in ("push", "expected")}


def procedure(host: str, platform: str, rev: str) -> str:
    """The numbered manual steps that rebuild ``host`` (a platform netops does not rebuild itself)."""
    driver = get_driver(platform)
    export = (f"on the operations server: netops restore {host} --full --rev {rev} --identity <key> "
              f"--export {host}.cfg  (the complete configuration, secrets included, in a 0600 file)")
    steps = driver.rebuild_procedure or (export, "apply it on the device's console", f"netops backup drift {host}")
    return "\n".join(f"  {n}. {step.format(export=export, host=host)}" for n, step in enumerate(steps, 1))


def export(store: GitStore, host: str, rev: str, identity: Path, path: Path) -> str:
    """Write ``host``'s complete configuration at ``rev``, secrets included, to ``path`` (0600, atomic); its commit."""
    commit = store.resolve(rev)
    write_atomic(path, fill(store.show(host, commit), secrets_at(store, host, commit, identity)), mode=0o600)
    return commit


def without_blocks(text: str, spec: BackupSpec) -> tuple[str, list[str]]:
    """``text`` without its collapsed blocks (PKI certificates), and a note for each.

    A certificate is bound to the key pair of the device that enrolled it, and the key is not part of the
    configuration: pushed to new or wiped hardware it would be a certificate without its key. The device
    enrolls its own (IOS-XE: ``crypto pki enroll``; a self-signed one is made when the HTTPS server needs it).
    A section left empty by the removal (``crypto pki certificate chain NAME``) goes too.
    """
    starts = [re.compile(b.start) for b in spec.blocks]
    lines = text.splitlines()
    keep = [True] * len(lines)
    notes = []
    for i, line in enumerate(lines):
        if not keep[i] or not any(rx.search(line) for rx in starts):
            continue
        depth = _indent(line)
        keep[i] = False
        j = i + 1
        while j < len(lines) and _indent(lines[j]) > depth:
            keep[j], j = False, j + 1
        parent = next((k for k in range(i - 1, -1, -1) if _indent(lines[k]) < depth), None)
        if parent is not None and keep[parent]:
            children = [k for k in range(parent + 1, len(lines)) if keep[k] and _indent(lines[k]) > _indent(lines[parent])
                        and all(_indent(lines[m]) > _indent(lines[parent]) for m in range(parent + 1, k + 1))]
            if not children:
                keep[parent] = False
        where = lines[parent].strip() + " > " if parent is not None else ""
        notes.append(f"not pushed: {where}{line.strip()} (a certificate belongs to the old device's key; "
                     "the device enrolls its own)")
    kept = [line for line, k in zip(lines, keep) if k]
    return "\n".join(kept) + "\n" if kept else "", notes


def pushable(secrets: list[Secret], spec: BackupSpec) -> list[Secret]:
    """The secrets a rebuild pushes and verifies: not the collapsed blocks (see :func:`without_blocks`)."""
    blocks = {b.name for b in spec.blocks}
    return [s for s in secrets if s.label not in blocks]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def overwritten(running: str, stored: str) -> str:
    """``running`` without the secret lines the rebuild sets anyway: a redacted line whose text before the marker
    is that of a redacted line of the stored version is overwritten by the vault's value, never negated (netops
    cannot quote the device's secret, and need not)."""
    keys = {line.partition(REDACTED)[0] for line in stored.splitlines() if REDACTED in line}
    return "\n".join(line for line in running.splitlines() if REDACTED not in line or line.partition(REDACTED)[0] not in keys) + "\n"


def _raw(task: Task, driver: PlatformDriver, options: FetchOptions, wiped: bool = False) -> str:
    """The device's configuration as fetched; guarded like a backup, except that a ``wiped`` device's factory
    default need not have the sections a configured device has (a complete output is still required)."""
    assert driver.backup is not None
    raw = fetch_config(task, driver, options)
    spec = dataclasses.replace(driver.backup, required=(), min_lines=1) if wiped else driver.backup
    reason = rejection(raw, spec)
    if reason:
        raise ValueError(f"current configuration not usable ({reason})")
    return raw


def secret_values(secrets: list[Secret]) -> list[str]:
    """The values the vault's secrets put in place of the marker, longest first (for masking)."""
    values = set()
    for secret in secrets:
        prefix, _, suffix = secret.stored.partition(REDACTED)
        for original in secret.original:
            end = len(original) - len(suffix)
            if original.startswith(prefix) and original.endswith(suffix) and end > len(prefix):
                values.add(original[len(prefix):end].strip().strip("'\""))
    return sorted((v for v in values if v), key=len, reverse=True)


def masked(line: str, spec: BackupSpec, values: list[str]) -> str:
    """``line`` as it may be shown: the platform's redaction, then every vault value replaced by the marker (a
    command may spell a secret differently from the configuration, e.g. ``uci set`` against ``uci export``)."""
    stripped = line.lstrip(" ")
    out = line[: len(line) - len(stripped)] + redact_line(stripped, spec)
    for value in values:
        out = out.replace(value, REDACTED)
    return out


def plan_rebuild(nr: Nornir, store: GitStore, host: str, rev: str, identity: Path, options: FetchOptions,
                 bootstrap: Bootstrap | None = None) -> RebuildPlan:
    """What a full rebuild of ``host`` to ``rev`` pushes; refuses (InputError) when it could not complete."""
    one = single_host(nr, host)
    platform = one.inventory.hosts[host].platform or ""
    driver = get_driver(platform)
    if not driver.can_rebuild or driver.backup is None:
        raise InputError(f"{host}: netops does not rebuild {platform} devices itself; by hand:\n"
                         + procedure(host, platform, rev), key="--full")
    commit = store.resolve(rev)
    stored, notes = without_blocks(store.show(host, commit), driver.backup)
    secrets = pushable(secrets_at(store, host, commit, identity), driver.backup)
    intended = fill(stored, secrets)
    if bootstrap is not None:
        credentials.apply(one.inventory.hosts[host], bootstrap.username, bootstrap.password, bootstrap.secret)
    raw = run_one(one, lambda t: Result(host=t.host, result=_raw(t, driver, options, wiped=True)), options.timeout)
    running = overwritten(without_blocks(clean(raw, driver.backup), driver.backup)[0], stored)
    push, manual = split_manual(driver.remediation(running, intended))
    values = secret_values(secrets)
    plan = RebuildPlan(host, platform, commit, store.version_date(host, commit),
                       [masked(c, driver.backup, values) for c in push], manual, len(secrets), notes, push=push,
                       expected=secrets)
    if manual:
        raise InputError(f"{host}: nothing pushed: the rebuild to {commit[:12]} needs {len(manual)} step(s) netops "
                         f"cannot do: {'; '.join(manual[:3])}", key="--full")
    return plan


def apply_rebuild(nr: Nornir, store: GitStore, plan: RebuildPlan, options: FetchOptions,
                  bootstrap: Bootstrap | None = None) -> RebuildPlan:
    """Push ``plan`` (over the bootstrap login when given), save, then verify with the inventory's credentials."""
    one = single_host(nr, plan.host)
    driver = get_driver(plan.platform)
    assert driver.backup is not None
    inventory_host = one.inventory.hosts[plan.host]
    login = (inventory_host.username, inventory_host.password, dict(inventory_host.connection_options))

    def push(task: Task) -> Result:
        try:
            conn = open_session(task, driver, options)
            output: str | Progress = driver.push(conn, plan.push, options.timeout)
        except PushFailed as exc:  # verified below like a complete push: the report says what is left
            output = exc.progress
        finally:
            close(task)  # the push saved; a graceful logout only waits (OpenWrt's shell: the whole read timeout)
        return Result(host=task.host, result=output)

    if plan.push:
        if bootstrap is not None:
            credentials.apply(inventory_host, bootstrap.username, bootstrap.password, bootstrap.secret)
        try:
            progress = run_one(one, push, options.timeout)
        finally:
            inventory_host.username, inventory_host.password = login[0], login[1]
            inventory_host.connection_options = login[2]
        plan.pushed = True
        if isinstance(progress, Progress) and not progress.complete:
            line = masked(progress.failed, driver.backup, secret_values(plan.expected)) if progress.failed else None
            plan.stopped = (f"push stopped at `{line}`: {progress.error}" if line else f"push stopped: {progress.error}") + \
                f" ({len(progress.applied)} of {len(progress.commands)} command(s) applied)"
    raw = run_one(one, lambda t: Result(host=t.host, result=_raw(t, driver, options)), options.timeout)
    stored = without_blocks(store.show(plan.host, plan.commit), driver.backup)[0]
    running, found = clean_keeping_secrets(raw, driver.backup)
    remaining, _ = split_manual(driver.remediation(without_blocks(running, driver.backup)[0], stored))
    plan.remaining = [masked(c, driver.backup, secret_values(plan.expected)) for c in remaining]
    plan.secrets_verified, plan.mismatched = compare(plan.expected, pushable(found, driver.backup))
    plan.verified = not remaining and plan.secrets_verified
    return plan


def describe_failure(plan: RebuildPlan) -> str:
    parts = [plan.stopped] if plan.stopped else []
    if plan.remaining:
        parts.append(f"still needs {len(plan.remaining)} command(s): {'; '.join(plan.remaining[:3])}")
    if plan.mismatched:
        parts.append(f"secrets differ from the vault: {', '.join(plan.mismatched[:5])}")
    return "; ".join(parts) or "not verified"

