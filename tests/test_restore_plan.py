"""Restore plans from stored files (no device): remediation per platform and the manual split."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.backup.manual import split_manual
from netops.drivers import get_driver
from netops.drivers.base import REDACTED

DATA = Path(__file__).parent / "data" / "backup"


def stored(platform: str, name: str) -> str:
    return (DATA / platform / f"{name}.cfg").read_text()


@pytest.mark.parametrize(
    "platform, name",
    [("cisco_xe", "jmu-wlc-1"), ("cisco_xe", "jmu-core-1"), ("cisco_wlc", "srn-wlc-aireos"), ("aruba_os", "srn-wlc-aruba")],
)
def test_identical_configs_need_nothing(platform: str, name: str) -> None:
    text = stored(platform, name)
    assert get_driver(platform).remediation(text, text) == []


def test_ios_wiped_section_comes_back_with_exits_and_secrets_stay_manual() -> None:
    want = stored("cisco_xe", "jmu-wlc-1")
    lines = want.splitlines()
    start = lines.index("wlan JKS-IoT 3 JKS-IoT")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
    broken = "\n".join(lines[:start] + lines[end:]).replace("hostname jmu-wlc-1", "hostname x") + "\n"
    push, manual = split_manual(get_driver("cisco_xe").remediation(broken, want))
    assert push[0] == "hostname jmu-wlc-1"
    section = push[push.index("wlan JKS-IoT 3 JKS-IoT"):]
    assert " security wpa akm sae" in section and " exit" in section
    assert all(REDACTED not in line for line in push)
    assert manual == [f"wlan JKS-IoT 3 JKS-IoT > security wpa psk set-key ascii 0 {REDACTED}  (secret not in the backup: set it by hand)"]


def test_ios_extra_lines_are_negated() -> None:
    want = stored("cisco_xe", "jmu-core-1")
    extra = want.replace("\nend\n", "\nvlan 666\n name intruder\nip route 0.0.0.0 0.0.0.0 192.0.2.1\nend\n")
    push, _ = split_manual(get_driver("cisco_xe").remediation(extra, want))
    assert "no vlan 666" in push and "no ip route 0.0.0.0 0.0.0.0 192.0.2.1" in push


def test_aireos_line_set() -> None:
    want = stored("cisco_wlc", "srn-wlc-aireos")
    broken = (
        want.replace("wlan interface 1 staff\n", "wlan interface 1 guest\n")
        .replace("wlan enable 2\n", "")
        .replace("wlan create 4 JKS-IoT JKS-IoT\n", "")
        + "wlan create 7 Rogue Rogue\nfoo bar baz\n"
    )
    push, manual = split_manual(get_driver("cisco_wlc").remediation(broken, want))
    assert "config wlan delete 7" in push
    assert "config wlan interface 1 staff" in push  # overwrites the value; no negation needed
    assert push.index("config wlan create 4 JKS-IoT JKS-IoT") < push.index("config wlan enable 2")
    # AireOS refuses changes to an enabled WLAN: WLAN 1 is disabled around its change, enabled last
    assert push.index("config wlan disable 1") < push.index("config wlan interface 1 staff") < push.index("config wlan enable 1")
    assert push[-1] == "config wlan enable 1" and push.count("config wlan enable 1") == 1
    assert push.index("config wlan disable 7") < push.index("config wlan delete 7")
    assert manual == ["remove `foo bar baz` (no known negation)"]


def test_aruba_profile_change() -> None:
    want = stored("aruba_os", "srn-wlc-aruba")
    broken = want.replace("   vlan 700\n", "   vlan 1\n")
    push, _ = split_manual(get_driver("aruba_os").remediation(broken, want))
    assert push == ['wlan virtual-ap "IOT-VAP"', " no vlan 1", " vlan 700", " exit"]


@pytest.mark.parametrize("platform", ["aruba_aoscx", "frr"])
def test_platforms_without_restore_say_so(platform: str) -> None:
    with pytest.raises(NotImplementedError):
        get_driver(platform).remediation("", "")


@pytest.mark.parametrize(
    "command, wlan",
    [
        ("config wlan usertimeout 1800 3", "3"),  # id last
        ("config wlan session-timeout 3 28800", "3"),  # id first, value after
        ("config wlan security wpa akm 802.1x enable 12", "12"),
        ("config wlan radius_server auth add 2 1", "2"),
        ("config wlan mobility anchor add 4 10.30.0.5", "4"),
        ("config wlan delete 7", "7"),
        ("config wlan disable 7", "7"),
        ("config wlan create 5 A A", None),  # a new WLAN starts disabled
        ("config wlan enable 5", None),
        ("config wlan apgroup interface-mapping add SRN-B1 1 staff", None),
        ("config interface address dynamic-interface staff 10.3.1.2 255.255.255.0 10.3.1.1", None),
    ],
)
def test_aireos_wlan_a_command_changes(command: str, wlan: str | None) -> None:
    from netops.drivers.cisco_wlc.restore import changed_wlan

    assert changed_wlan(command) == wlan


def test_openwrt_uci_sections_options_and_lists() -> None:
    want = stored("openwrt", "jmu-owrt-guesthouse")
    broken = (
        want.replace("config interface 'staff'\n\toption device 'br-lan.110'\n\toption proto 'none'\n", "")
        .replace("\toption vlan '900'\n\tlist ports 'lan1:t'\n", "\toption vlan '900'\n\tlist ports 'lan1:t'\n\tlist ports 'lan2:t'\n")
        .replace("\toption isolate '1'\n", "", 1)
        + "\nconfig wifi-iface\n\toption ssid 'Rogue'\n"
    )
    push, manual = split_manual(get_driver("openwrt").remediation(broken, want))
    assert push == [
        "uci delete wireless.@wifi-iface[3]",  # the extra anonymous one (named sections count too), first
        "uci delete network.@bridge-vlan[2].ports",
        "uci add_list 'network.@bridge-vlan[2].ports=lan1:t'",
        "uci set network.staff=interface",
        "uci set network.staff.device=br-lan.110",
        "uci set network.staff.proto=none",
        "uci set wireless.guest_2g.isolate=1",
    ]
    assert manual == [] and get_driver("openwrt").remediation(want, want) == []


def test_openwrt_secrets_are_manual() -> None:
    want = stored("openwrt", "jmu-owrt-guesthouse")
    broken = want.replace("\toption auth_secret '<removed by netops>'\n", "")
    push, manual = split_manual(get_driver("openwrt").remediation(broken, want))
    assert push == [] and len(manual) == 1 and "wireless.staff_5g.auth_secret" in manual[0]


@pytest.mark.parametrize(("platform", "name", "user", "removal"), [
    ("cisco_xe", "jmu-core-1", f"username breakglass privilege 15 password 7 {REDACTED}", "no username breakglass"),
    ("aruba_os", "srn-wlc-aruba", f"mgmt-user breakglass root {REDACTED}", "no mgmt-user breakglass"),
])
def test_a_user_added_since_the_backup_is_removed_without_its_secret(platform: str, name: str, user: str,
                                                                      removal: str) -> None:
    """Removing a user needs no secret: the plan pushes the short negation, nothing is left to a human."""
    want = "\n".join(line for line in stored(platform, name).splitlines() if "breakglass" not in line) + "\n"
    running = want.replace("\nend\n", f"\n{user}\nend\n") if "\nend\n" in want else want + user + "\n"
    push, manual = split_manual(get_driver(platform).remediation(running, want))
    assert removal in push, push
    assert not any("breakglass" in line for line in manual), manual
    assert all(REDACTED not in line for line in push)
