"""``netops report daily`` and ``report status`` end to end on a recorded campus history: the JSON figures, the
formats, a real SMTP server receiving the mail, a real browser rendering the HTML."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from email.message import Message
from pathlib import Path

import pytest
from report_support import ZONE, Campus, build

ROOT = Path(__file__).resolve().parents[1]


def netops(campus: Campus, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "netops", *args], capture_output=True, text=True, timeout=120, cwd="/",
                          env={**os.environ, **campus.env, "COLUMNS": "160"})


@pytest.fixture(scope="module")
def campus(tmp_path_factory: pytest.TempPathFactory) -> Campus:
    return build(tmp_path_factory.mktemp("campus"))


def iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).astimezone(ZONE).isoformat(timespec="seconds")


def test_json_has_the_figures_and_says_what_has_no_data(campus: Campus) -> None:
    proc = netops(campus, "report", "daily", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["timezone"] == "Asia/Kolkata" and report["date"] == dt.datetime.now(ZONE).date().isoformat()
    assert report["period"]["partial"] is True
    jammu = report["sites"]["jammu"]["availability"]
    [down] = jammu["down"]
    assert (down["host"], down["from"], down["to"]) == ("sw1", iso(campus.down_from), iso(campus.down_to))
    # sw1 lost 10 of 180 minutes; wlc1 lost none: 350 / 360 minutes measured up
    assert jammu["devices_percent"] == pytest.approx(100 * 350 / 360, abs=0.01) and jammu["aps_percent"] == 100.0
    assert report["sites"]["srinagar"]["availability"]["devices_percent"] == 100.0
    assert report["sites"]["jammu"]["headline"]["status"] == "red"  # 97.2 % is below the red line (99 %)
    assert "below 99" in report["sites"]["jammu"]["headline"]["reason"]
    # no check, no backup: said, never zeros
    assert report["findings"]["active"] is None and "no check run" in report["missing"]["compliance"]
    assert report["config_changes"] == [] and "no backup ran" in report["missing"]["backups"]
    assert [a["kind"] for a in report["alerts"]] == ["device_down", "device_up"]
    assert report["interfaces"]["errors"][0]["host"] == "sw2"
    peaks = {s["ssid"]: s["peak"] for s in report["sites"]["jammu"]["wifi"]["clients_per_ssid"]}
    assert peaks == {"JKS-Staff": 16, "JKS-Guest": 6}


def test_a_day_without_data_says_so_section_by_section(campus: Campus) -> None:
    yesterday = (dt.datetime.now(ZONE) - dt.timedelta(days=1)).date().isoformat()
    report = json.loads(netops(campus, "report", "daily", "--date", yesterday, "--json").stdout)
    jammu = report["sites"]["jammu"]
    assert jammu["availability"]["devices_percent"] is None and jammu["availability"]["aps_percent"] is None
    assert "no SNMP poll recorded" in report["missing"]["availability"]
    assert jammu["headline"] == {"status": "red", "reason": "no SNMP data for the day: availability unknown"}
    assert report["alerts"] == [] and report["period"]["partial"] is False


def test_formats(campus: Campus, tmp_path: Path) -> None:
    md = netops(campus, "report", "daily", "--format", "md")
    assert md.returncode == 0 and md.stdout.startswith("# Infrastructure status") and "| sw1 |" in md.stdout
    pdf = netops(campus, "report", "daily", "-o", str(tmp_path / "day.pdf"))
    assert pdf.returncode == 0 and (tmp_path / "day.pdf").read_bytes().startswith(b"%PDF")
    html = netops(campus, "report", "daily")
    kept = next((campus.data_dir / "reports").glob("*/netops-daily-*.html"))
    assert html.returncode == 0 and str(kept) in html.stderr
    text = kept.read_text()
    assert "<script" not in text and "http" not in text.split("<svg", 1)[0].split("</style>", 1)[1]  # offline, no JS
    assert text.count("<svg") >= 3  # two availability strips, a clients chart
    assert oct(kept.stat().st_mode & 0o777) == "0o644"


def test_bad_input_exit_2(campus: Campus) -> None:
    for args, key in ((["--date", "2026-02-30"], "--date"), (["--format", "docx"], "--format"), (["--site", "leh"], "--site"),
                      (["--send"], "--send")):
        proc = netops(campus, "report", "daily", *args)
        assert proc.returncode == 2 and f"{key}:" in proc.stderr, (args, proc.stderr)


def mail_args(port: int) -> list[str]:
    return ["--send", "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--smtp-tls", "none",
            "--from", "netops@secretariat.example", "--to", "noc@secretariat.example", "--to", "it@secretariat.example"]


def test_send_html_text_and_pdf_then_status(tmp_path: Path, smtp) -> None:
    campus = build(tmp_path, hours=1)
    inbox, port = smtp
    before = netops(campus, "report", "status", "--json")
    assert json.loads(before.stdout)["sent"] is None
    proc = netops(campus, "report", "daily", *mail_args(port))
    assert proc.returncode == 0, proc.stderr
    assert "sent to noc@secretariat.example, it@secretariat.example" in proc.stderr
    [msg] = inbox.messages
    assert str(msg["Subject"]).strip().startswith(f"Infrastructure status {dt.datetime.now(ZONE).date()}: Jammu ")
    parts: dict[str, Message] = {p.get_content_type(): p for p in msg.walk() if not p.is_multipart()}
    assert set(parts) == {"text/plain", "text/html", "application/pdf"}
    assert re.search(r"^Jammu: (GREEN|AMBER|RED) - ", parts["text/plain"].get_payload(decode=True).decode(), re.M)
    assert b"<svg" in parts["text/html"].get_payload(decode=True)
    pdf = parts["application/pdf"]
    assert pdf.get_filename().endswith(".pdf") and pdf.get_payload(decode=True).startswith(b"%PDF")
    state = netops(campus, "report", "status", "--json")
    sent = json.loads(state.stdout)["sent"]
    assert state.returncode == 0 and sent["recipients"] == ["noc@secretariat.example", "it@secretariat.example"]
    assert all(Path(f).is_file() for f in sent["files"])


def test_a_refused_mail_is_exit_1_the_report_kept_and_status_overdue(tmp_path: Path, smtp) -> None:
    campus = build(tmp_path, hours=1, report='report: {deadline: "00:00"}\n')  # today's deadline has passed
    inbox, port = smtp
    inbox.refusals, inbox.refuse = 100, "554 5.7.1 relaying denied"
    proc = netops(campus, "report", "daily", *mail_args(port))
    assert proc.returncode == 1 and "554 5.7.1 relaying denied" in proc.stderr and "the report is kept in" in proc.stderr
    assert list((campus.data_dir / "reports").glob("*/netops-daily-*.pdf"))
    state = netops(campus, "report", "status", "--json")
    info = json.loads(state.stdout)
    assert state.returncode == 1 and info["overdue"] and info["sent"] is None and "relaying denied" in info["last_failure"]["error"]
    active = netops(campus, "alerts", "list", "--json")
    assert "report_not_sent" in active.stdout and "relaying denied" in active.stdout, active.stdout  # an alert like any other
    inbox.refusals = 0
    assert netops(campus, "report", "daily", *mail_args(port)).returncode == 0
    assert "report_not_sent" not in netops(campus, "alerts", "list", "--json").stdout  # cleared once it went out


def test_the_html_renders_in_a_real_browser(campus: Campus, tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium is installed by scripts/install-system-deps.sh"
    page = tmp_path / "report.html"
    assert netops(campus, "report", "daily", "-o", str(page)).returncode == 0
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([chromium, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert "Infrastructure status" in dom.stdout and "sw1" in dom.stdout
    shot = tmp_path / "shot.png"
    subprocess.run([chromium, *flags, f"--screenshot={shot}", "--window-size=1000,1400", page.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 20_000
