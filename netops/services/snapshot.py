"""``netops snapshot``: operational state before and after a change, stored by name and compared.

:func:`take` reads the devices in scope (SSH and SNMP at once) and stores the snapshot under
``<data dir>/snapshots/<name>.json``; :func:`diff` compares two stored snapshots. :func:`around` is the
before/after of the commands that change devices (restore, remediate, the DR drill): a snapshot of the devices
they change before and after, auto-named and with their origin, and the diff, none of which ever fails or blocks
the change itself (a failure is reported in the result).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from netops.errors import InputError
from netops.inventory import Filters, open_nornir
from netops.results import DeviceResult, Status
from netops.services import inventory
from netops.services.audit import recorded, scope
from netops.services.events import Finished, Listener, Started, ignore
from netops.settings import Settings
from netops.snapshot import store
from netops.snapshot.diff import CLIENTS_DROP, CLIENTS_MIN, SnapshotDiff
from netops.snapshot.diff import diff as compare
from netops.snapshot.record import DeviceSnapshot, Snapshot
from netops.snapshot.take import TakeOptions
from netops.snapshot.take import take as read_devices
from netops.snmp import targets
from netops.snmp.backends import backend_factory

StateSnapshot = Snapshot  # the name the dashboard knows it by (its own ``Snapshot`` is the overview's data)
__all__ = ["BeforeAfter", "SnapshotDiff", "StateSnapshot", "around", "delete", "diff", "listing", "show", "take"]


def _result(record: DeviceSnapshot) -> DeviceResult[DeviceSnapshot]:
    taken = datetime.fromisoformat(record.taken) if record.taken else None
    if not record.answered:
        reason = "unreachable: " + "; ".join(f"{t} {record.reasons.get(t, 'no answer')}" for t in sorted(record.reachable))
        return DeviceResult(record.host, Status.FAILED, reason, record.site, taken, payload=record)
    features = ", ".join(f"{f} {len(keys)}" for f, keys in record.features.items()) or "no features"
    problems = "; ".join(f"{t}: {why}" for t, why in sorted(record.reasons.items()))
    return DeviceResult(record.host, Status.OK, features + (f" ({problems})" if problems else ""), record.site, taken,
                        payload=record)


def describe_scope(filters: Filters) -> str:
    """``all devices``, or the filters: ``site jammu``, ``host core1,wlc9800``."""
    text = scope(filters)
    return "all devices" if text == "all" else text.replace("=", " ")


def take(settings: Settings, name: str, filters: Filters = Filters(), force: bool = False, origin: str = "manual",
         options: TakeOptions = TakeOptions(), on_event: Listener = ignore) -> Snapshot:
    """Read the selected devices now and store the snapshot as ``name`` (an existing name: an input error
    unless ``force``). A device that does not answer is recorded as unreachable with the reason."""
    store.check_name(name)
    if store.exists(settings.data_dir, name) and not force:
        raise InputError(f"a snapshot named {name!r} exists (add --force to replace it, or choose another name)", key="NAME")
    nr = open_nornir(settings, filters)
    selection = targets.select(settings, filters)
    skipped = {m.host: f"read through its controller {m.controller}" if m.controller else "no SNMP agent and no controller"
               for m in selection.managed}
    with recorded(settings, "snapshot", describe_scope(filters)) as entry:
        snapshot = read_devices(nr, selection.targets, name, describe_scope(filters), origin, options, skipped,
                                on_start=lambda hosts: on_event(Started("snapshot", hosts)),
                                on_device=lambda record: on_event(Finished(_result(record))),
                                backend_factory=backend_factory(settings.snmp_backend))
        store.save(settings.data_dir, snapshot, force=force)
        entry.detail = {"name": name, "origin": origin, "devices": len(snapshot.devices),
                        "unreachable": snapshot.unreachable}
    return snapshot


def listing(settings: Settings) -> list[Snapshot]:
    """Every stored snapshot, oldest first."""
    return store.listing(settings.data_dir)


def show(settings: Settings, name: str, host: str | None = None) -> Snapshot:
    """The stored snapshot ``name`` (only ``host`` when given: an input error when it holds no such device)."""
    snapshot = store.load(settings.data_dir, name)
    if host is not None:
        if host not in snapshot.devices:
            from netops.errors import unknown

            raise unknown(f"device in snapshot {name!r}", host, snapshot.devices, key="--host")
        snapshot.devices = {host: snapshot.devices[host]}
    return snapshot


def diff(settings: Settings, a: str, b: str, clients_drop: float = CLIENTS_DROP, clients_min: int = CLIENTS_MIN) -> SnapshotDiff:
    """Stored snapshot ``a`` against ``b``; an unknown name is an input error naming the snapshots that exist."""
    if not 0 <= clients_drop <= 1:
        raise InputError(f"{clients_drop:g} is not a fraction between 0 and 1 (0.5: more than half of the clients)",
                         key="--clients-drop")
    first, second = store.load(settings.data_dir, a, key="A"), store.load(settings.data_dir, b, key="B")
    return compare(first, second, clients_drop, clients_min)


def delete(settings: Settings, name: str) -> None:
    with recorded(settings, "snapshot.delete", name):
        store.delete(settings.data_dir, name)


# ------------------------------------------------------------------ before/after of changing commands


def stamp(now: datetime | None = None) -> str:
    """``20261205T044501Z``: the UTC time in an auto-named snapshot."""
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


@dataclass
class BeforeAfter:
    """The snapshots a changing command took around its change, and their diff (or why there is none)."""

    before: str | None = None  # the snapshot names
    after: str | None = None
    diff: SnapshotDiff | None = None
    problems: list[str] = field(default_factory=list)  # a snapshot that could not be taken or stored, and why

    @property
    def regressions(self) -> int:
        return len(self.diff.regressions) if self.diff else 0

    def to_dict(self) -> dict[str, Any]:
        return {"before": self.before, "after": self.after, "problems": list(self.problems),
                "regressions": [c.to_dict() for c in self.diff.regressions] if self.diff else [],
                "changes": [c.to_dict() for c in self.diff.changes] if self.diff else []}

    def lines(self) -> list[str]:
        """The text form: one line per regression and change."""
        out = [f"snapshot problem: {p}" for p in self.problems]
        if self.diff is None:
            return out
        head = f"state {self.before} -> {self.after}: "
        if self.diff.empty:
            return out + [head + "no change"]
        out.append(head + f"{len(self.diff.regressions)} regression(s), {len(self.diff.changes)} other change(s)")
        out += [f"  REGRESSION {c.host} {c.feature} {c.key}: {c.message}".rstrip() for c in self.diff.regressions]
        out += [f"  changed    {c.host} {c.feature} {c.key}: {c.message}".rstrip() for c in self.diff.changes]
        return out


def _quiet_take(settings: Settings, name: str, hosts: list[str], origin: str, options: TakeOptions,
                result: BeforeAfter) -> Snapshot | None:
    try:
        filters = Filters.of(hosts=hosts)
        nr = open_nornir(settings, filters)
        selection = targets.select(settings, filters)
        snapshot = read_devices(nr, selection.targets, name, describe_scope(filters), origin, options,
                                backend_factory=backend_factory(settings.snmp_backend))
        store.save(settings.data_dir, snapshot)
        return snapshot
    except Exception as exc:  # a snapshot never blocks or fails the change: its failure is reported
        result.problems.append(f"{name}: {type(exc).__name__}: {exc}")
        return None


def with_controllers(settings: Settings, hosts: list[str]) -> list[str]:
    """``hosts`` and the controllers of the APs the inventory cables to them (``switch:``), so that a change to an
    access switch is seen on the Wi-Fi side too: its APs leaving or rejoining their controllers."""
    every = inventory.hosts(settings)
    chosen = set(hosts)
    controllers = {h.controller for h in every.values() if h.switch in chosen and h.controller in every}
    return sorted(chosen | {c for c in controllers if c is not None})


@contextmanager
def around(settings: Settings, action: str, hosts: list[str], origin: str, enabled: bool = True,
           options: TakeOptions | None = None) -> Iterator[BeforeAfter]:
    """Snapshot ``hosts`` (with the controllers of the APs cabled to them) before the block and after it, store
    both (``<action>-<stamp>-before``/``-after``, with ``origin``) and fill the yielded :class:`BeforeAfter` with
    their diff. Never raises for the snapshots; the block's own exception goes on (after the "after" snapshot is
    taken, since the change may have happened)."""
    result = BeforeAfter()
    if not enabled or not hosts:
        yield result
        return
    try:
        hosts = with_controllers(settings, hosts)
    except Exception as exc:  # the inventory was read by the change already: only the Wi-Fi side is lost
        result.problems.append(f"the APs' controllers not added: {type(exc).__name__}: {exc}")
    opts = options or TakeOptions()
    base = f"{action}-{stamp()}"
    for suffix in ("", "-1", "-2", "-3"):
        if not store.exists(settings.data_dir, f"{base}{suffix}-before"):
            base += suffix
            break
    before = _quiet_take(settings, f"{base}-before", hosts, origin, opts, result)
    result.before = before.name if before else None
    try:
        yield result
    finally:
        after = _quiet_take(settings, f"{base}-after", hosts, origin, opts, result)
        result.after = after.name if after else None
        if before is not None and after is not None:
            result.diff = compare(before, after)


def safe_name(text: str) -> str:
    """``text`` usable in a snapshot name (anything else becomes ``_``)."""
    cleaned = "".join(c if c.isalnum() or c in "._-" else "_" for c in text).strip("._-")
    return cleaned[:60] or "x"
