"""Pure pieces of the dashboard: row filters, per-campus figures, cell formats."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from tui_support import FIXTURE, NOW

from netops.ages import short, since
from netops.services.state import site_summary
from tui.filtering import RowFilter
from tui.fixture import FixtureSource
from tui.format import bits, utilisation


@pytest.mark.parametrize(
    "text, shown",
    [
        ("", True),
        ("acc", True),
        ("ACC", True),  # case-insensitive
        ("^srn", False),
        ("!^srn", True),
        ("!acc", False),
        ("!", True),  # a lone "!" negates nothing
        ("^jmu-acc-1$", True),  # anchors apply to each field
        ("^jammu$", True),
        ("^jmu-acc-1 jammu", False),  # fields are not joined
        ("!^(jammu|srinagar)$", False),
    ],
)
def test_row_filter(text, shown):
    assert RowFilter.parse(text)(("jmu-acc-1", "jammu", "access")) is shown


def test_invalid_regex_is_an_error_not_a_crash():
    with pytest.raises(re.error):
        RowFilter.parse("[")


def test_site_summary_of_the_fixture():
    snap = FixtureSource(FIXTURE).snapshot()
    jammu = site_summary(snap, "jammu", NOW)
    assert (jammu.devices_up, jammu.devices_down, jammu.devices_unpolled) == (8, 1, 0)
    assert (jammu.aps_up, jammu.aps_down) == (3, 1)
    assert jammu.clients == 142 + 37 + 21  # the open guest-house SSID has no client count
    assert jammu.findings == {"critical": 2, "high": 2, "medium": 0, "low": 0, "info": 0}
    backups = (jammu.backups_fresh, jammu.backups_stale, jammu.backups_failed, jammu.backups_never)
    assert backups == (7, 0, 1, 1)  # the failed device (its good copy is two days old) counts once, as failed
    assert sum(backups) == jammu.devices == 9  # every device in exactly one state
    assert jammu.alerts == 2  # a switch and an AP of Jammu
    srinagar = site_summary(snap, "srinagar", NOW)
    assert srinagar.waived == 1 and srinagar.findings["critical"] == 1
    assert srinagar.alerts == 1


@pytest.mark.parametrize(
    "seconds, text", [(None, "-"), (0, "0s"), (59, "59s"), (60, "1m"), (3599, "59m"), (7200, "2h"), (3 * 86400 + 5, "3d")]
)
def test_duration(seconds, text):
    assert short(seconds) == text


def test_age_is_measured_from_the_injected_clock():
    assert since(NOW - timedelta(hours=5), NOW) == "5h"
    assert since(None, NOW) == "never"
    assert since(NOW + timedelta(minutes=1), NOW) == "0s"  # clock skew never shows negative ages


@pytest.mark.parametrize("bps, text", [(None, "-"), (999, "999 b/s"), (1520000.0, "1.5 Mb/s"), (310e6, "310 Mb/s"),
                                       (2.5e9, "2.5 Gb/s"), (1e9, "1 Gb/s")])
def test_bits(bps, text):
    assert bits(bps) == text


@pytest.mark.parametrize("rates, speed, text", [((5e6, 12e6), 100, "12.0 %"), ((None, None), 1000, "-"), ((1e6, 0), None, "-")])
def test_utilisation(rates, speed, text):
    assert utilisation(*rates, speed) == text


@pytest.mark.parametrize(
    "text, devices, links",
    [
        ("jmu-core-1", ["jmu-core-1"], []),
        (" jmu-core-1,jmu-core-2  jmu-wlc-1 ", ["jmu-core-1", "jmu-core-2", "jmu-wlc-1"], []),
        ("jmu-core-2:Te1/1/4-jmu-acc-4:Te1/1/1, jmu-wlc-2", ["jmu-wlc-2"], ["jmu-core-2:Te1/1/4-jmu-acc-4:Te1/1/1"]),
        (" , ", [], []),
    ],
)
def test_whatif_prompt_splits_devices_and_links(text, devices, links):
    from tui.screens.resilience import parse_failures

    assert parse_failures(text) == (devices, links)


def test_whatif_site_is_the_one_of_every_name():
    from tui.screens.resilience import site_of_names

    snap = FixtureSource(FIXTURE).snapshot()
    assert site_of_names(["srn-core-1"], snap) == "srinagar"
    assert site_of_names(["jmu-ap-b1-f1-01", "jmu-core-2:Te1/1/4-jmu-acc-4:Te1/1/1"], snap) == "jammu"  # an AP, a link
    assert site_of_names(["srn-core-1", "jmu-core-1"], snap) is None  # mixed: the view's site decides
    assert site_of_names(["nonsense"], snap) is None


def test_fixture_campus_answers_like_netops():
    """The fixture's campus goes through netops' own model: the same errors, a consistent audit."""
    from netops.errors import InputError

    source = FixtureSource(FIXTURE)
    audit = source.resilience("jammu")
    assert {p.device for p in audit.single_points if p.device and p.scope == "campus"} == {
        d for d, state in audit.devices.items() if state == "spof"}
    both = source.whatif(["jmu-core-1", "jmu-core-2"], [], "jammu")
    assert both.vlans_without_gateway == [10, 20, 110, 111, 700, 900] and both.clients_affected == 265
    with pytest.raises(InputError, match="unknown device 'srn-core-1'"):
        source.whatif(["srn-core-1"], [], "jammu")
    with pytest.raises(InputError, match="no device of site 'leh'"):
        source.resilience("leh")


def test_chain_line_says_intact_or_where_it_broke():
    from pathlib import Path

    from netops.services.audit import Problem, Verification
    from tui.screens.audit import chain_line

    log = Path("/var/lib/netops/audit/audit.log")
    assert chain_line(Verification(log, 42, 3, 44, [])).plain == "chain intact (records 3..44: hashes and seals verified)"
    assert chain_line(Verification(log, 0, None, None, [])).plain == "chain intact (no record yet: hashes and seals verified)"
    broken = Verification(log, 42, 3, 44, [Problem("deleted", "record 17 is missing", seq=18, line=15),
                                           Problem("edited", "hash mismatch", seq=20, line=17)])
    assert chain_line(broken).plain == "chain BROKEN at record 18: deleted: record 17 is missing (+1 more)"
    assert chain_line(Verification(log, 0, None, None, [Problem("missing key", "audit.key is gone")])).plain == (
        "chain BROKEN at the log: missing key: audit.key is gone")


def test_fixture_trail_is_chained_and_every_client_identifier_is_made_up():
    source = FixtureSource(FIXTURE)
    records = source.audit_log().records
    assert [r.seq for r in records] == list(range(1, len(records) + 1))
    assert all(r.prev == p.hash for p, r in zip(records, records[1:])) and records[0].prev == ""
    assert source.audit_verify().intact
    from tui.fixture import SIGHTINGS, WIFI_CLIENTS

    macs = {c[1] for c in WIFI_CLIENTS} | {s[6][0] for s in SIGHTINGS}
    assert all(int(m.split(":")[0], 16) & 0x02 for m in macs)  # locally administered: no vendor's, no person's


@pytest.mark.parametrize("query, matched, kinds", [
    ("02:1A:7C:3E:41:0B", ("mac",), ("mac", "user")),
    ("021a.7c3e.410b", ("mac",), ("mac", "user")),
    ("10.10.110.57", ("ip",), ("ip", "user")),
    ("A.Sharma", ("user",), ("user",)),
    ("someone.else", (), ("user",)),
])
def test_fixture_client_lookup_reads_any_notation(query, matched, kinds):
    result = FixtureSource(FIXTURE).clients(query)
    jammu = [c for c in result.clients if c.controller == "jmu-wlc-1"]
    assert (jammu[0].matched if jammu else ()) == matched
    assert result.query_kinds == kinds and len(result.controllers) == 4 and not result.failed


def test_remediation_outcome_lines():
    from netops.services.remediate import HostPlan
    from tui.screens.finding import outcome

    plan = HostPlan("jmu-acc-1", "cisco_xe", commands=["line vty 0 4", " transport input ssh"])
    assert outcome(plan).plain == "nothing pushed: planned"
    plan.pushed = True
    assert outcome(plan).plain.startswith("fixed: pushed 2 command(s) and saved")
    plan.remaining = [{"rule": "HARD-IOS-002", "object": "line vty 5 15", "message": "transport input telnet"}]
    assert outcome(plan).plain == "incomplete: pushed 2 command(s); 1 finding(s) remain:\n  HARD-IOS-002 line vty 5 15: transport input telnet"
    plan.error = "verification failed: timeout after 60 s"
    assert outcome(plan).plain == "failed: verification failed: timeout after 60 s"


def test_privacy_held_figures_show_days_not_instants():
    from tui.screens.privacy import held

    assert held({"rows": 12, "devices": 4, "users": 0, "oldest": "2026-11-15T09:30:00+00:00", "newest": None}) == (
        "rows 12 · devices 4 · users 0 · oldest 2026-11-15")
    assert held({}) == "-"
