"""snmpsim's command responder, serving each endpoint its own data file.

snmpsim 1.2 picks a data file per transport endpoint in ``handleMgmtOperation``
overrides, but pysnmp 7 calls ``handle_management_operation``, so the overrides
are dead code: every endpoint serves the file named by the v2c community and
SNMPv3 with the default context gets nothing. This module hooks pysnmp 7's method
instead, with a simpler rule that is what a lab of many agents needs: the community
or USM user only authenticates (pysnmp drops requests that fail), and the data is
the file named after the endpoint's transport domain (``<data-dir>/1.3.6.1.6.1.1.<n>.snmprec``
for the n-th ``--agent-udpv4-endpoint``). An endpoint without such a file never
answers. snmpsim also registers every data file's name as a v2c community; for
endpoint files that is useless and costs most of the start-up time of a large lab,
so it is skipped. Usage is ``snmpsim-command-responder``'s:

    python -m labs.sim.snmp_responder [snmpsim-command-responder options]
"""

from __future__ import annotations

import sys

from labs.sim.snmp_index import use_system_gdbm
from pysnmp import error
from pysnmp.entity import config
from pysnmp.entity.rfc3413 import cmdrsp
from snmpsim.commands import responder

EXEC_POINT = "rfc3412.receiveMessage:request"
ENDPOINT_FILE_PREFIX = "1.3.6.1.6.1.1."  # snmpsim's UDP/IPv4 transport domains
_add_v1_system = config.add_v1_system


def add_community(snmp_engine, index, community, **options) -> None:
    """``config.add_v1_system``, except for endpoint data files (not communities)."""
    if not str(community).startswith(ENDPOINT_FILE_PREFIX):
        _add_v1_system(snmp_engine, index, community, **options)


def endpoint_context(snmp_context, snmp_engine) -> str | None:
    """The context name of the data file bound to this request's endpoint, if any."""
    ctx = snmp_engine.observer.get_execution_context(EXEC_POINT)
    name = ".".join(str(x) for x in ctx["transportDomain"])
    try:
        snmp_context.get_mib_instrum(name)
    except error.PySnmpError:
        return None
    return name


def _endpoint_routed(base: type) -> type:
    class Routed(base):  # type: ignore[misc, valid-type]
        def handle_management_operation(self, snmpEngine, stateReference, contextName, PDU):
            name = endpoint_context(self.snmpContext, snmpEngine)
            if name is None:
                self.release_state_information(stateReference)
                return
            base.handle_management_operation(self, snmpEngine, stateReference, name, PDU)

    Routed.__name__ = base.__name__
    return Routed


config.add_v1_system = add_community
responder.GetCommandResponder = _endpoint_routed(cmdrsp.GetCommandResponder)
responder.SetCommandResponder = _endpoint_routed(cmdrsp.SetCommandResponder)
responder.NextCommandResponder = _endpoint_routed(cmdrsp.NextCommandResponder)
responder.BulkCommandResponder = _endpoint_routed(cmdrsp.BulkCommandResponder)


if __name__ == "__main__":
    use_system_gdbm()
    sys.argv[0] = "snmpsim-command-responder"
    sys.exit(responder.main())
