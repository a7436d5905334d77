"""Benchmark: the platform parsers on the lab's startup configurations.

netops parses every ``labs/configs/*.cfg`` into the full model (WLANs, ports,
SVIs, issues) with its own parsers. Peer, measured in the same run on the same
texts: ciscoconfparse2 only building its IOS tree (``CiscoConfParse(lines)``),
no model at all. Target: the full netops parse at least 5x faster than the
peer's tree alone (ratio printed; exit 1 below target).

Run: .venv/bin/python bench/parsers.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import labs  # noqa: E402
from netops.drivers import all_drivers, get_driver  # noqa: E402
from netops.inventory.clab import load_topology  # noqa: E402

ROUNDS = 5
TARGET = 5.0


def main() -> int:
    from ciscoconfparse2 import CiscoConfParse

    nodes = [n for n in load_topology(labs.DEFAULT_TOPOLOGY).nodes if n.startup_config and n.platform in all_drivers()]
    texts = [(n.name, n.platform, n.config_text()) for n in nodes]
    lines = sum(len(t.splitlines()) for _, _, t in texts)

    start = time.perf_counter()
    for _ in range(ROUNDS):
        for name, platform, text in texts:
            get_driver(platform).parse(text, name)
    ours = (time.perf_counter() - start) / ROUNDS

    start = time.perf_counter()
    for _ in range(ROUNDS):
        for _, _, text in texts:
            CiscoConfParse(text.splitlines(), syntax="ios")
    peer = (time.perf_counter() - start) / ROUNDS

    ratio = peer / ours
    print(f"{len(texts)} configs, {lines} lines, mean of {ROUNDS} rounds")
    print(f"netops parsers (full model):   {ours * 1000:8.1f} ms")
    print(f"ciscoconfparse2 (tree only):   {peer * 1000:8.1f} ms")
    print(f"ratio: {ratio:.1f}x (target >= {TARGET:.0f}x) {'OK' if ratio >= TARGET else 'BELOW TARGET'}")
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
