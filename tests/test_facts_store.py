"""The facts store: latest facts per device and per controller-listed AP, the history of changes, failed attempts."""

from __future__ import annotations

from contextlib import closing
from datetime import datetime, timedelta, timezone

import pytest

from netops.drivers.base import FactsSpec
from netops.facts import store
from netops.facts.collect import read_facts
from netops.model import ApFacts, DeviceFacts
from netops.results import DeviceResult, Status

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
SWITCH = DeviceFacts(vendor="Cisco", model="C9300-48P", serials=("FOC2233X0AB", "FOC2233X0CD"), os_name="IOS-XE",
                     os_version="17.09.04a", uptime_s=86400, reload_reason="Reload Command", hostname="jmu-core-1")
WLC = DeviceFacts(vendor="Cisco", model="AIR-CT5520-K9", serials=("FCH2139V0XY",), os_name="AireOS", os_version="8.10.190.0",
                  aps=(ApFacts("srn-ap-1", "AIR-AP2802I-D-K9", "FGL2231A0B1", "70:7d:b9:00:00:01", "10.2.40.11", "8.10.190.0"),
                       ApFacts("srn-ap-2", "AIR-AP2802I-D-K9", "FGL2231A0B2", "70:7d:b9:00:00:02", "10.2.40.12", "8.10.190.0")))


def ok(host: str, facts: DeviceFacts, site: str = "jammu") -> DeviceResult[DeviceFacts]:
    return DeviceResult(host, Status.OK, None, site, T0, 1.0, facts)


def failed(host: str, reason: str) -> DeviceResult[DeviceFacts]:
    return DeviceResult(host, Status.FAILED, reason, "jammu", T0, 1.0)


@pytest.fixture
def conn(tmp_path):
    with closing(store.open_db(tmp_path)) as c:
        yield c


def test_first_run_stores_devices_and_the_controllers_aps_without_changes(conn) -> None:
    changes = store.save(conn, [ok("jmu-core-1", SWITCH), ok("srn-wlc-1", WLC, "srinagar")], T0)
    assert changes == []  # a first sighting is not a change
    rows = {(r.name, r.kind): r for r in store.latest(conn)}
    assert set(rows) == {("jmu-core-1", "device"), ("srn-wlc-1", "device"), ("srn-ap-1", "ap"), ("srn-ap-2", "ap")}
    core = rows["jmu-core-1", "device"]
    assert core.facts == SWITCH and core.version == "17.09.04a" and core.collected == "2026-12-01T12:00:00+00:00"
    ap = rows["srn-ap-1", "ap"]
    assert (ap.controller, ap.site, ap.model, ap.version) == ("srn-wlc-1", "srinagar", "AIR-AP2802I-D-K9", "8.10.190.0")
    assert rows["srn-wlc-1", "device"].facts.aps == ()  # the APs are rows of their own
    assert ap.to_dict()["serial"] == "FGL2231A0B1"


def test_a_version_change_is_an_event_with_old_and_new(conn) -> None:
    store.save(conn, [ok("jmu-core-1", SWITCH), ok("srn-wlc-1", WLC)], T0)
    upgraded = DeviceFacts(**(SWITCH.to_dict() | {"os_version": "17.12.03", "serials": SWITCH.serials[:1], "uptime_s": 60,
                                                  "aps": ()}))
    moved = WLC.aps[0].to_dict() | {"version": "8.10.196.0"}
    wlc = DeviceFacts(**(WLC.to_dict() | {"os_version": "8.10.196.0", "aps": (ApFacts(**moved),), "serials": WLC.serials}))
    later = T0 + timedelta(days=1)
    changes = store.save(conn, [ok("jmu-core-1", upgraded), ok("srn-wlc-1", wlc)], later)
    seen = {(c.name, c.field): (c.old, c.new) for c in changes}
    assert seen == {
        ("jmu-core-1", "os_version"): ("17.09.04a", "17.12.03"),
        ("jmu-core-1", "serials"): ("FOC2233X0AB, FOC2233X0CD", "FOC2233X0AB"),  # a stack member gone
        ("srn-wlc-1", "os_version"): ("8.10.190.0", "8.10.196.0"),
        ("srn-ap-1", "version"): ("8.10.190.0", "8.10.196.0"),
    }  # uptime is no event; srn-ap-2, absent from this list, keeps its last facts
    assert all(c.at == "2026-12-02T12:00:00+00:00" for c in changes)
    assert [c.name for c in store.changes(conn, since=later) if c.version] == ["jmu-core-1", "srn-wlc-1", "srn-ap-1"]
    assert store.changes(conn, since=T0, until=later) == []
    assert [c.field for c in store.changes(conn, names=["srn-ap-1"])] == ["version"]
    aps = {r.name: r for r in store.latest(conn) if r.kind == "ap"}
    assert aps["srn-ap-2"].collected == "2026-12-01T12:00:00+00:00"


def test_an_ap_that_moves_to_another_controller_is_a_change(conn) -> None:
    store.save(conn, [ok("srn-wlc-1", WLC)], T0)
    other = DeviceFacts(model="Aruba7210", os_version="8.10.0.12", aps=(WLC.aps[1],))
    changes = store.save(conn, [ok("srn-mc-1", other)], T0 + timedelta(hours=1))
    assert [(c.name, c.field, c.old, c.new) for c in changes] == [("srn-ap-2", "controller", "srn-wlc-1", "srn-mc-1")]


