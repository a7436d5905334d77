"""Shared pieces of the dashboard tests: the fixture data set and a frozen clock."""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from tui.app import NetopsApp, TuiOptions
from tui.fixture import FixtureSource

FIXTURE = Path(__file__).parent / "data" / "tui" / "fixture.json"
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc)


def clock() -> datetime:
    return NOW


def fixture_app(path: Path = FIXTURE, job_delay: float = 0.0, **options) -> NetopsApp:
    """The dashboard on the fixture data set, at a frozen time, with automatic refresh off."""
    return NetopsApp(lambda: FixtureSource(path, job_delay=job_delay), TuiOptions(**({"refresh": 0} | options)), clock=clock)


def many_devices(tmp_path: Path, count: int) -> Path:
    """The fixture data set with ``count`` generated access switches added (for scale tests)."""
    raw = json.loads(FIXTURE.read_text())
    for i in range(count):
        site = ("jammu", "srinagar")[i % 2]
        raw["devices"].append({
            "name": f"scale-acc-{i:04d}", "site": site, "role": "access", "platform": "cisco_xe",
            "address": f"10.{30 + i // 65000}.{i // 250 % 256}.{i % 250 + 1}", "model": "C9200-48P",
            "reachable": i % 97 != 0, "uptime": 86400.0 + i,
            "last_backup": (NOW - timedelta(hours=i % 30)).isoformat(), "backup_status": "unchanged",
            "backup_reason": None, "findings": int(i % 7 == 0), "alerts": 0,
        })
    path = tmp_path / "many.json"
    path.write_text(json.dumps(raw))
    return path


def run(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async test body on its own event loop (no pytest plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


async def settle(pilot, until: Callable[[], bool] | None = None, timeout: float = 10.0) -> None:
    """Let workers and messages finish (optionally until a condition holds)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        await pilot.pause(0.05)
        if until is None or until() or loop.time() > deadline:
            return
