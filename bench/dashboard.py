"""Dashboard responsiveness with many devices, against Textual's DataTable in the same run.

For N devices (default 2,000: the fixture data set plus generated switches) it
measures, headless at 160x48:

* first frame: app start until the overview shows the data;
* redraw: the Devices view rebuilding every row (``f`` twice: faults only, then all),
  once with netops' VirtualTable and once with a DataTable holding the same cells;
* keys during a job: a backup job over every device (fixture source, 2 ms per
  device) while the filter is typed, the time each key takes to be handled.

Prints wall times and the DataTable/VirtualTable ratio (higher is better for netops).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from textual.widgets import DataTable  # noqa: E402
from tui_support import fixture_app, many_devices  # noqa: E402

from tui.screens.devices import COLUMNS, DevicesScreen  # noqa: E402

SIZE = (160, 48)


async def first_frame(path: Path) -> float:
    app = fixture_app(path)
    started = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        while app.snapshot is None:
            await pilot.pause(0.01)
        await pilot.pause()
        return time.perf_counter() - started


async def redraw(path: Path, rounds: int) -> tuple[float, float]:
    """Median seconds for a full Devices rebuild: VirtualTable, then DataTable with the same cells."""
    app = fixture_app(path)
    async with app.run_test(size=SIZE) as pilot:
        while app.snapshot is None:
            await pilot.pause(0.01)
        await pilot.press("2")
        await pilot.pause()
        screen: DevicesScreen = app.screen  # type: ignore[assignment]
        ours = []
        for _ in range(rounds):
            started = time.perf_counter()
            await pilot.press("f", "f")
            await pilot.pause()
            ours.append(time.perf_counter() - started)
        rows = [(d.name, screen._cells(d)) for d in screen.shown_devices()]
        faulty = [(k, c) for k, c in rows if any(d.name == k and d.faults for d in screen.devices)]
        table: DataTable = DataTable()
        await screen.mount(table)
        table.add_columns(*(label for _, label, _ in COLUMNS))
        peer = []
        for _ in range(rounds):
            started = time.perf_counter()
            for subset in (faulty, rows):
                table.clear()
                for key, cells in subset:
                    table.add_row(*cells, key=key)
                await pilot.pause()
            peer.append(time.perf_counter() - started)
        return statistics.median(ours), statistics.median(peer)


async def keys_during_job(path: Path) -> tuple[float, float, int]:
    app = fixture_app(path, job_delay=0.002)
    async with app.run_test(size=SIZE) as pilot:
        while app.snapshot is None:
            await pilot.pause(0.01)
        await pilot.press("6", "b", "2", "slash")
        job = app.jobs[-1]
        latencies = []
        for key in "scale-acc-1":
            started = time.perf_counter()
            await pilot.press(key)
            latencies.append(time.perf_counter() - started)
        done_while_typing = len(job.results)
        while job.finished is None:
            await pilot.pause(0.05)
        return statistics.median(latencies), max(latencies), done_while_typing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = many_devices(Path(tmp), args.devices)
        total = args.devices + 16
        first = asyncio.run(first_frame(path))
        ours, peer = asyncio.run(redraw(path, args.rounds))
        median_key, worst_key, done = asyncio.run(keys_during_job(path))
    print(f"devices: {total}")
    print(f"first frame with data: {first:.2f} s")
    print(f"devices view rebuild (faults only, then all): VirtualTable {ours:.3f} s, DataTable {peer:.3f} s, "
          f"ratio {peer / ours:.1f}x")
    print(f"keys during a backup job of {total} devices: median {median_key * 1000:.0f} ms, worst {worst_key * 1000:.0f} ms "
          f"({done} devices finished meanwhile)")


if __name__ == "__main__":
    main()
