"""Generated access switches for load tests (``netops lab up --scale N``).

Each is a ``cisco_xe`` Catalyst 9300 with 48 access ports, two uplinks and a
realistic ~8 KB configuration, named ``scale-acc-0001`` … and alternating sites.
"""

from __future__ import annotations

from pathlib import Path

from netops.inventory.clab import ClabNode

PREFIX = "scale-acc-"
SITES = ("jammu", "srinagar")
VLANS = ((10, "DATA"), (20, "AP-MGMT"), (110, "STAFF"), (120, "GUEST"), (130, "VOICE"), (999, "PARKING"))


def scale_names(count: int) -> list[str]:
    return [f"{PREFIX}{i:04d}" for i in range(1, count + 1)]


def scale_node(name: str, index: int, config_dir: Path, login_privilege: int = 15) -> ClabNode:
    """One generated switch; its startup config is written to ``config_dir/<name>.cfg``.

    The lab login lands at ``login_privilege`` (15, as under AAA: no ``enable``)."""
    site = SITES[index % 2]
    path = config_dir / f"{name}.cfg"
    path.write_text(switch_config(name, index, site), encoding="utf-8")
    labels = {
        "netops-platform": "cisco_xe",
        "netops-role": "access",
        "netops-site": site,
        "netops-model": "C9300-48P",
        "netops-login-privilege": str(login_privilege),
    }
    return ClabNode(name=name, kind="cisco_c9300", platform="cisco_xe", labels=labels, startup_config=path)


def switch_config(name: str, index: int, site: str) -> str:
    third, fourth = divmod(index, 250)
    mgmt = f"10.{20 if site == 'jammu' else 30}.{third}.{fourth + 2}"
    out = [
        "!", "version 17.9", "service timestamps debug datetime msec", "service timestamps log datetime msec",
        "service password-encryption", "no platform punt-keepalive disable-kernel-core", "!",
        f"hostname {name}", "!", "vrf definition Mgmt-vrf", " address-family ipv4", " exit-address-family", "!",
        "logging buffered 64000 informational", "enable secret 9 $9$scaleLabHashNotARealSecret$AbCdEfGhIjKlMn",
        "!", "aaa new-model", "aaa authentication login default local", "aaa authorization exec default local", "!",
        "clock timezone IST 5 30", "ip domain name secretariat.gov.in", "no ip domain lookup",
        "login on-success log", "!", "spanning-tree mode rapid-pvst", "spanning-tree extend system-id", "!",
    ]
    for vid, vname in VLANS:
        out += [f"vlan {vid}", f" name {vname}", "!"]
    for port in range(1, 49):
        ap = port in (45, 46, 47, 48)
        out.append(f"interface GigabitEthernet1/0/{port}")
        if ap:
            out += [f" description AP-{site[:3].upper()}-{index:04d}-{port:02d}", " switchport trunk native vlan 20",
                    " switchport trunk allowed vlan 20,110,120", " switchport mode trunk"]
        else:
            out += [f" description USER-{site[:3].upper()}-F{port // 12 + 1}-{port:02d}", " switchport access vlan 10",
                    " switchport mode access", " spanning-tree portfast"]
        out.append("!")
    for up in (1, 2):
        out += [f"interface TenGigabitEthernet1/1/{up}", f" description UPLINK-CORE-{site[:3].upper()}-{up}",
                " switchport trunk allowed vlan 10,20,110,120,130", " switchport mode trunk", "!"]
    out += [
        "interface Vlan1", " no ip address", " shutdown", "!",
        "interface Vlan20", " description AP-MGMT", f" ip address {mgmt} 255.255.0.0", "!",
        f"ip default-gateway 10.{20 if site == 'jammu' else 30}.0.1", "ip ssh version 2", "!",
        f"snmp-server location {site.title()} secretariat, access block {index % 7 + 1}",
        "snmp-server contact noc@secretariat.gov.in", "!",
        "line con 0", " exec-timeout 10 0", " stopbits 1", "line vty 0 4", " exec-timeout 15 0",
        " login local", " transport input ssh", "line vty 5 15", " login local", " transport input ssh", "!",
        "end",
    ]
    return "\n".join(out) + "\n"
