"""The dashboard's screens and flows, driven with Textual's Pilot on the fixture data set."""

from __future__ import annotations

import json

from textual.widgets import DataTable, Input, Static, TabbedContent
from tui_support import FIXTURE, NOW, clock, fixture_app, many_devices, run, settle

from netops.errors import InputError
from tui.app import NetopsApp, TuiOptions
from tui.fixture import FixtureSource
from tui.screens.command import CommandScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.device import DeviceScreen
from tui.screens.diff import DiffScreen, DriftScreen
from tui.screens.grep import GrepScreen
from tui.screens.help import HelpScreen
from tui.widgets.virtual_table import VirtualTable


def names(table: VirtualTable) -> list[str]:
    return table.keys()


@run
async def test_overview_shows_both_campuses_and_alerts():
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        text = app.screen_text()
        assert "Jammu" in text and "Srinagar" in text
        assert "8 up  1 down" in text  # Jammu devices: jmu-acc-3 is down
        alerts = app.screen.query_one("#alerts", DataTable)
        assert alerts.row_count == len(app.snapshot.alerts) == 3
        assert "09:30:00" in text  # the injected clock, not the wall clock


@run
async def test_devices_filter_negation_faults_and_invalid_regex():
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("2")
        table = app.screen.query_one("#devices", VirtualTable)
        assert table.row_count == 16
        await pilot.press("slash", *"acc-[12]")
        assert names(table) == ["jmu-acc-1", "jmu-acc-2", "srn-acc-1", "srn-acc-2"]
        await pilot.press("ctrl+u", *"!^jmu")  # clear the field, then negate
        await settle(pilot)
        assert names(table) and all(not n.startswith("jmu") for n in names(table))
        await pilot.press("ctrl+u", "[")  # invalid regex: rows stay, field turns red
        await settle(pilot)
        assert app.screen.query_one("#filter").has_class("invalid")
        assert table.row_count == 16
        await pilot.press("escape", "f")
        await settle(pilot)
        faulty = names(table)
        await pilot.press("slash", *"^srn-acc-1$", "enter", "space")  # enter hands the keys back to the table
        assert app.tagged == set() and names(table) == []  # faults only: srn-acc-1 is healthy
        await pilot.press("f", "space")
        assert app.tagged == {"srn-acc-1"}
        expected = sorted(d.name for d in app.snapshot.devices if d.faults)
        assert sorted(faulty) == expected == ["jmu-acc-3", "srn-iap-annex", "srn-wlc-aruba"]


@run
async def test_devices_sort_and_tag():
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("2")
        table = app.screen.query_one("#devices", VirtualTable)
        assert names(table) == sorted(names(table))
        await pilot.press("s")  # next sort column: reachability, down first
        assert names(table)[:2] == ["jmu-acc-3", "srn-iap-annex"]
        await pilot.press("S")
        assert names(table)[-2:] == ["srn-iap-annex", "jmu-acc-3"]
        await pilot.press("S")
        assert app.screen.current_host() == "jmu-acc-1"  # the cursor follows its device through sorts
        await pilot.press("pageup", "space", "space")
        assert app.tagged == {"jmu-acc-3", "srn-iap-annex"}
        await pilot.press("space")  # tagged rows stay tagged; the third one joins
        await pilot.press("up", "space")  # untag the one above
        assert len(app.tagged) == 2
        assert "2 tagged" in app.screen_text()


@run
async def test_drill_down_tabs_and_back():
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("2", "enter")
        await settle(pilot, lambda: isinstance(app.screen, DeviceScreen) and app.screen.detail is not None)
        screen = app.screen
        assert screen.host == "jmu-acc-1"
        assert screen.query_one("#facts-table", DataTable).row_count >= 6
        await pilot.press("right_square_bracket")
        assert screen.query_one(TabbedContent).active == "interfaces"
        interfaces = screen.query_one("#interfaces-table", DataTable)
        assert interfaces.row_count == 4
        row = [str(c) for c in interfaces.get_row("GigabitEthernet1/0/47")]
        assert row[2:6] == ["1 Gb/s", "48.2 Mb/s", "12.1 Mb/s", "4.8 %"]  # rates and units, not octet counters
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert screen.query_one("#findings-table", DataTable).row_count == 1
        await pilot.press("escape")
        assert app.screen.__class__.__name__ == "DevicesScreen"


@run
async def test_diff_of_two_marked_revisions():
    app = fixture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("2", "enter")
        await settle(pilot, lambda: getattr(app.screen, "detail", None) is not None)
        await pilot.press("d")  # not on the backups tab yet: it switches there and explains
        assert app.screen.query_one(TabbedContent).active == "backups"
        await pilot.press("m", "down", "m", "d")
        await settle(pilot, lambda: isinstance(app.screen, DiffScreen) and "loading" not in app.screen_text())
        assert (app.screen.old, app.screen.new) == ("3ab9d41", "7c1e2f0")
        text = app.screen_text()
        assert "+ switchport trunk allowed vlan 1,20,110,111" in text
        assert "- switchport trunk allowed vlan 20,110,111" in text
        await pilot.press("escape")
        assert isinstance(app.screen, DeviceScreen)


