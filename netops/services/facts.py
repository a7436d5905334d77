"""``netops inventory facts``: read what every device is, store it with its history; read the stored facts.

Also the inputs of ``kind: software`` policy rules: the stored facts per host and the lifecycle table.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from netops.backup.fetch import FetchOptions
from netops.backup.run import backs_up
from netops.errors import InputError
from netops.facts import store
from netops.facts.collect import Facts, collect
from netops.facts.store import Change, Stored
from netops.inventory import Filters, open_nornir
from netops.inventory.filters import WILDCARDS
from netops.inventory.hosts import HostInfo
from netops.inventory.loader import DEFAULT_WORKERS
from netops.policy.software import HostFacts, SoftwareInputs, load_lifecycle
from netops.results import DeviceResult, RunResult, Status
from netops.services import inventory
from netops.services.audit import outcome, recorded, scope
from netops.services.events import Finished, Listener, Started, ignore
from netops.settings import Settings


@dataclass
class FactsRun(RunResult[Any]):
    """One facts run: a result per device (its facts, or why not), and the changes it stored."""

    changes: list[Change] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return super().to_dict() | {"changes": [c.to_dict() for c in self.changes]}


def run(settings: Settings, filters: Filters = Filters(), options: FetchOptions = FetchOptions(), workers: int | None = None,
        on_event: Listener = ignore) -> FactsRun:
    """Read the facts of every SSH-managed device ``filters`` select and store them (history of changes included).

    A host named explicitly (no wildcard) that netops does not log into is reported skipped."""
    nr = backs_up(open_nornir(settings, filters, workers=workers or DEFAULT_WORKERS))
    names = tuple(sorted(nr.inventory.hosts))
    skipped = sorted(h for h in filters.hosts if not WILDCARDS & set(h) and h not in names)
    if not names and not skipped:
        raise InputError("no SSH-managed device matches the filters", key="--site/--role/--host/--platform")
    started = datetime.now(timezone.utc)
    with recorded(settings, "facts", scope(filters)) as entry:
        on_event(Started("facts", names + tuple(skipped)))
        results: list[Facts] = []
        for host in skipped:
            result: Facts = DeviceResult(host, Status.SKIPPED, "netops does not log into this device")
            results.append(result)
            on_event(Finished(result))
        if names:
            results += collect(nr, options, on_result=lambda r: on_event(Finished(r)))
        with closing(store.open_db(settings.data_dir)) as conn:
            changes = store.save(conn, results, started)
        done = FactsRun("facts", started, sorted(results, key=lambda r: r.host),
                        (datetime.now(timezone.utc) - started).total_seconds(), changes=changes)
        counts = done.counts()
        entry.detail = {"devices": counts["devices"], "failed": counts.get("failed", 0), "changes": len(changes),
                        "versions": sum(c.version for c in changes)}
        entry.result = outcome(done)
        return done


def _selected(rows: list[Stored], hosts: dict[str, HostInfo], filters: Filters | None) -> list[Stored]:
    if filters is None or filters == Filters():
        return rows
    return [r for r in rows if r.name in hosts or (r.kind == "ap" and r.controller in hosts)]


def stored(settings: Settings, filters: Filters | None = None) -> tuple[list[Stored], dict[str, dict[str, Any]]]:
    """The stored facts of the devices ``filters`` select and of the APs their controllers list (None: all), and the
    last attempt per device (when, status, reason), without connecting to anything."""
    hosts = inventory.hosts(settings, filters) if filters is not None and filters != Filters() else {}
    with closing(store.open_db(settings.data_dir)) as conn:
        rows, tried = store.latest(conn), store.attempts(conn)
    chosen = _selected(rows, hosts, filters)
    names = {r.name for r in chosen}
    return chosen, {name: attempt for name, attempt in tried.items() if name in names or not hosts or name in hosts}


def of_host(settings: Settings, host: str) -> Stored | None:
    """The stored facts of one host (its own, else its controller's AP list entry); None when never read."""
    with closing(store.open_db(settings.data_dir)) as conn:
        return store.by_host(conn).get(host)


def detail_rows(settings: Settings, host: str, inventory_model: str = "") -> tuple[dict[str, str], str | None]:
    """What the dashboard's device view shows of the host's stored facts (label -> text), and why there are none
    (None: there are)."""
    from netops.ages import short
    from netops.model import DeviceFacts

    with closing(store.open_db(settings.data_dir)) as conn:
        found = store.by_host(conn).get(host)
        tried = store.attempts(conn).get(host)
        upgrades = [c for c in store.changes(conn, names=[host]) if c.version]
    failed = f"last attempt {tried['at'][:16].replace('T', ' ')} failed: {tried['reason']}" \
        if tried and tried["status"] == "failed" else None
    if found is None:
        return ({"facts error": failed} if failed else {}), "no facts read yet (netops inventory facts)"
    f = found.facts
    model = f.model + (f" (inventory says {inventory_model})" if inventory_model and f.model and f.model != inventory_model else "")
    rows = {"hardware": model}
    if isinstance(f, DeviceFacts):
        rows |= {"vendor": f.vendor, "serials": ", ".join(f.serials),
                 "software": " ".join(x for x in (f.os_name, f.os_version) if x),
                 "uptime": short(f.uptime_s) if f.uptime_s is not None else "", "last reload": f.reload_reason}
        if f.aps:
            rows["APs listed"] = str(len(f.aps))
    else:
        rows |= {"serials": f.serial, "software": f.version, "listed by": found.controller or ""}
    if upgrades:
        last = upgrades[-1]
        rows["software changed"] = f"{last.at[:16].replace('T', ' ')} UTC: {last.old} -> {last.new}"
    rows["facts read"] = found.collected[:16].replace("T", " ") + " UTC"
    if failed:
        rows["facts error"] = failed
    return {k: v for k, v in rows.items() if v}, None


def changes(settings: Settings, since: datetime | None = None, until: datetime | None = None) -> list[Change]:
    """The changes stored in ``[since, until)``."""
    with closing(store.open_db(settings.data_dir)) as conn:
        return store.changes(conn, since, until)


def software_inputs(settings: Settings, today: date | None = None) -> SoftwareInputs:
    """What ``kind: software`` rules read: the stored facts by host and the lifecycle table (a bad table: InputError)."""
    with closing(store.open_db(settings.data_dir)) as conn:
        rows = store.by_host(conn)
    facts = {name: HostFacts(s.model, s.version, s.collected, s.controller or "") for name, s in rows.items()}
    return SoftwareInputs(facts, load_lifecycle(settings.lifecycle), today)
