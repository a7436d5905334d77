"""snmpsim's command responder, serving each endpoint its own data file.

snmpsim 1.2 picks a data file per transport endpoint in ``handleMgmtOperation``
overrides, but pysnmp 7 calls ``handle_management_operation``, so the overrides
are dead code: every endpoint serves the file named by the v2c community and
SNMPv3 with the default context gets nothing. This module hooks pysnmp 7's method
instead, with a simpler rule that is what a lab of many agents needs: the community
or USM user only authenticates (pysnmp drops requests that fail), and the data is
the file named after the endpoint's transport domain
(``<data-dir>/1.3.6.1.6.1.1.<n>.snmprec`` for the n-th ``--agent-udpv4-endpoint``).

A lab node that hangs, is down or is cut off from its core by a down node gets no answer at all; a ``slow=N`` node
answers N seconds late; a node rebooted (``netops lab fault NODE reboot``, a wipe) at ``booted_at`` counts its
sysUpTime and counters from zero from then on. Faults are re-read from the lab's state file when it changes
(``netops lab fault``), like the SSH workers do. ``NODES_ENV`` names a JSON file: the lab directory, each endpoint's
node name and the faults at start.

Two start-up and run-time costs of snmpsim are cut: it registers every data file's
name as a v2c community (useless for endpoint files, and most of the start-up time
of a large lab), and it keeps at most 31 data files open, reopening a file and its
index on nearly every request once a lab has more nodes than that.

Usage is ``snmpsim-command-responder``'s:

    python -m labs.sim.snmp_responder [snmpsim-command-responder options]
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
from pathlib import Path
from typing import Any

from pysnmp import error
from pysnmp.entity import config
from pysnmp.entity.rfc3413 import cmdrsp
from snmpsim import datafile, variation
from snmpsim.commands import responder

from labs.sim.faults import FaultBook, Faults
from labs.sim.plan import PLAN_FILE
from labs.sim.snmp_index import use_system_gdbm
from labs.state import STATE_FILE

NODES_ENV = "NETOPS_LAB_SNMP_NODES"
EXEC_POINT = "rfc3412.receiveMessage:request"
ENDPOINT_FILE_PREFIX = "1.3.6.1.6.1.1."  # snmpsim's UDP/IPv4 transport domains
_add_v1_system = config.add_v1_system


class Nodes:
    """Which node each endpoint serves, and whether it hangs right now."""

    def __init__(self, path: str | None):
        raw = json.loads(Path(path).read_text(encoding="utf-8")) if path else {}
        self.names: dict[str, str] = raw.get("endpoints", {})
        self.hung_at_start = {name for name, faults in raw.get("faults", {}).items() if {"hang", "down"} & set(faults)}
        self.book = FaultBook(Path(raw["lab_dir"]), (STATE_FILE, PLAN_FILE)) if "lab_dir" in raw else None

    def faults(self, domain: str) -> Faults:
        name = self.names.get(domain)
        if name is None:
            return Faults()
        if self.book is not None:
            faults = self.book.get(name)
            if self.book.stamp is not None:  # the lab's state file exists: it is the truth
                return faults
        return Faults(hang=name in self.hung_at_start)

    def booted_at(self, domain: str) -> float:
        """When the endpoint's node last (re)booted in the lab (epoch; 0: before the lab started)."""
        name = self.names.get(domain)
        if name is None or self.book is None:
            return 0.0
        self.book.refresh()
        return float(self.book.records.get(name, {}).get("booted_at") or 0.0)


def add_community(snmp_engine, index, community, **options) -> None:
    """``config.add_v1_system``, except for endpoint data files (not communities)."""
    if not str(community).startswith(ENDPOINT_FILE_PREFIX):
        _add_v1_system(snmp_engine, index, community, **options)


def endpoint_context(nodes: Nodes, snmp_context, snmp_engine) -> tuple[str | None, float]:
    """The context name of the data file bound to this request's endpoint (None: there is none or its node is
    silent) and how many seconds late its node answers."""
    ctx = snmp_engine.observer.get_execution_context(EXEC_POINT)
    name = ".".join(str(x) for x in ctx["transportDomain"])
    faults = nodes.faults(name)
    if faults.silent:
        return None, 0.0
    try:
        snmp_context.get_mib_instrum(name)
    except error.PySnmpError:
        return None, 0.0
    return name, faults.slow


