"""Which SNMP backend a command uses: ``snmp.backend`` in netops.yaml (or ``NETOPS_SNMP_BACKEND``).

``auto`` (the default) is gufo-snmp when it can be imported, else pysnmp; ``gufo``
and ``pysnmp`` name one. gufo-snmp codes BER in compiled code and needs several
times less CPU than pysnmp for the same poll (``bench/snmp.py`` shows both); pysnmp
is the pure-Python fallback for machines without a gufo-snmp wheel.
"""

from __future__ import annotations

from collections.abc import Callable

from netops.errors import InputError
from netops.snmp.backend import SnmpBackend
from netops.snmp.pysnmp_backend import PysnmpBackend


def backend_factory(choice: str = "auto") -> Callable[[], SnmpBackend]:
    """The backend class for ``choice`` (one of :data:`netops.settings.SNMP_BACKENDS`)."""
    if choice == "pysnmp":
        return PysnmpBackend
    try:
        from netops.snmp.gufo_backend import GufoBackend
    except ImportError as exc:
        if choice == "gufo":
            raise InputError(f"the gufo SNMP backend needs the gufo-snmp package ({exc}); install it, or set "
                             "snmp.backend to auto or pysnmp", key="snmp.backend") from None
        return PysnmpBackend
    return GufoBackend
