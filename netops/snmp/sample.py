"""What one poll of one device yields."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from netops.model import SnmpTarget
from netops.snmp.clients import ClientSighting


@dataclass(frozen=True)
class PollTarget:
    """An inventory host to poll: who it is and where its agent listens."""

    host: str
    platform: str
    snmp: SnmpTarget
    site: str = ""
    role: str = ""


@dataclass
class InterfaceSample:
    index: int
    name: str
    descr: str = ""
    admin_status: str = "unknown"
    oper_status: str = "unknown"
    in_octets: int | None = None
    out_octets: int | None = None
    counter_bits: int = 64  # 64 (ifHC*) or 32 (ifIn/OutOctets)
    in_errors: int | None = None
    out_errors: int | None = None
    in_discards: int | None = None
    out_discards: int | None = None
    speed_mbps: int | None = None
    # rates against the previous poll (None on the first poll or after a counter reset)
    in_bps: float | None = None
    out_bps: float | None = None
    error_rate: float | None = None  # in + out errors per second


@dataclass(frozen=True)
class ApState:
    """A controller-managed AP in a poll: what its controller's poll says of it."""

    controller: str | None
    ap_status: str | None = None  # "up" or "down"; None: unknown (no controller answer, or it does not list the AP)
    model: str = ""
    clients: int | None = None


@dataclass
class ApSample:
    name: str
    status: str  # "up" or "down"
    model: str = ""
    clients: int | None = None


@dataclass
class DeviceSample:
    host: str
    platform: str
    site: str
    role: str
    time: float  # Unix time the poll of this device started
    reachable: bool = False
    error: str | None = None
    notices: list[str] = field(default_factory=list)  # what the poll got only in part (a table cut at its row limit)
    sys_name: str | None = None
    sys_descr: str | None = None
    sys_uptime: int | None = None  # hundredths of a second
    cpu_percent: float | None = None
    memory_percent: float | None = None
    interfaces: list[InterfaceSample] = field(default_factory=list)
    aps: list[ApSample] | None = None  # None: not a controller
    clients_per_ssid: dict[str, int] | None = None
    clients: list[ClientSighting] | None = None  # pseudonymised at collection; None: no client table read
    elapsed: float = 0.0

    @property
    def is_controller(self) -> bool:
        return self.aps is not None

    @classmethod
    def from_fields(cls, data: dict[str, Any]) -> DeviceSample:
        """A sample from its ``dataclasses.asdict`` form (a worker's answer)."""
        data = dict(data)
        data["interfaces"] = [InterfaceSample(**i) for i in data.get("interfaces") or []]
        if data.get("aps") is not None:
            data["aps"] = [ApSample(**a) for a in data["aps"]]
        if data.get("clients") is not None:
            data["clients"] = [ClientSighting(**c) for c in data["clients"]]
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        """JSON form: times in ISO 8601 with their offset; no AP fields for what is not a controller; no client sightings."""
        out = asdict(self)
        out["time"] = datetime.fromtimestamp(self.time, timezone.utc).isoformat(timespec="seconds")
        out.pop("clients")  # the client history is read by hash (netops clients --find), not printed per poll
        if self.aps is None:
            out.pop("aps")
            out.pop("clients_per_ssid")
        return out
