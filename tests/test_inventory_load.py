"""Loading the inventory: plain InitNornir, filters, credentials from the
environment, SNMP targets, and lab mode."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from nornir import InitNornir

from labs.state import LabState, NodeRuntime, save_state
from netops.errors import InputError, InputErrors, LabError
from netops.inventory import Filters, open_nornir, snmp_target
from netops.inventory import hosts as h
from netops.inventory.files import InventoryFiles
from netops.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
INVENTORY = ROOT / "inventory"
ENV = {
    "NETOPS_USERNAME": "netops",
    "NETOPS_PASSWORD": "pw-cisco",
    "NETOPS_ENABLE_SECRET": "en-cisco",
    "NETOPS_ARUBA_USERNAME": "aruba-admin",
    "NETOPS_ARUBA_PASSWORD": "pw-aruba",
    "NETOPS_ARUBA_ENABLE_SECRET": "en-aruba",
    "NETOPS_OPENWRT_USERNAME": "root",
    "NETOPS_OPENWRT_PASSWORD": "pw-owrt",
    "NETOPS_SNMP_USER": "netops-snmp",
    "NETOPS_SNMP_AUTH_KEY": "auth-key-123",
    "NETOPS_SNMP_PRIV_KEY": "priv-key-456",
    "NETOPS_SNMP_COMMUNITY": "community-789",
}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for key in ENV:
        monkeypatch.delenv(key, raising=False)
    return ENV


def _settings(tmp_path: Path, lab: bool = False) -> Settings:
    return Settings.resolve(env={}, inventory=INVENTORY, data_dir=tmp_path / "data", lab=lab, lab_dir=tmp_path / "lab")


def _set(monkeypatch: pytest.MonkeyPatch, values: dict[str, str], *skip: str) -> None:
    for key, value in values.items():
        if key not in skip:
            monkeypatch.setenv(key, value)


def test_plain_initnornir_with_config_file(env, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stock Nornir script gets hosts, platforms, connection options and credentials."""
    _set(monkeypatch, env)
    monkeypatch.chdir(ROOT)
    nr = InitNornir(config_file="inventory/config.yaml")
    hosts = nr.inventory.hosts
    assert len(hosts) == 34
    acc = hosts["jmu-acc-1"]
    assert (acc.platform, acc.username, acc.password) == ("cisco_xe", "netops", "pw-cisco")
    assert acc.get_connection_parameters("netmiko").platform == "cisco_xe"
    assert acc.get_connection_parameters("netmiko").extras["secret"] == "en-cisco"
    assert acc.get_connection_parameters("napalm").platform == "ios"
    assert acc.get_connection_parameters("napalm").extras["optional_args"]["secret"] == "en-cisco"
    aruba = hosts["srn-wlc-aruba"]
    assert (aruba.username, aruba.password) == ("aruba-admin", "pw-aruba")
    assert aruba.get_connection_parameters("netmiko").extras["secret"] == "en-aruba"
    assert hosts["srn-wlc-aireos"].get_connection_parameters("netmiko").platform == "cisco_wlc_ssh"
    assert "secret" not in hosts["srn-wlc-aireos"].get_connection_parameters("netmiko").extras
    assert hosts["jmu-owrt-guesthouse"].get_connection_parameters("netmiko").platform == "linux"
    ap = hosts["jmu-ap-b1-f1-01"]
    assert ap.username is None and h.managed_by(ap) == "controller"
    assert nr.runner.num_workers == 50


def test_missing_variable_names_variable_and_group(env, monkeypatch: pytest.MonkeyPatch) -> None:
    _set(monkeypatch, env, "NETOPS_ARUBA_PASSWORD")
    monkeypatch.chdir(ROOT)
    with pytest.raises(InputError) as info:
        InitNornir(config_file="inventory/config.yaml")
    message = str(info.value)
    assert "NETOPS_ARUBA_PASSWORD is not set" in message
    assert "via group platform_aruba_os" in message
    groups = (INVENTORY / "groups.yaml").read_text().splitlines()
    aruba_line = next(i for i, group_line in enumerate(groups, 1) if "credentials: {username: NETOPS_ARUBA_USERNAME, password: NETOPS_ARUBA_PASSWORD, secret" in group_line)
    assert f"groups.yaml:{aruba_line}: platform_aruba_os.data.credentials.password" in message


