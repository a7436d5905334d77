"""SNMP targets of inventory hosts, with credentials from the environment.

The inventory's ``snmp`` mapping names environment variables, never secrets:
``{version: 3, user_env: ..., auth_protocol: SHA, auth_key_env: ..., priv_protocol:
AES, priv_key_env: ..., port: 161}`` or ``{version: 2c, community_env: ...}``.
In lab mode the target is the lab node's agent with the lab's credentials.
"""

from __future__ import annotations

import os
from pathlib import Path

from nornir.core.inventory import Host

from netops.errors import InputError
from netops.inventory import hosts as h
from netops.inventory.credentials import data_source
from netops.inventory.files import where
from netops.snmp.backend import SnmpTarget

SNMP_KEY = "snmp"
VERSIONS = ("2c", "3")
AUTH_PROTOCOLS = ("SHA", "SHA256", "SHA512", "MD5")
PRIV_PROTOCOLS = ("AES", "AES256", "DES")


def _env(host: Host, settings: dict, key: str, inventory_dir: Path | None) -> str:
    var = settings.get(key)
    value = os.environ.get(var) if isinstance(var, str) else None
    if value:
        return value
    source = data_source(host, SNMP_KEY)
    path = (*source.path, key) if source else (host.name, SNMP_KEY, key)
    file, line = where(inventory_dir, source.file, path) if source and inventory_dir else (None, None)
    problem = f"environment variable {var} is not set" if var else "missing"
    who = f" (needed by host {host.name} via {source.describe()})" if source else f" (host {host.name})"
    raise InputError(problem + who, file=file, line=line, key=".".join(map(str, path)))


def snmp_target(host: Host, inventory_dir: Path | None = None) -> SnmpTarget | None:
    """The SNMP target of ``host``; None for hosts polled through their controller."""
    if h.managed_by(host) == h.MANAGED_BY_CONTROLLER:
        return None
    settings = dict(host.get(SNMP_KEY) or {})
    version = str(settings.get("version", "3"))
    if version not in VERSIONS:
        raise InputError(f"SNMP version {version!r} is not one of {', '.join(VERSIONS)}", key=f"{host.name}.snmp.version")
    timeout = float(settings.get("timeout", 2))
    retries = int(settings.get("retries", 1))
    lab = host.data.get(h.LAB_KEY)
    if lab is not None:
        if lab.snmp_port is None:
            return None
        common = dict(address=lab.host, port=lab.snmp_port, timeout=timeout, retries=retries)
        if version == "2c":
            return SnmpTarget(version="2c", community=lab.snmp_community, **common)
        return SnmpTarget(version="3", user=lab.snmp_v3_user, auth_protocol="SHA", auth_key=lab.snmp_v3_auth_key,
                          priv_protocol="AES", priv_key=lab.snmp_v3_priv_key, **common)
    common = dict(address=h.address(host), port=int(settings.get("port", 161)), timeout=timeout, retries=retries)
    if version == "2c":
        return SnmpTarget(version="2c", community=_env(host, settings, "community_env", inventory_dir), **common)
    auth, priv = str(settings.get("auth_protocol", "SHA")).upper(), str(settings.get("priv_protocol", "AES")).upper()
    if auth not in AUTH_PROTOCOLS or priv not in PRIV_PROTOCOLS:
        raise InputError(f"unsupported SNMPv3 protocols {auth}/{priv}", key=f"{host.name}.snmp")
    return SnmpTarget(
        version="3",
        user=_env(host, settings, "user_env", inventory_dir),
        auth_protocol=auth,
        auth_key=_env(host, settings, "auth_key_env", inventory_dir),
        priv_protocol=priv,
        priv_key=_env(host, settings, "priv_key_env", inventory_dir),
        **common,
    )
