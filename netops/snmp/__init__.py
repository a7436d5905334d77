"""SNMP polling: collectors, history, events, thresholds, status and exporter.

The engine sits behind :class:`netops.snmp.backend.SnmpBackend`; everything
vendor-specific (controller tables, CPU and memory OIDs) comes from the
platform driver's :class:`netops.drivers.snmp.SnmpProfile`.
"""
