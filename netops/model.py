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
    channel_group: int | None = None  # member of Port-channel<N> (``channel-group N mode ...``)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Fhrp:
    """A first-hop redundancy group on an SVI: HSRP (``standby``) or VRRP (``vrrp``)."""

    protocol: Literal["hsrp", "vrrp"]
    group: int
    address: str | None = None  # the virtual IP address, None when the group names none
    priority: int = 100  # configured, else the protocol's default (100 for both)
    preempt: bool = False  # HSRP: off unless configured; VRRP: on unless ``no ... preempt``
    tracks: list[str] = field(default_factory=list)  # tracked objects / interfaces, as written
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
    fhrp: list[Fhrp] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ControllerRef:
    """A wireless controller as a configuration names it: by name, by address, or both."""

    name: str | None = None
    address: str | None = None

    def __str__(self) -> str:
        return " ".join(p for p in (self.name, self.address) if p)


@dataclass
class ControllerHa:
    """A controller's high-availability pairing: a stateful switchover pair or a cluster."""

    mode: Literal["sso", "cluster"]
    peers: list[ControllerRef] = field(default_factory=list)  # the other member(s): RMI / cluster addresses
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ApJoin:
    """The controllers APs join, in order of preference (primary first), as one configuration states it.

    ``aps`` names the APs it applies to (AP names or base MAC addresses, as in the configuration), ``group``
    the AP group; neither: every AP of this controller that no other entry names."""

    controllers: list[ControllerRef]
    aps: list[str] = field(default_factory=list)
    source: str = ""  # where it comes from, e.g. "ap profile AP-B1", "config ap secondary-base", "ap system-profile default"
    line: int | None = None
    group: str | None = None  # the AP group it applies to (the inventory's ``ap_group`` of an AP), None: any
    fallback: bool = False  # tried after the AP's own entry, not instead of it (AireOS global backup controllers)

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
    stp_priorities: dict[int, int] = field(default_factory=dict)  # VLAN → configured bridge priority (``root primary`` = 24576)
    controller_ha: list[ControllerHa] = field(default_factory=list)
    ap_joins: list[ApJoin] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)  # the device's own IPv4 addresses besides its SVIs' (controllers)
    text: str = field(default="", repr=False, compare=False)  # the configuration parsed (``kind: lines`` rules read it)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        del out["text"]
        return out


@dataclass(frozen=True)
class Neighbor:
    """One CDP or LLDP neighbour seen on a local interface."""

    local_port: str
    device: str  # the neighbour's system name / device ID as it announces it
    port: str  # the neighbour's port ID
    protocol: Literal["cdp", "lldp"]
    address: str | None = None  # its management address, when announced
    platform: str = ""  # its platform / system description

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


@dataclass(frozen=True)
class ApFacts:
    """An access point as its controller lists it."""

    name: str
    model: str = ""
    serial: str = ""
    mac: str = ""  # as the controller prints it
    address: str = ""
    version: str = ""  # the AP's software, when the controller says

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DeviceFacts:
    """What a device says it is: hardware, software and its last restart (``netops inventory facts``)."""

    vendor: str = ""
    model: str = ""
    serials: tuple[str, ...] = ()  # the chassis first, then stack members
    os_name: str = ""  # e.g. "IOS-XE", "AireOS", "ArubaOS", "OpenWrt"
    os_version: str = ""  # as the device prints it, e.g. "17.09.04a"
    uptime_s: int | None = None
    reload_reason: str = ""  # the last reload reason, where the platform says it
    hostname: str = ""
    aps: tuple[ApFacts, ...] = ()  # a controller's APs

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Operational state as ``netops snapshot`` records it: feature -> key -> attributes (JSON types only).
# Feature names, their keys and attributes (states in lower case):
#   interfaces     full interface name -> admin ("up"/"down"), oper ("up"/"down"), speed_mbps, in_errors, out_errors
#   vlans          VLAN id as text -> name, status ("active", "suspended", ...)
#   trunks         full port name -> vlans (the VLANs allowed and active on the trunk, sorted ints)
#   neighbors      "<local port> <neighbour>" -> port, protocol ("cdp"/"lldp")
#   stp_root       VLAN id or MST instance as text -> root_id ("<priority>.<mac xxxx.xxxx.xxxx>"), root_port ("" on the root)
#   fhrp           "<interface> <group>" -> protocol ("hsrp"/"vrrp"), state ("active", "standby", "master", "backup",
#                  "listen", "init"), virtual_ip
#   port_channels  port-channel name -> status ("up"/"down"), members ({port: "bundled"/"down"/"suspended"/...})
#   aps            AP name -> model, state ("up"/"down"/...), address
#   ssid_clients   SSID -> clients (int)
DeviceState = dict[str, dict[str, dict[str, Any]]]
STATE_FEATURES: tuple[str, ...] = (
    "interfaces", "vlans", "trunks", "neighbors", "stp_root", "fhrp", "port_channels", "aps", "ssid_clients",
)
