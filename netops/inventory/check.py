"""``netops inventory check``: validate the inventory files, naming file, line and key.

Works on the raw YAML (with line numbers), resolving values the way Nornir
does: host, then its groups in order (each with its parents), then defaults.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from netops.drivers import all_drivers, platform_of
from netops.errors import InputError
from netops.inventory.credentials import ENV_NAME, FIELDS
from netops.inventory.files import InventoryFiles
from netops.inventory.hostkeys import HOST_KEY, PublicKey
from netops.inventory.hosts import MANAGED_BY_CONTROLLER
from netops.inventory.snmp import AUTH_PROTOCOLS, PRIV_PROTOCOLS, VERSIONS
from netops.parsing.ifnames import find_named
from netops.yamlfile import YamlList, YamlMap

ELEMENT_KEYS = {"hostname", "port", "username", "platform", "groups", "data", "connection_options"}
SECRET_KEYS = {"password", "secret", "community", "auth_key", "priv_key"}
MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$", re.IGNORECASE)
AP_ROLE, WLC_ROLE = "ap", "wlc"


@dataclass
class Problem:
    severity: str  # "error" or "warning"
    message: str
    file: str | None = None
    line: int | None = None
    key: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def as_error(self) -> InputError:
        return InputError(self.message, file=self.file, line=self.line, key=self.key)


@dataclass
class Value:
    """A resolved inventory value and where it was written."""

    value: Any
    file: str
    line: int
    key: str


class RawInventory:
    """The inventory files as parsed YAML, with Nornir's resolution order."""

    def __init__(self, files: InventoryFiles) -> None:
        self.files = files
        self.hosts = files.load("hosts")
        self.groups = files.load("groups") or YamlMap()
        self.defaults = files.load("defaults") or YamlMap()

    def path(self, kind: str) -> str:
        return str(self.files.path(kind) or self.files.hosts)

    def group_chain(self, element: Mapping[Any, Any], seen: list[str] | None = None) -> list[str]:
        """Extended groups of an element, in Nornir's order (depth-first, no duplicates)."""
        seen = [] if seen is None else seen
        for name in element.get("groups") or []:
            group = self.groups.get(name)
            if not isinstance(group, dict) or name in seen:
                continue
            seen.append(name)
            self.group_chain(group, seen)
        return seen

    def resolve(self, host: str, key: str, attribute: bool = False) -> Value | None:
        """``host``'s value of a data key (or an attribute such as ``platform``)."""
        elements: list[tuple[Any, str, str | None]] = [(self.hosts[host], "hosts", host)]
        elements += [(self.groups[g], "groups", g) for g in self.group_chain(self.hosts[host])]
        elements.append((self.defaults, "defaults", None))
        for element, file, name in elements:
            holder = element if attribute else element.get("data")
            if isinstance(holder, YamlMap) and holder.get(key) is not None:
                prefix = f"{name}." if name else ""
                return Value(holder[key], self.path(file), holder.where(key), f"{prefix}{'' if attribute else 'data.'}{key}")
        return None


def _err(message: str, file: str, line: int | None, key: str) -> Problem:
    return Problem("error", message, file, line, key)


def _structure(inv: RawInventory) -> Iterator[Problem]:
    if inv.hosts is None:
        yield _err("inventory has no hosts file", inv.path("hosts"), None, "")
        return
    if not isinstance(inv.defaults, YamlMap):
        yield _err("must be a mapping (data, platform, username, ...)", inv.path("defaults"), 1, "")
    else:
        if inv.defaults.get("data") is not None and not isinstance(inv.defaults["data"], YamlMap):
            yield _err("data must be a mapping", inv.path("defaults"), inv.defaults.where("data"), "data")
        yield from _attribute_types(inv.defaults, inv.path("defaults"), "")
    for file, doc in (("hosts", inv.hosts), ("groups", inv.groups)):
        if not isinstance(doc, YamlMap):
            yield _err("must be a mapping of names to entries", inv.path(file), 1, "")
            continue
        for name, element in doc.items():
            if not isinstance(element, YamlMap):
                yield _err("entry must be a mapping", inv.path(file), doc.where(name), str(name))
                continue
            for key in element:
                if key in SECRET_KEYS and inv.files.single:
                    yield Problem("warning", "a clear-text secret, as containerlab writes for its lab nodes: fine for a lab, "
                                  "never for real devices (name environment variables under data.credentials)",
                                  inv.path(file), element.where(key), f"{name}.{key}")
                elif key in SECRET_KEYS:
                    yield _err("secrets never go in the inventory: name an environment variable under data.credentials",
                               inv.path(file), element.where(key), f"{name}.{key}")
                elif key not in ELEMENT_KEYS:
                    yield _err(f"unknown key (known: {', '.join(sorted(ELEMENT_KEYS))})", inv.path(file), element.where(key), f"{name}.{key}")
            yield from _attribute_types(element, inv.path(file), f"{name}.")
            groups = element.get("groups", YamlList())
            if not isinstance(groups, YamlList):
                yield _err("groups must be a list", inv.path(file), element.where("groups"), f"{name}.groups")
                continue
            for i, group in enumerate(groups):
                if not isinstance(inv.groups, YamlMap):  # reported above
                    break
                if not isinstance(group, str) or (group not in inv.groups and not inv.files.single):
                    yield _err(f"unknown group {group!r}", inv.path(file), groups.where(i), f"{name}.groups[{i}]")
            if element.get("data") is not None and not isinstance(element.get("data"), YamlMap):
                yield _err("data must be a mapping", inv.path(file), element.where("data"), f"{name}.data")


