"""Where device work runs: in this process (threads, forked processes: the default) or on Celery workers.

With a broker (``--broker`` or ``engine.broker`` in netops.yaml) the coordinator sends batches of host names to
per-site queues; workers, which read the same netops.yaml, inventory and credentials, do the device I/O and the
CPU work (fetch, clean, redact, SNMP decode) and return results; the coordinator stays the single writer of the
git store, the vault and the databases.
"""
