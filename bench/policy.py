"""Benchmark: `netops check` on 100 / 250 / 500 generated controller and switch configs.

Half the configs are Catalyst 9800 controllers (20 WLANs each), half are access
switches (48 ports, 4 of them AP trunks, plus SVIs); each switch has APs in the
inventory so the segregation join runs too. 500 configs = 5,000 WLANs and
12,000 ports.

Peer, measured in the same run on the same files: parsing the configs with
ciscoconfparse2 alone (``CiscoConfParse(lines)``), the library our IOS-XE parser
is built on. It is the floor of any IOS-aware checker that reads hierarchy, so
the ratio shows what netops adds on top (model building, every rule, the
segregation join, the SQLite run record). Each size is checked REPEATS times
(round-robin over the sizes, a fresh data directory each time) and the best
time counts, so one busy moment of the shared machine does not decide a target.

Targets (issue 18), printed PASS/MISS with the load average of the run:
- the 500-config check under 0.8 s wall;
- linear growth: 500 configs take at most x5.5 the time of 100 (CPU time).

Run: .venv/bin/python bench/policy.py [--json]
"""

from __future__ import annotations

import argparse
import json
import os
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
REPEATS = 3
TARGET_S = 0.8  # 500 configs, wall
GROWTH_MAX = 5.5  # CPU time of 500 configs over 100
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


def check_once(root: Path, configs: Path, inventory: Path, run: int) -> tuple[float, float, int]:
    """Wall and CPU seconds of one whole ``netops check`` (a fresh data directory), and its findings."""
    settings = Settings.resolve(env={}, inventory=inventory, data_dir=root / f"data-{run}", lab=False,
                                policy=[ROOT / "policy" / "secretariat.yaml"])
    wall, cpu, done = timed(lambda: check.run(settings, CheckOptions(configs=configs)))
    return wall, cpu, len(done.result.findings)


def measure() -> dict[str, object]:
    """Every size: netops' best wall and CPU of REPEATS checks, the peer's parse of the same files, findings."""
    roots = {count: Path(tempfile.mkdtemp(prefix="netops-bench-policy-")) for count in (10, *SIZES)}
    try:
        files = {count: generate(root, count) for count, root in roots.items()}
        check_once(roots[10], *files[10], 0)  # warms up imports and caches
        runs: dict[int, list[tuple[float, float, int]]] = {count: [] for count in SIZES}
        for repeat in range(REPEATS):
            for count in SIZES:
                runs[count].append(check_once(roots[count], *files[count], repeat))
        sizes = {}
        for count in SIZES:
            texts = [p.read_text().splitlines() for p in sorted(files[count][0].glob("*.cfg"))]
            peer_wall, peer_cpu, _ = timed(lambda texts=texts: [CiscoConfParse(lines, syntax="ios") for lines in texts])
            sizes[count] = {
                "objects": (count // 2) * (WLANS_PER_CONTROLLER + PORTS_PER_SWITCH), "findings": runs[count][0][2],
                "netops_wall_s": min(r[0] for r in runs[count]), "netops_cpu_s": min(r[1] for r in runs[count]),
                "ciscoconfparse2_wall_s": peer_wall, "ciscoconfparse2_cpu_s": peer_cpu,
            }
    finally:
        for root in roots.values():
            shutil.rmtree(root)
    lo, hi = sizes[SIZES[0]], sizes[SIZES[-1]]
    growth = hi["netops_cpu_s"] / lo["netops_cpu_s"]
    return {
        "sizes": sizes, "repeats": REPEATS,
        "growth": growth, "growth_max": GROWTH_MAX, "growth_pass": growth <= GROWTH_MAX,
        "peer_growth": hi["ciscoconfparse2_cpu_s"] / lo["ciscoconfparse2_cpu_s"],
        "target_s": TARGET_S, "netops_500_s": hi["netops_wall_s"], "target_pass": hi["netops_wall_s"] < TARGET_S,
        "load_average": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    figures = measure()
    if parser.parse_args().json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{'configs':>7} {'WLANs+ports':>11} {'findings':>8} {'netops check wall/cpu':>22} {'ciscoconfparse2 wall/cpu':>25} {'ratio (cpu)':>11}")
    sizes = figures["sizes"]
    assert isinstance(sizes, dict)
    for count, f in sizes.items():
        print(
            f"{count:>7} {f['objects']:>11} {f['findings']:>8} {f['netops_wall_s']:>10.2f}s / {f['netops_cpu_s']:>6.2f}s"
            f" {f['ciscoconfparse2_wall_s']:>13.2f}s / {f['ciscoconfparse2_cpu_s']:>6.2f}s"
            f" {f['netops_cpu_s'] / f['ciscoconfparse2_cpu_s']:>11.2f}"
        )
    lo, hi = SIZES[0], SIZES[-1]
    verdict = {True: "PASS", False: "MISS"}
    print(f"growth {lo}->{hi} configs: x{figures['growth']:.2f} CPU time for x{hi // lo} configs"
          f" (target <= x{GROWTH_MAX}; ciscoconfparse2 x{figures['peer_growth']:.2f}) {verdict[bool(figures['growth_pass'])]}")
    print(f"{hi} configs: {figures['netops_500_s']:.2f} s wall (target < {TARGET_S} s) {verdict[bool(figures['target_pass'])]}")
    load = figures["load_average"]
    assert isinstance(load, tuple)
    print(f"best of {REPEATS} runs per size; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
