"""What the dashboard shows: plain, immutable records built off the UI thread.

Screens render these and never call netops themselves; :mod:`tui.data` fills
them from the netops stores, :mod:`tui.fixture` from a JSON file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low", "info")
SITES: tuple[str, ...] = ("jammu", "srinagar")


@dataclass(frozen=True)
class Device:
    """One inventory device with its latest reachability, backup and findings."""

    name: str
    site: str
    role: str
    platform: str
    address: str
    model: str = ""
    reachable: bool | None = None  # None: never polled
    uptime: float | None = None  # seconds
    last_backup: datetime | None = None  # last successful backup
    backup_status: str | None = None  # status of the latest backup attempt
    backup_reason: str | None = None
    findings: int = 0  # active (unwaived) findings
    alerts: int = 0

    @property
    def faults(self) -> list[str]:
        """Why this device needs attention (empty: healthy)."""
        out = []
        if self.reachable is False:
            out.append("unreachable")
        if self.backup_status == "failed":
            out.append(f"backup failed: {self.backup_reason or 'unknown'}")
        if self.alerts:
            out.append(f"{self.alerts} alert(s)")
        return out


@dataclass(frozen=True)
class Finding:
    rule: str
    host: str
    site: str
    object: str
    severity: str
    message: str
    expected: str = ""
    actual: str = ""
    waived: bool = False


@dataclass(frozen=True)
class Waiver:
    rule: str
    host: str
    object: str
    reason: str
    expires: datetime | None
    expired: bool = False


@dataclass(frozen=True)
class Ssid:
    controller: str
    site: str
    ssid: str
    security: str
    pmf: str
    vlans: tuple[int, ...]
    clients: int | None = None
    enabled: bool = True


@dataclass(frozen=True)
class AccessPoint:
    name: str
    site: str
    controller: str
    status: str  # "up" / "down" / "unknown"
    clients: int | None = None
    model: str = ""
    switch: str = ""
    switch_port: str = ""


@dataclass(frozen=True)
class Segregation:
    """An AP's cabling: the VLANs its WLANs need against what its port carries."""

    ap: str
    switch: str
    port: str
    port_vlans: tuple[int, ...]
    wlan_vlans: tuple[int, ...]

    @property
    def missing(self) -> tuple[int, ...]:
        """VLANs a WLAN of the AP needs that the port does not carry."""
        return tuple(v for v in self.wlan_vlans if v not in self.port_vlans)

    @property
    def other(self) -> tuple[int, ...]:
        """VLANs on the port that no WLAN of the AP uses (AP management, or a leak)."""
        return tuple(v for v in self.port_vlans if v not in self.wlan_vlans)


@dataclass(frozen=True)
class Alert:
    host: str
    kind: str
    message: str
    since: datetime | None = None


@dataclass(frozen=True)
class Snapshot:
    """Everything the overview and list screens need, read in one pass."""

    taken: datetime
    devices: tuple[Device, ...] = ()
    findings: tuple[Finding, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    ssids: tuple[Ssid, ...] = ()
    aps: tuple[AccessPoint, ...] = ()
    segregation: tuple[Segregation, ...] = ()
    alerts: tuple[Alert, ...] = ()
    missing: dict[str, str] = field(default_factory=dict)  # section -> why there is no data yet

    def site_of(self, host: str) -> str:
        """The site of a device or access point ("" when unknown)."""
        found = next((d.site for d in self.devices if d.name == host), None)
        return found if found is not None else next((a.site for a in self.aps if a.name == host), "")


@dataclass(frozen=True)
class Interface:
    name: str
    oper_status: str
    in_octets: int | None = None
    out_octets: int | None = None
    in_bps: float | None = None
    out_bps: float | None = None
    in_errors: int | None = None


@dataclass(frozen=True)
class Revision:
    rev: str
    date: datetime | None
    message: str


@dataclass(frozen=True)
class DeviceDetail:
    """The drill-down of one device."""

    device: Device
    facts: dict[str, str] = field(default_factory=dict)
    interfaces: tuple[Interface, ...] = ()
    revisions: tuple[Revision, ...] = ()
    findings: tuple[Finding, ...] = ()
    missing: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class JobUpdate:
    """One device finished inside a job (``status`` as in :class:`netops.results.Status`)."""

    host: str
    status: str
    reason: str | None = None
    elapsed: float | None = None  # seconds, when the job measures it


@dataclass(frozen=True)
class RestorePreview:
    """What a restore would push (``commands``) and what needs a human (``manual``, e.g. secrets)."""

    host: str
    rev: str
    commands: tuple[str, ...]
    manual: tuple[str, ...] = ()