def test_a_failed_device_keeps_its_last_facts_and_its_attempt_says_why(conn) -> None:
    store.save(conn, [ok("jmu-core-1", SWITCH)], T0)
    changes = store.save(conn, [failed("jmu-core-1", "timed out: TCP connection to device failed"),
                                failed("jmu-acc-9", "authentication failed")], T0 + timedelta(hours=1))
    assert changes == []
    assert [r.name for r in store.latest(conn)] == ["jmu-core-1"]  # never stored as empty facts
    assert store.latest(conn)[0].facts == SWITCH
    attempts = store.attempts(conn)
    assert attempts["jmu-core-1"] == {"at": "2026-12-01T13:00:00+00:00", "status": "failed",
                                      "reason": "timed out: TCP connection to device failed"}
    assert attempts["jmu-acc-9"]["reason"] == "authentication failed"


def test_by_host_prefers_a_devices_own_facts_over_a_controller_listing(conn) -> None:
    instant = DeviceFacts(model="AP-515", os_version="8.10.0.6", aps=(ApFacts("srn-iap-1", "AP-515", version="8.10.0.6"),
                                                                      ApFacts("srn-iap-2", "AP-505", version="8.10.0.6")))
    store.save(conn, [ok("srn-iap-1", instant)], T0)
    hosts = store.by_host(conn)
    assert hosts["srn-iap-1"].kind == "device" and hosts["srn-iap-2"].kind == "ap"
    assert hosts["srn-iap-2"].controller == "srn-iap-1"


def test_facts_round_trip_through_json() -> None:
    assert store.device_facts(WLC.to_dict()) == WLC


def _spec(parser):
    return FactsSpec(commands=("show version", "show inventory"), parser=parser)


def test_read_facts_refuses_empty_or_unreadable_answers() -> None:
    spec = _spec(lambda outputs: DeviceFacts(model="C9300-48P", os_version="17.9.4a"))
    assert read_facts(spec, {"show version": "..."}).model == "C9300-48P"
    with pytest.raises(ValueError, match="no answer to any of: show version, show inventory"):
        read_facts(spec, {})
    with pytest.raises(ValueError, match="no model, version or serial"):
        read_facts(_spec(lambda outputs: DeviceFacts()), {"show version": "% Invalid input"})

    def broken(outputs: dict[str, str]) -> DeviceFacts:
        raise KeyError("Version")

    with pytest.raises(ValueError, match="facts not read from the output of show version"):
        read_facts(_spec(broken), {"show version": "garbage"})


def test_the_dashboards_device_view_rows(tmp_path) -> None:
    from netops.services.facts import detail_rows
    from netops.settings import Settings

    settings = Settings.resolve(env={"NETOPS_DATA_DIR": str(tmp_path)})
    assert detail_rows(settings, "jmu-core-1") == ({}, "no facts read yet (netops inventory facts)")
    with closing(store.open_db(tmp_path)) as conn:
        store.save(conn, [ok("jmu-core-1", SWITCH), ok("srn-wlc-1", WLC, "srinagar")], T0)
        store.save(conn, [failed("jmu-core-1", "authentication failed")], T0 + timedelta(hours=2))
    rows, why = detail_rows(settings, "jmu-core-1", "C9300-24P")
    assert why is None and rows == {
        "hardware": "C9300-48P (inventory says C9300-24P)", "vendor": "Cisco", "serials": "FOC2233X0AB, FOC2233X0CD",
        "software": "IOS-XE 17.09.04a", "uptime": "1d", "last reload": "Reload Command", "facts read": "2026-12-01 12:00 UTC",
        "facts error": "last attempt 2026-12-01 14:00 failed: authentication failed"}
    with closing(store.open_db(tmp_path)) as conn:
        store.save(conn, [ok("srn-wlc-1", DeviceFacts(**(WLC.to_dict() | {"os_version": "8.10.196.0", "aps": WLC.aps})))],
                   T0 + timedelta(days=1))
    rows, _ = detail_rows(settings, "srn-wlc-1")
    assert rows["software changed"] == "2026-12-02 12:00 UTC: 8.10.190.0 -> 8.10.196.0"
    rows, _ = detail_rows(settings, "srn-ap-2", "AIR-AP2802I-D-K9")
    assert rows == {"hardware": "AIR-AP2802I-D-K9", "serials": "FGL2231A0B2", "software": "8.10.190.0", "listed by": "srn-wlc-1",
                    "facts read": "2026-12-02 12:00 UTC"}


def test_an_ap_both_cluster_members_list_is_stored_once_and_does_not_flap(conn) -> None:
    ap = ApFacts("srn-ap-b2-f1-01", "AP-515", "CN30047424", version="8.10.0.12")
    members = [ok("srn-mc-2", DeviceFacts(model="Aruba7210", os_version="8.10.0.12", aps=(ap,)), "srinagar"),
               ok("srn-mc-1", DeviceFacts(model="Aruba7210", os_version="8.10.0.12", aps=(ap,)), "srinagar")]
    store.save(conn, members, T0)
    assert store.save(conn, list(reversed(members)), T0 + timedelta(hours=1)) == []
    assert [r.controller for r in store.latest(conn) if r.kind == "ap"] == ["srn-mc-1"]
