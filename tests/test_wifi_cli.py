"""``netops wifi show`` end to end, as a subprocess: files, backups, JSON, warnings, bad input."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data" / "wifi"
LAB_CONFIGS = REPO / "labs" / "configs"
PLAIN = {"NETOPS_LAB": "0", "COLUMNS": "200"}

Cli = Callable[..., tuple[int, str, str]]


def test_json_lists_wlan_objects(netops_cli: Cli) -> None:
    case = DATA / "cisco_wlc" / "owe_isolation.cfg"
    code, out, err = netops_cli("wifi", "show", "--config", str(case), "--platform", "cisco_wlc", "--json", env=PLAIN)
    assert code == 0, err
    wlans = json.loads(out)
    assert [(w["host"], w["ssid"], w["security"], w["vlans"], w["client_isolation"]) for w in wlans] == [
        ("owe_isolation", "JKS Guest", "owe", [900], True)
    ]
    assert err == ""


def test_table_shows_every_wlan(netops_cli: Cli) -> None:
    case = DATA / "aruba_os" / "enterprise.cfg"
    code, out, _ = netops_cli("wifi", "show", "--config", str(case), "--platform", "aruba_os", env=PLAIN)
    assert code == 0
    assert "4 WLAN(s)" in out
    for level in ("wpa3-enterprise-transition", "wpa3-enterprise-192", "wpa2-enterprise"):
        assert level in out


def test_ports_view(netops_cli: Cli) -> None:
    case = DATA / "cisco_xe" / "switch_ports.cfg"
    code, out, _ = netops_cli("wifi", "show", "--config", str(case), "--platform", "cisco_xe", "--ports", "--json", env=PLAIN)
    assert code == 0
    ports = {p["name"]: p for p in json.loads(out)}
    assert ports["GigabitEthernet1/0/1"]["allowed_vlans"] == [20, 110, 900]
    assert ports["GigabitEthernet1/0/1"]["native_vlan"] == 20
    code, out, _ = netops_cli("wifi", "show", "--config", str(case), "--platform", "cisco_xe", "--ports", env=PLAIN)
    assert "20,110,700,702" in out and "all" in out


def test_issues_are_warnings_on_stderr_without_secrets(netops_cli: Cli, tmp_path: Path) -> None:
    config = tmp_path / "wlc.cfg"
    config.write_text("wlan create 1 A A\nwlan security wpa akm psk set-key ascii hunter2 is here 9\nwlan frob 1\n")
    code, out, err = netops_cli("wifi", "show", "--config", str(config), "--platform", "cisco_wlc", "--json", env=PLAIN)
    assert code == 0
    assert len(json.loads(out)) == 1
    assert f"{config}:2:" in err and f"{config}:3:" in err
    assert "hunter2" not in err + out


def test_bad_input_exits_2(netops_cli: Cli, tmp_path: Path) -> None:
    code, _, err = netops_cli("wifi", "show", "--config", str(tmp_path / "missing.cfg"), "--platform", "cisco_xe", env=PLAIN)
    assert code == 2 and "missing.cfg" in err
    code, _, err = netops_cli("wifi", "show", "--config", str(DATA / "cisco_xe" / "defaults.cfg"), "--platform", "junos", env=PLAIN)
    assert code == 2 and "junos" in err
    code, _, err = netops_cli("wifi", "show", "--config", str(DATA / "cisco_xe" / "defaults.cfg"), env=PLAIN)
    assert code == 2 and "--platform" in err


def test_inventory_filters_read_latest_backups(netops_cli: Cli, tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    (backups / "jammu").mkdir(parents=True)
    (backups / "srinagar").mkdir(parents=True)
    shutil.copy(LAB_CONFIGS / "jmu-wlc-1.cfg", backups / "jammu" / "jmu-wlc-1.cfg")
    shutil.copy(LAB_CONFIGS / "srn-wlc-aruba.cfg", backups / "srinagar" / "srn-wlc-aruba.cfg")
    args = ("--inventory", str(REPO / "inventory"), "wifi", "show", "--backup-dir", str(backups), "--json")
    code, out, err = netops_cli(*args, "--site", "jammu", "--role", "wlc", env=PLAIN)
    assert code == 0, err
    assert {w["host"] for w in json.loads(out)} == {"jmu-wlc-1"}
    assert "jmu-wlc-2: no backup" in err
    code, out, err = netops_cli(*args, "--host", "srn-wlc-aruba", env=PLAIN)
    assert code == 0, err
    wlans = json.loads(out)
    assert {w["platform"] for w in wlans} == {"aruba_os"} and len(wlans) == 3
    code, _, err = netops_cli(*args, "--site", "atlantis", env=PLAIN)
    assert code == 2 and "--site" in err
