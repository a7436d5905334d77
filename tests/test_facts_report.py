"""The daily report lists the day's software version changes that ``netops inventory facts`` stored."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from report_support import ZONE, build

from netops.facts import store
from netops.model import ApFacts, DeviceFacts
from netops.results import DeviceResult, Status


def _facts(host: str, version: str, site: str = "jammu", aps: tuple[ApFacts, ...] = ()) -> DeviceResult[DeviceFacts]:
    return DeviceResult(host, Status.OK, None, site, None, 0.0, DeviceFacts(model="C9300-48P", os_version=version, aps=aps))


def test_the_days_version_changes_are_in_every_format(tmp_path: Path) -> None:
    campus = build(tmp_path)
    now = dt.datetime.now(dt.timezone.utc)
    yesterday, earlier = now - dt.timedelta(days=2), now - dt.timedelta(minutes=5)
    with closing(store.open_db(campus.data_dir)) as conn:
        store.save(conn, [_facts("sw1", "17.06.05"), _facts("sw2", "17.09.04a", "srinagar"),
                          _facts("wlc1", "17.9.4a", aps=(ApFacts("ap1", "C9120AXI-D", version="17.9.4.27"),))], yesterday)
        store.save(conn, [_facts("sw2", "17.12.03", "srinagar")], yesterday + dt.timedelta(hours=1))  # not today
        store.save(conn, [_facts("sw1", "17.09.04a"), _facts("sw2", "17.12.03", "srinagar"),
                          _facts("wlc1", "17.9.4a", aps=(ApFacts("ap1", "C9120AXI-D", version="17.9.5.47"),))], earlier)

    def report(*args: str) -> str:
        proc = subprocess.run([sys.executable, "-m", "netops", "report", "daily", *args], capture_output=True, text=True,
                              timeout=120, cwd="/", env={**os.environ, **campus.env, "COLUMNS": "160"})
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    when = earlier.astimezone(ZONE).isoformat(timespec="seconds")
    changes = json.loads(report("--json"))["version_changes"]
    assert changes == [
        {"host": "sw1", "site": "jammu", "kind": "device", "time": when, "old": "17.06.05", "new": "17.09.04a", "controller": None},
        {"host": "ap1", "site": "jammu", "kind": "ap", "time": when, "old": "17.9.4.27", "new": "17.9.5.47", "controller": "wlc1"},
    ]
    srinagar = json.loads(report("--json", "--site", "srinagar"))["version_changes"]
    assert srinagar == []  # sw2 changed the day before
    markdown = report("--format", "md")
    assert "## Software versions" in markdown and f"| {when} | sw1 | jammu | 17.06.05 | 17.09.04a |" in markdown
    assert "ap1 (AP of wlc1)" in markdown
    report("--format", "html", "--output", str(tmp_path / "r.html"))
    assert "Software version changes (2)" in (tmp_path / "r.html").read_text()
