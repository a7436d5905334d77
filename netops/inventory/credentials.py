"""Login credentials from the environment, never from the inventory.

The inventory's ``credentials`` mapping (defaults, a group or a host) names the
environment variables: ``{username: NETOPS_USERNAME, password: NETOPS_PASSWORD,
secret: NETOPS_ENABLE_SECRET}``. :func:`load_credentials` is a Nornir transform
function (registered as ``netops.inventory.credentials.load_credentials``) that
fills ``username``/``password`` and the enable ``secret`` of the netmiko and
napalm connection options from those variables. A host without a
``credentials`` mapping keeps the username and password its inventory entry
gives (containerlab's generated inventory carries its lab's defaults; a mode
such as the lab sets its own and an empty mapping).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from nornir.core.inventory import ConnectionOptions, Defaults, Host

from netops.drivers import all_drivers
from netops.errors import InputError, InputErrors
from netops.inventory import hosts as h
from netops.inventory.files import InventoryFiles

CREDENTIALS_KEY = "credentials"
FIELDS = ("username", "password", "secret")
ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


@dataclass(frozen=True)
class Source:
    """Where a data key of a host is defined: ``host``, ``group`` or ``defaults``."""

    kind: str
    name: str
    kind_file: str  # the inventory file holding it: "hosts", "groups" or "defaults"
    path: tuple[str, ...]  # YAML path of the key inside that file

    def describe(self) -> str:
        return "defaults" if self.kind == "defaults" else f"{self.kind} {self.name}"


def data_source(host: Host, key: str) -> Source | None:
    """Which inventory element provides ``host[key]`` (Nornir's resolution order)."""
    if key in host.data:
        return Source("host", host.name, "hosts", (host.name, "data", key))
    for group in host.extended_groups():
        if key in group.data:
            return Source("group", group.name, "groups", (group.name, "data", key))
    if host.defaults.data.get(key) is not None:
        return Source("defaults", "defaults", "defaults", ("data", key))
    return None


def _error(message: str, source: Source, field: str, files: InventoryFiles | None) -> InputError:
    path = (*source.path, field)
    if files is None:
        return InputError(message, key=".".join(path))
    file, line = files.where(source.kind_file, path)
    return InputError(message, file=file, line=line, key=".".join(path))


def resolve(host: Host, files: InventoryFiles | None = None) -> dict[str, str]:
    """The credentials of ``host`` read from the environment.

    Raises :class:`InputErrors` naming every missing variable and the host or
    group whose ``credentials`` asked for it.
    """
    names = host.get(CREDENTIALS_KEY) or {}
    if not names:
        return {}
    source = data_source(host, CREDENTIALS_KEY)
    assert source is not None  # host.get() found the mapping, so the host, a group or the defaults define it
    values: dict[str, str] = {}
    errors: list[InputError] = []
    for field, var in names.items():
        if field not in FIELDS:
            errors.append(_error(f"unknown credential {field!r} (use {', '.join(FIELDS)})", source, field, files))
            continue
        if not isinstance(var, str) or not ENV_NAME.match(var):
            errors.append(_error("must name an environment variable (UPPER_CASE), not hold a secret", source, field, files))
            continue
        value = os.environ.get(var)
        if not value:
            errors.append(
                _error(f"environment variable {var} is not set (needed by host {host.name} via {source.describe()})",
                       source, field, files)
            )
            continue
        values[field] = value
    if errors:
        raise InputErrors(errors)
    return values


def apply(host: Host, username: str | None, password: str | None, secret: str | None) -> None:
    """Set login credentials on ``host`` and the enable secret on its connections."""
    host.username = username
    host.password = password
    if secret is None:
        return
    driver = all_drivers().get(h.platform(host))
    if driver is None:
        return
    defaults = {"netmiko": driver.netmiko_device_type, "napalm": driver.napalm_driver}
    for name, default_platform in defaults.items():
        if default_platform is None:
            continue
        params = host.get_connection_parameters(name)
        extras = dict(params.extras or {})
        if name == "napalm":
            extras["optional_args"] = {**(extras.get("optional_args") or {}), "secret": secret}
        else:
            extras["secret"] = secret
        platform = connection_platform(host, name) or default_platform
        host.connection_options[name] = ConnectionOptions(platform=platform, extras=extras)


def connection_platform(host: Host, connection: str) -> str | None:
    """The ``platform`` the inventory sets for a connection plugin, if any."""
    elements: list[Host | Defaults] = [host, *host.extended_groups(), host.defaults]
    for element in elements:
        options = element.connection_options.get(connection)
        if options is not None and options.platform:
            return options.platform
    return None


def load_credentials(host: Host, inventory_dir: str | None = None) -> None:
    """Nornir transform function: credentials from the environment variables the inventory names.

    Hosts netops does not log into (``managed_by: controller``, ``ssh: false``) and hosts without a
    ``credentials`` mapping are left as they are.
    """
    if not h.is_ssh_managed(host) or not host.get(CREDENTIALS_KEY):
        return
    values = resolve(host, InventoryFiles.of(Path(inventory_dir)) if inventory_dir else None)
    apply(host, values.get("username"), values.get("password"), values.get("secret"))
