"""Alert delivery end to end on real parts: an SMTP server (aiosmtpd), an HTTP server, UDP/TCP/Unix syslog
listeners on 127.0.0.1, the netops database filled by the real SNMP, backup and check code."""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult
from smtp_support import Inbox, serving

from netops.backup import records
from netops.backup.run import BackupPayload
from netops.errors import InputError
from netops.policy import store as check_store
from netops.policy.findings import CheckResult, Detail, Finding
from netops.results import DeviceResult, Status
from netops.services import alerts
from netops.settings import Settings
from netops.snmp import history
from netops.snmp.cycle import record
from netops.snmp.sample import ApSample, DeviceSample, InterfaceSample
from netops.snmp.thresholds import DeviceDown, Thresholds

REPO = Path(__file__).resolve().parent.parent
NETOPS = REPO / ".venv" / "bin" / "netops"
T0 = float(int(time.time()) - 7200)
TOKEN = "tok-3f9a1c77e2b54d0f"  # a test secret: must never show up anywhere
PASSWORD = "pw-8d2e61b0a4c9"
SYSLOG_LINE = re.compile(r"^<(?P<pri>\d{1,3})>1 (?P<ts>\S+) (?P<host>\S+) (?P<app>\S+) (?P<pid>\S+) (?P<msgid>\S+) "
                         r"(?P<sd>-|(?:\[(?:[^\]\\]|\\.)*\])+) (?P<msg>.*)$", re.S)


# ---------------------------------------------------------------- receivers


class Hook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        server: Any = self.server
        server.requests.append({"path": self.path, "headers": dict(self.headers), "body": json.loads(body)})
        status, text = server.answers.pop(0) if server.answers else (200, "ok")
        data = text.replace("{auth}", self.headers.get("Authorization", "")).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[Any]:
    server: Any = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    server.requests, server.answers = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


class Udp:
    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]

    def lines(self, wait: float = 0.5) -> list[bytes]:
        out = []
        self.sock.settimeout(wait)
        while True:
            try:
                out.append(self.sock.recv(65535))
            except TimeoutError:
                return out
            self.sock.settimeout(0.05)


@pytest.fixture
def udp() -> Iterator[Udp]:
    listener = Udp()
    try:
        yield listener
    finally:
        listener.sock.close()


