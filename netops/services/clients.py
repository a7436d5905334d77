"""Wi-Fi clients for the help desk: the controllers' client tables read live, and the pseudonymised history.

``live`` answers "which AP, SSID and VLAN is this user on, with what signal?" from the
controllers' client tables over SNMP (clear identifiers, returned to the caller and
never written: no database, no log, no audit detail). With a ``find`` query it also
looks the client history up by the query's keyed pseudonyms ("when was this device last
seen, and where?"): the history holds only the pseudonyms, so a clear query is the only
way in.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from netops.errors import InputError
from netops.inventory import Filters
from netops.privacy.pseudonym import Pseudonymiser, kinds_of, normalise
from netops.results import DeviceResult, Status
from netops.services.events import Finished, Listener, Started, ignore
from netops.settings import Settings
from netops.snmp import history, targets
from netops.snmp.backends import backend_factory
from netops.snmp.clients import ClientRecord, ControllerClients, read_controllers_sync
from netops.snmp.collect import CONTROLLER_ROLES, profile_for


@dataclass(frozen=True)
class ClientsOptions:
    sites: tuple[str, ...] = ()
    ssid: str | None = None
    find: str | None = None  # a MAC (any notation), a user name or an IP address
    hosts: tuple[str, ...] = ()  # controllers
    timeout: float = 30.0
    history: int = 20  # history sightings shown for --find


@dataclass(frozen=True)
class Client:
    """A client on a controller, as the help desk sees it (clear identifiers: for the terminal only)."""

    controller: str
    site: str
    record: ClientRecord
    matched: tuple[str, ...] = ()  # for --find: what matched (mac, user, ip)

    def to_dict(self) -> dict[str, Any]:
        return {"controller": self.controller, "site": self.site, **self.record.to_dict(), "matched": list(self.matched)}


@dataclass(frozen=True)
class Sighting:
    """One stored sighting of a client (pseudonyms never shown: they are what was looked up)."""

    time: datetime
    controller: str
    site: str
    ap: str | None
    ssid: str | None
    vlan: int | None
    rssi: int | None
    matched: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["time"] = self.time.isoformat(timespec="seconds")
        out["matched"] = list(self.matched)
        return out


@dataclass(frozen=True)
class ControllerStatus:
    host: str
    site: str
    platform: str
    clients: int
    error: str | None
    elapsed: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ClientsResult:
    """Live clients (filtered), each controller's status, and for ``--find`` the history by pseudonym."""

    clients: list[Client]
    controllers: list[ControllerStatus]
    query: str | None = None
    query_kinds: tuple[str, ...] = ()
    history: list[Sighting] = field(default_factory=list)
    history_note: str | None = None

    @property
    def failed(self) -> list[ControllerStatus]:
        return [c for c in self.controllers if c.error]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"clients": [c.to_dict() for c in self.clients],
                               "controllers": [c.to_dict() for c in self.controllers]}
        if self.query is not None:
            out["find"] = {"query": self.query, "as": list(self.query_kinds), "history": [s.to_dict() for s in self.history],
                           "note": self.history_note}
        return out


def _matches(record: ClientRecord, query: str) -> tuple[str, ...]:
    out = []
    mac = normalise("mac", query)
    if mac is not None and record.mac == mac:
        out.append("mac")
    ip = normalise("ip", query)
    if ip is not None and record.ip == ip:
        out.append("ip")
    user = normalise("user", query)
    if user is not None and record.user and normalise("user", record.user) == user:
        out.append("user")
    return tuple(out)


def controllers(settings: Settings, options: ClientsOptions) -> list[Any]:
    """The poll targets of the selected controllers whose platform has a client table."""
    selection = targets.select(settings, Filters.of(sites=options.sites, hosts=options.hosts))
    chosen = [t for t in selection.targets + list(selection.controllers.values())
              if t.role in CONTROLLER_ROLES and getattr(profile_for(t.platform), "clients", None) is not None]
    return sorted({t.host: t for t in chosen}.values(), key=lambda t: t.host)


def history_of(settings: Settings, query: str, limit: int = 20) -> tuple[tuple[str, ...], list[Sighting], str | None]:
    """What the query can be, the newest stored sightings matching its pseudonyms, and a note when there is no
    history to search (no key yet: nothing was ever stored)."""
    pseudonyms = Pseudonymiser.for_data_dir(settings.data_dir)
    kinds = tuple(kinds_of(query))
    if not pseudonyms.exists:
        return kinds, [], f"no client history: no pseudonym key at {pseudonyms.path} yet (netops poll creates it)"
    hashes = pseudonyms.query(query)
    by_hash = {v: k for k, v in hashes.items()}
    with closing(history.open_history(settings.data_dir)) as conn:
        rows = history.client_sightings(conn, hashes, limit)
    out = []
    for row in rows:
        matched = tuple(by_hash[row[col]] for col in ("mac_hash", "user_hash", "ip_hash") if row[col] in by_hash)
        out.append(Sighting(datetime.fromtimestamp(row["ts"], timezone.utc), row["controller"], row["site"] or "",
                            row["ap"], row["ssid"], row["vlan"], row["rssi"], matched))
    return kinds, out, None


def live(settings: Settings, options: ClientsOptions = ClientsOptions(), on_event: Listener = ignore) -> ClientsResult:
    """Read the selected controllers' client tables now and filter by SSID and ``find``; nothing is written."""
    if options.find is not None and not options.find.strip():
        raise InputError("give a MAC address, a user name or an IP address", key="--find")
    chosen = controllers(settings, options)
    if not chosen:
        raise InputError("no Wi-Fi controller with a client table is selected (AireOS, Catalyst 9800, Aruba AOS 8 "
                         "controllers with an SNMP target)", key="--site/--host")
    on_event(Started("clients", tuple(t.host for t in chosen)))
    answers: list[ControllerClients] = read_controllers_sync(chosen, backend_factory(settings.snmp_backend), options.timeout)
    clients: list[Client] = []
    for answer in answers:
        status = Status.FAILED if answer.error else Status.OK
        on_event(Finished(DeviceResult(answer.host, status, answer.error, answer.site, elapsed=answer.elapsed)))
        for record in answer.clients:
            if options.ssid is not None and (record.ssid or "").casefold() != options.ssid.casefold():
                continue
            matched: tuple[str, ...] = ()
            if options.find is not None:
                matched = _matches(record, options.find)
                if not matched:
                    continue
            clients.append(Client(answer.host, answer.site, record, matched))
    statuses = [ControllerStatus(a.host, a.site, a.platform, len(a.clients), a.error, a.elapsed) for a in answers]
    result = ClientsResult(sorted(clients, key=lambda c: (c.site, c.controller, c.record.ap or "", c.record.mac)), statuses)
    if options.find is None:
        return result
    kinds, sightings, note = history_of(settings, options.find, options.history)
    return ClientsResult(result.clients, statuses, options.find, kinds, sightings, note)
