"""The inventory as the CLI and the dashboard see it: hosts, checks, imports."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml
from nornir.core.inventory import Host

from netops import audit
from netops.errors import InputError, unknown
from netops.files import write_all
from netops.inventory import Filters, hostkeys, open_nornir
from netops.inventory import hosts as h
from netops.inventory.check import Problem, check
from netops.inventory.clab import load_topology, simple_inventory
from netops.inventory.files import DEFAULTS_FILE, GROUPS_FILE, HOSTS_FILE, InventoryFiles
from netops.inventory.filters import WILDCARDS
from netops.inventory.hosts import HostInfo
from netops.results import DeviceResult, Status
from netops.services.events import Finished, Listener, Started, ignore
from netops.settings import Settings

ROLE_ORDER = {"core": 0, "access": 1, "wlc": 2, "ap": 3}


def hosts(settings: Settings, filters: Filters | None = None) -> dict[str, HostInfo]:
    """Every selected host (as the active mode maps it), by name, in site / role / name order."""
    nr = open_nornir(settings, filters, credentials=False)
    infos = [HostInfo.of(h) for h in nr.inventory.hosts.values()]
    infos.sort(key=lambda i: (i.site, ROLE_ORDER.get(i.role, 9), i.name))
    return {i.name: i for i in infos}


def problems(settings: Settings) -> list[Problem]:
    """Every error and warning of the inventory files (AP cabling checked against the latest backups)."""
    return check(InventoryFiles.of(settings.inventory), settings.backup_dir)



def from_clab(topology: Path) -> dict[str, dict[str, Any]]:
    """A SimpleInventory (hosts, groups, defaults) of a containerlab topology's nodes."""
    return simple_inventory(load_topology(topology))


def write_inventory(inventory: dict[str, dict[str, Any]], directory: Path, force: bool = False) -> list[Path]:
    """Write ``hosts.yaml``, ``groups.yaml`` and ``defaults.yaml`` into ``directory``; nothing is written when
    one exists already (unless ``force``)."""
    targets = {kind: directory / name for kind, name in (("hosts", HOSTS_FILE), ("groups", GROUPS_FILE), ("defaults", DEFAULTS_FILE))}
    existing = [str(p) for p in targets.values() if p.exists()]
    if existing and not force:
        raise InputError(f"would overwrite {', '.join(existing)} (add --force to replace them)", key="--output")
    texts = {kind: yaml.safe_dump(inventory[kind], sort_keys=False, default_flow_style=False) for kind in targets}
    return write_all({path: texts[kind] for kind, path in targets.items()}, key="--output")  # all three or none


@dataclass(frozen=True)
class TrustPayload:
    """A device's SSH host key against what netops expected of it, and what ``trust`` did about it."""

    address: str  # as known_hosts names it: 10.0.0.1, [127.0.0.1]:10022
    state: str  # known, new, changed, unreachable
    presented: str | None = None  # SHA256 fingerprint of the key the device presents
    key: str | None = None  # that key, "TYPE BASE64"
    known: tuple[str, ...] = ()  # fingerprints netops accepted before
    source: str = ""  # where those came from: trusted, inventory, first-use ("" never seen)
    recorded: bool = False  # trusted from now on


Trusted = DeviceResult[TrustPayload]
SOURCES = {hostkeys.TRUSTED: "trusted earlier", "inventory": "the inventory's ssh_host_key",
           hostkeys.FIRST_USE: "recorded at first contact"}
ConfirmTrust = Callable[[list[Trusted]], bool]  # shown the keys about to be trusted; True: record them


def _selected(settings: Settings, names: Sequence[str], filters: Filters) -> tuple[list[Host], set[str]]:
    """The hosts ``trust`` works on and the names given explicitly (only those may have a changed key replaced)."""
    names = list(dict.fromkeys(names))
    if not names and filters == Filters():
        raise InputError("name a HOST, or select hosts with --site, --role, --platform or --host", key="HOST")
    nr = open_nornir(settings, credentials=False)
    every = nr.inventory.hosts
    filters.validate(every.values())
    for name in names:
        if name not in every:
            raise unknown("host", name, every, key="HOST")
        if not h.is_ssh_managed(every[name]):
            raise InputError(f"netops does not log into {name} (no SSH session, no host key)", key="HOST")
    chosen = dict.fromkeys(names)
    if filters != Filters():
        ssh = dataclasses.replace(filters, ssh_only=True)
        chosen.update(dict.fromkeys(n for n, host in every.items() if ssh.matches(host)))
    explicit = set(names) | {n for n in filters.hosts if not WILDCARDS & set(n)}
    return [every[n] for n in chosen], explicit