def test_open_nornir_reports_every_missing_variable_once(env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _set(monkeypatch, env, "NETOPS_ENABLE_SECRET", "NETOPS_OPENWRT_PASSWORD")
    with pytest.raises(InputErrors) as info:
        open_nornir(_settings(tmp_path))
    errors = info.value.errors
    assert sorted(e.key for e in errors) == ["data.credentials.secret", "platform_openwrt.data.credentials.password"]
    assert info.value.exit_code == 2


def test_filters_only_need_the_selected_hosts_credentials(env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Selecting Jammu does not require the Aruba variables (Srinagar only)."""
    _set(monkeypatch, env, "NETOPS_ARUBA_USERNAME", "NETOPS_ARUBA_PASSWORD", "NETOPS_ARUBA_ENABLE_SECRET")
    nr = open_nornir(_settings(tmp_path), Filters.of(sites=["jammu"], roles=["access", "wlc"]))
    assert sorted(nr.inventory.hosts) == ["jmu-acc-1", "jmu-acc-2", "jmu-acc-3", "jmu-acc-4", "jmu-wlc-1", "jmu-wlc-2"]


def test_filters(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    aps = open_nornir(settings, Filters.of(sites=["srinagar"], roles=["ap"]), credentials=False).inventory.hosts
    assert len(aps) == 9
    assert {h.platform(x) for x in aps.values()} == {"cisco_ap", "aruba_ap", "aruba_instant"}
    ssh = open_nornir(settings, Filters(ssh_only=True), credentials=False).inventory.hosts
    assert len(ssh) == 18 and not any(h.managed_by(x) for x in ssh.values())
    one = open_nornir(settings, Filters.of(hosts=["srn-wlc-aireos"], platforms=["cisco_wlc"]), credentials=False)
    assert list(one.inventory.hosts) == ["srn-wlc-aireos"]
    with pytest.raises(InputError) as info:
        open_nornir(settings, Filters.of(platforms=["cisco_ios"]), credentials=False)
    assert info.value.key == "--platform" and "cisco_ios" in str(info.value)


def test_host_accessors(tmp_path: Path) -> None:
    hosts = open_nornir(_settings(tmp_path), credentials=False).inventory.hosts
    ap = hosts["jmu-ap-b1-f2-02"]
    assert (h.site(ap), h.role(ap), h.building(ap), h.floor(ap), h.HostInfo.of(ap).location) == ("jammu", "ap", "B1", 2, "B1/F2")
    assert (h.controller(ap), h.switch(ap), h.switch_port(ap)) == ("jmu-wlc-1", "jmu-acc-2", "GigabitEthernet1/0/42")
    assert set(h.bssids(ap)) == {"JKS-Staff", "JKS-Guest", "JKS-IoT"}
    assert h.dhcp_servers(ap)[900] == ["10.10.90.2"]
    assert h.dhcp_servers(hosts["srn-core-1"])[110] == ["10.20.5.10", "10.20.5.11"]
    assert not h.is_ssh_managed(ap) and h.is_ssh_managed(hosts["srn-iap-annex"])


def test_snmp_targets(env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _set(monkeypatch, env)
    hosts = open_nornir(_settings(tmp_path), credentials=False).inventory.hosts
    v3 = snmp_target(hosts["jmu-core-1"], InventoryFiles.of(INVENTORY))
    assert (v3.address, v3.port, v3.version, v3.user, v3.auth_protocol, v3.priv_protocol) == (
        "10.10.255.1", 161, "3", "netops-snmp", "SHA", "AES")
    assert (v3.auth_key, v3.priv_key) == ("auth-key-123", "priv-key-456")
    assert "auth-key-123" not in repr(v3)
    v2 = snmp_target(hosts["jmu-owrt-guesthouse"], InventoryFiles.of(INVENTORY))
    assert (v2.version, v2.community) == ("2c", "community-789")
    assert snmp_target(hosts["jmu-ap-b1-f1-01"], InventoryFiles.of(INVENTORY)) is None
    monkeypatch.delenv("NETOPS_SNMP_PRIV_KEY")
    with pytest.raises(InputError) as info:
        snmp_target(hosts["jmu-core-1"], InventoryFiles.of(INVENTORY))
    assert "NETOPS_SNMP_PRIV_KEY is not set" in str(info.value)
    assert info.value.key == "data.snmp.priv_key_env" and info.value.file.endswith("defaults.yaml")


def _node(name: str, platform: str, role: str, site: str, n: int, ssh: bool = True, **labels: str) -> NodeRuntime:
    return NodeRuntime(
        name=name, platform=platform, role=role, site=site, host=f"127.31.0.{n}",
        ssh_port=10022 if ssh else None, snmp_port=10161 if ssh else None,
        username="lab-user", password="lab-pass", enable_secret="lab-enable", snmp_community="lab-comm",
        snmp_v3_user="lab-v3", snmp_v3_auth_key="lab-auth", snmp_v3_priv_key="lab-priv",
        config_path=f"/tmp/x/{name}.cfg", labels=labels,
    )


def _state(nodes: list[NodeRuntime]) -> LabState:
    return LabState(name="secretariat", topology=str(ROOT / "labs" / "secretariat.clab.yml"), engine="local",
                    started="2026-11-22T08:00:00+00:00", pids=[], nodes=nodes)


def test_lab_mode_maps_adds_and_drops(env, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """No environment credentials needed; nothing outside 127/8 survives."""
    nodes = [
        _node("jmu-acc-1", "cisco_xe", "access", "jammu", 1),
        _node("srn-wlc-aruba", "aruba_os", "wlc", "srinagar", 2),
        _node("jmu-ap-b1-f1-01", "cisco_ap", "ap", "jammu", 3, ssh=False),
        _node("scale-acc-0001", "cisco_xe", "access", "jammu", 4, **{"netops-model": "C9200-48P"}),
    ]
    settings = _settings(tmp_path, lab=True)
    save_state(settings.lab_dir, _state(nodes))
    nr = open_nornir(settings)
    hosts = nr.inventory.hosts
    assert sorted(hosts) == ["jmu-acc-1", "jmu-ap-b1-f1-01", "scale-acc-0001", "srn-wlc-aruba"]
    assert all(x.hostname.startswith("127.") for x in hosts.values())
    assert "31 inventory host(s) are not lab nodes" in caplog.text and "jmu-core-1" in caplog.text
    acc = hosts["jmu-acc-1"]
    assert (acc.hostname, acc.port, acc.username, acc.password) == ("127.31.0.1", 10022, "lab-user", "lab-pass")
    assert acc.get_connection_parameters("netmiko").extras["secret"] == "lab-enable"
    assert acc.get_connection_parameters("napalm").extras["optional_args"]["secret"] == "lab-enable"
    assert h.model(acc) == "C9200-48P" and h.building(acc) == "B1"  # inventory data kept
    aruba = hosts["srn-wlc-aruba"]
    assert aruba.get_connection_parameters("netmiko").platform == "aruba_os"
    scale = hosts["scale-acc-0001"]
    assert h.groups(scale) == ["site_jammu", "role_access", "platform_cisco_xe"]
    assert (h.site(scale), h.role(scale), h.platform(scale), h.model(scale)) == ("jammu", "access", "cisco_xe", "C9200-48P")
    assert scale.get_connection_parameters("netmiko").platform == "cisco_xe"
    ap = hosts["jmu-ap-b1-f1-01"]
    assert not h.is_ssh_managed(ap) and snmp_target(ap) is None
    target = snmp_target(acc)
    assert (target.address, target.port, target.version, target.user, target.auth_key, target.priv_key) == (
        "127.31.0.1", 10161, "3", "lab-v3", "lab-auth", "lab-priv")
    ssh_only = open_nornir(settings, Filters(ssh_only=True)).inventory.hosts
    assert sorted(ssh_only) == ["jmu-acc-1", "scale-acc-0001", "srn-wlc-aruba"]


def test_lab_mode_without_lab(tmp_path: Path) -> None:
    with pytest.raises(LabError) as info:
        open_nornir(_settings(tmp_path, lab=True))
    assert "no lab is running" in str(info.value) and info.value.exit_code == 2


def test_lab_mode_refuses_non_loopback_nodes(tmp_path: Path) -> None:
    settings = _settings(tmp_path, lab=True)
    save_state(settings.lab_dir, _state([replace(_node("jmu-acc-1", "cisco_xe", "access", "jammu", 1), host="10.10.0.11")]))
    with pytest.raises(LabError) as info:
        open_nornir(settings)
    assert "outside 127.0.0.0/8" in str(info.value)


def test_lab_mode_check_knows_the_lab_nodes_the_inventory_lacks(tmp_path: Path) -> None:
    """A lab-only node (scale-acc-*, a WAN router) is checked like the others, not a no-host notice."""
    from netops.services.check import CheckOptions, run

    settings = _settings(tmp_path, lab=True)
    save_state(settings.lab_dir, _state([_node("jmu-acc-1", "cisco_xe", "access", "jammu", 1),
                                         _node("scale-acc-0001", "cisco_xe", "access", "jammu", 2)]))
    configs = tmp_path / "configs"
    configs.mkdir()
    for name in ("jmu-acc-1", "scale-acc-0001"):
        (configs / f"{name}.cfg").write_text(f"hostname {name}\n!\ninterface GigabitEthernet1/0/1\n switchport mode access\n!\nend\n")
    checked = run(settings, CheckOptions(configs=configs, probes=False))
    assert not [n for n in checked.result.notices if n.kind == "no-host"], checked.result.notices
    assert checked.result.hosts == 2
