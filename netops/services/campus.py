"""The campus model's inputs besides the configurations: the neighbour tables the backup stores, the
topology of ``netops.yaml`` (``topology:``), and the clients of the last poll. ``netops check`` and
``netops resilience`` build the model from the same inputs, so their redundancy findings agree."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from netops import plugins
from netops.backup.neighbors import find_neighbor_files
from netops.drivers import all_drivers
from netops.inventory.clab import load_topology
from netops.inventory.hosts import HostInfo
from netops.model import Neighbor, ParsedConfig
from netops.policy.findings import Notice
from netops.resilience.campus import CampusInputs, Clients
from netops.settings import Settings
from netops.snmp import history


def read_neighbors(hosts: dict[str, HostInfo], directory: Path) -> tuple[dict[str, list[Neighbor]], list[Notice]]:
    """The stored CDP/LLDP tables under ``directory``, parsed with each host's driver."""
    tables: dict[str, list[Neighbor]] = {}
    notices: list[Notice] = []
    for host, path in find_neighbor_files(directory).items():
        facts = hosts.get(host)
        driver = all_drivers().get(facts.platform) if facts else None
        if driver is None:
            continue
        try:
            tables[host] = driver.parse_neighbors(path.read_text(encoding="utf-8", errors="replace"))
        except Exception as exc:  # a table netops cannot read is a notice, never the end of the audit
            notices.append(Notice("neighbors-unreadable", f"{path}: neighbour table not read: {exc!r}", host=host, file=str(path)))
    return tables, notices


def last_clients(settings: Settings, hosts: dict[str, HostInfo]) -> Clients | None:
    """Clients per AP and per (controller, SSID) at the last poll that listed them; None when never polled."""
    owners = sorted({h.controller or h.name for h in hosts.values() if h.role == "ap"})
    aps: dict[str, int] = {}
    ssids: dict[tuple[str, str], int] = {}
    with closing(history.open_history(settings.data_dir)) as conn:
        for owner in owners:
            aps |= {name: row["clients"] or 0 for name, row in history.latest_aps(conn, owner).items()}
            ssids |= {(owner, ssid): count or 0 for ssid, count in history.latest_ssid_clients(conn, owner).items()}
    return Clients(aps, ssids) if aps or ssids else None


def topology_of(settings: Settings) -> Path | None:
    """``topology`` of the settings, else the one an active mode runs (the lab's)."""
    if settings.topology:
        return settings.topology
    return next((p for m in plugins.active_modes(settings) if (p := m.topology(settings)) is not None), None)


def campus_inputs(
    settings: Settings, hosts: dict[str, HostInfo], configs: dict[str, ParsedConfig], directory: Path | None,
) -> tuple[CampusInputs, list[Notice]]:
    """The model's inputs beside the configurations: the neighbour tables stored under ``directory`` (None: none),
    the topology, the last poll's clients."""
    neighbors, notices = read_neighbors(hosts, directory) if directory is not None else ({}, [])
    path = topology_of(settings)
    topology = load_topology(path) if path else None
    return CampusInputs(hosts, configs, neighbors, topology, last_clients(settings, hosts)), notices