def _attribute_types(element: YamlMap, file: str, prefix: str) -> Iterator[Problem]:
    """Nornir's attributes of a host, group or the defaults: text, a port number, connection options by name."""
    for key in ("hostname", "username", "platform"):
        if element.get(key) is not None and not isinstance(element[key], str):
            yield _err(f"{key} must be text", file, element.where(key), f"{prefix}{key}")
    port = element.get("port")
    if port is not None and (not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536):
        yield _err("port must be a TCP port number (1-65535)", file, element.where("port"), f"{prefix}port")
    options = element.get("connection_options")
    if options is not None and not isinstance(options, YamlMap):
        yield _err("connection_options must be a mapping (connection name -> options)", file,
                   element.where("connection_options"), f"{prefix}connection_options")
    elif options is not None:
        for name, option in options.items():
            if not isinstance(option, YamlMap):
                yield _err("must be a mapping (hostname, port, username, platform, extras)", file, options.where(name),
                           f"{prefix}connection_options.{name}")


def structure_problems(files: InventoryFiles) -> list[Problem]:
    """Problems that stop the inventory from loading at all (YAML, types, unknown groups)."""
    try:
        inv = RawInventory(files)
    except InputError as exc:
        return [Problem("error", exc.message, exc.file, exc.line, exc.key)]
    return list(_structure(inv))


def _elements(inv: RawInventory) -> Iterator[tuple[str, YamlMap, str]]:
    yield inv.path("defaults"), inv.defaults, ""
    for name, group in inv.groups.items():
        yield inv.path("groups"), group, f"{name}."
    for name, host in inv.hosts.items():
        yield inv.path("hosts"), host, f"{name}."


def _secrets_by_name(inv: RawInventory) -> Iterator[Problem]:
    """``credentials`` and ``snmp`` must name environment variables."""
    for file, element, prefix in _elements(inv):
        data = element.get("data")
        if not isinstance(data, YamlMap):
            continue
        creds = data.get("credentials")
        if isinstance(creds, YamlMap):
            for field, var in creds.items():
                key = f"{prefix}data.credentials.{field}"
                if field not in FIELDS:
                    yield _err(f"unknown credential (use {', '.join(FIELDS)})", file, creds.where(field), key)
                elif not isinstance(var, str) or not ENV_NAME.match(var):
                    yield _err("must name an environment variable (UPPER_CASE), not hold a secret", file, creds.where(field), key)
        elif creds is not None:
            yield _err("credentials must be a mapping", file, data.where("credentials"), f"{prefix}data.credentials")
        snmp = data.get("snmp")
        if isinstance(snmp, YamlMap):
            yield from _snmp(snmp, file, f"{prefix}data.snmp")


def _snmp(snmp: YamlMap, file: str, key: str) -> Iterator[Problem]:
    version = str(snmp.get("version", "3"))
    if version not in VERSIONS:
        yield _err(f"version must be one of {', '.join(VERSIONS)}", file, snmp.where("version"), f"{key}.version")
        return
    needed = ("community_env",) if version == "2c" else ("user_env", "auth_key_env", "priv_key_env")
    for name in needed:
        var = snmp.get(name)
        if var is None:
            yield _err(f"SNMPv{version} needs {name}", file, snmp.line, f"{key}.{name}")
        elif not isinstance(var, str) or not ENV_NAME.match(var):
            yield _err("must name an environment variable (UPPER_CASE), not hold a secret", file, snmp.where(name), f"{key}.{name}")
    for name in SECRET_KEYS & set(snmp):
        yield _err("secrets never go in the inventory: use the matching *_env key", file, snmp.where(name), f"{key}.{name}")
    if version == "3":
        for name, allowed in (("auth_protocol", AUTH_PROTOCOLS), ("priv_protocol", PRIV_PROTOCOLS)):
            if str(snmp.get(name, allowed[0])).upper() not in allowed:
                yield _err(f"must be one of {', '.join(allowed)}", file, snmp.where(name), f"{key}.{name}")


