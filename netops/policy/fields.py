"""The vocabulary of rules: the fields of each kind of object and how a value written in a rule is read.

| type | value in a rule | a field value satisfies it when |
|---|---|---|
| ``text`` | string | the regex matches it (``re.search``, anchor with ``^``/``$`` yourself) |
| ``text`` | list of strings | it equals one of them exactly |
| ``enum`` | string or list | it equals one of them exactly |
| ``bool`` | true / false | it is equal |
| ``int`` | integer or list | it equals one of them |
| ``tokens`` | string or list | (per element) it equals one of them |
| ``vlans`` | integer or list | (per element) it is one of them |
| ``zones`` | zone name or list | (per element) the VLAN is in the union of those zones |

For fields holding several values (``many``), ``match`` needs ANY element to
satisfy, ``require`` needs EVERY element to (zone keys also need at least one),
``forbid`` needs NONE to.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from netops.model import SECURITY_LEVELS
from netops.parsing.security import AKMS, CIPHERS


class FieldType(str, enum.Enum):
    TEXT = "text"
    ENUM = "enum"
    BOOL = "bool"
    INT = "int"
    TOKENS = "tokens"
    VLANS = "vlans"
    ZONES = "zones"


@dataclass(frozen=True)
class Field:
    name: str  # the key written in rules
    type: FieldType
    doc: str
    many: bool = False  # the object holds a list of values
    attr: str | None = None  # the attribute read, when it differs from ``name`` (zone keys)
    values: tuple[str, ...] = ()  # allowed values of an enum or tokens field

    @property
    def attribute(self) -> str:
        return self.attr or self.name


def _fields(*fields: Field) -> dict[str, Field]:
    return {f.name: f for f in fields}


T = FieldType

#: Keys that select hosts (valid in every rule's ``match``), read from the inventory.
HOST_FIELDS = _fields(
    Field("host", T.TEXT, "inventory host name", attr="name"),
    Field("site", T.TEXT, "the host's site (jammu, srinagar)"),
    Field("group", T.TEXT, "the host's inventory groups (any of them)", many=True, attr="groups"),
    Field("platform", T.TEXT, "the host's netops platform"),
)

#: Object fields per rule kind: usable in ``match``, ``require`` and ``forbid``.
KIND_FIELDS: dict[str, dict[str, Field]] = {
    "wlan": _fields(
        Field("ssid", T.TEXT, "the SSID"),
        Field("profile", T.TEXT, "WLAN profile name / id / ssid-profile / uci section"),
        Field("enabled", T.BOOL, "administratively enabled"),
        Field("security", T.ENUM, "security level", values=SECURITY_LEVELS),
        Field("akm", T.TOKENS, "AKM suites", many=True, values=AKMS),
        Field("ciphers", T.TOKENS, "pairwise ciphers", many=True, values=CIPHERS),
        Field("pmf", T.ENUM, "protected management frames", values=("disabled", "optional", "required")),
        Field("vlans", T.VLANS, "client VLANs", many=True),
        Field("vlan_zone", T.ZONES, "client VLANs, by zone", many=True, attr="vlans"),
        Field("client_isolation", T.BOOL, "clients cannot reach each other"),
        Field("hidden", T.BOOL, "SSID not broadcast"),
        Field("fast_transition", T.BOOL, "802.11r"),
        Field("bands", T.TOKENS, "radio bands", many=True, values=("2.4", "5", "6")),
    ),
    "switchport": _fields(
        Field("name", T.TEXT, "interface name"),
        Field("description", T.TEXT, "interface description"),
        Field("mode", T.ENUM, "switchport mode", values=("access", "trunk", "routed", "unknown")),
        Field("access_vlan", T.INT, "access VLAN"),
        Field("access_vlan_zone", T.ZONES, "access VLAN, by zone", attr="access_vlan"),
        Field("allowed_vlans", T.VLANS, "VLANs allowed on the trunk", many=True),
        Field("allowed_vlans_within", T.ZONES, "VLANs allowed on the trunk, by zone", many=True, attr="allowed_vlans"),
        Field("native_vlan", T.INT, "trunk native VLAN"),
        Field("native_vlan_zone", T.ZONES, "trunk native VLAN, by zone", attr="native_vlan"),
        Field("shutdown", T.BOOL, "administratively down"),
    ),
    "svi": _fields(
        Field("vlan", T.INT, "VLAN of the SVI"),
        Field("vlan_zone", T.ZONES, "VLAN of the SVI, by zone", attr="vlan"),
        Field("vrf", T.TEXT, "VRF (absent: the global table)"),
        Field("address", T.TEXT, "address/prefix"),
        Field("shutdown", T.BOOL, "administratively down"),
    ),
    "segregation": {},
    "redundancy": {},
    "software": {},  # approved versions and end of support, from the stored facts (netops.policy.software)
    "lines": {},  # configuration lines: parent / present / absent / fix (netops.policy.lines), host selectors only
}

KINDS: tuple[str, ...] = tuple(KIND_FIELDS)
DEFAULT_KIND = "wlan"

#: ``options`` of a segregation rule, with their defaults.
SEGREGATION_OPTIONS: dict[str, Any] = {
    "management_zone": "ap-mgmt",  # VLANs every AP port may carry besides those of its WLANs
    "isolated_zones": ["guest", "iot"],  # zones whose SVIs must stay in their own VRF
}
