"""Probe evidence in ``netops check``: a newer, narrower probe run replaces only the scopes it covered."""

from __future__ import annotations

import datetime as dt
from contextlib import closing
from pathlib import Path

from netops.policy.findings import CheckResult, Detail, Finding
from netops.policy.store import open_db, save_run
from netops.probe import dhcp
from netops.services.check import CheckOptions, run
from netops.settings import Settings

CASE = Path(__file__).parent / "data" / "policy" / "campus"


def rogue(vlan: int) -> Finding:
    return Finding(rule=dhcp.RULE, title="rogue DHCP server", severity="critical", host="jmu-acc-1", site="jammu",
                   object=f"vlan {vlan}", kind="dhcp", details=(Detail("offers from", "10.10.20.1", "10.66.0.1"),),
                   source=dhcp.SOURCE, scope=dhcp.scope("jammu", vlan), observed=dt.datetime.now(dt.timezone.utc).isoformat())


def probe_run(settings: Settings, vlans: list[int], found: list[int]) -> None:
    with closing(open_db(settings.data_dir)) as conn:
        save_run(conn, CheckResult(findings=[rogue(v) for v in found], hosts=1), started=dt.datetime.now(dt.timezone.utc),
                 policy=None, configs="eth1", source=dhcp.SOURCE, scopes=[dhcp.scope("jammu", v) for v in vlans])


def dhcp_findings(settings: Settings) -> set[str]:
    checked = run(settings, CheckOptions(configs=CASE / "configs"))
    return {f.object for f in checked.result.findings if f.source == dhcp.SOURCE}


def test_a_narrower_run_keeps_the_other_scopes(tmp_path: Path) -> None:
    settings = Settings.resolve(env={}, inventory=CASE / "inventory", data_dir=tmp_path, lab=False, policy=[CASE / "policy.yaml"])
    probe_run(settings, [110, 120], found=[110, 120])
    assert dhcp_findings(settings) == {"vlan 110", "vlan 120"}
    probe_run(settings, [110], found=[])  # VLAN 110 is clean now; VLAN 120 was not probed again
    assert dhcp_findings(settings) == {"vlan 120"}
    probe_run(settings, [110, 120], found=[])
    assert dhcp_findings(settings) == set()
