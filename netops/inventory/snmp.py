"""SNMP targets of inventory hosts, with credentials from the environment.

The inventory's ``snmp`` mapping names environment variables, never secrets:
``{version: 3, user_env: ..., auth_protocol: SHA, auth_key_env: ..., priv_protocol:
AES, priv_key_env: ..., port: 161}`` or ``{version: 2c, community_env: ...}``.
A mode's inventory transform (the lab) may instead resolve a host's target
itself and leave it in ``host.data[RESOLVED_KEY]``.
"""

from __future__ import annotations

import os

from nornir.core.inventory import Host

from netops.errors import InputError
from netops.inventory import hosts as h
from netops.inventory.credentials import data_source
from netops.inventory.files import InventoryFiles
from netops.model import SnmpTarget

SNMP_KEY = "snmp"
RESOLVED_KEY = "snmp_target"  # an SnmpTarget a mode resolved (never from YAML: YAML cannot hold one)
VERSIONS = ("2c", "3")
AUTH_PROTOCOLS = ("SHA", "SHA256", "SHA512", "MD5")
PRIV_PROTOCOLS = ("AES", "AES256", "DES")


def _env(host: Host, settings: dict, key: str, files: InventoryFiles | None) -> str:
    var = settings.get(key)
    value = os.environ.get(var) if isinstance(var, str) else None
    if value:
        return value
    source = data_source(host, SNMP_KEY)
    path = (*source.path, key) if source else (host.name, SNMP_KEY, key)
    file, line = files.where(source.kind_file, path) if source and files else (None, None)
    problem = f"environment variable {var} is not set" if var else "missing"
    who = f" (needed by host {host.name} via {source.describe()})" if source else f" (host {host.name})"
    raise InputError(problem + who, file=file, line=line, key=".".join(map(str, path)))


def snmp_target(host: Host, files: InventoryFiles | None = None) -> SnmpTarget | None:
    """The SNMP target of ``host``; None for hosts polled through their controller."""
    if h.managed_by(host) == h.MANAGED_BY_CONTROLLER:
        return None
    resolved = host.data.get(RESOLVED_KEY, False)
    if resolved is not False:
        return resolved if isinstance(resolved, SnmpTarget) else None
    settings = dict(host.get(SNMP_KEY) or {})
    version = str(settings.get("version", "3"))
    if version not in VERSIONS:
        raise InputError(f"SNMP version {version!r} is not one of {', '.join(VERSIONS)}", key=f"{host.name}.snmp.version")
    timeout = float(settings.get("timeout", 2))
    retries = int(settings.get("retries", 1))
    address, port = h.address(host), int(settings.get("port", 161))
    if version == "2c":
        return SnmpTarget(address, port, version="2c", community=_env(host, settings, "community_env", files),
                          timeout=timeout, retries=retries)
    auth, priv = str(settings.get("auth_protocol", "SHA")).upper(), str(settings.get("priv_protocol", "AES")).upper()
    if auth not in AUTH_PROTOCOLS or priv not in PRIV_PROTOCOLS:
        raise InputError(f"unsupported SNMPv3 protocols {auth}/{priv}", key=f"{host.name}.snmp")
    return SnmpTarget(
        address,
        port,
        version="3",
        user=_env(host, settings, "user_env", files),
        auth_protocol=auth,
        auth_key=_env(host, settings, "auth_key_env", files),
        priv_protocol=priv,
        priv_key=_env(host, settings, "priv_key_env", files),
        timeout=timeout,
        retries=retries,
    )
