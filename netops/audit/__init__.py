"""The audit trail (issue 16): an append-only, hash-chained record of every run and change.

Every service records one entry at the end of a run or change (:func:`record`); ``netops audit log`` shows them
and ``netops audit verify`` names the first record that was edited, deleted, inserted or reordered. The storage,
the keyed seal and the retention rules are in :mod:`netops.audit.trail`.
"""

from __future__ import annotations

from netops.audit.trail import (
    MIN_DAYS,
    AuditError,
    Problem,
    Record,
    Retention,
    log_path,
    mask,
    prune,
    read,
    ready,
    record,
    retention,
    verify,
)

__all__ = ["MIN_DAYS", "AuditError", "Problem", "Record", "Retention", "log_path", "mask", "prune", "read", "ready", "record",
           "retention", "verify"]