def _look(settings: Settings, host: Host, timeout: float) -> Trusted:
    """The host's presented key against the expected ones (nothing recorded)."""
    from netops.backup.fetch import describe  # the one wording of connection failures

    started, begun = time.monotonic(), datetime.now(timezone.utc)
    site = h.site(host)
    try:
        state = hostkeys.key_state(settings.data_dir, host, timeout)
    except Exception as exc:
        params = host.get_connection_parameters(hostkeys.PARAMETERS)
        payload = TrustPayload(hostkeys.address_id(str(params.hostname), params.port), "unreachable")
        return Trusted(host.name, Status.FAILED, describe(exc, timeout), site, begun, time.monotonic() - started, payload)
    payload = TrustPayload(state.address, state.state, state.presented.fingerprint, str(state.presented),
                           tuple(k.fingerprint for k in state.expected), state.source)
    return Trusted(host.name, Status.UNCHANGED if state.state == "known" else Status.SKIPPED, None, site, begun,
                   time.monotonic() - started, payload)


def trust(settings: Settings, names: Sequence[str] = (), filters: Filters = Filters(), fingerprint: str | None = None,
          confirm: ConfirmTrust | None = None, reason: str = "", timeout: float = hostkeys.TIMEOUT, workers: int = 20,
          on_event: Listener = ignore) -> list[Trusted]:
    """Connect to each selected host (key exchange only, no login), show its host key and trust it.

    A never-seen key is recorded; a changed key replaces the old one (also one
    the inventory pins) only for hosts named explicitly (``names``, or
    ``--host`` without wildcards). With ``fingerprint`` (one host; the admin
    read it off the device's console) the presented key must match it, or
    nothing is recorded (an input error, exit 2); without it, ``confirm`` is
    shown every key about to be trusted and must say yes (None: refuse).
    Every decision goes to ``<data dir>/hostkeys.log`` with the OS user and
    ``reason``. Statuses: unchanged (already trusted), changed (recorded),
    skipped (not recorded, the reason says why), failed (unreachable).
    """
    wanted = hostkeys.fingerprint_of(fingerprint) if fingerprint is not None else None
    selected, explicit = _selected(settings, names, filters)
    if wanted is not None and len(selected) != 1:
        raise InputError(f"--fingerprint is the key of one device, but {len(selected)} are selected: name one HOST",
                         key="--fingerprint")
    if not selected:
        return []
    on_event(Started("trust", tuple(host.name for host in selected)))
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(selected)))) as pool:
        looked = list(pool.map(lambda host: _look(settings, host, timeout), selected))
    by_name = {host.name: host for host in selected}
    known_hosts = hostkeys.KnownHosts.at(settings.data_dir)
    results: dict[str, Trusted] = {r.host: r for r in looked}
    pending: list[Trusted] = []
    for r in looked:
        p = r.payload
        if p is None or p.state == "unreachable":
            continue
        if wanted is not None and p.presented != wanted:
            known_hosts.log(hostkeys.REFUSED, r.host, p.address, p.known, p.presented,
                            f"netops inventory trust: the presented key is not --fingerprint {wanted}")
            raise InputError(f"{r.host} ({p.address}) presents {p.presented}, not {wanted}: nothing recorded "
                             "(is it the device whose console you read?)", key="--fingerprint")
        if p.state == "known":
            results[r.host] = dataclasses.replace(r, reason=f"already trusted ({SOURCES.get(p.source, p.source)})")
        elif p.state == "changed" and r.host not in explicit:
            results[r.host] = dataclasses.replace(r, reason=f"key changed (known {', '.join(p.known)}, {SOURCES.get(p.source, p.source)}): "
                                                  f"replaced only when named: netops inventory trust {r.host}")
        elif p.state == "changed":
            pending.append(dataclasses.replace(r, reason=f"replaces {', '.join(p.known)} ({SOURCES.get(p.source, p.source)})"))
        else:
            pending.append(dataclasses.replace(r, reason="never seen before"))
    if pending and wanted is None and not (confirm is not None and confirm(pending)):
        for r in pending:
            results[r.host] = dataclasses.replace(r, reason=f"not confirmed, nothing recorded ({r.reason})")
            audit.record(settings.data_dir, "inventory.trust", target=r.host, result="declined", reason=reason or None,
                         detail={"fingerprint": r.payload.presented if r.payload else None})
        pending = []
    if pending:
        audit.ready(settings.data_dir)  # no key is trusted unless the audit trail can say so
    why = "netops inventory trust" + (" --fingerprint (matched)" if wanted else "") + (f": {reason}" if reason else "")
    for r in pending:
        assert r.payload is not None and r.payload.key is not None
        replaced = r.payload.state == "changed"
        hostkeys.trust_key(settings.data_dir, by_name[r.host], hostkeys.PublicKey.parse(r.payload.key),
                           f"{why} ({'replaces ' + ', '.join(r.payload.known) if replaced else 'never seen before'})")
        audit.record(settings.data_dir, "inventory.trust", target=r.host, reason=reason or None,
                     detail={"fingerprint": r.payload.presented, "replaces": list(r.payload.known) if replaced else [],
                             "checked_against": "--fingerprint" if wanted else "confirmed"})
        results[r.host] = dataclasses.replace(r, status=Status.CHANGED, payload=dataclasses.replace(r.payload, recorded=True),
                                              reason=f"trusted, replacing {', '.join(r.payload.known)} ({SOURCES.get(r.payload.source, r.payload.source)})"
                                              if replaced else "trusted (never seen before)")
    out = [results[host.name] for host in selected]
    for r in out:
        on_event(Finished(r))
    return out
