"""Regressions for problems reported against the full lab (``labs/secretariat.clab.yml``,
the session ``lab`` fixture), through the real clients: netmiko, pysnmp and ``netops``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lab_client import connect
from test_lab_snmp import SYS_OBJECT_ID, Reader

from labs.state import LabState, NodeRuntime

pytestmark = pytest.mark.lab

# sysObjectID per model of the topology, from CISCO-PRODUCTS-MIB (product name) and,
# for Aruba, snmpsim-data's aruba-7210 recording
OBJECT_IDS = {
    "C9200-48P": "1.3.6.1.4.1.9.1.2589",  # ciscoCat920048P
    "C9300-48P": "1.3.6.1.4.1.9.1.2440",  # ciscoCat930048P
    "C9800-40-K9": "1.3.6.1.4.1.9.1.2530",  # ciscoC980040K9
    "C9800-L-C-K9": "1.3.6.1.4.1.9.1.2860",  # ciscoC9800LCK9
    "AIR-CT5520-K9": "1.3.6.1.4.1.9.1.2170",  # cisco5520WLC
    "Aruba7210": "1.3.6.1.4.1.14823.1.1.32",
}


def node(lab: LabState, name: str) -> NodeRuntime:
    found = lab.node(name)
    assert found is not None, name
    return found


def running(n: NodeRuntime) -> list[str]:
    return Path(n.config_path).read_text().splitlines()


def test_aireos_config_paging_disable_stops_paging(lab: LabState):
    """After ``config paging disable`` the whole configuration comes back in one reply."""
    wlc = node(lab, "srn-wlc-aireos")
    conn = connect(wlc)
    try:
        conn.send_command("config paging enable")
        paged = conn.send_command_timing("show run-config commands", strip_prompt=False)
        assert "--More-- or (q)uit" in paged
        conn.send_command_timing("q")
        conn.send_command("config paging disable")
        config = conn.send_command("show run-config commands", read_timeout=20)
    finally:
        conn.disconnect()
    assert "--More--" not in config
    assert config.splitlines() == [ln for ln in running(wlc) if ln.strip()]


def test_instant_ap_show_running_config(lab: LabState):
    iap = node(lab, "srn-iap-annex")
    conn = connect(iap)
    try:
        config = conn.send_command("show running-config", read_timeout=20)
    finally:
        conn.disconnect()
    assert config.strip()
    assert config.splitlines() == running(iap)


def test_check_live_fetches_every_controller(lab: LabState, netops_cli):
    code, out, err = netops_cli("check", "--live", "--json", timeout=120)
    assert code in (0, 1), err
    report = json.loads(out)
    assert not [n for n in report["notices"] if n["kind"] == "fetch-failed"], report["notices"]
    assert report["summary"]["hosts"] == sum(1 for n in lab.nodes if n.ssh_port is not None)
    assert {"srn-wlc-aireos", "srn-iap-annex"} <= {f["host"] for f in report["findings"]}


def test_sys_object_ids_follow_the_model(lab: LabState):
    readers = []
    try:
        for n in lab.nodes:
            model = n.labels.get("netops-model")
            if model not in OBJECT_IDS or n.snmp_port is None:
                continue
            readers.append(reader := Reader(n))
            err, values = reader.get(SYS_OBJECT_ID)
            assert err is None, n.name
            assert str(values[SYS_OBJECT_ID]) == OBJECT_IDS[model], (n.name, model)
    finally:
        for reader in readers:
            reader.close()
    assert len(readers) >= len(OBJECT_IDS)


def test_poll_aruba_clients_per_ap_add_up(lab: LabState, netops_cli):
    """Per-AP clients (wlsxWlanRadioTable) agree with the per-ESSID totals."""
    code, out, err = netops_cli("poll", "--once", "--json", timeout=180)
    assert code == 0, err
    sample = next(s for s in json.loads(out) if s["host"] == "srn-wlc-aruba")
    clients = [ap["clients"] for ap in sample["aps"]]
    assert clients and all(c > 0 for c in clients), sample["aps"]
    assert sum(clients) == sum(sample["clients_per_ssid"].values())


def test_aireos_per_wlan_settings_keep_their_wlan(sim_lab):
    """``config wlan usertimeout SECONDS ID`` (id last) and ``config wlan session-timeout ID
    SECONDS`` (id first) set one WLAN's value and leave every other WLAN's line alone."""
    wlc = sim_lab[1].node("aireos")
    conn = connect(wlc)
    try:
        conn.send_config_set(["config wlan disable 3", "config wlan disable 4",
                              "config wlan usertimeout 1800 3", "config wlan usertimeout 1800 4",
                              "config wlan session-timeout 3 28800", "config wlan session-timeout 4 28800",
                              "config wlan session-timeout 4 3600", "config wlan enable 3", "config wlan enable 4"])
        lines = conn.send_command("show run-config commands").splitlines()
    finally:
        conn.disconnect()
    assert {"wlan usertimeout 1800 3", "wlan usertimeout 1800 4", "wlan session-timeout 3 28800",
            "wlan session-timeout 4 3600"} <= set(lines)
    assert "wlan session-timeout 4 28800" not in lines
