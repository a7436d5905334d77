"""The local lab simulator: every topology node served as a simulated device.

A detached supervisor (:mod:`labs.sim.supervisor`) starts worker processes
(:mod:`labs.sim.worker`), each serving a shard of the nodes over SSH
(:mod:`labs.sim.server`, one 127.x address per node, one port for all), and the
SNMP agents (:mod:`labs.sim.snmp_agent`). Platform CLIs live in one module per
platform family, registered in :mod:`labs.sim.platforms`.
"""
