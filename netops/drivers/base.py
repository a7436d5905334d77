"""The platform driver interface.

Everything netops knows about a platform lives in one driver package under
``netops/drivers/<platform>/`` that exposes ``DRIVER``, an object satisfying
:class:`PlatformDriver`. Nothing else in netops branches on platform names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from netops.drivers.snmp import SnmpProfile
from netops.model import DeviceFacts, DeviceState, Neighbor, ParsedConfig
from netops.parsing.tree import Node, ios_tree


@dataclass(frozen=True)
class LineRule:
    """A declarative rewrite: lines matching ``pattern`` become ``replace``.

    ``replace`` follows :func:`re.sub` syntax; ``None`` drops the line.
    """

    pattern: str
    replace: str | None = None
    name: str = ""

    @property
    def regex(self) -> re.Pattern[str]:
        return _compile(self.pattern)


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@dataclass(frozen=True)
class BlockRule:
    """A multi-line rewrite: the lines after a ``start`` match, up to (not
    including) the first ``end`` match, collapse into one ``replace`` line
    indented like the first of them."""

    start: str
    end: str
    replace: str
    name: str = ""


@dataclass(frozen=True)
class ShellSpec:
    """A CLI simple enough for netops' own read-only session (:class:`netops.backup.session.Shell`), which waits
    for the prompt instead of polling as netmiko does: the login needs no dialogue inside the session, every
    exec-mode prompt is one line ``prompt`` matches, and ``setup`` switches paging off. Set only where the
    session reads exactly what netmiko reads on every lab device of the platform (tests/test_backup_shell.py)."""

    prompt: str  # regex one prompt line matches, in user and privileged exec mode (no trailing newline)
    setup: tuple[str, ...]  # session settings sent first, one at a time, each answered by a prompt
    enable: str = "enable"  # the command that asks for the enable secret
    secret_prompt: str = r"[Pp]assword:\s*$"  # regex the question for the secret ends with


@dataclass(frozen=True)
class BackupSpec:
    """How to fetch, validate and clean a configuration of this platform."""

    commands: tuple[str, ...]  # sent in order; their outputs are concatenated
    end_marker: str  # regex the last non-blank line of a complete config matches ("": the platform prints none)
    error_patterns: tuple[str, ...] = ()  # regexes that mean "this is an error, not a config"
    volatile: tuple[LineRule, ...] = ()  # lines that change on every fetch
    secrets: tuple[LineRule, ...] = ()  # secret redaction rules
    min_lines: int = 5  # fewer lines than this is not a configuration
    privileged: bool = False  # enter privileged (enable) mode before the commands
    privileged_prompt: str = r"#\s*$"  # regex a prompt of privileged mode matches
    required: tuple[str, ...] = ()  # regexes each matching some line of a complete config
    blocks: tuple[BlockRule, ...] = ()  # multi-line secrets (certificates, keys)
    shell: ShellSpec | None = None  # netops' own read-only session for backups; None: netmiko's


REDACTED = "<removed by netops>"


@dataclass(frozen=True)
class NeighborSpec:
    """How to collect and read a platform's CDP/LLDP neighbour table.

    ``netops backup`` sends ``commands`` on the configuration's session and stores each output
    under a marker line (:func:`netops.parsing.neighbors.join_outputs`), ``volatile`` lines dropped;
    ``parser`` reads that stored text back into neighbours.
    """

    commands: tuple[str, ...]
    parser: Callable[[str], list[Neighbor]]
    volatile: tuple[LineRule, ...] = ()  # lines that change on every fetch (hold times, ages, counters)


@dataclass(frozen=True)
class FactsSpec:
    """How to read what a device is (``netops inventory facts``).

    The collector sends ``commands`` on one privileged session and gives ``parser`` their outputs as
    ``{command: output}``; an output that is a platform error (the backup spec's ``error_patterns``, e.g. a
    command the model does not have) is left out of the mapping, so a parser reads only real outputs.
    """

    commands: tuple[str, ...]
    parser: Callable[[dict[str, str]], DeviceFacts]


@dataclass(frozen=True)
class StateSpec:
    """How to read a platform's operational state (``netops snapshot``), as :data:`netops.model.DeviceState`.

    Outputs reach ``parser`` as for :class:`FactsSpec`. A feature the parser returns is what the device said
    (an empty dict: it has none); a feature it leaves out is read over SNMP where netops can (interfaces, a
    controller's APs, clients per SSID), else not recorded. Neighbours come from :class:`NeighborSpec`.
    """

    commands: tuple[str, ...]
    parser: Callable[[dict[str, str]], DeviceState]


def negate_with_no(line: str) -> str | None:
    """IOS-style negation: ``no X`` removes ``X``, and ``X`` undoes ``no X``."""
    return line[3:] if line.startswith("no ") else f"no {line}"


@dataclass(frozen=True)
class LineSyntax:
    """How a platform's configuration lines nest, for ``kind: lines`` policy rules (hardening).

    ``tree`` reads a configuration into nodes with line numbers; a line netops adds under a parent is
    indented with ``indent``; ``negate`` gives the command that removes a line (None: no known negation)
    when the driver has no :meth:`Driver.remediation` to derive it from a diff.
    """

    tree: Callable[[str], list[Node]] = ios_tree
    indent: str = " "
    negate: Callable[[str], str | None] = negate_with_no


@runtime_checkable
class PlatformDriver(Protocol):
    """What a platform driver provides."""

    platform: str  # the netops/inventory platform name, e.g. "cisco_xe"
    netmiko_device_type: str | None  # None: not reachable over SSH by netops
    napalm_driver: str | None
    backup: BackupSpec | None
    aliases: frozenset[str]

    neighbors: NeighborSpec | None  # None: netops collects no neighbour table on this platform
    lines: LineSyntax | None  # None: ``kind: lines`` rules do not apply to this platform
    facts: FactsSpec | None  # None: netops reads no facts from this platform over SSH
    state: StateSpec | None  # None: a snapshot reads this platform over SNMP only

    def parse(self, text: str, host: str = "") -> ParsedConfig:
        """Parse a configuration into WLANs, switch ports and SVIs."""
        ...

    def parse_neighbors(self, text: str) -> list[Neighbor]:
        """The neighbours in a stored neighbour table (empty when the platform has no :attr:`neighbors`)."""
        ...

    @property
    def can_restore(self) -> bool:
        """Whether :meth:`remediation` is available on this platform."""
        ...

    @property
    def can_rebuild(self) -> bool:
        """Whether a full rebuild of a wiped device is done by netops (else ``rebuild_procedure``)."""
        ...

    rebuild_procedure: tuple[str, ...]

    def remediation(self, running: str, intended: str) -> list[str]:
        """Commands that turn ``running`` into ``intended`` (restore)."""
        ...

    def push(self, conn: Any, commands: list[str], timeout: float) -> str:
        """Apply ``commands`` on a privileged netmiko session and make them persistent; the device output."""
        ...


def push_in_config_mode(conn: Any, commands: list[str], timeout: float) -> str:
    """The usual way: configuration mode, the commands, then netmiko's save for the platform."""
    output = conn.send_config_set(commands, read_timeout=timeout, cmd_verify=False)
    conn.set_base_prompt()  # a restored hostname changes the prompt
    return output + conn.save_config()


@dataclass(frozen=True)
class Driver:
    """The concrete driver record each platform package builds as ``DRIVER``."""

    platform: str
    description: str
    netmiko_device_type: str | None
    napalm_driver: str | None
    backup: BackupSpec | None
    parser: Callable[[str, str], ParsedConfig]
    remediator: Callable[[str, str], list[str]] | None = None
    pusher: Callable[[Any, list[str], float], str] = push_in_config_mode
    capabilities: frozenset[str] = field(default_factory=frozenset)  # "wlan", "switchport"
    snmp: SnmpProfile | None = None  # SNMP specifics beyond MIB-2 (CPU, memory, controller tables)
    aliases: frozenset[str] = frozenset()  # the platform's names in other tools (containerlab kinds, napalm, scrapli)
    # How an admin rebuilds a wiped device of a platform netops cannot rebuild itself ({export} is the
    # command that writes the complete configuration, secrets included, to a file).
    rebuild_procedure: tuple[str, ...] = ()
    neighbors: NeighborSpec | None = None  # CDP/LLDP neighbour table collected by netops backup
    lines: LineSyntax | None = None  # how configuration lines nest, for ``kind: lines`` rules
    facts: FactsSpec | None = None  # what the device is: model, serials, software (netops inventory facts)
    state: StateSpec | None = None  # operational state for netops snapshot

    def parse(self, text: str, host: str = "") -> ParsedConfig:
        return self.parser(text, host)

    def parse_neighbors(self, text: str) -> list[Neighbor]:
        return self.neighbors.parser(text) if self.neighbors is not None else []

    @property
    def can_restore(self) -> bool:
        return self.remediator is not None

    @property
    def can_rebuild(self) -> bool:
        """Whether netops pushes a whole configuration to a wiped device (else :attr:`rebuild_procedure`)."""
        return self.remediator is not None and not self.rebuild_procedure

    def remediation(self, running: str, intended: str) -> list[str]:
        if self.remediator is None:
            raise NotImplementedError(f"{self.platform}: restore is not supported")
        return self.remediator(running, intended)

    def push(self, conn: Any, commands: list[str], timeout: float) -> str:
        return self.pusher(conn, commands, timeout)
