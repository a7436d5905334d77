"""A small campus history for the daily report tests, written through netops' own stores (no lab needed).

Two sites: jammu (sw1, a controller wlc1 with one AP ap1) and srinagar (sw2). Polls
every minute for the ``hours`` before now; sw1 does not answer for 10 minutes in the
middle. The day ends an hour from now (``schedule.report.at``), so the report of
today covers the polls.
"""

from __future__ import annotations

import datetime as dt
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from netops.snmp import history
from netops.snmp.cycle import record
from netops.snmp.sample import ApSample, DeviceSample, InterfaceSample
from netops.snmp.thresholds import Thresholds

ZONE = ZoneInfo("Asia/Kolkata")
HOSTS = """\
sw1: {hostname: 192.0.2.1, platform: cisco_xe, data: {site: jammu, role: access}}
wlc1: {hostname: 192.0.2.2, platform: cisco_xe, data: {site: jammu, role: wlc}}
ap1: {hostname: 192.0.2.3, platform: cisco_ap, data: {site: jammu, role: ap, managed_by: controller, controller: wlc1}}
sw2: {hostname: 192.0.2.4, platform: cisco_xe, data: {site: srinagar, role: access}}
"""


@dataclass(frozen=True)
class Campus:
    config: Path  # netops.yaml naming the inventory and data dir
    data_dir: Path
    down_from: float  # sw1's outage (Unix time)
    down_to: float
    env: dict[str, str]


def build(tmp_path: Path, hours: int = 3, report: str = "") -> Campus:
    """Write the inventory, netops.yaml (extra ``report`` section text allowed) and the poll history."""
    (tmp_path / "hosts.yaml").write_text(HOSTS)
    now = time.time()
    ends = (dt.datetime.now(ZONE) + dt.timedelta(hours=1)).strftime("%H:%M")
    config = tmp_path / "netops.yaml"
    config.write_text(f"inventory: hosts.yaml\ndata_dir: data\nschedule:\n  report: {{at: \"{ends}\"}}\n{report}")
    data = tmp_path / "data"
    start = now - hours * 3600
    down_from, down_to = start + 3600, start + 3600 + 600
    with closing(history.open_history(data)) as conn:
        for minute in range(hours * 60):
            t = start + minute * 60
            samples = []
            for host, site, role in (("sw1", "jammu", "access"), ("wlc1", "jammu", "wlc"), ("sw2", "srinagar", "access")):
                s = DeviceSample(host, "cisco_xe", site, role, t)
                if host == "sw1" and down_from <= t < down_to:
                    s.error = "sysUpTime: get: No SNMP response received before timeout"
                else:
                    s.reachable, s.sys_uptime = True, int((t - start) * 100) + 1000
                    s.interfaces = [InterfaceSample(1, "Gi1/0/1", oper_status="up", in_octets=minute * 6_000_000,
                                                    out_octets=minute * 3_000_000, in_errors=minute * (60 if host == "sw2" else 0),
                                                    out_errors=0, speed_mbps=1000)]
                if host == "wlc1":
                    s.aps = [ApSample("ap1", "up", "C9120AXI-D", 3 + minute % 5)]
                    s.clients_per_ssid = {"JKS-Staff": 10 + minute % 7, "JKS-Guest": 4 + minute % 3}
                samples.append(s)
            record(conn, samples, t, Thresholds(), 30)
    env = {"NETOPS_CONFIG": str(config), "NETOPS_LAB": "", "NETOPS_DATA_DIR": "", "NETOPS_INVENTORY": "",
           "NETOPS_TIMEZONE": "", "NETOPS_BACKUP_DIR": ""}
    return Campus(config, data, down_from, down_to, env)
