"""Personal data: keyed pseudonyms, --find normalisation, retention per data class, erasure, the privacy report."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import time
from contextlib import closing
from pathlib import Path

import pytest

from netops.config import Entry
from netops.errors import InputError
from netops.privacy.pseudonym import KEY_ENV, Pseudonymiser, key_path, kinds_of, normalise_mac
from netops.privacy.retention import retention
from netops.services import privacy
from netops.settings import Settings
from netops.snmp import history
from netops.snmp.clients import ClientRecord, ClientSighting, pseudonymise
from netops.snmp.sample import DeviceSample

MAC_FORMS = ["aa:bb:cc:00:11:22", "AA-BB-CC-00-11-22", "aabb.cc00.1122", "AABBCC001122", "aa bb cc 00 11 22",
             bytes.fromhex("aabbcc001122")]


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.delenv(KEY_ENV, raising=False)
    return Settings.resolve(env={"NETOPS_DATA_DIR": str(tmp_path / "data")}, config=None)


# -- pseudonyms --------------------------------------------------------------------------------------------------


def test_every_mac_notation_is_one_device(tmp_path: Path) -> None:
    p = Pseudonymiser(tmp_path / "k")
    assert {normalise_mac(m) for m in MAC_FORMS} == {"aa:bb:cc:00:11:22"}
    assert len({p.of("mac", m) for m in MAC_FORMS}) == 1
    assert normalise_mac("aa:bb:cc:00:11") is None and normalise_mac("not a mac") is None
    assert p.of("mac", "zz:bb:cc:00:11:22") is None


def test_pseudonyms_are_keyed_stable_and_separated_by_kind(tmp_path: Path) -> None:
    one, same, other = Pseudonymiser(tmp_path / "a"), Pseudonymiser(tmp_path / "a"), Pseudonymiser(tmp_path / "b")
    value = one.of("user", "Asha.Sharma")
    assert value == same.of("user", " asha.sharma ") == one.of("user", "ASHA.SHARMA")  # case and spaces folded
    assert value != other.of("user", "asha.sharma")  # another key, another pseudonym
    assert one.of("user", "aa:bb:cc:00:11:22") != one.of("mac", "aa:bb:cc:00:11:22")  # kinds never collide
    assert one.of("ip", "10.1.2.3") == one.of("ip", " 10.1.2.3") and one.of("ip", "10.1.2.300") is None
    assert value is not None and len(value) == 32 and "asha" not in value
    assert one.of("user", "") is None and one.of("user", None) is None


def test_the_key_is_created_once_with_mode_0600_and_a_loose_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "privacy" / "client.key"
    first = Pseudonymiser(path)
    digest = first.of("mac", MAC_FORMS[0])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert Pseudonymiser(path).of("mac", MAC_FORMS[1]) == digest  # read back, not replaced
    assert len(first.fingerprint()) == 16 and first.fingerprint() not in path.read_text()
    os.chmod(path, 0o644)
    with pytest.raises(InputError, match="readable by group or others"):
        Pseudonymiser(path).key()


def test_the_key_file_can_live_elsewhere(tmp_path: Path) -> None:
    assert key_path(tmp_path) == tmp_path / "privacy" / "client.key"
    assert key_path(tmp_path, {KEY_ENV: str(tmp_path / "vault" / "k")}) == tmp_path / "vault" / "k"


@pytest.mark.parametrize(("query", "kinds"), [
    ("aa-bb-cc-00-11-22", ["mac", "user"]), ("aabb.cc00.1122", ["mac", "user"]), ("10.20.110.21", ["ip", "user"]),
    ("fe80::1", ["ip", "user"]), ("asha.sharma42", ["user"]), ("DOMAIN\\asha", ["user"]),
])
def test_find_queries_are_read_as_every_kind_they_can_be(query: str, kinds: list[str]) -> None:
    assert kinds_of(query) == kinds


def test_a_sighting_holds_no_clear_identifier(tmp_path: Path) -> None:
    p = Pseudonymiser(tmp_path / "k")
    record = ClientRecord("aa:bb:cc:00:11:22", "10.20.110.21", "asha.sharma42", "jmu-ap-1", "aa:bb:cc:99:99:99",
                          "JKS-Staff", 110, "staff", -51, 40, "associated")
    sighting = pseudonymise(record, p)
    assert sighting is not None
    text = json.dumps(sighting.to_dict())
    for clear in ("aa:bb:cc:00:11:22", "aabbcc001122", "10.20.110.21", "asha"):
        assert clear not in text
    assert sighting.ap == "jmu-ap-1" and sighting.vlan == 110 and sighting.rssi == -51
    assert pseudonymise(ClientRecord("garbage"), p) is None


# -- retention ---------------------------------------------------------------------------------------------------


def test_retention_defaults_and_errors(tmp_path: Path) -> None:
    kept = retention({})
    assert {c: kept.days(c) for c in kept.seconds} == {"client_history": 30, "poll_history": 30, "findings": 365,
                                                       "audit_log": 180}
    where = tmp_path / "netops.yaml"
    assert retention({"client_history": Entry("7d", where, 3)}).days("client_history") == 7
    with pytest.raises(InputError, match="client_histroy") as err:
        retention({"client_histroy": Entry("7d", where, 3)})
    assert err.value.line == 3
    with pytest.raises(InputError, match="invalid age"):
        retention({"findings": Entry("a year", where, 4)})
    with pytest.raises(InputError, match="audit.retention") as err:  # one place for the audit log's: the audit trail's
        retention({"audit_log": Entry("365d", where, 5)})
    assert err.value.key == "retention.audit_log"


def test_settings_section_and_the_audit_fallback(tmp_path: Path) -> None:
    config = tmp_path / "netops.yaml"
    config.write_text("retention:\n  client_history: 7d\n  poll_history: 14d\n", encoding="utf-8")
    settings = Settings.resolve(env={"NETOPS_DATA_DIR": str(tmp_path / "d")}, config=config)
    kept = privacy.retention_of(settings)
    assert kept.days("client_history") == 7 and kept.days("poll_history") == 14
    assert kept.days("findings") == 365 and kept.days("audit_log") == 180  # built-in, and the audit trail's own


def _sample(host: str, ts: float, macs: list[str], p: Pseudonymiser) -> DeviceSample:
    sample = DeviceSample(host, "cisco_wlc", "jammu", "wlc", ts, reachable=True, aps=[], clients_per_ssid={})
    sample.clients = [pseudonymise(ClientRecord(m, "10.1.1.1", "asha.sharma42", "ap-1", None, "JKS-Staff", 110), p)
                      for m in macs]  # type: ignore[misc]
    return sample


def test_prune_removes_per_class_what_is_older_than_its_retention(settings: Settings) -> None:
    now = time.time()
    p = Pseudonymiser.for_data_dir(settings.data_dir)
    with closing(history.open_history(settings.data_dir)) as conn:
        history.store_poll(conn, [_sample("wlc-1", now - 40 * 86400, ["aa:bb:cc:00:00:01", "aa:bb:cc:00:00:02"], p)],
                           now - 40 * 86400, now - 40 * 86400)
        history.store_poll(conn, [_sample("wlc-1", now - 86400, ["aa:bb:cc:00:00:01"], p)], now - 86400, now - 86400)
    with closing(sqlite3.connect(settings.data_dir / "netops.db")) as raw:
        raw.executescript(
            "CREATE TABLE IF NOT EXISTS check_runs (id INTEGER PRIMARY KEY, source TEXT NOT NULL DEFAULT 'policy', started "
            "TEXT NOT NULL, finished TEXT NOT NULL, policy TEXT, configs TEXT, hosts INTEGER NOT NULL, rules_json TEXT NOT "
            "NULL DEFAULT '[]');")
    from netops.policy.store import open_db

    with closing(open_db(settings.data_dir)) as conn:
        for age in (400, 380, 10):
            when = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(now - age * 86400))
            run = conn.execute("INSERT INTO check_runs (started, finished, hosts) VALUES (?, ?, 1)", (when, when)).lastrowid
            conn.execute("INSERT INTO check_findings (run_id, rule, title, severity, host, site, object, kind, message, "
                         "details_json, waived) VALUES (?, 'R', 't', 'major', 'h', 's', 'o', 'k', 'm', '[]', 0)", (run,))
    dry = privacy.prune(settings, dry_run=True)
    assert {c.data_class: c.removed for c in dry.classes} == {"client_history": 2, "poll_history": 1, "findings": 2,
                                                              "audit_log": 0}
    done = privacy.prune(settings)
    assert {c.data_class: c.removed for c in done.classes} == {c.data_class: c.removed for c in dry.classes}
    again = privacy.prune(settings)
    assert {c.data_class: c.removed for c in again.classes} == {"client_history": 0, "poll_history": 0, "findings": 0,
                                                                "audit_log": 0}
    with closing(history.open_history(settings.data_dir)) as conn:
        assert history.client_summary(conn)["rows"] == 1
        assert conn.execute("SELECT count(*) FROM snmp_poll").fetchone()[0] == 1
    assert json.loads(json.dumps(done.to_dict()))["classes"][0]["data_class"] == "client_history"


def test_erasure_of_one_data_principal(settings: Settings) -> None:
    now = time.time()
    p = Pseudonymiser.for_data_dir(settings.data_dir)
    with closing(history.open_history(settings.data_dir)) as conn:
        sample = _sample("wlc-1", now, ["aa:bb:cc:00:00:01", "aa:bb:cc:00:00:02"], p)
        assert sample.clients is not None
        sample.clients[1] = ClientSighting(p.of("mac", "aa:bb:cc:00:00:02") or "", p.of("user", "neha.dar11"), None,
                                           "ap-2", "JKS-Staff", 110, None, None, None, None)
        history.store_poll(conn, [sample], now, now)
    with pytest.raises(InputError, match="IP address"):
        privacy.erase(settings, "10.1.1.1")
    assert privacy.erase(settings, "AA-BB-CC-00-00-01", dry_run=True).removed == 1
    gone = privacy.prune(settings, client="Neha.Dar11")
    assert gone.erasure is not None and gone.erasure.removed == 1 and "user" in gone.erasure.kinds
    with closing(history.open_history(settings.data_dir)) as conn:
        assert history.client_summary(conn)["rows"] == 1
    assert privacy.erase(settings, "aa:bb:cc:00:00:01").removed == 1


def test_privacy_report_shape(settings: Settings) -> None:
    p = Pseudonymiser.for_data_dir(settings.data_dir)
    now = time.time()
    with closing(history.open_history(settings.data_dir)) as conn:
        history.store_poll(conn, [_sample("wlc-1", now, ["aa:bb:cc:00:00:01"], p)], now, now)
    report = privacy.report(settings).to_dict()
    assert set(report) == {"generated", "data_dir", "holdings", "safeguards", "retention", "basis"}
    by_name = {h["name"]: h for h in report["holdings"]}
    client = by_name["Wi-Fi client history"]
    assert client["form"] == "pseudonymised" and client["data_class"] == "client_history"
    assert client["count"]["rows"] == 1 and client["count"]["devices"] == 1 and client["retention"].startswith("30 days")
    assert by_name["audit trail"]["form"] == "clear" and by_name["Wi-Fi clients, live"]["form"] == "not stored"
    assert {s["name"] for s in report["safeguards"]} >= {"keyed pseudonyms", "file modes", "secrets vault",
                                                          "SSH host key verification", "audit trail"}
    keyed = next(s for s in report["safeguards"] if s["name"] == "keyed pseudonyms")
    assert keyed["state"] == "in place" and p.fingerprint() in keyed["detail"]
    assert set(report["retention"]) == {"client_history", "poll_history", "findings", "audit_log"}
    assert any("erasure" in line for line in report["basis"])
