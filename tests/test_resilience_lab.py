"""The resilience audit on the lab of both campuses, from what `netops backup` stores (configurations and CDP/LLDP
tables) and the lab's topology, and what-ifs checked against what happens when the lab powers a core switch off:
the devices netops says are cut off are exactly those that stop answering SSH and SNMP."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_lab_down import answers, lab_dir_of, sys_name

from labs import runner
from labs.state import LabState

pytestmark = pytest.mark.lab

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def stored(lab: LabState, netops_cli: Cli, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A backup of the lab (configurations and neighbour tables) in a data directory of this module."""
    env = {"NETOPS_DATA_DIR": str(tmp_path_factory.mktemp("resilience"))}
    code, out, err = netops_cli("backup", "--json", env=env)
    assert code == 0, err
    yield env


def _json(netops_cli: Cli, env: dict[str, str], *args: str, expect: int = 0) -> dict:
    code, out, err = netops_cli(*args, "--json", env=env)
    assert code == expect, err
    return json.loads(out)


def test_backup_stores_the_neighbour_tables(stored: dict[str, str]) -> None:
    table = Path(stored["NETOPS_DATA_DIR"]) / "backups" / "jammu" / "jmu-core-1.neighbors"
    text = table.read_text()
    assert "show cdp neighbors detail" in text and "show lldp neighbors detail" in text
    assert "jmu-acc-1" in text and "Holdtime" not in text  # the ageing counter would commit on every run


def test_the_labs_own_findings(netops_cli: Cli, stored: dict[str, str]) -> None:
    audit = _json(netops_cli, stored, "resilience", "audit", expect=1)
    found = {(f["rule"], f["host"], f["object"]) for f in audit["findings"] if not f["waived"]}
    # the topology, the switches' CDP/LLDP tables and the inventory's AP cabling agree: no RES-006
    assert not [f for f in found if f[0] == "RES-006"], found
    assert ("RES-001", "srn-acc-4", "uplinks") in found  # single-homed on purpose
    assert {("RES-001", w, "uplinks") for w in ("jmu-wlc-1", "jmu-wlc-2", "srn-wlc-aireos", "srn-wlc-aruba")} <= found
    assert {f[2] for f in found if f[:2] == ("RES-004", "jmu-wlc-2")} == {
        "jmu-ap-b2-f1-01", "jmu-ap-b2-f1-02", "jmu-ap-b2-f2-01", "jmu-ap-b2-f2-02"}  # jmu-wlc-1's APs have jmu-wlc-2 as backup
    assert not [f for f in found if f[:2] == ("RES-004", "jmu-wlc-1")]
    assert not [f for f in found if f[0] in ("RES-002", "RES-003", "RES-005")]  # HSRP, STP root and trunks are right
    spofs = {p.get("device") or p["link"]: p for p in audit["single_points_of_failure"]}
    assert spofs["srn-core-1"]["impact"]["isolated"] == ["srn-acc-4", "srn-wlc-aireos"]
    assert spofs["srn-acc-1"]["scope"] == "edge"
    assert audit["topology"] and audit["topology"].endswith("secretariat.clab.yml")


@pytest.mark.parametrize("core", ["jmu-core-1", "srn-core-1"])
def test_whatif_matches_the_lab_powering_the_core_off(lab: LabState, netops_cli: Cli, stored: dict[str, str], core: str) -> None:
    impact = _json(netops_cli, stored, "resilience", "whatif", "--fail", core)
    assert set(impact) == {"failed", "isolated", "vlans_without_gateway", "aps_without_service", "ssids_affected", "clients_affected"}
    site = core.split("-")[0]
    others = [n for n in lab.nodes if n.name.startswith(site + "-") and n.name != core]
    runner.set_fault(lab_dir_of(), core, "down")
    try:
        time.sleep(0.3)  # the lab's workers re-read the state file every 0.1 s
        silent = {n.name for n in others if sys_name(n) is None}
        ssh_dead = {n.name for n in others if n.ssh_port and n.name in impact["isolated"] and answers(n)}
    finally:
        runner.set_fault(lab_dir_of(), core, "down", clear=True)
        time.sleep(0.3)
    devices = {n.name for n in others if not n.name.split("-")[1].startswith(("ap", "iap", "owrt"))}
    assert silent & devices == set(impact["isolated"])
    assert not ssh_dead  # every device netops calls cut off refuses SSH too
    assert silent - devices <= set(impact["aps_without_service"])  # APs behind a cut-off switch
