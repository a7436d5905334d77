"""Where netops reads and writes, resolved once per command, with where each value came from.

Precedence for every key: command-line flag, then environment variable, then the
configuration file (:mod:`netops.config`), then the built-in default.

| key | flag | environment | netops.yaml | built-in default |
|---|---|---|---|---|
| inventory | ``--inventory`` | ``NETOPS_INVENTORY`` | ``inventory`` | the secretariat's inventory (package data) |
| policy files | ``--policy`` (commands that check) | ``NETOPS_POLICY`` | ``policy`` | the secretariat's policy (package data) |
| thresholds | ``--thresholds`` (poll, exporter) | ``NETOPS_THRESHOLDS`` | ``thresholds`` | package data |
| lifecycle table | ``--lifecycle`` (check) | ``NETOPS_LIFECYCLE`` | ``lifecycle`` | the secretariat's models (package data) |
| campus topology | ``--topology`` (resilience) | ``NETOPS_TOPOLOGY`` | ``topology`` | none (neighbour tables and AP cabling) |
| data directory | ``--data-dir`` | ``NETOPS_DATA_DIR`` | ``data_dir`` | ``$XDG_DATA_HOME/netops`` |
| backup repository | ``--backup-dir`` | ``NETOPS_BACKUP_DIR`` | ``backup_dir`` | ``<data dir>/backups`` |
| probe plan | ``--plan`` (probes) | ``NETOPS_PROBE_PLAN`` | ``probes.plan`` | none (``--interface`` and ``--site`` derive one) |
| probe findings' age limit | ``--probe-max-age`` (check) | ``NETOPS_PROBE_MAX_AGE`` | ``probes.max_age`` | ``7d`` |
| lab mode | ``--lab`` / ``--no-lab`` | ``NETOPS_LAB`` | ``lab.enabled`` | off |
| lab directory | ``--lab-dir`` | ``NETOPS_LAB_DIR`` | ``lab.dir`` | ``$XDG_RUNTIME_DIR/netops-lab`` or ``/tmp/netops-lab-$UID`` |
| time zone | ``--timezone`` | ``NETOPS_TIMEZONE`` | ``timezone`` | ``Asia/Kolkata`` (package data) |
| SNMP backend | none | ``NETOPS_SNMP_BACKEND`` | ``snmp.backend`` | ``auto``: gufo-snmp when installed, else pysnmp |

The sections of later features (``report``, ``alerts``, ``schedule``) are read by
those features from :meth:`Settings.section`, with file and line for their errors.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from netops import config
from netops.ages import parse_age, short
from netops.config import Entry
from netops.errors import InputError


@dataclass(frozen=True)
class Origin:
    """Where a setting's value came from."""

    kind: str  # "flag", "environment", "file", "default"
    detail: str  # "--inventory", "NETOPS_INVENTORY", "/etc/netops/netops.yaml:3", "package data"

    def __str__(self) -> str:
        if self.kind == "default":
            return f"default ({self.detail})" if self.detail else "default"
        return f"{self.kind} {self.detail}"


@dataclass(frozen=True)
class Key:
    """One setting: its attribute, flag, environment variable, config key and type."""

    name: str
    flag: str
    env: str
    config: str
    kind: str  # "path", "paths", "bool", "age", "zone", "choice"
    choices: tuple[str, ...] = ()  # kind "choice": the values allowed


SNMP_BACKENDS = ("auto", "gufo", "pysnmp")
KEYS: tuple[Key, ...] = (
    Key("inventory", "--inventory", "NETOPS_INVENTORY", "inventory", "path"),
    Key("policy", "--policy", "NETOPS_POLICY", "policy", "paths"),
    Key("thresholds", "--thresholds", "NETOPS_THRESHOLDS", "thresholds", "path"),
    Key("lifecycle", "--lifecycle", "NETOPS_LIFECYCLE", "lifecycle", "path"),
    Key("topology", "--topology", "NETOPS_TOPOLOGY", "topology", "path"),
    Key("data_dir", "--data-dir", "NETOPS_DATA_DIR", "data_dir", "path"),
    Key("backup_dir", "--backup-dir", "NETOPS_BACKUP_DIR", "backup_dir", "path"),
    Key("probe_plan", "--plan", "NETOPS_PROBE_PLAN", "probes.plan", "path"),
    Key("probe_max_age", "--probe-max-age", "NETOPS_PROBE_MAX_AGE", "probes.max_age", "age"),
    Key("lab", "--lab", "NETOPS_LAB", "lab.enabled", "bool"),
    Key("lab_dir", "--lab-dir", "NETOPS_LAB_DIR", "lab.dir", "path"),
    Key("timezone", "--timezone", "NETOPS_TIMEZONE", "timezone", "zone"),
    Key("snmp_backend", "", "NETOPS_SNMP_BACKEND", "snmp.backend", "choice", SNMP_BACKENDS),
)
BY_NAME = {k.name: k for k in KEYS}
DEFAULT_PROBE_MAX_AGE = "7d"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "netops"


