"""Probe runs go to the policy findings store (``source`` = the probe's name),
where ``netops check`` and the dashboard read them."""

from __future__ import annotations

import datetime as dt
from contextlib import closing

from netops.policy.findings import CheckResult, Finding, Notice
from netops.policy.store import open_db, save_run
from netops.settings import Settings


def record(settings: Settings, source: str, started: dt.datetime, findings: list[Finding], notices: list[Notice],
           hosts: int, origin: str) -> int:
    """Store one probe run; its id."""
    result = CheckResult(findings=findings, notices=notices, hosts=hosts)
    with closing(open_db(settings.data_dir)) as conn:
        return save_run(conn, result, started=started, policy=None, configs=origin, source=source)
