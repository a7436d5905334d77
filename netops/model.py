"""The vendor-neutral model every platform parser produces."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Security = Literal[
    "open",
    "owe",
    "wep",
    "wpa-psk",
    "wpa-enterprise",
    "wpa2-psk",
    "wpa2-enterprise",
    "wpa3-sae",
    "wpa3-sae-transition",
    "wpa3-enterprise",
    "wpa3-enterprise-transition",
    "wpa3-enterprise-192",
]
SECURITY_LEVELS: tuple[str, ...] = Security.__args__  # type: ignore[attr-defined]
Pmf = Literal["disabled", "optional", "required"]


@dataclass
class Wlan:
    """One SSID as served by one controller or standalone AP."""

    host: str
    platform: str
    profile: str  # WLAN profile name / id / ssid-profile / uci section
    ssid: str
    enabled: bool
    security: Security
    akm: list[str] = field(default_factory=list)  # e.g. ["dot1x", "sae", "psk", "owe", "suite-b-192", "ft-sae"]
    ciphers: list[str] = field(default_factory=list)  # e.g. ["ccmp-128", "gcmp-256", "tkip"]
    pmf: Pmf = "disabled"
    vlans: list[int] = field(default_factory=list)
    client_isolation: bool = False
    hidden: bool = False
    fast_transition: bool = False
    bands: list[str] = field(default_factory=list)  # "2.4", "5", "6"
    line: int | None = None  # line in the config where the WLAN is defined

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SwitchPort:
    """A physical or logical switch port."""

    host: str
    name: str
    description: str = ""
    mode: Literal["access", "trunk", "routed", "unknown"] = "unknown"
    access_vlan: int | None = None
    allowed_vlans: list[int] = field(default_factory=list)  # trunk only, ranges expanded
    native_vlan: int | None = None
    shutdown: bool = False
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Svi:
    """A VLAN interface (SVI) with its address and VRF."""

    host: str
    vlan: int
    address: str | None = None  # "10.1.2.1/24"
    vrf: str | None = None
    shutdown: bool = False
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ParseIssue:
    """A line the parser did not understand or could not use."""

    line: int
    text: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ParsedConfig:
    """Everything a parser extracted from one configuration."""

    host: str
    platform: str
    wlans: list[Wlan] = field(default_factory=list)
    ports: list[SwitchPort] = field(default_factory=list)
    svis: list[Svi] = field(default_factory=list)
    vlan_names: dict[str, int] = field(default_factory=dict)
    issues: list[ParseIssue] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SnmpTarget:
    """One SNMP agent and how to talk to it. Secrets come from the environment (or a lab), never from YAML."""

    address: str
    port: int = 161
    version: str = "2c"  # "2c" or "3"
    community: str | None = None
    user: str | None = None
    auth_key: str | None = None
    priv_key: str | None = None
    auth_protocol: str = "SHA"
    priv_protocol: str = "AES"
    timeout: float = 2.0
    retries: int = 1

    def __repr__(self) -> str:  # never print secrets
        return f"SnmpTarget({self.address}:{self.port}, v{self.version})"
