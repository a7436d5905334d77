"""Configurations to check: ``<host>.cfg`` files under a directory (the backup store by default), parsed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from netops.drivers import all_drivers
from netops.errors import InputError
from netops.inventory.hosts import HostInfo
from netops.model import ParsedConfig
from netops.policy.findings import Notice


def find_configs(directory: Path) -> dict[str, Path]:
    """``<host>.cfg`` files anywhere under ``directory`` (e.g. ``<site>/<host>.cfg``), keyed by host."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError("no such configuration directory (run `netops backup`, or pass --backup-dir)", file=directory, key="--backup-dir")
    found: dict[str, Path] = {}
    for path in sorted(directory.rglob("*.cfg")):
        if ".git" in path.relative_to(directory).parts:
            continue
        if path.stem in found:
            raise InputError(f"two configurations for host {path.stem}: {found[path.stem]} and {path}", file=path, key="--backup-dir")
        found[path.stem] = path
    return found


def _parse(host: str, origin: str, text: str, facts: HostInfo | None) -> tuple[ParsedConfig | None, list[Notice]]:
    """One configuration parsed with its host's driver; what went wrong as notices (never an exception)."""
    if facts is None:
        return None, [Notice("no-host", f"{origin}: {host} is not in the inventory; not checked", host=host, file=origin)]
    driver = all_drivers().get(facts.platform)
    if driver is None:
        return None, [Notice("no-parser", f"{origin}: no parser for platform {facts.platform!r}; not checked", host=host, file=origin)]
    try:
        config = driver.parse(text, host)
        config.text = text
    except Exception as exc:
        return None, [Notice("parse-failed", f"{origin}: parser error, not checked: {exc!r}", host=host, file=origin)]
    if not config.issues:
        return config, []
    first = config.issues[0]
    message = (
        f"{host}: {len(config.issues)} configuration line(s) not understood, "
        f"first: line {first.line} {first.text.strip()!r} ({first.message})"
    )
    return config, [Notice("parse-issues", message, host=host, file=origin, line=first.line)]


def parse_texts(
    hosts: dict[str, HostInfo],
    texts: Iterable[tuple[str, str, str]],
    advance: Callable[[], None] = lambda: None,
) -> tuple[dict[str, ParsedConfig], list[Notice]]:
    """Parse ``(host, origin, text)`` triples with each host's platform driver."""
    parsed: dict[str, ParsedConfig] = {}
    notices: list[Notice] = []
    for host, origin, text in texts:
        config, problems = _parse(host, origin, text, hosts.get(host))
        if config is not None:
            parsed[host] = config
        notices += problems
        advance()
    return parsed, notices


def missing_configs(hosts: dict[str, HostInfo], parsed: dict[str, ParsedConfig], known: set[str]) -> list[Notice]:
    """Hosts netops backs up that have no configuration to check (except ``known`` ones, already explained)."""
    return [
        Notice("no-config", f"{name}: no configuration to check", host=name)
        for name, facts in sorted(hosts.items())
        if name not in parsed and name not in known and facts.ssh_managed
    ]


def read_files(files: dict[str, Path]) -> Iterable[tuple[str, str, str]]:
    for host, path in files.items():
        yield host, str(path), path.read_text(encoding="utf-8", errors="replace")
