"""SVG snapshots of every view at 80x24 and 160x48, on the fixture data set at a frozen time.

Update after an intended change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and review the SVGs (``snapshot_report.html`` shows the differences of a failing run).
"""

from __future__ import annotations

import asyncio

import pytest
from tui_support import fixture_app

from tui.screens.device import DeviceScreen

SIZES = [(80, 24), (160, 48)]


async def loaded(pilot) -> None:
    app = pilot.app
    while app.snapshot is None:
        await pilot.pause(0.05)


def keys_then(*keys: str, until=lambda app: True):
    """A ``run_before`` that waits for data, presses keys, waits for ``until`` and clears toasts."""

    async def run_before(pilot) -> None:
        await loaded(pilot)
        await pilot.press(*keys)
        for _ in range(200):
            if until(pilot.app):
                break
            await asyncio.sleep(0.05)
        await pilot.pause(0.2)
        pilot.app.clear_notifications()
        await settled(pilot)

    return run_before


async def settled(pilot, tries: int = 50) -> None:
    """Wait until two consecutive renders are identical (tables size their columns on idle,
    which a loaded machine can delay past a fixed pause)."""
    previous = None
    for _ in range(tries):
        await pilot.pause(0.05)
        current = pilot.app.export_screenshot()
        if current == previous:
            return
        previous = current


def drilled(app) -> bool:
    return isinstance(app.screen, DeviceScreen) and app.screen.detail is not None


def audited(app) -> bool:
    return getattr(app.screen, "audit", None) is not None


def answered(app) -> bool:
    return audited(app) and app.screen.query_one("#whatif-result").display and "working it out" not in app.screen_text()


def trail_read(app) -> bool:
    return getattr(app.screen, "trail", None) is not None


def client_found(app) -> bool:
    return getattr(app.screen, "result", None) is not None


def privacy_read(app) -> bool:
    return getattr(app.screen, "report", None) is not None


VIEWS = {
    "overview": keys_then(),
    "devices": keys_then("2"),
    "devices_filtered": keys_then("2", "slash", *"srn", "enter", "f"),
    "device": keys_then("2", "enter", until=drilled),
    "device_interfaces": keys_then("2", "enter", "right_square_bracket", until=drilled),
    "device_backups": keys_then("2", "enter", "right_square_bracket", "right_square_bracket", "m", until=drilled),
    "diff": keys_then("2", "enter", "right_square_bracket", "right_square_bracket", "d",
                      until=lambda app: "loading" not in app.screen_text() and app.screen.__class__.__name__ == "DiffScreen"),
    "compliance": keys_then("3"),
    "wifi": keys_then("4"),
    "wifi_segregation": keys_then("4", "right_square_bracket", "right_square_bracket"),
    "backups": keys_then("5"),
    "jobs": keys_then("6", "b", until=lambda app: app.jobs and app.jobs[-1].finished is not None),
    "resilience": keys_then("7", until=audited),
    "resilience_whatif": keys_then("7", "f", *"jmu-core-2", "enter", until=answered),
    "help": keys_then("question_mark"),
    "audit": keys_then("8", until=trail_read),
    "clients": keys_then("4", "l", *"a.sharma", "enter", until=client_found),
    "privacy": keys_then("8", "P", until=privacy_read),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("view", list(VIEWS))
def test_view_snapshot(snap_compare, view, size):
    assert snap_compare(fixture_app(), terminal_size=size, run_before=VIEWS[view])
