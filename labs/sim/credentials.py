"""Lab credentials: random for every ``lab up`` unless set in the environment.

| variable | what |
|---|---|
| ``NETOPS_LAB_USERNAME`` | SSH (and AireOS) login name |
| ``NETOPS_LAB_PASSWORD`` | SSH login password |
| ``NETOPS_LAB_ENABLE_SECRET`` | ``enable`` secret (IOS-XE, AOS 8) |
| ``NETOPS_LAB_SNMP_COMMUNITY`` | SNMP v2c community |
| ``NETOPS_LAB_SNMP_V3_USER`` | SNMPv3 user (authPriv) |
| ``NETOPS_LAB_SNMP_V3_AUTH_KEY`` | SNMPv3 SHA authentication passphrase |
| ``NETOPS_LAB_SNMP_V3_PRIV_KEY`` | SNMPv3 AES-128 privacy passphrase |
| ``NETOPS_LAB_BOOTSTRAP_USERNAME`` | default login of replacement hardware (``netops lab fault NODE replace``) |
| ``NETOPS_LAB_BOOTSTRAP_PASSWORD`` | its password (also the enable secret until one is configured) |

They travel to the lab processes in owner-only files, never in process arguments.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import asdict, dataclass
from typing import Any

ENV_PREFIX = "NETOPS_LAB_"


@dataclass(frozen=True)
class LabCredentials:
    username: str
    password: str
    enable_secret: str
    snmp_community: str
    snmp_v3_user: str
    snmp_v3_auth_key: str
    snmp_v3_priv_key: str
    bootstrap_username: str = ""
    bootstrap_password: str = ""

    @classmethod
    def from_env(cls) -> LabCredentials:
        """Each value from ``NETOPS_LAB_<FIELD>`` when set, else freshly random."""
        random = {
            "username": "lab" + secrets.token_hex(3),
            "password": secrets.token_urlsafe(12),
            "enable_secret": secrets.token_urlsafe(12),
            "snmp_community": "c" + secrets.token_hex(8),
            "snmp_v3_user": "v3" + secrets.token_hex(3),
            "snmp_v3_auth_key": secrets.token_hex(12),
            "snmp_v3_priv_key": secrets.token_hex(12),
            "bootstrap_username": "admin" + secrets.token_hex(2),
            "bootstrap_password": secrets.token_urlsafe(12),
        }
        return cls(**{k: os.environ.get(ENV_PREFIX + k.upper()) or v for k, v in random.items()})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
