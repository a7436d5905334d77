"""The device inventory: a Nornir SimpleInventory directory or hosts file (``Settings.inventory``).

``open_nornir(settings, filters)`` is the entry point other features use; the
host accessors in :mod:`netops.inventory.hosts` read what they need, and
:func:`snmp_target` resolves SNMP settings with credentials from the environment.
"""

from netops.inventory.filters import Filters
from netops.inventory.loader import open_nornir
from netops.inventory.snmp import snmp_target

__all__ = ["Filters", "open_nornir", "snmp_target"]