class Tcp:
    """A TCP syslog receiver: every connection's bytes, split by RFC 6587 octet counting."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.streams: list[bytes] = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                data = b""
                while chunk := conn.recv(65536):
                    data += chunk
                self.streams.append(data)

    def frames(self) -> list[bytes]:
        out = []
        for data in self.streams:
            while data:
                length, _, rest = data.partition(b" ")
                assert length.isdigit() and not length.startswith(b"0"), data[:40]
                out.append(rest[:int(length)])
                data = rest[int(length):]
        return out


@pytest.fixture
def tcp() -> Iterator[Tcp]:
    listener = Tcp()
    try:
        yield listener
    finally:
        listener.server.close()


def parse_syslog(raw: bytes) -> dict[str, Any]:
    text = raw.decode("utf-8")
    match = SYSLOG_LINE.match(text)
    assert match, text
    out: dict[str, Any] = match.groupdict()
    out["facility"], out["severity"] = divmod(int(out["pri"]), 8)
    assert datetime.fromisoformat(out["ts"]).utcoffset() is not None
    return out


# ---------------------------------------------------------------- configuration and sources


def write_config(tmp_path: Path, smtp_port: int | None = None, webhook_port: int | None = None, syslog: str | None = None,
                 extra: str = "", protocol: str = "udp", auth: bool = False) -> Path:
    lines = ["data_dir: data", "report:", "  mail:", "    smtp_host: 127.0.0.1", f"    smtp_port: {smtp_port or 1}", "    tls: none",
             "    from: netops@example.org", "    to: [report@example.org]"]
    if auth:
        lines += ["    username: netops", "    password_env: ALERT_TEST_SMTP_PASSWORD"]
    lines += ["alerts:"]
    if smtp_port:
        lines += ["  mail:", "    to: [noc@example.org]"]
    if webhook_port:
        lines += ["  webhook:", f"    url: http://127.0.0.1:{webhook_port}/hooks/netops", "    token_env: ALERT_TEST_TOKEN", "    timeout: 5"]
    if syslog:
        lines += ["  syslog:", f'    address: "{syslog}"', f"    protocol: {protocol}", "    facility: local3"]
    lines += [f"  {line}" for line in extra.splitlines() if line.strip()]
    if lines[-1] == "alerts:":
        lines.append("  severity: high")
    path = tmp_path / "netops.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


ENV = {"ALERT_TEST_TOKEN": TOKEN, "ALERT_TEST_SMTP_PASSWORD": PASSWORD}


def settings_of(config: Path) -> Settings:
    return Settings.resolve(env={}, config=config)


def deliver(settings: Settings, at: float) -> alerts.DeliveryRun:
    return alerts.deliver(settings, now=datetime.fromtimestamp(at, timezone.utc), env=ENV)


def sample(t: float, up: bool, host: str = "jmu-acc-2", *, errors: int = 0, memory: float | None = None,
           aps: list[ApSample] | None = None) -> DeviceSample:
    s = DeviceSample(host, "cisco_xe", "jammu", "access", T0 + t)
    if not up:
        s.error = "sysUpTime: get: No SNMP response received before timeout"
        return s
    s.reachable, s.sys_uptime, s.memory_percent = True, int(100_000 + t * 100), memory
    s.interfaces = [InterfaceSample(1, "Gi1/0/1", oper_status="up", in_octets=0, out_octets=0, in_errors=errors, out_errors=0,
                                    counter_bits=64, speed_mbps=1000)]
    s.aps = aps
    return s


def poll(settings: Settings, t: float, *samples: DeviceSample, after_polls: int = 1) -> None:
    conn = history.open_history(settings.data_dir)
    try:
        record(conn, list(samples), T0 + t, Thresholds(device_down=DeviceDown(after_polls=after_polls)), 30)
    finally:
        conn.close()


# ---------------------------------------------------------------- tests


def test_one_message_per_alert_to_every_target_and_never_twice(tmp_path, smtp, webhook, udp) -> None:
    inbox, port = smtp
    settings = settings_of(write_config(tmp_path, port, webhook.server_address[1], f"127.0.0.1:{udp.port}"))
    poll(settings, 0, sample(0, True))
    assert deliver(settings, T0 + 1).queued == []  # the first read: nothing active yet
    poll(settings, 60, sample(60, False))
    run = deliver(settings, T0 + 61)
    assert [a.headline for a in run.queued] == ["RAISED critical device_down jmu-acc-2"]
    assert sorted((s.target, s.ok) for s in run.sent) == [("mail", True), ("syslog", True), ("webhook", True)]

    assert inbox.subjects() == ["[netops] RAISED critical device_down jmu-acc-2"]
    mail = inbox.messages[0]
    text = mail.get_payload(decode=True).decode()
    assert "jmu-acc-2 does not answer SNMP" in text and "site jammu" in text and "netops status" in text
    assert "IST (+05:30)" in text  # the configured time zone (Asia/Kolkata by default)
    assert mail["To"] == "noc@example.org" and mail["Auto-Submitted"] == "auto-generated"

    [request] = webhook.requests
    assert request["path"] == "/hooks/netops" and request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert request["headers"]["Content-Type"] == "application/json"
    body = request["body"]
    assert body["type"] == "single" and body["text"].startswith("RAISED critical device_down jmu-acc-2: ")
    assert {k: body["alert"][k] for k in ("source", "kind", "host", "severity", "state", "site")} == {
        "source": "snmp", "kind": "device_down", "host": "jmu-acc-2", "severity": "critical", "state": "raised", "site": "jammu"}

    [line] = udp.lines()
    parsed = parse_syslog(line)
    assert (parsed["facility"], parsed["severity"]) == (19, 2)  # local3, Critical
    assert (parsed["app"], parsed["msgid"]) == ("netops", "device_down") and parsed["pid"].isdigit()
    assert parsed["sd"].startswith('[origin software="netops" swVersion="')
    assert parsed["msg"].startswith("RAISED critical device_down jmu-acc-2: jmu-acc-2 does not answer SNMP")

    for later in (T0 + 62, T0 + 3000):  # a second and third run: nothing new, nothing re-sent
        poll(settings, later - T0, sample(later - T0, False))  # still down: no new event
        run = deliver(settings, later)
        assert run.queued == [] and run.sent == []
    assert len(inbox.messages) == 1 and len(webhook.requests) == 1 and udp.lines(0.2) == []


def test_cleared_after_raised_says_how_long_it_lasted(tmp_path, smtp, webhook, udp) -> None:
    inbox, port = smtp
    settings = settings_of(write_config(tmp_path, port, webhook.server_address[1], f"127.0.0.1:{udp.port}"))
    poll(settings, 0, sample(0, True))
    deliver(settings, T0)
    poll(settings, 60, sample(60, False))
    deliver(settings, T0 + 60)
    poll(settings, 360, sample(360, True))
    run = deliver(settings, T0 + 361)
    assert [a.headline for a in run.queued] == ["CLEARED critical device_down jmu-acc-2"]
    assert inbox.subjects() == ["[netops] RAISED critical device_down jmu-acc-2", "[netops] CLEARED critical device_down jmu-acc-2"]
    text = inbox.messages[1].get_payload(decode=True).decode()
    assert "CLEARED: jmu-acc-2 answers again" in text and "lasted 5m" in text
    assert webhook.requests[1]["body"]["alert"]["state"] == "cleared"
    lines = [parse_syslog(raw) for raw in udp.lines()]
    assert [(p["severity"], p["msg"].split(":")[0]) for p in lines] == [
        (2, "RAISED critical device_down jmu-acc-2"), (5, "CLEARED critical device_down jmu-acc-2")]  # cleared: Notice
    [cleared, raised] = alerts.history(settings)
    assert (cleared.alert.state, raised.alert.state) == ("cleared", "raised")
    assert cleared.alert.raised_at == raised.alert.time
    assert {d.target: d.status for d in cleared.deliveries} == {"mail": "sent", "webhook": "sent", "syslog": "sent"}


def test_severity_threshold_and_snmp_severities(tmp_path, smtp) -> None:
    inbox, port = smtp
    settings = settings_of(write_config(tmp_path, port, extra="severity: medium"))
    aps = [ApSample("jmu-ap-b1-f1-01", "up"), ApSample("jmu-ap-b1-f1-02", "up")]
    poll(settings, 0, sample(0, True, errors=0, memory=50), sample(0, True, "jmu-wlc-1", aps=aps))
    deliver(settings, T0)
    down = [ApSample("jmu-ap-b1-f1-01", "down"), ApSample("jmu-ap-b1-f1-02", "up")]
    poll(settings, 60, sample(60, True, errors=600, memory=95), sample(60, True, "jmu-wlc-1", aps=down))
    run = deliver(settings, T0 + 61)
    # interface errors are minor (medium), an AP down major (high): delivered; memory is warning (low): not
    assert sorted(a.headline for a in run.queued) == ["RAISED high ap_down jmu-ap-b1-f1-01",
                                                      "RAISED medium interface_errors jmu-acc-2 Gi1/0/1"]
    assert len(inbox.messages) == 2
    poll(settings, 120, sample(120, True, errors=1200, memory=50), sample(120, True, "jmu-wlc-1", aps=aps))
    run = deliver(settings, T0 + 121)
    assert [a.headline for a in run.queued] == ["CLEARED high ap_down jmu-ap-b1-f1-01"]  # memory cleared: its raise never went
    active = alerts.active(settings, severity="info", now=datetime.fromtimestamp(T0 + 121, timezone.utc))
    assert [(a.alert.kind, a.queued) for a in active] == [("interface_errors", True)]


def test_a_burst_becomes_a_digest_and_the_limit_holds_the_rest(tmp_path, smtp, webhook) -> None:
    inbox, port = smtp
    settings = settings_of(write_config(tmp_path, port, webhook.server_address[1], extra="rate_limit: {messages: 3, per: 10m}"))
    hosts = [f"jmu-acc-{n}" for n in range(1, 5)] + ["jmu-core-1", "jmu-core-2"]
    poll(settings, 0, *(sample(0, True, h) for h in hosts))
    deliver(settings, T0)
    poll(settings, 60, *(sample(60, False, h) for h in hosts))
    run = deliver(settings, T0 + 61)
    assert len(run.queued) == 6
    assert [s.kind for s in run.sent if s.target == "mail"] == ["single", "single", "digest"]
    assert inbox.subjects()[2] == "[netops] DIGEST 4 alerts (4 raised, 0 cleared), worst critical device_down jmu-acc-3"
    digest_text = inbox.messages[2].get_payload(decode=True).decode()
    assert all(f"RAISED critical device_down {h}" in digest_text for h in hosts[2:]) and "3 messages per 10m" in digest_text
    bodies = [r["body"] for r in webhook.requests]
    assert [b["type"] for b in bodies] == ["single", "single", "digest"] and bodies[2]["count"] == 4
    assert sorted(a["host"] for a in bodies[2]["alerts"]) == sorted(hosts[2:])

    poll(settings, 120, sample(120, True, "jmu-acc-1"), *(sample(120, False, h) for h in hosts[1:]))
    held = deliver(settings, T0 + 121)  # the 10-minute window already holds 3 messages per target
    assert held.sent == [] and held.held == {"mail": 1, "webhook": 1}
    assert held.next_at["mail"] == datetime.fromtimestamp(T0 + 61 + 600, timezone.utc)
    assert len(inbox.messages) == 3
    later = deliver(settings, T0 + 661)
    assert [(s.target, s.kind) for s in later.sent] == [("mail", "single"), ("webhook", "single")]
    assert inbox.subjects()[3] == "[netops] CLEARED critical device_down jmu-acc-1"


def test_a_failed_target_is_retried_without_resending_to_the_others(tmp_path, smtp, webhook, udp) -> None:
    inbox, port = smtp
    settings = settings_of(write_config(tmp_path, port, webhook.server_address[1], f"127.0.0.1:{udp.port}"))
    webhook.answers.append((503, "upstream chat is down\nsecond line"))
    poll(settings, 0, sample(0, True))
    deliver(settings, T0)
    poll(settings, 60, sample(60, False))
    run = deliver(settings, T0 + 61)
    [failed] = run.failed
    assert failed.target == "webhook" and "HTTP 503" in failed.detail and "upstream chat is down" in failed.detail
    assert "second line" not in failed.detail
    assert len(inbox.messages) == 1 and len(udp.lines()) == 1
    assert deliver(settings, T0 + 70).sent == []  # 30 s before the first retry
    retry = deliver(settings, T0 + 92)
    assert [(s.target, s.ok) for s in retry.sent] == [("webhook", True)]
    assert len(webhook.requests) == 2 and len(inbox.messages) == 1 and udp.lines(0.2) == []
    [transition] = alerts.history(settings)
    by_target = {d.target: d for d in transition.deliveries}
    assert (by_target["webhook"].status, by_target["webhook"].attempts, by_target["webhook"].error) == ("sent", 2, None)
    assert by_target["mail"].attempts == 1


def test_a_target_that_keeps_failing_is_given_up_and_recorded(tmp_path, smtp) -> None:
    inbox, port = smtp
    settings = settings_of(write_config(tmp_path, port))
    inbox.refusals = 100
    poll(settings, 0, sample(0, True))
    deliver(settings, T0)
    poll(settings, 60, sample(60, False))
    at, gave_up = T0 + 61, 0
    for _ in range(12):
        run = deliver(settings, at)
        gave_up += run.gave_up
        at += 3601
    assert gave_up == 1 and inbox.messages == []
    [transition] = alerts.history(settings)
    [mail] = transition.deliveries
    assert mail.status == "gave_up" and mail.attempts == 10 and "451 4.3.0 try again later" in (mail.error or "")


def test_syslog_over_tcp_is_octet_counted(tmp_path, tcp) -> None:
    settings = settings_of(write_config(tmp_path, syslog=f"127.0.0.1:{tcp.port}", protocol="tcp"))
    poll(settings, 0, sample(0, True), sample(0, True, "jmu-acc-1"))
    deliver(settings, T0)
    poll(settings, 60, sample(60, False), sample(60, False, "jmu-acc-1"))
    run = deliver(settings, T0 + 61)
    assert [s.ok for s in run.sent] == [True, True] and all(s.detail.startswith(f"tcp 127.0.0.1:{tcp.port}") for s in run.sent)
    deadline = time.monotonic() + 5
    while len(tcp.streams) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    frames = [parse_syslog(f) for f in tcp.frames()]
    assert sorted(f["msg"].split(":")[0] for f in frames) == ["RAISED critical device_down jmu-acc-1",
                                                             "RAISED critical device_down jmu-acc-2"]


def test_syslog_to_a_unix_socket(tmp_path) -> None:
    path = tmp_path / "log.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(str(path))
        listener.settimeout(5)
        settings = settings_of(write_config(tmp_path, syslog=str(path)))
        [sent] = alerts.test(settings)
        assert sent.ok and sent.detail.startswith(f"unix {path}")
        parsed = parse_syslog(listener.recv(65535))
    assert (parsed["facility"], parsed["severity"], parsed["msgid"]) == (19, 6, "test")


def backup_result(conn, host: str, status: Status, when: datetime, reason: str | None = None) -> None:
    run_id = records.start_run(conn)
    records.finish_run(conn, run_id, [DeviceResult(host, status, reason, "jammu", when, 1.0,
                                                   BackupPayload("cisco_xe", f"jammu/{host}.cfg", 1000))], None)


def test_backup_failed_and_stale_are_raised_and_cleared(tmp_path, smtp) -> None:
    inbox, port = smtp
    settings = settings_of(write_config(tmp_path, port, extra="backup_max_age: 1d"))
    now = datetime.now(timezone.utc).replace(microsecond=0)
    conn = records.open_db(settings.data_dir)
    backup_result(conn, "jmu-acc-1", Status.UNCHANGED, now - timedelta(days=3))
    backup_result(conn, "jmu-acc-2", Status.CHANGED, now - timedelta(hours=2))
    backup_result(conn, "jmu-acc-2", Status.FAILED, now - timedelta(minutes=10), "fetch: no answer within 60 s (output cut off)")
    run = alerts.deliver(settings, now=now, env=ENV)
    assert sorted(a.headline for a in run.queued) == ["RAISED high backup_failed jmu-acc-2", "RAISED high backup_stale jmu-acc-1"]
    stale = next(a for a in run.queued if a.kind == "backup_stale")
    assert stale.time == now - timedelta(days=2)  # when it went stale: last good backup + 1d
    assert "no good backup of jmu-acc-1 for 3d" in stale.message
    failed = next(m for m in inbox.messages if "backup_failed" in str(m["Subject"]))
    text = failed.get_payload(decode=True).decode()
    assert "fetch: no answer within 60 s" in text and "netops backup status --host jmu-acc-2" in text
    assert alerts.deliver(settings, now=now + timedelta(minutes=1), env=ENV).queued == []  # still failing: no new alert

    backup_result(conn, "jmu-acc-2", Status.UNCHANGED, now + timedelta(minutes=5))
    backup_result(conn, "jmu-acc-1", Status.CHANGED, now + timedelta(minutes=5))
    conn.close()
    run = alerts.deliver(settings, now=now + timedelta(minutes=6), env=ENV)
    assert sorted(a.headline for a in run.queued) == ["CLEARED high backup_failed jmu-acc-2", "CLEARED high backup_stale jmu-acc-1"]
    assert len(inbox.messages) == 4


def finding(rule: str, host: str, obj: str, severity: str, waived: bool = False) -> Finding:
    return Finding(rule, f"{rule} title", severity, host, "jammu", obj, "wlan", (Detail("security", "wpa3", "open"),), waived=waived)


def check_run(settings: Settings, *findings: Finding) -> int:
    conn = check_store.open_db(settings.data_dir)
    try:
        return check_store.save_run(conn, CheckResult(findings=list(findings), hosts=3), started=datetime.now(timezone.utc),
                                    policy="test.yaml", configs="configs")
    finally:
        conn.close()


def test_findings_new_since_the_previous_run_and_resolved(tmp_path, smtp) -> None:
    inbox, port = smtp
    settings = settings_of(write_config(tmp_path, port))
    check_run(settings, finding("WIFI-001", "jmu-wlc-1", "JKS-Guest", "high"), finding("WIFI-009", "jmu-wlc-1", "JKS-IoT", "high"))
    check_run(settings, finding("WIFI-001", "jmu-wlc-1", "JKS-Guest", "high"), finding("WIFI-002", "jmu-wlc-1", "JKS-Staff", "critical"),
              finding("WIFI-003", "jmu-wlc-1", "JKS-Staff", "low"), finding("WIFI-004", "jmu-wlc-1", "JKS-Lab", "critical", waived=True))
    run = alerts.deliver(settings, env=ENV)
    # only what the latest run found that the one before did not: not the known WIFI-001, not low, not waived
    assert [a.headline for a in run.queued] == ["RAISED critical finding jmu-wlc-1 WIFI-002/JKS-Staff"]
    assert "expected wpa3; actual open" in inbox.messages[0].get_payload(decode=True).decode()
    check_run(settings, finding("WIFI-002", "jmu-wlc-1", "JKS-Staff", "critical"), finding("WIFI-005", "jmu-acc-1", "Gi1/0/5", "high"))
    run = alerts.deliver(settings, env=ENV)
    assert [a.headline for a in run.queued] == ["RAISED high finding jmu-acc-1 WIFI-005/Gi1/0/5"]
    check_run(settings, finding("WIFI-005", "jmu-acc-1", "Gi1/0/5", "high"))
    run = alerts.deliver(settings, env=ENV)
    assert [a.headline for a in run.queued] == ["CLEARED critical finding jmu-wlc-1 WIFI-002/JKS-Staff"]
    assert alerts.deliver(settings, env=ENV).queued == []
    assert [a.alert.subject for a in alerts.active(settings)] == ["WIFI-005/Gi1/0/5"]
    assert len(inbox.messages) == 3


def test_report_not_sent_raised_once_and_cleared(tmp_path, smtp) -> None:
    inbox, port = smtp
    settings = settings_of(write_config(tmp_path, port))
    at = datetime(2026, 12, 4, 13, 31, tzinfo=timezone.utc)  # 19:01 in Asia/Kolkata
    run = alerts.report_overdue(settings, True, "the daily report of 2026-12-04 was not sent by 19:00", now=at)
    assert run is not None and [a.headline for a in run.queued] == []  # queued by report_overdue itself, sent by its run
    alerts.report_overdue(settings, True, "still not sent", now=at + timedelta(minutes=5))
    assert inbox.subjects() == ["[netops] RAISED high report_not_sent daily report"]
    assert "19:01:00 IST" in inbox.messages[0].get_payload(decode=True).decode()
    assert [a.alert.kind for a in alerts.active(settings)] == ["report_not_sent"]
    alerts.report_overdue(settings, False, "the daily report of 2026-12-04 went out at 19:20", now=at + timedelta(minutes=19))
    assert inbox.subjects()[1] == "[netops] CLEARED high report_not_sent daily report"
    assert alerts.active(settings) == []


def test_secrets_never_reach_the_outbox_or_a_message(tmp_path, webhook, udp) -> None:
    class Auth:
        def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
            return AuthResult(success=auth_data.login == b"netops" and auth_data.password == PASSWORD.encode())

    inbox = Inbox()
    with serving(inbox, authenticator=Auth(), auth_require_tls=False) as port:
        settings = settings_of(write_config(tmp_path, port, webhook.server_address[1], f"127.0.0.1:{udp.port}", auth=True))
        webhook.answers.append((401, "bad credentials: {auth}"))  # a server that echoes the token back
        poll(settings, 0, sample(0, True))
        deliver(settings, T0)
        poll(settings, 60, sample(60, False))
        run = deliver(settings, T0 + 61)
        alerts.deliver(settings, now=datetime.fromtimestamp(T0 + 100, timezone.utc), env={})  # token and password missing
    [failed] = run.failed
    assert "HTTP 401" in failed.detail and "Bearer <secret>" in failed.detail and TOKEN not in failed.detail
    assert len(inbox.messages) == 1
    stored = b"".join(p.read_bytes() for p in settings.data_dir.glob("netops.db*"))
    assert stored and TOKEN.encode() not in stored and PASSWORD.encode() not in stored
    assert b"ALERT_TEST_TOKEN" in stored  # the retry without the environment says which variable is missing
    sent = b"".join(inbox.raw) + json.dumps([r["body"] for r in webhook.requests]).encode() + b"".join(udp.lines())
    assert TOKEN.encode() not in sent and PASSWORD.encode() not in sent


def test_without_targets_transitions_are_only_recorded(tmp_path) -> None:
    settings = settings_of(write_config(tmp_path))
    poll(settings, 0, sample(0, True))
    deliver(settings, T0)
    poll(settings, 60, sample(60, False))
    run = deliver(settings, T0 + 61)
    assert run.targets == {} and run.sent == [] and len(run.queued) == 1
    [transition] = alerts.history(settings, hosts=["jmu-acc-2"])
    assert transition.deliveries == () and alerts.history(settings, hosts=["jmu-acc-1"]) == []


def test_bad_settings_name_file_line_and_key(tmp_path) -> None:
    config = write_config(tmp_path, syslog="syslog.example.org:99999")
    with pytest.raises(InputError) as caught:
        alerts.settings_of(settings_of(config))
    line = config.read_text().splitlines().index('    address: "syslog.example.org:99999"') + 1
    assert str(caught.value) == f"{config}:{line}: alerts.syslog.address: port 99999 is not between 1 and 65535"
    config.write_text("alerts:\n  mail:\n    to: [noc@example.org]\n")
    with pytest.raises(InputError, match=r"netops.yaml:3: alerts.mail.to: .*set report.mail.smtp_host and report.mail.from"):
        alerts.settings_of(settings_of(config))
    config.write_text("alerts:\n  backup_max_age: 1d\n  rate_limit:\n    per: 0m\n")
    with pytest.raises(InputError, match=r"netops.yaml:4: alerts.rate_limit.per: must be longer than 0s"):
        alerts.settings_of(settings_of(config))
    config.write_text("alerts:\n  webhook:\n    url: http://user:secret@chat.example.org/hook\n")
    with pytest.raises(InputError, match=r"netops.yaml:3: alerts.webhook.url: no user or password in the URL"):
        alerts.settings_of(settings_of(config))


def test_a_delivery_problem_never_fails_the_job_that_called_it(tmp_path, caplog) -> None:
    config = write_config(tmp_path, syslog="/nonexistent/netops-test.sock")
    settings = settings_of(config)
    poll(settings, 0, sample(0, True))
    alerts.after_run(settings, "poll")
    poll(settings, 60, sample(60, False))
    with caplog.at_level(logging.WARNING, logger="netops.alerts"):
        run = alerts.after_run(settings, "poll")
    assert run is not None and [s.target for s in run.failed] == ["syslog"]
    assert ("warning: alert delivery to syslog failed: unix /nonexistent/netops-test.sock: No such file or directory (1 alert(s) kept "
            "in the outbox, retried by a later run)") in caplog.text
    config.write_text(config.read_text().replace("/nonexistent/netops-test.sock", "nohost:0"))
    with caplog.at_level(logging.WARNING, logger="netops.alerts"):
        assert alerts.after_run(settings_of(config), "backup") is None
    assert "warning: alerts not delivered after backup:" in caplog.text and "alerts.syslog.address: port 0" in caplog.text


def netops(*args: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("NETOPS_")}  # the lab fixture's variables
    proc = subprocess.run([str(NETOPS), *args], capture_output=True, text=True, cwd=cwd, env={**base, **ENV, **(env or {})},
                          timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def test_cli_list_history_deliver_and_test(tmp_path, smtp, webhook) -> None:
    inbox, port = smtp
    config = write_config(tmp_path, port, webhook.server_address[1])
    settings = settings_of(config)
    poll(settings, 0, sample(0, True))
    alerts.deliver(settings, env={})  # the first read
    poll(settings, 60, sample(60, False))
    webhook.answers.append((500, "Internal Server Error"))
    rc, out, err = netops("alerts", "deliver", "--json", cwd=tmp_path)
    assert rc == 1, err
    report = json.loads(out)
    assert [q["kind"] for q in report["queued"]] == ["device_down"] and report["failed"] == 1
    assert {(m["target"], m["ok"]) for m in report["messages"]} == {("mail", True), ("webhook", False)}
    assert "HTTP 500 Internal Server Error" in next(m["detail"] for m in report["messages"] if m["target"] == "webhook")

    rc, out, err = netops("alerts", "list", "--json", cwd=tmp_path)
    assert rc == 0, err
    [row] = json.loads(out)
    assert (row["kind"], row["host"], row["queued"]) == ("device_down", "jmu-acc-2", True)
    assert {d["target"]: d["status"] for d in row["deliveries"]} == {"mail": "sent", "webhook": "failed"}

    rc, out, err = netops("alerts", "history", "--host", "jmu-acc-*", cwd=tmp_path, env={"COLUMNS": "200"})
    assert rc == 0, err
    assert "RAISED" in out and "device_down" in out and "sent: mail; retry 1: webhook" in out
    assert "webhook RAISED critical device_down jmu-acc-2: POST http://127.0.0.1:" in out and "(attempt 1, retried by a later run)" in out
    rc, out, err = netops("alerts", "history", "--host", "jmu-acc-9", cwd=tmp_path)
    assert rc == 2 and "jmu-acc-9" in err

    rc, out, err = netops("alerts", "test", cwd=tmp_path, env={"COLUMNS": "200"})
    assert rc == 0, err
    assert "ok: accepted by 127.0.0.1" in out and "ok: HTTP 200" in out
    assert inbox.subjects()[-1].startswith("[netops] TEST alert delivery from ")
    assert webhook.requests[-1]["body"]["type"] == "test"
    webhook.answers.append((404, "no such hook"))
    rc, out, err = netops("alerts", "test", "--json", cwd=tmp_path)
    assert rc == 1
    result = {t["target"]: t for t in json.loads(out)["targets"]}
    assert not result["webhook"]["ok"] and "HTTP 404 Not Found: no such hook" in result["webhook"]["detail"]


def test_cli_without_targets_and_bad_settings(tmp_path) -> None:
    config = write_config(tmp_path)
    rc, out, err = netops("alerts", "test", cwd=tmp_path)
    assert rc == 2 and f"no alert target configured in {config}" in err
    rc, out, err = netops("alerts", "deliver", cwd=tmp_path)
    assert rc == 0 and "recorded, nothing sent" in out
    config.write_text(config.read_text() + "  syslog:\n    address: 'a b'\n")
    rc, out, err = netops("alerts", "deliver", cwd=tmp_path)
    line = config.read_text().splitlines().index("    address: 'a b'") + 1
    assert rc == 2 and err.startswith(f"error: {config}:{line}: alerts.syslog.address: "), err


def test_a_clearing_waits_for_its_raise_on_a_failing_target(tmp_path, webhook) -> None:
    settings = settings_of(write_config(tmp_path, webhook_port=webhook.server_address[1]))
    webhook.answers.append((502, "Bad Gateway"))
    poll(settings, 0, sample(0, True))
    deliver(settings, T0)
    poll(settings, 60, sample(60, False))
    assert [s.ok for s in deliver(settings, T0 + 61).sent] == [False]
    poll(settings, 70, sample(70, True))
    run = deliver(settings, T0 + 71)  # the raise waits for its retry (30 s): its clearing waits behind it
    assert len(run.queued) == 1 and run.sent == [] and run.retrying == {"webhook": 2}
    run = deliver(settings, T0 + 92)
    assert [s.alerts[0].state for s in run.sent] == ["raised", "cleared"]
    assert [r["body"]["alert"]["state"] for r in webhook.requests] == ["raised", "raised", "cleared"]