def default_lab_dir() -> Path:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return Path(runtime) / "netops-lab"
    return Path(f"/tmp/netops-lab-{os.getuid()}")


def _truthy(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _convert(key: Key, value: Any, where: Origin, entry: Entry | None = None) -> Any:
    """A raw flag, environment or file value as the setting's type."""
    if value is None:
        return None
    if key.kind == "paths":
        if isinstance(value, str):
            value = [v for v in value.split(os.pathsep) if v]
        elif isinstance(value, Path):  # one file named in netops.yaml (policy: site.yaml), made absolute by config.read
            value = [value]
        paths = tuple(Path(v).expanduser() for v in value)
        if not paths:
            raise InputError("names no file", key=key.env if where.kind == "environment" else key.flag)
        return paths
    if key.kind == "path":
        return Path(value).expanduser()
    if key.kind == "bool":
        return value if isinstance(value, bool) else _truthy(str(value))
    name = {"flag": key.flag, "environment": key.env}.get(where.kind, key.config)
    where_file, where_line = (str(entry.file), entry.line) if entry else (None, None)
    if key.kind == "age":
        return parse_age(str(value), key=name, file=where_file, line=where_line)
    if key.kind == "zone":
        try:
            ZoneInfo(str(value))
        except (ZoneInfoNotFoundError, ValueError):
            raise InputError(f"unknown time zone {value!r} (an IANA name such as Asia/Kolkata)", key=name, file=where_file,
                             line=where_line) from None
        return str(value)
    if key.kind == "choice":
        if value not in key.choices:
            raise InputError(f"unknown value {value!r} (one of {', '.join(key.choices)})", key=name, file=where_file,
                             line=where_line)
        return str(value)
    raise AssertionError(key.kind)


@dataclass(frozen=True)
class Settings:
    """Every path and mode a command needs, with the origin of each."""

    inventory: Path
    policy: tuple[Path, ...]
    thresholds: Path
    lifecycle: Path  # end of sale / end of support per model (kind: software rules)
    topology: Path | None
    data_dir: Path
    backup_dir: Path
    probe_plan: Path | None
    probe_max_age: float  # seconds
    lab: bool
    lab_dir: Path
    timezone: str = "Asia/Kolkata"  # IANA name: report days, deadlines and schedules
    snmp_backend: str = "auto"  # "auto" (gufo-snmp when installed, else pysnmp), "gufo" or "pysnmp"
    config_file: Path | None = None  # the netops.yaml in effect (None: only the built-in one)
    config_found: str = ""  # how it was found: "--config", "NETOPS_CONFIG", "./netops.yaml", …
    config_flag: Path | None = field(default=None, compare=False)
    origins: Mapping[str, Origin] = field(default_factory=dict, compare=False)
    entries: Mapping[str, Entry] = field(default_factory=dict, compare=False)  # every key of the file over the built-in one

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def section(self, name: str) -> dict[str, Entry]:
        """The keys under ``name`` (``report`` -> ``{"deadline": Entry, "mail.to": Entry, ...}``): the configuration
        file's, else the built-in ones; each entry knows its file and line."""
        prefix = name + "."
        return {key[len(prefix):]: entry for key, entry in self.entries.items() if key.startswith(prefix)}

    @classmethod
    def resolve(cls, env: Mapping[str, str] | None = None, **flags: Any) -> Settings:
        """Settings from ``flags`` (attribute name -> value, None: not given), the environment and the
        configuration file named by the ``config`` flag or found on the search path."""
        env = os.environ if env is None else env
        flag = flags.pop("config", None)
        unknown = set(flags) - set(BY_NAME)
        if unknown:
            raise TypeError(f"Settings.resolve: no setting named {', '.join(sorted(unknown))}")
        path, how = config.find(flag, env)
        builtin = config.builtin()
        from_file = config.read(path) if path is not None else {}
        values: dict[str, Any] = {}
        origins: dict[str, Origin] = {}
        for key in KEYS:
            if flags.get(key.name) is not None:
                origin = Origin("flag", key.flag)
                values[key.name] = _convert(key, flags[key.name], origin)
            elif env.get(key.env):
                origin = Origin("environment", key.env)
                values[key.name] = _convert(key, env[key.env], origin)
            elif key.config in from_file:
                entry = from_file[key.config]
                origin = Origin("file", entry.where())
                values[key.name] = _convert(key, entry.value, origin, entry)
            elif key.config in builtin:
                entry = builtin[key.config]
                origin = Origin("default", "built in, package data")
                values[key.name] = _convert(key, entry.value, origin, entry)
            else:
                origin, values[key.name] = _DEFAULTS[key.name](values)
            origins[key.name] = origin
        return cls(**values, config_file=path, config_found=how, config_flag=flag, origins=origins,
                   entries=_merged(builtin, from_file))

    def override(self, **flags: Any) -> Settings:
        """These settings with a command's own flags applied (None: not given)."""
        changes: dict[str, Any] = {}
        origins = dict(self.origins)
        for name, value in flags.items():
            if value is None:
                continue
            key = BY_NAME[name]
            origins[name] = Origin("flag", key.flag)
            changes[name] = _convert(key, value, origins[name])
        if "data_dir" in changes and self.origins.get("backup_dir", Origin("default", "")).kind == "default":
            changes.setdefault("backup_dir", changes["data_dir"] / "backups")
        return dataclasses.replace(self, **changes, origins=origins) if changes else self

    def rows(self) -> list[dict[str, Any]]:
        """Every setting with its value and origin (``netops config show``)."""
        out = []
        for key in KEYS:
            value = getattr(self, key.name)
            if key.kind == "paths":
                shown: Any = [str(p) for p in value]
            elif key.kind == "age":
                shown = short(value)
            elif isinstance(value, Path):
                shown = str(value)
            elif isinstance(value, bool):
                shown = "yes" if value else "no"
            else:
                shown = value
            out.append({"key": key.config, "value": shown, "origin": str(self.origins.get(key.name, "")),
                        "flag": key.flag, "env": key.env})
        return out


def _merged(builtin: dict[str, Entry], from_file: dict[str, Entry]) -> dict[str, Entry]:
    """The built-in keys with the file's over them; a mapping the file writes replaces the built-in mapping at the
    same place (``schedule: {backup: {at: "02:00"}}`` drops the built-in ``schedule.backup.every``: a job has one
    rhythm), while the built-in mappings beside it stay (``schedule.poll``)."""
    parents = {key.rsplit(".", 1)[0] for key in from_file if "." in key}
    kept = {k: e for k, e in builtin.items() if not any(k.startswith(p + ".") for p in parents)}
    return kept | from_file


_DEFAULTS: dict[str, Callable[[dict[str, Any]], tuple[Origin, Any]]] = {
    "data_dir": lambda _: (Origin("default", "$XDG_DATA_HOME/netops"), default_data_dir()),
    "backup_dir": lambda v: (Origin("default", "<data_dir>/backups"), v["data_dir"] / "backups"),
    "topology": lambda _: (Origin("default", "none: links come from neighbour tables and AP cabling"), None),
    "probe_plan": lambda _: (Origin("default", "none: --plan, or --interface and --site derive one from the inventory"), None),
    "probe_max_age": lambda _: (Origin("default", DEFAULT_PROBE_MAX_AGE), parse_age(DEFAULT_PROBE_MAX_AGE)),
    "lab": lambda _: (Origin("default", "off"), False),
    "timezone": lambda _: (Origin("default", "Asia/Kolkata"), "Asia/Kolkata"),
    "snmp_backend": lambda _: (Origin("default", "auto: gufo-snmp when installed, else pysnmp"), "auto"),
    "lab_dir": lambda _: (Origin("default", "$XDG_RUNTIME_DIR/netops-lab" if os.environ.get("XDG_RUNTIME_DIR")
                                 else "/tmp/netops-lab-<uid>, as $XDG_RUNTIME_DIR is not set"), default_lab_dir()),
}
