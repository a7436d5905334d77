"""Benchmark: `netops check` on 100 / 250 / 500 generated controller and switch configs.

Half the configs are Catalyst 9800 controllers (20 WLANs each), half are access
switches (48 ports, 4 of them AP trunks, plus SVIs); each switch has APs in the
inventory so the segregation join runs too. 500 configs = 5,000 WLANs and
12,000 ports.

Peer, measured in the same run on the same files: parsing the configs with
ciscoconfparse2 alone (``CiscoConfParse(lines)``), the library our IOS-XE parser
is built on. It is the floor of any IOS-aware checker that reads hierarchy, so
the ratio shows what netops adds on top (model building, every rule, the
segregation join, the SQLite run record). Target: the 500-config check under 2 s
on our machines, time growing linearly with the number of configs.

Run: .venv/bin/python bench/policy.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ciscoconfparse2 import CiscoConfParse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from netops.services import check  # noqa: E402
from netops.services.check import CheckOptions  # noqa: E402
from netops.settings import Settings  # noqa: E402

SIZES = (100, 250, 500)
WLANS_PER_CONTROLLER = 20
PORTS_PER_SWITCH = 48
AP_PORTS = 4
SECURITY = [
    ["security wpa akm dot1x-sha256", "security wpa wpa3", "security pmf mandatory"],  # compliant staff
    ["security wpa akm owe", "security wpa wpa3", "security pmf mandatory", "peer-blocking drop"],  # guest
    ["security wpa akm sae", "security wpa wpa3", "security pmf optional"],  # PMF violation
]


def controller(n: int) -> str:
    lines = [f"hostname wlc-{n:04d}", "vlan 110", " name staff-vlan", "vlan 900", " name guest-vlan", "vlan 700", " name iot-vlan"]
    profiles = {"PP-STAFF": "staff-vlan", "PP-GUEST": "guest-vlan", "PP-IOT": "700"}
    for name, vlan in profiles.items():
        lines += [f"wireless profile policy {name}", f" vlan {vlan}", " no shutdown"]
    kinds = ["Staff", "Guest", "IoT"]
    lines.append("wireless tag policy PT-ALL")
    for i in range(WLANS_PER_CONTROLLER):
        lines.append(f" wlan JKS-{kinds[i % 3]}-{i} policy PP-{kinds[i % 3].upper()}")
    for i in range(WLANS_PER_CONTROLLER):
        lines.append(f"wlan JKS-{kinds[i % 3]}-{i} {i + 1} JKS-{kinds[i % 3]}-{i}")
        lines += [" no security ft adaptive", " no security wpa wpa2", " no security wpa akm dot1x"]
        lines += [" " + s for s in SECURITY[i % 3]]
        lines.append(" no shutdown")
    return "\n".join(lines + ["end"]) + "\n"


def switch(n: int) -> str:
    lines = [f"hostname acc-{n:04d}"]
    for p in range(1, PORTS_PER_SWITCH + 1):
        lines.append(f"interface GigabitEthernet1/0/{p}")
        if p <= AP_PORTS:
            allowed = "20,110,700,900" if p != 4 else "1,20,110,700,900"  # one port per switch carries VLAN 1
            lines += [f" description AP-ap-{n:04d}-{p}", " switchport trunk native vlan 20", f" switchport trunk allowed vlan {allowed}", " switchport mode trunk"]
        else:
            lines += [f" description user {p}", " switchport access vlan 110", " switchport mode access"]
    for vlan, vrf in ((110, None), (700, "IOT"), (900, "GUEST" if n % 2 else None)):
        lines.append(f"interface Vlan{vlan}")
        if vrf:
            lines.append(f" vrf forwarding {vrf}")
        lines.append(f" ip address 10.{n // 250}.{n % 250}.1 255.255.255.0")
    return "\n".join(lines + ["end"]) + "\n"


def generate(root: Path, count: int) -> tuple[Path, Path]:
    configs, inventory = root / "configs", root / "inventory"
    configs.mkdir(parents=True)
    inventory.mkdir()
    hosts = []
    for n in range(count // 2):
        (configs / f"wlc-{n:04d}.cfg").write_text(controller(n))
        (configs / f"acc-{n:04d}.cfg").write_text(switch(n))
        hosts += [f"wlc-{n:04d}:\n  platform: cisco_xe\n  data: {{site: jammu}}", f"acc-{n:04d}:\n  platform: cisco_xe\n  data: {{site: jammu}}"]
        for p in range(1, AP_PORTS + 1):
            hosts.append(
                f"ap-{n:04d}-{p}:\n  platform: cisco_ap\n  data: {{site: jammu, managed_by: controller, controller: wlc-{n:04d},"
                f" switch: acc-{n:04d}, switch_port: GigabitEthernet1/0/{p}}}"
            )
    (inventory / "hosts.yaml").write_text("\n".join(hosts) + "\n")
    (inventory / "groups.yaml").write_text("---\n{}\n")
    (inventory / "defaults.yaml").write_text("data:\n  timezone: Asia/Kolkata\n")
    return configs, inventory


T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[float, float, T]:
    """Wall and CPU seconds of ``fn()`` (CPU time is steadier on a shared machine), and its value."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def main() -> None:
    print(f"{'configs':>7} {'WLANs+ports':>11} {'findings':>8} {'netops check wall/cpu':>22} {'ciscoconfparse2 wall/cpu':>25} {'ratio (cpu)':>11}")
    cpu_by_size = {}
    for count in (10, *SIZES):  # the first, small run only warms up imports and caches
        root = Path(tempfile.mkdtemp(prefix="netops-bench-policy-"))
        try:
            configs, inventory = generate(root, count)
            settings = Settings.resolve(env={}, inventory=inventory, data_dir=root / "data", lab=False,
                                        policy=[ROOT / "policy" / "secretariat.yaml"])
            options = CheckOptions(configs=configs)
            wall, cpu, run = timed(lambda settings=settings, options=options: check.run(settings, options))
            result = run.result
            texts = [p.read_text().splitlines() for p in sorted(configs.glob("*.cfg"))]
            peer_wall, peer_cpu, _ = timed(lambda texts=texts: [CiscoConfParse(lines, syntax="ios") for lines in texts])
            objects = (count // 2) * (WLANS_PER_CONTROLLER + PORTS_PER_SWITCH)
            cpu_by_size[count] = cpu
            if count not in SIZES:
                continue
            print(
                f"{count:>7} {objects:>11} {len(result.findings):>8} {wall:>10.2f}s / {cpu:>6.2f}s"
                f" {peer_wall:>13.2f}s / {peer_cpu:>6.2f}s {cpu / peer_cpu:>11.2f}"
            )
        finally:
            shutil.rmtree(root)
    lo, hi = SIZES[0], SIZES[-1]
    print(f"growth {lo}->{hi} configs: x{cpu_by_size[hi] / cpu_by_size[lo]:.2f} CPU time for x{hi / lo:.0f} configs (linear = x{hi / lo:.0f})")


if __name__ == "__main__":
    main()