def _host_keys(inv: RawInventory) -> Iterator[Problem]:
    """``ssh_host_key``: an SSH public key (``TYPE BASE64``) or a list of them."""
    for file, element, prefix in _elements(inv):
        data = element.get("data")
        if not isinstance(data, YamlMap) or data.get(HOST_KEY) is None:
            continue
        keys = data[HOST_KEY]
        for i, text in enumerate(keys if isinstance(keys, list) else [keys]):
            try:
                PublicKey.parse(str(text))
            except ValueError as exc:
                line = keys.where(i) if isinstance(keys, YamlList) else data.where(HOST_KEY)
                yield _err(str(exc), file, line, f"{prefix}data.{HOST_KEY}" + (f"[{i}]" if isinstance(keys, list) else ""))


def _dhcp(inv: RawInventory) -> Iterator[Problem]:
    for file, element, prefix in _elements(inv):
        data = element.get("data")
        if not isinstance(data, YamlMap) or data.get("dhcp_servers") is None:
            continue
        servers = data["dhcp_servers"]
        if not isinstance(servers, YamlMap):
            yield _err("dhcp_servers must map VLAN numbers to server lists", file, data.where("dhcp_servers"), f"{prefix}data.dhcp_servers")
            continue
        for vlan, addrs in servers.items():
            key = f"{prefix}data.dhcp_servers.{vlan}"
            if not isinstance(vlan, int) or not 1 <= vlan <= 4094:
                yield _err("VLAN must be a number 1-4094", file, servers.where(vlan), key)
            for i, addr in enumerate(addrs if isinstance(addrs, list) else [addrs]):
                try:
                    ipaddress.ip_address(str(addr))
                except ValueError:
                    line = addrs.where(i) if isinstance(addrs, YamlList) else servers.where(vlan)
                    yield _err(f"{addr!r} is not an IP address", file, line, key)


def _hosts(inv: RawInventory) -> Iterator[Problem]:
    drivers = all_drivers()
    seen_addresses: dict[str, str] = {}
    seen_bssids: dict[str, str] = {}
    hosts_file = inv.path("hosts")
    for name, host in inv.hosts.items():
        line = inv.hosts.where(name)
        address = host.get("hostname")
        if address is None:
            yield _err("no management address (hostname)", hosts_file, line, f"{name}.hostname")
        elif str(address) in seen_addresses:
            yield _err(f"address {address} is also used by {seen_addresses[str(address)]}", hosts_file, host.where("hostname"),
                       f"{name}.hostname")
        else:
            seen_addresses[str(address)] = name
        for what in ("site", "role"):
            if inv.resolve(name, what) is None and inv.files.single:  # containerlab's file has neither
                yield Problem("warning", f"no {what}: reports and policies group it under '-' (add a {what}_* group)",
                              hosts_file, line, f"{name}.groups")
            elif inv.resolve(name, what) is None:
                yield _err(f"no {what} (add a {what}_* group)", hosts_file, line, f"{name}.groups")
        platform = inv.resolve(name, "platform", attribute=True)
        managed = inv.resolve(name, "managed_by")
        by_controller = managed is not None and managed.value == MANAGED_BY_CONTROLLER
        if platform is None:
            yield _err("no platform (add a platform_* group or set platform)", hosts_file, line, f"{name}.platform")
        elif platform_of(str(platform.value)) not in drivers and not by_controller:
            yield _err(
                f"platform {platform.value!r} has no netops driver (known: {', '.join(sorted(drivers))}); "
                f"mark hosts netops does not log into with data.managed_by: {MANAGED_BY_CONTROLLER}",
                platform.file, platform.line, platform.key,
            )
        data = host.get("data") if isinstance(host.get("data"), YamlMap) else YamlMap()
        for key in ("base_mac",):
            if data.get(key) is not None and not MAC.match(str(data[key])):
                yield _err(f"{data[key]!r} is not a MAC address (aa:bb:cc:dd:ee:ff)", hosts_file, data.where(key), f"{name}.data.{key}")
        bssids = data.get("bssids")
        if bssids is not None and not isinstance(bssids, YamlMap):
            yield _err("bssids must map SSIDs to lists of MAC addresses", hosts_file, data.where("bssids"), f"{name}.data.bssids")
        elif bssids is not None:
            for ssid, macs in bssids.items():
                for i, mac in enumerate(macs if isinstance(macs, list) else [macs]):
                    where = macs.where(i) if isinstance(macs, YamlList) else bssids.where(ssid)
                    mac = str(mac).lower()
                    if not MAC.match(mac):
                        yield _err(f"{mac!r} is not a MAC address (aa:bb:cc:dd:ee:ff)", hosts_file, where, f"{name}.data.bssids.{ssid}")
                    elif mac in seen_bssids:
                        yield _err(f"BSSID {mac} is also listed by {seen_bssids[mac]}", hosts_file, where, f"{name}.data.bssids.{ssid}")
                    else:
                        seen_bssids[mac] = name
        if by_controller and inv.resolve(name, "controller") is None:
            yield _err("controller-managed access point without a controller", hosts_file, line, f"{name}.data.controller")


