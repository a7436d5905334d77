"""Benchmark: a disaster-recovery drill of the Jammu campus of the lab.

Starts its own lab of both campuses (labs/secretariat.clab.yml) on --base-address, makes a vault key,
backs everything up, then runs ``netops dr drill --site jammu --lab`` twice through the service: once
with every device rebuilt at once (the drill as shipped) and once one device after another (the peer:
a runbook followed device by device, with the same rebuild and the same verification). Each run wipes
every SSH-managed Jammu device, rebuilds it from the latest backup and the vault, and verifies it line
for line, secrets included. Target: the campus rebuilt and verified in under 60 s wall on our 2-core
machines; the ratio to the serial peer is printed. Only 127.0.0.0/8 is contacted.

Run: .venv/bin/python bench/dr.py [--base-address 127.77.0.1] [--workers 8]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import labs  # noqa: E402
from labs import runner  # noqa: E402
from netops.backup.fetch import FetchOptions  # noqa: E402
from netops.services import backup, drill  # noqa: E402
from netops.settings import Settings  # noqa: E402
from netops.vault import keys  # noqa: E402

TARGET = 60.0
SITE = "jammu"


def run(settings: Settings, identity: Path, workers: int) -> tuple[float, drill.Drill]:
    began = time.monotonic()
    report = drill.drill(settings, SITE, identity, lab=True, options=FetchOptions(timeout=60), workers=workers)
    return time.monotonic() - began, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-address", default="127.77.0.1")
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="netops-bench-dr-") as tmp:
        root = Path(tmp)
        lab_dir = root / "lab"
        runner.up(lab_dir, labs.DEFAULT_TOPOLOGY, runner.UpOptions(base_address=args.base_address, engine="local"))
        try:
            pair = keys.generate()
            identity = root / "identity.txt"
            keys.write_identity(identity, pair)
            config = root / "netops.yaml"
            config.write_text(f"vault:\n  recipients:\n    - {pair.recipient}\n")
            settings = Settings.resolve(config=config, data_dir=root / "data", lab=True, lab_dir=lab_dir)
            done = backup.run(settings)
            print(f"backed up {len(done.results)} devices of both campuses ({sum(1 for r in done.results if r.failed)} failed)")
            results = {}
            for label, workers in (("netops drill (parallel)", args.workers), ("peer: one device after another", 1)):
                wall, report = run(settings, identity, workers)
                verified = sum(1 for d in report.devices if d.verified)
                results[label] = wall
                print(f"{label:<34} {len(report.devices)} devices  wall {wall:6.1f} s  campus RTO {report.rto_seconds:6.1f} s  "
                      f"verified {verified}/{len(report.devices)}  worst device {max(d.rto_seconds or 0 for d in report.devices):5.1f} s")
            parallel, serial = results.values()
            verdict = "meets" if parallel < TARGET else "MISSES"
            print(f"drill {parallel:.1f} s ({verdict} the {TARGET:.0f} s target); {serial / parallel:.1f}x the serial peer")
        finally:
            runner.down(lab_dir)


if __name__ == "__main__":
    main()
