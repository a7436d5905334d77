"""Rates, events, alerts and retention across successive poll cycles (history in a real SQLite file)."""

from pathlib import Path

import pytest

from netops.snmp import history
from netops.snmp.cycle import record
from netops.snmp.sample import ApSample, DeviceSample, InterfaceSample
from netops.snmp.status import summary
from netops.snmp.thresholds import DeviceDown, Thresholds

T0 = 1_800_000_000.0


def sample(t: float, uptime: int | None, *, errors: int = 0, octets: int = 0, aps: list[ApSample] | None = None,
           host: str = "jmu-acc-1", bits: int = 64) -> DeviceSample:
    s = DeviceSample(host, "cisco_xe", "jammu", "access", T0 + t)
    if uptime is None:
        s.error = "sysUpTime: get: No SNMP response received before timeout"
        return s
    s.reachable, s.sys_uptime = True, uptime
    s.interfaces = [InterfaceSample(1, "Gi1/0/1", oper_status="up", in_octets=octets, out_octets=octets,
                                    in_errors=errors, out_errors=0, counter_bits=bits, speed_mbps=1000)]
    s.aps = aps
    return s


def events(conn) -> list[tuple[str, str]]:
    return [(r["kind"], r["subject"]) for r in conn.execute("SELECT kind, subject FROM snmp_event ORDER BY id")]


def active(conn) -> set[tuple[str, str]]:
    return {(r["kind"], r["subject"]) for r in conn.execute("SELECT kind, subject FROM snmp_alert")}


@pytest.fixture
def conn(tmp_path: Path):
    c = history.open_history(tmp_path)
    yield c
    c.close()


def test_rates_from_counters_and_agent_clock(conn) -> None:
    record(conn, [sample(0, 100_000, octets=0)], T0, Thresholds(), 30)
    # 60 s of agent time (6000 ticks) even though the poll itself ran 61 s later
    [s] = [sample(61, 106_000, octets=7_500_000)]
    record(conn, [s], T0 + 61, Thresholds(), 30)
    assert s.interfaces[0].in_bps == pytest.approx(7_500_000 * 8 / 60)


def test_32bit_wrap_gives_a_rate(conn) -> None:
    record(conn, [sample(0, 100_000, octets=2**32 - 1000, bits=32)], T0, Thresholds(), 30)
    s = sample(10, 101_000, octets=9000, bits=32)
    record(conn, [s], T0 + 10, Thresholds(), 30)
    assert s.interfaces[0].in_bps == pytest.approx(10_000 * 8 / 10)


def test_reboot_is_an_event_and_breaks_rates(conn) -> None:
    record(conn, [sample(0, 100_000, octets=5_000_000)], T0, Thresholds(), 30)
    s = sample(60, 2_000, octets=1_000)
    record(conn, [s], T0 + 60, Thresholds(), 30)
    assert events(conn) == [("reboot", "jmu-acc-1")]
    assert s.interfaces[0].in_bps is None


def test_device_down_after_n_polls_then_up(conn) -> None:
    th = Thresholds(device_down=DeviceDown(after_polls=2))
    record(conn, [sample(0, 100_000)], T0, th, 30)
    record(conn, [sample(60, None)], T0 + 60, th, 30)
    assert active(conn) == set()  # one silent poll is not enough
    record(conn, [sample(120, None)], T0 + 120, th, 30)
    assert active(conn) == {("device_down", "jmu-acc-1")}
    record(conn, [sample(180, 118_000)], T0 + 180, th, 30)
    assert active(conn) == set()
    assert events(conn) == [("device_down", "jmu-acc-1"), ("device_up", "jmu-acc-1")]


def test_interface_error_rate_threshold_opens_and_clears(conn) -> None:
    record(conn, [sample(0, 100_000, errors=0)], T0, Thresholds(), 30)
    record(conn, [sample(60, 106_000, errors=600)], T0 + 60, Thresholds(), 30)  # 10 errors/s
    assert active(conn) == {("interface_errors", "Gi1/0/1")}
    record(conn, [sample(120, 112_000, errors=600)], T0 + 120, Thresholds(), 30)
    assert active(conn) == set()
    assert events(conn) == [("interface_errors", "Gi1/0/1"), ("interface_errors_cleared", "Gi1/0/1")]


def test_ap_down_vanished_and_back(conn) -> None:
    both = [ApSample("AP-1", "up", clients=3), ApSample("AP-2", "up", clients=4)]
    record(conn, [sample(0, 100_000, aps=both, host="wlc")], T0, Thresholds(), 30)
    record(conn, [sample(60, 106_000, aps=[ApSample("AP-1", "down")], host="wlc")], T0 + 60, Thresholds(), 30)
    assert active(conn) == {("ap_down", "AP-1"), ("ap_down", "AP-2")}
    # controller silent: AP alerts stay as they are
    record(conn, [sample(120, None, host="wlc")], T0 + 120, Thresholds(), 30)
    assert ("ap_down", "AP-2") in active(conn)
    record(conn, [sample(180, 118_000, aps=both, host="wlc")], T0 + 180, Thresholds(), 30)
    assert active(conn) == set()
    assert ("ap_up", "AP-2") in events(conn)
    site = summary(conn)["sites"]["jammu"]
    assert (site["aps_up"], site["aps_down"], site["clients"]) == (2, 0, 7)


def test_retention_prunes_old_polls(conn) -> None:
    record(conn, [sample(0, 100_000)], T0, Thresholds(), 30)
    history.prune(conn, retention_days=1, now=T0 + 2 * 86400)
    assert conn.execute("SELECT count(*) FROM snmp_device").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM snmp_interface").fetchone()[0] == 0


def test_an_interface_without_a_rate_yet_keeps_its_alert(conn) -> None:
    """Back after a silence, the first poll has no rate: the error alert neither clears nor opens again."""
    record(conn, [sample(0, 100_000, errors=0)], T0, Thresholds(), 30)
    record(conn, [sample(60, 106_000, errors=600)], T0 + 60, Thresholds(), 30)
    record(conn, [sample(120, None)], T0 + 120, Thresholds(), 30)
    first_back = sample(180, 118_000, errors=1200)
    record(conn, [first_back], T0 + 180, Thresholds(), 30)
    assert first_back.interfaces[0].error_rate is None and active(conn) == {("interface_errors", "Gi1/0/1")}
    record(conn, [sample(240, 124_000, errors=1200)], T0 + 240, Thresholds(), 30)
    assert active(conn) == set()
    assert [e for e in events(conn) if e[1] == "Gi1/0/1"] == [("interface_errors", "Gi1/0/1"), ("interface_errors_cleared", "Gi1/0/1")]


def test_status_shows_no_interface_figures_of_a_silent_device(conn) -> None:
    record(conn, [sample(0, 100_000, errors=0, octets=0)], T0, Thresholds(), 30)
    record(conn, [sample(60, 106_000, errors=600, octets=6_000_000)], T0 + 60, Thresholds(), 30)
    assert summary(conn)["sites"]["jammu"]["worst_interfaces"]
    record(conn, [sample(120, None)], T0 + 120, Thresholds(), 30)
    assert summary(conn)["sites"]["jammu"]["worst_interfaces"] == []
