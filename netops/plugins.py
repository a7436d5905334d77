"""What other packages add to netops through entry points; the core never imports them.

- ``netops.commands``: ``name = module:register`` adds the command ``netops name``
  (``register(app)`` receives the typer app). The dashboard (``tui``) and the lab
  (``lab``) come this way.
- ``netops.modes``: ``name = module:MODE`` adds a mode that ``--<name>`` style
  settings switch on. A mode rewrites the inventory after it is loaded (nornir
  transform functions work per host; a mode may also add and drop hosts), may
  name a default probe plan, and may wipe devices for a disaster-recovery drill
  (:class:`Wipes`). Lab mode (``--lab``) is the ``lab`` mode of the
  ``labs`` package.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from netops.errors import InputError

if TYPE_CHECKING:
    from nornir.core.inventory import Inventory

    from netops.settings import Settings

COMMANDS = "netops.commands"
MODES = "netops.modes"


class Mode(Protocol):
    """A way of running netops against something other than the devices the inventory names."""

    name: str

    def transform(self, inventory: Inventory, settings: Settings) -> None:
        """Rewrite the loaded inventory in place (addresses, ports, credentials; add or drop hosts)."""
        ...

    def probe_plan(self, settings: Settings) -> Path | None:
        """The probe plan to use when none is configured (None: derive it from the inventory)."""
        ...

    def topology(self, settings: Settings) -> Path | None:
        """The campus topology to use when none is configured (None: neighbour tables and AP cabling only)."""
        ...


@runtime_checkable
class Wipes(Protocol):
    """A mode whose devices can be wiped on purpose: what a disaster-recovery drill needs (the lab)."""

    def wipe(self, settings: Settings, hosts: list[str]) -> None:
        """Reset ``hosts`` to their factory-default configuration; returns once they answer again."""
        ...


def command_names() -> list[str]:
    return sorted(ep.name for ep in entry_points(group=COMMANDS))


def command(name: str) -> Callable[[Any], None] | None:
    """The ``register(app)`` function of plugin command ``name``, or None."""
    found = next(iter(entry_points(group=COMMANDS, name=name)), None)
    return None if found is None else found.load()


@cache
def mode(name: str) -> Mode:
    """The mode called ``name``; an input error when no installed package provides it."""
    found = next(iter(entry_points(group=MODES, name=name)), None)
    if found is None:
        raise InputError(f"{name} mode needs a plugin that provides it (entry point group {MODES}); "
                         "for the lab: install netops with its labs package", key=f"--{name}")
    return found.load()


def active_modes(settings: Settings) -> list[Mode]:
    """The modes the settings switch on."""
    return [mode("lab")] if settings.lab else []