def _endpoint_routed(base: type[Any], nodes: Nodes) -> type[Any]:
    class Routed(base):
        routed = ""  # the context of the request being answered (set just before, in the same call)

        def process_pdu(self, snmpEngine, *args):
            name, delay = endpoint_context(nodes, self.snmpContext, snmpEngine)
            if name is None:
                return
            if delay:  # the observer's context is this request's only now: keep it, and put it back to answer later
                context = dict(snmpEngine.observer.get_execution_context(EXEC_POINT))
                asyncio.get_running_loop().call_later(delay, self._late, name, snmpEngine, args, context)
            else:
                self._answer(name, snmpEngine, args)

        def _answer(self, name, snmpEngine, args) -> None:
            self.routed = name
            base.process_pdu(self, snmpEngine, *args)

        def _late(self, name, snmpEngine, args, context) -> None:
            """Answer a delayed request with its own execution context (snmpsim reads it while answering)."""
            snmpEngine.observer.store_execution_context(snmpEngine, EXEC_POINT, context)
            try:
                self._answer(name, snmpEngine, args)
            finally:
                snmpEngine.observer.clear_execution_context(snmpEngine, EXEC_POINT)

        def handle_management_operation(self, snmpEngine, stateReference, contextName, PDU):
            base.handle_management_operation(self, snmpEngine, stateReference, self.routed, PDU)

    Routed.__name__ = base.__name__
    return Routed


def _rebootable(load: Any, nodes: Nodes) -> Any:
    """``variation.load_variation_modules`` whose ``numeric`` module counts a rebooted node's growing values
    (sysUpTime, counters) from zero at its ``booted_at`` instead of from their initial value at the agent's start."""

    def loaded(*args: Any, **kwargs: Any) -> Any:
        modules = load(*args, **kwargs)
        if "numeric" not in modules:
            return modules
        body = modules["numeric"][0]
        original, started = body["variate"], body["BOOTED"]
        contexts: dict[tuple[str, Any], dict[str, Any]] = {}  # per (data file, OID): a rebooted record's own

        def variate(oid, tag, value, **context):
            booted = nodes.booted_at(Path(context["dataFile"]).name.removesuffix(".snmprec"))
            settings = dict(part.split("=", 1) for part in str(value).split(",") if "=" in part)
            if booted <= started or float(settings.get("rate", 1)) == 0:
                return original(oid, tag, value, **context)
            body["recordContext"] = contexts.setdefault((context["dataFile"], oid), {})
            body["BOOTED"] = booted
            try:
                return original(oid, tag, ",".join(f"{k}={v}" for k, v in settings.items() if k != "initial"), **context)
            finally:
                body["BOOTED"] = started

        body["variate"] = variate
        return modules

    return loaded


def install() -> None:
    """Patch snmpsim (in this process) as the module docstring says."""
    nodes = Nodes(os.environ.get(NODES_ENV))
    use_system_gdbm()
    config.add_v1_system = add_community
    # each open data file holds two descriptors (text and index); keep some for sockets
    datafile.DataFile.max_queue_entries = max(31, (resource.getrlimit(resource.RLIMIT_NOFILE)[0] - 2048) // 2)
    responder.GetCommandResponder = _endpoint_routed(cmdrsp.GetCommandResponder, nodes)
    responder.SetCommandResponder = _endpoint_routed(cmdrsp.SetCommandResponder, nodes)
    responder.NextCommandResponder = _endpoint_routed(cmdrsp.NextCommandResponder, nodes)
    responder.BulkCommandResponder = _endpoint_routed(cmdrsp.BulkCommandResponder, nodes)
    variation.load_variation_modules = _rebootable(variation.load_variation_modules, nodes)


if __name__ == "__main__":
    install()
    sys.argv[0] = "snmpsim-command-responder"
    sys.exit(responder.main())