def _references(inv: RawInventory, backup_dir: Path | None) -> Iterator[Problem]:
    hosts_file = inv.path("hosts")
    ports_cache: dict[str, tuple[dict[str, str], str] | None] = {}
    for name in inv.hosts:
        role = inv.resolve(name, "role")
        controller = inv.resolve(name, "controller")
        if controller is not None:
            target = controller.value
            if not isinstance(target, str) or target not in inv.hosts:
                yield _err(f"unknown controller {target!r}", controller.file, controller.line, controller.key)
            else:
                target_role = inv.resolve(target, "role")
                if target_role is None or target_role.value != WLC_ROLE:
                    yield _err(f"{target} is not a wireless controller (role {WLC_ROLE})", controller.file, controller.line, controller.key)
        switch, port = inv.resolve(name, "switch"), inv.resolve(name, "switch_port")
        if (switch is None) != (port is None):
            missing = "switch_port" if port is None else "switch"
            present = switch or port
            assert present is not None  # exactly one of the two is set
            yield _err(f"{present.key.rsplit('.', 1)[1]} without {missing}", present.file, present.line, f"{name}.data.{missing}")
            continue
        if switch is None:
            if role is not None and role.value == AP_ROLE:
                yield Problem("warning", "access point without switch/switch_port: segregation checks will skip it",
                              hosts_file, inv.hosts.where(name), f"{name}.data.switch")
            continue
        assert port is not None  # set whenever switch is (checked above)
        if not isinstance(switch.value, str) or switch.value not in inv.hosts:
            yield _err(f"unknown switch {switch.value!r}", switch.file, switch.line, switch.key)
            continue
        if switch.value not in ports_cache:
            ports_cache[switch.value] = _switch_ports(inv, switch.value, backup_dir)
            if ports_cache[switch.value] is None:
                yield Problem("warning", f"AP cabling to {switch.value} not checked: no backup of it with switch ports "
                              "(run netops backup)", switch.file, switch.line, switch.key)
        known = ports_cache[switch.value]
        if known is None:
            continue
        ports, source = known
        found = find_named(ports, str(port.value), key=lambda item: item)
        if found is None:
            yield _err(f"{switch.value} has no port {port.value!r} (checked {source})", port.file, port.line, port.key)
        elif not ports[found].startswith(f"AP-{name}") and role is not None and role.value == AP_ROLE:
            yield Problem("warning", f"{switch.value} {port.value} is described {ports[found]!r}, not 'AP-{name}'",
                          port.file, port.line, port.key)


def _switch_ports(inv: RawInventory, switch: str, backup_dir: Path | None) -> tuple[dict[str, str], str] | None:
    """Port name -> description of a switch and the file they came from (its latest backup); None when
    there is no backup or it parses to no ports."""
    platform = inv.resolve(switch, "platform", attribute=True)
    driver = all_drivers().get(platform_of(str(platform.value))) if platform is not None else None
    if driver is None or backup_dir is None or not Path(backup_dir).is_dir():
        return None
    path = next(iter(sorted(Path(backup_dir).glob(f"*/{switch}.cfg"))), None)
    if path is None:
        return None
    parsed = driver.parse(path.read_text(encoding="utf-8"), switch)
    if not parsed.ports:
        return None
    return {p.name: p.description for p in parsed.ports}, str(path)


def check(files: InventoryFiles, backup_dir: Path | None = None) -> list[Problem]:
    """Every problem of the inventory (errors and warnings)."""
    problems = structure_problems(files)
    if any(p.severity == "error" for p in problems):
        return problems
    inv = RawInventory(files)
    for checker in (_secrets_by_name(inv), _dhcp(inv), _host_keys(inv), _hosts(inv), _references(inv, backup_dir)):
        problems.extend(checker)
    return problems
