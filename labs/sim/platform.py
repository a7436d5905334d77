"""What the simulator knows of one platform, as its package declares it.

Each platform package (``labs/sim/<platform>/``) holds its CLI session
(``cli.py``), the lab's own reader of its configuration (``config.py``) and its
SNMP specifics (``snmp.py``), and exposes them as one :class:`SimPlatform`
named ``PLATFORM`` in its ``__init__``; :mod:`labs.sim.platforms` finds them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from labs.sim.device import CliSession
from labs.sim.facts import DeviceFacts
from labs.sim.snmp_data import SnmpProfile


@dataclass(frozen=True)
class SimPlatform:
    """One simulated platform, under every netops platform name it answers to."""

    names: tuple[str, ...]
    session: type[CliSession]  # the SSH CLI
    read_config: Callable[[str], DeviceFacts]  # what its SNMP agent shows of a configuration
    snmp: SnmpProfile
    # its factory-default configuration, given the node's startup configuration and labels (model)
    factory: Callable[[str, dict[str, str]], str]
