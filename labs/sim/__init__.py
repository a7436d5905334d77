"""The local lab simulator: every topology node served as a simulated device.

A detached supervisor (:mod:`labs.sim.supervisor`) starts worker processes
(:mod:`labs.sim.worker`), each serving a shard of the nodes over SSH
(:mod:`labs.sim.server`, one 127.x address per node, one port for all), and the
SNMP agents (:mod:`labs.sim.snmp_agent`, data from :mod:`labs.sim.snmp_data`).

Everything the simulator knows of one platform lives in one package, as netops
keeps one driver package per platform: ``cisco_xe`` (also ``cisco_ios``),
``cisco_wlc``, ``aruba_os``, ``aruba_instant`` and ``openwrt``, each with

- ``cli.py``: the SSH CLI session (a :class:`~labs.sim.device.CliSession`);
- ``config.py``: the lab's own reader of its configuration into
  :class:`~labs.sim.facts.DeviceFacts`, independent of netops' parsers (for
  ``cisco_xe`` also the switch ports and SVIs the namespace tier builds from);
- ``snmp.py``: its SNMP identity, CPU/memory and controller MIBs (an
  :class:`~labs.sim.snmp_data.SnmpProfile`);
- ``__init__.py``: ``PLATFORM``, a :class:`~labs.sim.platform.SimPlatform`
  tying them together, which :mod:`labs.sim.platforms` discovers.

Aruba Instant shares the AOS 8 CLI (subclassed) and configuration reader; the
Catalyst 9800 serves AireOS's controller MIBs (:mod:`labs.sim.cisco_wlc.snmp`).
The modules at this level are platform-neutral.
"""
