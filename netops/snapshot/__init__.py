"""Operational state before and after a change: take a snapshot, store it, diff two (``netops snapshot``).

A snapshot records, per device in scope, what it answered over SSH (the driver's ``StateSpec`` and neighbour
table) and SNMP (interfaces, a controller's APs, clients per SSID), or that it did not answer and why
(:mod:`netops.snapshot.take`); snapshots are JSON files under ``<data dir>/snapshots`` (:mod:`netops.snapshot.store`);
:mod:`netops.snapshot.diff` separates regressions from benign change.
"""
