"""The ``engine`` section of netops.yaml and the ``--broker`` flag."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from netops.errors import InputError
from netops.settings import Settings

SCHEMES = ("redis", "rediss")
DEFAULT_BATCH = 20
DEFAULT_WAIT = 30.0


@dataclass(frozen=True)
class EngineConfig:
    """How to reach the workers; ``broker`` None: run locally."""

    broker: str | None = None  # redis://host:port/db, without a password
    password_env: str | None = None  # environment variable holding the broker's password
    batch: int = DEFAULT_BATCH  # devices per task
    wait: float = DEFAULT_WAIT  # seconds to wait for a worker on a queue nobody consumes before its devices fail
    env: Mapping[str, str] | None = None

    @property
    def distributed(self) -> bool:
        return self.broker is not None

    def url(self) -> str:
        """The broker URL with its password (from ``password_env``): for the client only, never printed."""
        assert self.broker is not None
        if not self.password_env:
            return self.broker
        password = (self.env if self.env is not None else os.environ).get(self.password_env)
        if not password:
            raise InputError(f"the environment variable {self.password_env} (the broker's password) is not set",
                             key="engine.password_env")
        parts = urlsplit(self.broker)
        return urlunsplit(parts._replace(netloc=f":{quote(password, safe='')}@{parts.netloc}"))


def _broker(value: object, key: str, file: str | None = None, line: int | None = None) -> str:
    text = str(value).strip()
    parts = urlsplit(text)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise InputError(f"{text!r} is not a Redis URL (redis://HOST:PORT/DB)", key=key, file=file, line=line)
    if parts.password or parts.username:
        raise InputError("the broker URL carries a password: a secret in a command line or a file; give it through "
                         "the environment variable that engine.password_env names", key=key, file=file, line=line)
    try:
        parts.port  # noqa: B018  (a bad port raises)
    except ValueError:
        raise InputError(f"{text!r} has a bad port", key=key, file=file, line=line) from None
    return text


def engine_config(settings: Settings, broker: str | None = None, env: Mapping[str, str] | None = None) -> EngineConfig:
    """The engine of a command: ``broker`` (the ``--broker`` flag) over ``NETOPS_BROKER`` over netops.yaml's
    ``engine.broker``; ``--broker local`` runs locally whatever the file says."""
    env = os.environ if env is None else env
    section = settings.section("engine")  # types and ranges: netops.yaml's schema
    url: str | None = None
    if broker is not None:
        url = None if broker == "local" else _broker(broker, "--broker")
    elif env.get("NETOPS_BROKER"):
        url = None if env["NETOPS_BROKER"] == "local" else _broker(env["NETOPS_BROKER"], "NETOPS_BROKER")
    elif "broker" in section and section["broker"].value not in (None, "local"):
        entry = section["broker"]
        url = _broker(entry.value, "engine.broker", str(entry.file), entry.line)
    batch = int(section["batch"].value) if "batch" in section else DEFAULT_BATCH
    wait = float(section["wait"].value) if "wait" in section else DEFAULT_WAIT
    password_env = str(section["password_env"].value) if "password_env" in section else None
    return EngineConfig(url, password_env, batch, wait, env)


def shown(url: str) -> str:
    """A broker URL without its password (for messages)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")))


def queue_of(site: str) -> str:
    """The queue of a site's devices: a worker inside a campus consumes only its own."""
    return f"netops.{site}" if site else "netops"
