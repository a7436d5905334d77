"""Benchmark: `netops resilience audit` plus a what-if for every device of a 1,000-switch campus.

The campus: the lab's generated access switches (``netops lab up --scale``, 48 ports, two
uplinks, four AP trunks each) split over two sites, each site with two core switches
running HSRP and the spanning-tree root for every VLAN, and two Catalyst 9800s (N+1:
the first one's AP join profile names the second as backup); 4 APs cabled to every
access switch (4,000 APs); links from a containerlab topology.

Target (issue 15): the audit and one what-if per device together under 10 s. Peer,
measured in the same run on the same files: parsing the configurations with
ciscoconfparse2 alone, the floor of any IOS-aware tool that reads them (as in
bench/policy.py); the ratio shows what the campus model, the rules and 1,000+
failure simulations add on top.

Run: .venv/bin/python bench/resilience.py [--switches N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ciscoconfparse2 import CiscoConfParse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from labs.sim.scale import SITES, scale_names, switch_config  # noqa: E402
from netops.resilience.whatif import whatif  # noqa: E402
from netops.services import resilience  # noqa: E402
from netops.settings import Settings  # noqa: E402

VLANS = (10, 20, 110, 120, 130)
TARGET_S = 10.0


def core(name: str, site: str, rank: int, downlinks: int) -> str:
    net = 20 if site == "jammu" else 30
    lines = [f"hostname {name}", "ip routing", "spanning-tree mode rapid-pvst",
             f"spanning-tree vlan {','.join(map(str, VLANS))} priority {24576 if rank == 1 else 28672}"]
    for vid in VLANS:
        lines += [f"vlan {vid}", "!"]
    for port in range(1, downlinks + 3):  # downlinks, then one port to each controller
        lines += [f"interface TenGigabitEthernet1/0/{port}", f" switchport trunk allowed vlan {','.join(map(str, VLANS))}",
                  " switchport mode trunk", "!"]
    lines += ["interface TenGigabitEthernet1/1/8", f" switchport trunk allowed vlan {','.join(map(str, VLANS))}",
              " switchport mode trunk", "!"]
    for vid in VLANS:
        lines += [f"interface Vlan{vid}", f" ip address 10.{net}.{vid}.{rank + 1} 255.255.255.0", " standby version 2",
                  f" standby {vid} ip 10.{net}.{vid}.1", f" standby {vid} priority {110 if rank == 1 else 100}",
                  f" standby {vid} preempt", "!"]
    return "\n".join([*lines, "end"]) + "\n"


def controller(name: str, site: str, rank: int, backup: str) -> str:
    net = 20 if site == "jammu" else 30
    lines = [f"hostname {name}", "vlan 110", " name staff", "!", "interface Vlan20", f" ip address 10.{net}.20.{200 + rank} 255.255.255.0",
             "!", "wireless profile policy PP-STAFF", " vlan 110", " no shutdown", "!", "wireless tag policy PT", " wlan JKS-Staff policy PP-STAFF",
             "!", "wlan JKS-Staff 1 JKS-Staff", " no security wpa wpa2", " security wpa wpa3", " security wpa akm dot1x-sha256",
             " security pmf mandatory", " no shutdown", "!"]
    if rank == 1:
        lines += ["ap profile default-ap-profile", f" capwap backup primary {backup} 10.{net}.20.202", "!"]
    return "\n".join([*lines, "end"]) + "\n"


def generate(root: Path, switches: int) -> tuple[Path, Path, Path]:
    configs, inventory = root / "configs", root / "inventory"
    configs.mkdir(parents=True)
    inventory.mkdir()
    hosts, links = [], []
    names = scale_names(switches)
    by_site = {site: [n for i, n in enumerate(names, 1) if SITES[i % 2] == site] for site in SITES}

    def host(name: str, site: str, role: str, platform: str, extra: str = "") -> None:
        hosts.append(f"{name}:\n  hostname: 127.0.0.1\n  platform: {platform}\n  data: {{site: {site}, role: {role}{extra}}}")

    for site, members in by_site.items():
        cores = [f"core-{site[:3]}-{r}" for r in (1, 2)]
        wlcs = [f"wlc-{site[:3]}-{r}" for r in (1, 2)]
        for rank, name in enumerate(cores, 1):
            (configs / f"{name}.cfg").write_text(core(name, site, rank, len(members)))
            host(name, site, "core", "cisco_xe")
        links.append((f"{cores[0]}:TenGigabitEthernet1/1/8", f"{cores[1]}:TenGigabitEthernet1/1/8"))
        for rank, name in enumerate(wlcs, 1):
            (configs / f"{name}.cfg").write_text(controller(name, site, rank, wlcs[1]))
            host(name, site, "wlc", "cisco_xe")
            links.append((f"{cores[rank - 1]}:TenGigabitEthernet1/0/{len(members) + rank}", f"{name}:TenGigabitEthernet0/0/0"))
        for port, name in enumerate(members, 1):
            index = names.index(name) + 1
            (configs / f"{name}.cfg").write_text(switch_config(name, index, site))
            host(name, site, "access", "cisco_xe")
            for up, c in enumerate(cores, 1):
                links.append((f"{c}:TenGigabitEthernet1/0/{port}", f"{name}:TenGigabitEthernet1/1/{up}"))
            for ap_port in (45, 46, 47, 48):
                ap = f"ap-{index:04d}-{ap_port}"
                host(ap, site, "ap", "cisco_ap", f", controller: {wlcs[ap_port % 2]}, switch: {name}, "
                     f"switch_port: GigabitEthernet1/0/{ap_port}, managed_by: controller")
    (inventory / "hosts.yaml").write_text("\n".join(hosts) + "\n")
    (inventory / "groups.yaml").write_text("---\n{}\n")
    (inventory / "defaults.yaml").write_text("data: {}\n")
    topology = root / "campus.clab.yml"
    nodes = "\n".join(f"    {h.split(':', 1)[0]}: {{kind: linux, labels: {{netops-platform: cisco_xe}}}}" for h in hosts
                      if "platform: cisco_ap" not in h)
    topo_links = "\n".join(f'    - endpoints: ["{a}", "{b}"]' for a, b in links)
    topology.write_text(f"name: scale\ntopology:\n  nodes:\n{nodes}\n  links:\n{topo_links}\n")
    return configs, inventory, topology


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--switches", type=int, default=1000)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="netops-bench-resilience-"))
    try:
        configs, inventory, topology = generate(root, args.switches)
        settings = Settings.resolve(env={}, inventory=inventory, topology=topology, data_dir=root / "data", lab=False,
                                    policy=[ROOT / "policy" / "secretariat.yaml"])
        options = resilience.ResilienceOptions(configs=configs)
        start = time.perf_counter()
        audit = resilience.run_audit(settings, options)
        audit_s = time.perf_counter() - start
        model, _, _ = resilience.campus(settings, options)
        devices = model.infrastructure()
        start = time.perf_counter()
        for device in devices:
            whatif(model, [device])
        whatif_s = time.perf_counter() - start
        texts = [p.read_text().splitlines() for p in sorted(configs.glob("*.cfg"))]
        start = time.perf_counter()
        for lines in texts:
            CiscoConfParse(lines, syntax="ios")
        peer_s = time.perf_counter() - start
    finally:
        shutil.rmtree(root)
    total = audit_s + whatif_s
    print(f"campus: {args.switches} access switches, {len(devices)} devices besides APs, {len(model.aps)} APs, {len(model.links)} links")
    print(f"netops resilience audit:        {audit_s:6.2f} s  ({len(audit.single_points)} single points, {len(audit.findings)} findings)")
    print(f"what-if of every device:        {whatif_s:6.2f} s  ({len(devices)} what-ifs, {1000 * whatif_s / len(devices):.1f} ms each)")
    print(f"together:                       {total:6.2f} s  (target < {TARGET_S:.0f} s: {'met' if total < TARGET_S else 'NOT met'})")
    print(f"peer, ciscoconfparse2 parse:    {peer_s:6.2f} s  (ratio {total / peer_s:.2f}x the parse floor)")


if __name__ == "__main__":
    main()
