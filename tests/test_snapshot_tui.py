"""The dashboard's Snapshots screen (``S``) on the fixture data set: the list, a diff of two marked snapshots with
its regressions, and a snapshot taken as a job."""

from __future__ import annotations

from tui_support import FIXTURE, fixture_app, run, settle

from tui.fixture import FixtureSource
from tui.screens.snapshots import SnapshotsScreen
from tui.widgets.virtual_table import VirtualTable


def test_fixture_snapshots_differ_by_the_shut_ap_port() -> None:
    source = FixtureSource(FIXTURE)
    assert [s.name for s in source.state_snapshots()] == ["nightly", "before-upgrade", "after-upgrade"]
    assert source.state_diff("nightly", "before-upgrade").empty
    result = source.state_diff("before-upgrade", "after-upgrade")
    kinds = {(c.feature, c.key.split(" ")[-1]) for c in result.regressions}
    assert ("aps", "jmu-ap-b1-f1-01") in kinds and ("neighbors", "jmu-ap-b1-f1-01") in kinds
    assert any(c.feature == "interfaces" for c in result.regressions)
    assert any(c.feature == "interfaces" and "in_errors" in c.message for c in result.changes)


@run
async def test_snapshots_screen_lists_diffs_and_takes() -> None:
    app = fixture_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("S")
        await settle(pilot, lambda: isinstance(app.screen, SnapshotsScreen) and app.screen.snapshots is not None)
        screen = app.screen
        table = screen.query_one("#snapshots", VirtualTable)
        assert table.keys() == ["after-upgrade", "before-upgrade", "nightly"]  # newest first
        await pilot.press("space", "down", "space", "d")  # after-upgrade and before-upgrade, compared older first
        await settle(pilot, lambda: screen.result is not None)
        assert (screen.result.a, screen.result.b) == ("before-upgrade", "after-upgrade")
        text = app.screen_text()
        assert "REGRESSION" in text and "AP not joined" in text
        await pilot.press("t")
        await settle(pilot, lambda: app.jobs and app.jobs[-1].finished is not None)
        assert app.jobs[-1].kind == "snapshot" and app.jobs[-1].results
        await pilot.press("escape")
        assert not isinstance(app.screen, SnapshotsScreen)