@run
async def test_job_runs_on_tagged_devices_with_per_device_progress():
    app = fixture_app(job_delay=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("2", "down", "down", "space", "space", "6", "b")
        job = app.jobs[-1]
        assert job.kind == "backup" and job.hosts == ["jmu-acc-3", "jmu-acc-4"]
        await settle(pilot, lambda: job.finished is not None)
        assert {h: r.status for h, r in job.results.items()} == {"jmu-acc-3": "failed", "jmu-acc-4": "changed"}
        devices = app.screen.query_one("#job-devices", VirtualTable)
        assert devices.cells("jmu-acc-3")[1:4:2] == ("failed", "timeout after 30 s")
        log = "\n".join(job.log)
        assert "jmu-acc-3 failed (timeout after 30 s)" in log and "finished: 2 done, 1 failed" in log


@run
async def test_keys_stay_responsive_during_a_long_job_over_2000_devices(tmp_path):
    app = fixture_app(many_devices(tmp_path, 2000), job_delay=0.002)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("6", "b")
        job = app.jobs[-1]
        assert len(job.hosts) == 2016
        await pilot.press("2", "slash", *"scale-acc-19")
        await settle(pilot)
        table = app.screen.query_one("#devices", VirtualTable)
        assert table.row_count == 100  # the filter answered while the job is still running
        assert job.finished is None
        await settle(pilot, lambda: job.finished is not None, timeout=60)
        assert len(job.results) == 2016


@run
async def test_restore_needs_confirmation_and_is_refused_read_only():
    app = fixture_app(job_delay=0.01)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("2", "enter")
        await settle(pilot, lambda: getattr(app.screen, "detail", None) is not None)
        await pilot.press("right_square_bracket", "right_square_bracket", "down", "R")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert not app.jobs
        await pilot.press("R", "y")
        await settle(pilot, lambda: app.jobs and app.jobs[-1].finished is not None)
        assert (app.jobs[-1].kind, app.jobs[-1].hosts, app.jobs[-1].rev) == ("restore", ["jmu-acc-1"], "3ab9d41")
        assert app.current_mode == "jobs"

    app = fixture_app(read_only=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("2", "enter")
        await settle(pilot, lambda: getattr(app.screen, "detail", None) is not None)
        await pilot.press("right_square_bracket", "right_square_bracket", "R")
        assert isinstance(app.screen, DeviceScreen)  # no confirmation: refused outright
        assert "Restore" not in app.screen_text()  # the footer offers no job in read-only mode
        await pilot.press("escape", "6", "b", "c", "o")
        assert app.jobs == []
        text = app.screen_text()
        assert "READ-ONLY" in text and "read-only mode: jobs are disabled" in text
        footer = text.splitlines()[-1]
        assert "Backup" not in footer and "Check" not in footer and "Poll" not in footer


@run
async def test_command_mode_aliases_help_and_palette():
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        for command, mode in (("wifi", "wifi"), ("compliance", "compliance"), ("backups", "backups"), ("dev", "devices")):
            await pilot.press("colon")
            assert isinstance(app.screen, CommandScreen)
            await pilot.press(*command, "enter")
            assert app.current_mode == mode
        await pilot.press("colon", *"nonsense", "enter")
        assert app.current_mode == "devices"
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        help_table = app.screen.query_one(DataTable)
        everything = help_table.row_count
        await pilot.press(*"restore")
        assert help_table.row_count == 1 and "R" in [str(c) for c in help_table.get_row_at(0)]
        assert everything > 25
        await pilot.press("escape")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Go to devices", "Run backup", "Run check", "Run poll"} <= set(titles)


@run
async def test_compliance_groups_waivers_and_check_now():
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("3")
        table = app.screen.query_one("#findings", VirtualTable)

        def groups() -> list[str]:
            return [table.cells(k)[0] for k in table.keys() if k.startswith("group|")]

        assert groups() == ["▾ SEG-001 (1)", "▾ VLAN-001 (2)", "▾ WIFI-001 (1 active, 1 waived)", "▾ WIFI-002 (2)",
                            "▾ WIFI-003 (1)", "▾ WIFI-004 (1)"]
        await pilot.press("g", "g")
        assert groups() == ["▾ critical (3 active, 1 waived)", "▾ high (3)", "▾ medium (1)", "▾ low (1)"]
        assert "3 critical" in app.screen_text()  # the header counts what the groups count
        await pilot.press("w")  # hide the waived finding
        assert table.row_count == 4 + 8
        waivers = app.screen.query_one("#waivers", DataTable)
        expiry = [str(waivers.get_row_at(i)[3]) for i in range(waivers.row_count)]
        assert expiry == ["2027-03-31", "2026-10-31 expired"]
        await pilot.press("c")
        await settle(pilot, lambda: app.jobs and app.jobs[-1].finished is not None)
        assert app.jobs[-1].kind == "check"


@run
async def test_wifi_tabs():
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("4")
        assert app.screen.query_one("#ssids-table", DataTable).row_count == 8
        await pilot.press("right_square_bracket")
        assert app.screen.query_one("#aps-table", DataTable).row_count == 6
        await pilot.press("right_square_bracket")
        seg = app.screen.query_one("#segregation-table", DataTable)
        missing = {str(seg.get_row_at(i)[0]): str(seg.get_row_at(i)[5]) for i in range(seg.row_count)}
        assert missing["jmu-ap-b1-f1-01"] == "700,900" and missing["jmu-ap-b1-f2-01"] == "none"


@run
async def test_backups_view_oldest_first_and_pause():
    app = fixture_app(refresh=30)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("5")
        table = app.screen.query_one("#backups", VirtualTable)
        assert table.keys()[:2] == ["jmu-owrt-guesthouse", "jmu-acc-3"]
        assert NOW.strftime("%H:%M:%S") in app.screen_text()
        await pilot.press("p")
        assert app.paused and "paused" in app.screen_text()
        await pilot.press("p")
        assert not app.paused


@run
async def test_keys_typed_right_behind_slash_land_in_the_filter():
    """A terminal delivers ``/jmu-acc-2`` in one read: the keys behind ``/`` arrive before the focus has moved."""
    from textual import events

    app = fixture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("2")
        for key, char in [("slash", "/")] + [({"-": "minus"}.get(c, c), c) for c in "jmu-acc-2"]:
            app.post_message(events.Key(key, char))  # all at once, as a terminal read delivers them
        await settle(pilot, lambda: app.screen.query_one("#filter").value == "jmu-acc-2", timeout=3)
        assert app.screen.query_one("#filter").value == "jmu-acc-2"
        assert app.screen.query_one(VirtualTable).keys() == ["jmu-acc-2"]
        await pilot.press("slash", "1", "slash", "0")  # with the filter focused, "/" is part of it (Gi1/0/24)
        assert app.screen.query_one("#filter").value == "jmu-acc-2/1/0"


@run
async def test_a_refresh_keeps_the_selection_and_enter_opens_that_finding():
    from tui.screens.finding import FindingScreen

    app = fixture_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("3")
        table = app.screen.query_one("#findings", VirtualTable)
        table.focus()
        await pilot.press("down", "down", "down", "down")
        chosen = table.cursor_key
        assert chosen is not None and not chosen.startswith("group|")
        app.action_reload()
        await settle(pilot)
        await pilot.pause(0.3)
        assert table.cursor_key == chosen  # a reload does not move the cursor back to the top
        await pilot.press("enter")
        assert isinstance(app.screen, FindingScreen)
        rule, host, obj, _ = chosen.split("|")
        text = app.screen_text()
        assert rule in text and host in text and "expected" in text and "actual" in text
        await pilot.press("escape")


@run
async def test_only_the_visible_view_redraws_and_a_hidden_one_catches_up_when_shown():
    app = fixture_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        drawn: dict[str, list[object]] = {}
        for key, name in (("2", "devices"), ("3", "compliance"), ("1", "overview")):
            await pilot.press(key)
            screen, draws = app.screen, drawn.setdefault(name, [])
            screen.show = lambda snap, draw=screen.show, draws=draws: (draws.append(snap), draw(snap))
        app.action_reload()
        await settle(pilot, lambda: len(drawn["overview"]) == 1)
        newest = app.snapshot
        assert drawn == {"devices": [], "compliance": [], "overview": [newest]}  # the hidden views waited
        await pilot.press("2")
        await settle(pilot, lambda: bool(drawn["devices"]))
        assert drawn["devices"] == [newest] and drawn["compliance"] == []
        await pilot.press("1", "2")
        await settle(pilot)
        assert drawn["devices"] == [newest]  # back on a view that already shows the newest snapshot: no redraw


@run
async def test_the_jobs_scope_follows_tags_made_on_another_view():
    app = fixture_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("6")
        assert f"on all {len(app.snapshot.devices)} devices" in app.screen_text()
        await pilot.press("2", "space", "6")
        await settle(pilot)
        assert "on 1 tagged device(s)" in app.screen_text()


@run
async def test_compliance_and_backups_filter_with_slash():
    app = fixture_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("3", "slash", *"aireos", "enter")
        keys = [k for k in app.screen.query_one("#findings", VirtualTable).keys() if not k.startswith("group|")]
        assert keys and all("srn-wlc-aireos" in k for k in keys)
        await pilot.press("5", "slash", *"timeout", "enter")
        assert app.screen.query_one("#backups", VirtualTable).keys() == ["jmu-acc-3"]


@run
async def test_backup_ages_move_on_with_the_clock():
    from datetime import timedelta

    now = [NOW]
    app = fixture_app()
    app.clock = lambda: now[0]
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("2")
        table = app.screen.query_one(VirtualTable)
        before = table.cells("jmu-acc-1")[3]
        now[0] = NOW + timedelta(hours=5)
        app.action_reload()
        await settle(pilot, lambda: table.cells("jmu-acc-1")[3] != before, timeout=3)
        assert table.cells("jmu-acc-1")[3] != before


@run
async def test_wifi_shows_bands():
    app = fixture_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("4")
        table = app.screen.query_one("#ssids-table", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert ["JKS-Staff", "2.4+5 GHz"] in [r[2:4] for r in rows]


@run
async def test_drift_shows_the_running_configuration_against_the_last_backup():
    app = fixture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("2", "enter")
        await settle(pilot, lambda: getattr(app.screen, "detail", None) is not None)
        await pilot.press("D")
        await settle(pilot, lambda: isinstance(app.screen, DriftScreen) and "loading" not in app.screen_text())
        text = app.screen_text()
        assert "+ transport input telnet" in text and "jmu-acc-1: last backup → running now" in text
        await pilot.press("escape")
        assert isinstance(app.screen, DeviceScreen)


@run
async def test_grep_searches_every_latest_backup_and_opens_the_device():
    app = fixture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("5", "g")
        assert isinstance(app.screen, GrepScreen)
        await pilot.press(*"trunk allowed", "enter")
        await settle(pilot, lambda: "line(s) in" in app.screen_text())
        text = app.screen_text()
        assert "/trunk allowed/: 1 line(s) in 1 device(s)" in text and "switchport trunk allowed vlan 1,20,110,111" in text
        await pilot.press("enter")
        assert isinstance(app.screen, DeviceScreen) and app.screen.host == "jmu-acc-1"
        await pilot.press("escape")
        app.screen.query_one("#grep-pattern").focus()
        await pilot.press("ctrl+u", *"(unclosed", "enter")  # a bad pattern is said, not a crash
        await settle(pilot, lambda: "unterminated subpattern" in app.screen_text())


@run
async def test_devices_show_a_failed_backup_before_the_job_ends(tmp_path):
    raw = json.loads(FIXTURE.read_text())
    raw["jobs"]["backup"]["jmu-acc-1"] = ["failed", "authentication failed"]
    (tmp_path / "fixture.json").write_text(json.dumps(raw))
    app = fixture_app(tmp_path / "fixture.json", job_delay=0.4)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("2")
        table = app.screen.query_one(VirtualTable)
        assert table.cells("jmu-acc-1")[3] != "failed"
        job = app.start_job("backup", ["jmu-acc-1", "jmu-acc-2", "jmu-core-1", "jmu-core-2", "srn-acc-1"])
        await settle(pilot, lambda: table.cells("jmu-acc-1")[3] == "failed", timeout=5)
        assert job is not None and job.finished is None  # still running: the row did not wait for the end
        await settle(pilot, lambda: table.cells("jmu-acc-2")[3] == "now", timeout=5)
        assert job.finished is None
        await settle(pilot, lambda: job.finished is not None, timeout=10)
        await settle(pilot, lambda: table.cells("jmu-acc-2")[3] == "7h", timeout=5)  # the stores speak again


@run
async def test_jobs_view_makes_the_daily_report_and_shows_the_schedule():
    app = fixture_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        assert "Daily report 2026-11-22: due 19:00 IST" in app.screen_text()  # the overview says when it is due
        await pilot.press("6")
        await settle(pilot, lambda: "Sun 16:00" in app.screen_text() or "every 4h" in app.screen_text())
        text = app.screen_text()
        assert "service, every 1m" in text and "at 18:00" in text and "Asia/Kolkata" in text
        await pilot.press("r")
        await settle(pilot, lambda: app.jobs and app.jobs[-1].finished is not None)
        assert (app.jobs[-1].kind, app.jobs[-1].hosts) == ("report", ["daily report"])
    app = fixture_app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("6", "r")
        assert app.jobs == [] and "Report" not in app.screen_text().splitlines()[-1]


@run
async def test_alert_history_from_the_overview():
    app = fixture_app()
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("a")
        await settle(pilot, lambda: "2 raised, 1 cleared" in app.screen_text())
        text = app.screen_text()
        assert "webhook failed (3)" in text and "mail sent in digest" in text and "backup_failed" in text
        table = app.screen.query_one(VirtualTable)
        assert table.cells(table.keys()[0])[3] == "srn-wlc-aruba"  # newest first
        await pilot.press("slash", *"jmu-acc-3", "enter")
        await settle(pilot, lambda: table.row_count == 2)
        await pilot.press("escape", "escape")
        assert app.screen.__class__.__name__ == "OverviewScreen"


async def resilience_view(app, pilot):
    """Open the Resilience view and wait for its audit."""
    await settle(pilot, lambda: app.snapshot is not None)
    await pilot.press("7")
    screen = app.screen
    await settle(pilot, lambda: screen.audit is not None)
    return screen


async def whatif_answer(app, pilot, *keys: str) -> str:
    """Press ``keys``, wait for the what-if panel's answer and return the screen's text."""
    panel = app.screen.query_one("#whatif-result", Static)
    await pilot.press(*keys)
    await settle(pilot, lambda: panel.display and "working it out" not in app.screen_text())
    return app.screen_text()


@run
async def test_resilience_view_shows_device_states_single_points_and_findings():
    app = fixture_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await resilience_view(app, pilot)
        assert screen.site == "jammu" and app.current_mode == "resilience"
        devices = screen.query_one("#resilience-devices", VirtualTable)
        states = {k: devices.cells(k)[2] for k in devices.keys()}
        assert states == {"jmu-core-2": "spof", "jmu-wlc-2": "spof", "jmu-acc-4": "single-homed", "jmu-acc-1": "redundant",
                          "jmu-acc-2": "redundant", "jmu-acc-3": "redundant", "jmu-wlc-1": "redundant", "jmu-core-1": "core"}
        assert devices.keys()[:3] == ["jmu-core-2", "jmu-wlc-2", "jmu-acc-4"]  # problems first
        assert devices.cells("jmu-core-2")[6] == "campus: cuts off jmu-acc-4 · 2 AP(s) · 4 SSID(s) · 65 clients"
        assert devices.cells("jmu-acc-4")[3:6] == ("1", "jmu-core-2", "2")  # one uplink, two APs cabled to it
        text = " ".join(app.screen_text().split())  # the summary may wrap
        assert "8 devices: 2 spof, 1 single-homed, 4 redundant, 1 core" in text and "3 campus-wide SPOF(s) + 4 edge" in text
        await pilot.press("right_square_bracket")
        spofs = screen.query_one("#resilience-spofs", VirtualTable)
        campus = [k for k in spofs.keys() if spofs.cells(k)[1] == "campus"]
        assert campus == ["device|jmu-core-2", "device|jmu-wlc-2", "link|jmu-core-2:Te1/1/4-jmu-acc-4:Te1/1/1"]
        assert spofs.cells("device|jmu-core-2")[2:] == ("jmu-acc-4", "-", "2: jmu-ap-b2-f2-01, jmu-owrt-guesthouse",
                                                        "GuestHouse, JKS-Guest, JKS-IoT, JKS-Staff", "65")
        await pilot.press("right_square_bracket")
        findings = screen.query_one("#resilience-findings", VirtualTable)
        rows = [findings.cells(k) for k in findings.keys()]
        assert [(r[0], r[1]) for r in rows] == [("jmu-acc-4", "RES-001"), ("jmu-wlc-2", "RES-004")]
        assert rows[0][5].endswith("(waived)") and "1 finding(s) + 1 waived" in " ".join(app.screen_text().split())
        await pilot.press("enter")
        assert app.screen.__class__.__name__ == "FindingScreen"
        await pilot.press("escape", "s")  # the next site
        await settle(pilot, lambda: screen.audit_site == "srinagar")
        states = {k: devices.cells(k)[2] for k in devices.keys()}
        assert states["srn-core-1"] == "spof" and states["srn-wlc-aireos"] == "spof" and states["srn-core-2"] == "core"
        assert not any(k.startswith("jmu-") for k in states)


@run
async def test_resilience_whatif_from_the_prompt_and_from_a_row():
    app = fixture_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await resilience_view(app, pilot)
        text = await whatif_answer(app, pilot, "f", *"jmu-core-1, jmu-core-2", "enter")  # keys right behind f go to the prompt
        assert "What if jmu-core-1, jmu-core-2 fail · jammu" in text
        assert "VLANs without a gateway 10, 20, 110, 111, 700, 900" in text
        assert "jmu-acc-1, jmu-acc-2, jmu-acc-3, jmu-acc-4, jmu-wlc-1, jmu-wlc-2" in text and "265" in text
        assert not isinstance(app.focused, Input)  # enter hands the keys back to the table; f edits the prompt again
        await pilot.press("f", "ctrl+u")
        text = await whatif_answer(app, pilot, *"jmu-acc-4:Te1/1/1-jmu-core-2:Te1/1/4", "enter")  # a link, either way round
        assert "What if jmu-acc-4:Te1/1/1-jmu-core-2:Te1/1/4 fails" in text
        assert "cut off from the core   jmu-acc-4" in text and "2: jmu-ap-b2-f2-01, jmu-owrt-guesthouse" in text
        await pilot.press("f", "ctrl+u")
        text = await whatif_answer(app, pilot, *"jmu-core-1", "enter")
        assert "nothing else stops working: the campus absorbs this failure" in text
        await pilot.press("home", "down")  # jmu-wlc-2, the second row
        text = await whatif_answer(app, pilot, "w")
        assert "What if jmu-wlc-2 fails · jammu" in text and "APs without service     1: jmu-ap-b2-f2-01" in text
        assert screen.query_one("#whatif").value == "jmu-wlc-2"  # the prompt holds it, to edit and run again
        await pilot.press("right_square_bracket", "end")  # the single points: a link's row
        text = await whatif_answer(app, pilot, "w")
        assert "What if jmu-core-2:Te1/1/4-jmu-acc-4:Te1/1/1 fails" in text
        await pilot.press("escape")
        assert not screen.query_one("#whatif-result").display


@run
async def test_resilience_whatif_bad_names_are_said_not_raised():
    app = fixture_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await resilience_view(app, pilot)
        text = await whatif_answer(app, pilot, "f", *"jmu-cor-1", "enter")
        assert "unknown device 'jmu-cor-1' (did you mean jmu-core-1, jmu-core-2, jmu-wlc-1?)" in text
        assert "Traceback" not in text and "--fail" not in text  # the message, not the CLI's option
        await pilot.press("f", "ctrl+u")
        text = await whatif_answer(app, pilot, *"jmu-core-2:Te1/1/9-jmu-acc-4:Te1/1/1", "enter")
        assert "no link 'jmu-core-2:Te1/1/9-jmu-acc-4:Te1/1/1' in the campus model" in text
        await pilot.press("f", "ctrl+u")
        text = await whatif_answer(app, pilot, "enter")
        assert "name a device or a link A:IF-B:IF that fails" in text
        text = await whatif_answer(app, pilot, *"srn-core-1", "enter")  # an empty prompt keeps the keys  # another campus: the view follows it
        assert "What if srn-core-1 fails · srinagar" in text and "cut off from the core   srn-wlc-aireos" in text
        await settle(pilot, lambda: screen.audit_site == "srinagar")
        assert screen.query_one("#resilience-devices", VirtualTable).cells("srn-core-1")[2] == "spof"


@run
async def test_resilience_without_backups_says_so():
    class NoBackups(FixtureSource):
        def resilience(self, site):
            raise InputError("no such configuration directory (run `netops backup`, or pass --backup-dir)",
                             file="/srv/netops/backups", key="--backup-dir")

    app = NetopsApp(lambda: NoBackups(FIXTURE), TuiOptions(refresh=0), clock=clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("7")
        await settle(pilot, lambda: app.screen.error is not None)
        text = app.screen_text()
        assert "jammu: /srv/netops/backups: no such configuration directory (run `netops backup`" in text
        assert app.screen.query_one("#resilience-devices", VirtualTable).row_count == 0
        await pilot.press("colon", *"spof", "enter")  # the view's aliases
        assert app.current_mode == "resilience"


# -- issue 16: the audit trail, the client lookup, the privacy report, remediation ------------------------------------

async def audit_view(app, pilot):
    """Open the Audit view and wait for the trail."""
    await settle(pilot, lambda: app.snapshot is not None)
    await pilot.press("8")
    screen = app.screen
    await settle(pilot, lambda: screen.trail is not None and screen.query_one(VirtualTable).row_count > 0)
    return screen


@run
async def test_audit_view_lists_the_trail_newest_first_filters_and_opens_a_record():
    from tui.screens.audit import AuditRecordScreen

    app = fixture_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await audit_view(app, pilot)
        assert app.current_mode == "audit"
        table = screen.query_one(VirtualTable)
        assert table.keys() == [str(n) for n in range(11, 0, -1)]  # newest first
        assert table.cells("11")[1:7] == ("22 Nov 14:35", "rkoul", "restore", "jmu-acc-1", "dry run", "")  # 09:05 UTC in IST
        assert table.cells("9")[2] == "root (sudo rkoul)" and table.cells("9")[6] == "RMA 7731: chassis replaced"
        text = " ".join(app.screen_text().split())
        assert "chain intact (records 1..11: hashes and seals verified)" in text and "times Asia/Kolkata" in text
        await pilot.press("slash", *"remediate", "enter")
        assert table.keys() == ["8", "7"]
        assert table.cells("8")[5] == "failed: 1 finding(s) remain"
        await pilot.press("enter")
        assert isinstance(app.screen, AuditRecordScreen)
        text = app.screen_text()
        assert "#8 remediate srn-acc-2" in text and "2026-11-22 09:40:52 IST" in text and "CHG-1187" in text
        assert "no ip http server" in text and "ip http secure-server" in text and "HARD-IOS-009" in text
        await pilot.press("escape", "escape")  # the record, then the filter
        assert app.screen is screen and table.row_count == 11
        await pilot.press("colon", *"trail", "enter")
        assert app.current_mode == "audit"


@run
async def test_audit_view_names_the_record_where_the_chain_broke():
    from netops.services.audit import Problem, Verification

    class Tampered(FixtureSource):
        def audit_verify(self):
            good = super().audit_verify()
            return Verification(good.path, good.records, good.first, good.last,
                                [Problem("edited", "its hash does not match its content", seq=5, line=5)])

    app = NetopsApp(lambda: Tampered(FIXTURE), TuiOptions(refresh=0), clock=clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await audit_view(app, pilot)
        await settle(pilot, lambda: "BROKEN" in app.screen_text())
        text = " ".join(app.screen_text().split())
        assert "chain BROKEN at record 5: edited: its hash does not match its content" in text
        await pilot.press("slash", *"^5$", "enter", "enter")
        assert "chain edited: its hash does not match its content" in " ".join(app.screen_text().split())


@run
async def test_audit_trail_that_cannot_be_read_is_said():
    class Unreadable(FixtureSource):
        def audit_log(self):
            raise PermissionError("[Errno 13] Permission denied: '/var/lib/netops/audit/audit.log'")

    app = NetopsApp(lambda: Unreadable(FIXTURE), TuiOptions(refresh=0), clock=clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("8")
        await settle(pilot, lambda: "Permission denied" in app.screen_text())
        assert "Traceback" not in app.screen_text() and app.screen.query_one(VirtualTable).row_count == 0


@run
async def test_privacy_report_from_the_audit_view_the_command_line_and_the_palette():
    from tui.screens.privacy import PrivacyScreen

    app = fixture_app()
    async with app.run_test(size=(180, 70)) as pilot:
        await audit_view(app, pilot)
        await pilot.press("P")
        assert isinstance(app.screen, PrivacyScreen)
        await settle(pilot, lambda: app.screen.report is not None)
        text = app.screen_text()
        assert "3 of 6 holding(s) personal" in text and "no safeguard missing" in text
        assert "│ Wi-Fi client" in text and "│ pseudonymised" in text and "│ clear " in text and "│ not stored" in text
        assert "keyed pseudonyms" in text and "│ client_history" in text and "DPDP Act 2023 s.11-12" in text
        await pilot.press("escape", "colon", *"dpdp", "enter")
        assert isinstance(app.screen, PrivacyScreen)
        await pilot.press("escape")
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Privacy report", "Look up a Wi-Fi client", "Go to audit"} <= titles


async def clients_answer(app, pilot, *keys: str) -> str:
    """Press ``keys`` on the clients screen and wait for the answer."""
    await pilot.press(*keys)
    await settle(pilot, lambda: "asking the controllers" not in app.screen_text())
    return app.screen_text()


@run
async def test_clients_lookup_from_the_wifi_view_live_and_history():
    from tui.screens.clients import ClientsScreen

    app = fixture_app()
    async with app.run_test(size=(140, 34), notifications=True) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        await pilot.press("4", "l")
        screen = app.screen
        assert isinstance(screen, ClientsScreen) and isinstance(app.focused, Input)
        text = await clients_answer(app, pilot, *"02-1A-7C-3E-41-0B", "enter")  # any MAC notation
        live, history = screen.query_one("#clients-live", VirtualTable), screen.query_one("#clients-history", VirtualTable)
        [key] = live.keys()
        assert live.cells(key) == ("jmu-ap-b1-f1-01", "JKS-Staff", "110", "-58 dBm", "36 dB", "jmu-wlc-1", "02:1a:7c:3e:41:0b",
                                   "a.sharma", "10.10.110.57", "mac")
        assert "(as mac, user) · live: 1 client(s) on 4 controller(s) · history: 1 sighting(s)" in text
        assert history.cells(history.keys()[0])[:2] == ("2026-11-22 14:55", "jmu-ap-b1-f1-01")  # IST
        await pilot.press("f", "ctrl+u")  # f hands the keys back to the prompt
        await clients_answer(app, pilot, *"a.sharma", "enter")
        assert [live.cells(k)[5] for k in live.keys()] == ["jmu-wlc-1", "srn-wlc-aireos"]  # on both campuses today
        assert history.row_count == 2
        await pilot.press("f", "ctrl+u")
        text = await clients_answer(app, pilot, *"d.bhat", "enter")  # left: only the history knows the pseudonym
        assert "live: not on any of 4 controller(s) · history: 1 sighting(s)" in text and live.row_count == 0
        await pilot.press("f", "ctrl+u")
        text = await clients_answer(app, pilot, "enter")
        assert "give a MAC address, a user name or an IP address" in text
        # clear identifiers stay on the screen: no notification, no job log carries them
        assert not any("a.sharma" in n.message or "02:1a" in n.message for n in app._notifications)
        assert app.jobs == []
        await pilot.press("escape")
        assert app.current_mode == "wifi" and app.screen.__class__.__name__ == "WifiScreen"
        await pilot.press("colon", *"clients", "enter")
        assert isinstance(app.screen, ClientsScreen)


@run
async def test_clients_lookup_errors_and_silent_controllers_are_said():
    from netops.services.clients import ClientsResult, ControllerStatus

    class NoControllers(FixtureSource):
        def clients(self, query):
            raise InputError("no Wi-Fi controller with a client table is selected (AireOS, Catalyst 9800, Aruba AOS 8 "
                             "controllers with an SNMP target)", key="--site/--host")

    class OneSilent(FixtureSource):
        def clients(self, query):
            found = super().clients(query)
            statuses = [s if s.host != "srn-wlc-aruba" else ControllerStatus(s.host, s.site, s.platform, 0, "timeout after 30 s", 30.0)
                        for s in found.controllers]
            return ClientsResult(found.clients, statuses, found.query, found.query_kinds, found.history)

    for source, said in ((NoControllers, "no Wi-Fi controller with a client table is selected"),
                         (OneSilent, "srn-wlc-aruba: timeout after 30 s")):
        app = NetopsApp(lambda s=source: s(FIXTURE), TuiOptions(refresh=0), clock=clock)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot, lambda a=app: a.snapshot is not None)
            await pilot.press("colon", *"find", "enter")
            text = await clients_answer(app, pilot, *"s.mir", "enter")
            assert said in " ".join(text.split()) and "Traceback" not in text and "--site" not in text


def hardened(tmp_path, remediate=None):
    """The fixture with two hardening findings carrying their fix (one of them with a step for a human)."""
    raw = json.loads(FIXTURE.read_text())
    raw["findings"] += [
        {"rule": "HARD-IOS-002", "title": "Remote login over SSH only, on every vty line", "severity": "critical",
         "host": "jmu-acc-1", "site": "jammu", "object": "line vty 0 4", "kind": "lines", "line": 212, "waived": False,
         "details": [{"key": "transport input .*telnet.*", "expected": "absent", "actual": "transport input telnet ssh"}],
         "fix": ["line vty 0 4", " transport input ssh", "! manual: check that the access-class MGMT-ACCESS exists"]},
        {"rule": "HARD-IOS-009", "title": "No HTTP server; HTTPS only when the web UI is needed", "severity": "high",
         "host": "srn-acc-2", "site": "srinagar", "object": "(top level)", "kind": "lines", "line": None, "waived": False,
         "details": [{"key": "ip http server", "expected": "absent", "actual": "ip http server"}],
         "fix": ["no ip http server", "ip http secure-server"]},
    ]
    raw["remediate"] = remediate or {}
    path = tmp_path / "hardened.json"
    path.write_text(json.dumps(raw))
    return path


def remediation(screen) -> str:
    """The finding pane's remediation line (its plan, its outcome) as plain text."""
    return str(screen.query_one("#remediation", Static).content)


async def open_finding(app, pilot, rule: str):
    from tui.screens.finding import FindingScreen

    await settle(pilot, lambda: app.snapshot is not None)
    await pilot.press("3", "slash", *rule, "enter", "down", "enter")
    assert isinstance(app.screen, FindingScreen) and app.screen.finding.rule == rule
    return app.screen


@run
async def test_remediation_from_the_finding_screen_confirms_with_a_reason_and_shows_the_result(tmp_path):
    app = fixture_app(hardened(tmp_path), job_delay=0.05)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_finding(app, pilot, "HARD-IOS-002")
        text = app.screen_text()
        assert "transport input ssh" in text and "needs a human" in text and remediation(screen).startswith("F remediates")
        await pilot.press("F")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = app.screen
        text = " ".join(app.screen_text().split())
        assert "Remediate HARD-IOS-002 on jmu-acc-1?" in text and "these 2 command(s)" in text and "will be pushed" in text
        assert "check that the access-class MGMT-ACCESS exists" in text  # never pushed, said
        await pilot.press("escape")  # declined: nothing runs
        assert app.screen is screen and app.jobs == [] and remediation(screen) == "not pushed: the confirmation was declined"
        await pilot.press("F")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press(*"CHG-2001 ny", "enter")  # the keys are the reason's: y and n are letters of it
        assert question is not app.screen and app.screen is screen
        job = app.jobs[-1]
        assert (job.kind, job.hosts, job.rule, job.reason) == ("remediate", ["jmu-acc-1"], "HARD-IOS-002", "CHG-2001 ny")
        await settle(pilot, lambda: job.finished is not None and remediation(screen).startswith("fixed:"))
        assert remediation(screen) == ("fixed: pushed 2 command(s) and saved; checked again: no finding of the rule remains; "
                                       "1 step(s) still need a human (the Compliance view shows it until the next check: c)")
        await pilot.press("escape", "6")
        assert "#1 remediate jmu-acc-1 HARD-IOS-002" in app.screen_text()


@run
async def test_remediation_that_leaves_findings_says_what_remains(tmp_path):
    remaining = [{"rule": "HARD-IOS-009", "object": "(top level)", "line": None,
                  "message": "ip http secure-server: expected present, got absent"}]
    app = fixture_app(hardened(tmp_path, {"srn-acc-2": {"remaining": remaining}}), job_delay=0.05)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_finding(app, pilot, "HARD-IOS-009")
        await pilot.press("F")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")  # no reason typed: NETOPS_REASON applies
        assert app.jobs[-1].reason is None
        await settle(pilot, lambda: remediation(screen).startswith("incomplete:"))
        assert remediation(screen) == ("incomplete: pushed 2 command(s); 1 finding(s) remain:\n"
                                       "  HARD-IOS-009 (top level): ip http secure-server: expected present, got absent")
        assert app.jobs[-1].results["srn-acc-2"].failed


@run
async def test_remediation_is_offered_only_for_a_fix_and_never_read_only(tmp_path):
    app = fixture_app(hardened(tmp_path), read_only=True)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_finding(app, pilot, "HARD-IOS-002")
        await pilot.press("F")
        await settle(pilot)
        assert app.screen is screen and app.jobs == []
        assert remediation(screen) == "read-only mode: remediation is disabled"
    app = fixture_app(hardened(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_finding(app, pilot, "SEG-001")  # a Wi-Fi segregation finding: no fix to push
        await pilot.press("F")
        await settle(pilot)
        assert app.screen is screen and not screen.query_one("#remediation").display


@run
async def test_top_bar_and_help_list_the_new_views_and_keys():
    app = fixture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: app.snapshot is not None)
        assert app.screen_text().splitlines()[0].startswith(" 1 Overview 2 Devices 3 Compliance 4 Wi-Fi 5 Backups 6 Jobs "
                                                            "7 Resilience 8 Audit")
        await pilot.press("question_mark", *"remediate")
        table = app.screen.query_one(DataTable)
        assert [str(c) for c in table.get_row_at(0)] == ["finding", "F", "Remediate (push the fix)"]
        await pilot.press(*["backspace"] * 9, *"client")
        assert ["wifi", "l", "Client lookup"] in [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
