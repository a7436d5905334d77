"""The Prometheus exporter under load and with a broken database (issue 19).

A real ``netops exporter`` server (:func:`netops.services.poll.serve`) over a SQLite history that a writer thread
fills with poll cycles at the same time. Every scrape answers 200 with the figures of one poll (each poll writes
its number into every device's CPU and every interface's counters, so a scrape mixing two polls shows); no
"database is locked" reaches a scraper. A missing or corrupt ``netops.db`` is a 503 with a one-line reason, and
the server keeps serving once the database is back.

CI: 50 concurrent scrapes. Nightly (``long``): scrapes and writes for ``NETOPS_EXPORTER_SOAK`` seconds (600).
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from netops.errors import NetopsError
from netops.services.poll import serve
from netops.snmp import history
from netops.snmp.sample import DeviceSample, InterfaceSample
from netops.stores.db import db_path

HOSTS = [f"jmu-acc-{n}" for n in range(1, 9)]
VALUE = re.compile(r"^(netops_device_cpu_percent|netops_interface_in_octets_total)\{[^}]*\} (\S+)$", re.MULTILINE)


def _poll(data_dir: Path, k: int) -> None:
    now = time.time()
    samples = [
        DeviceSample(host, "cisco_xe", "jammu", "access", now, reachable=True, cpu_percent=float(k % 100),
                     interfaces=[InterfaceSample(i, f"Gi1/0/{i}", oper_status="up", in_octets=k, out_octets=k)
                                 for i in range(1, 25)])
        for host in HOSTS
    ]
    with closing(history.open_history(data_dir)) as conn:
        history.store_poll(conn, samples, now, now)


@dataclass
class Exporter:
    url: str
    data_dir: Path

    def get(self, timeout: float = 30) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url, timeout=timeout) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()


@pytest.fixture
def exporter(tmp_path: Path) -> Iterator[Exporter]:
    _poll(tmp_path, 0)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings: Any = SimpleNamespace(data_dir=tmp_path)  # serve() reads only the data directory
    stop, ready = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            serve(settings, "127.0.0.1", port, stop, None, lambda _url: ready.set())
        except BaseException as exc:  # reported by the test
            errors.append(exc)
            ready.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10) and not errors, errors
    yield Exporter(f"http://127.0.0.1:{port}/metrics", tmp_path)
    stop.set()
    thread.join(10)
    assert not thread.is_alive() and not errors, errors  # the server never died


def _consistent(text: str) -> int:
    """The one poll number a scrape shows (every device's CPU and every interface's counter agree)."""
    found = VALUE.findall(text)
    assert len(found) == len(HOSTS) * 25, f"{len(found)} figures"
    counters = {float(v) for name, v in found if name.startswith("netops_interface")}
    cpus = {float(v) for name, v in found if name == "netops_device_cpu_percent"}
    assert len(counters) == 1, f"a scrape mixes polls {sorted(counters)}"
    k = int(counters.pop())
    assert cpus == {float(k % 100)}, f"CPU {cpus} is not from poll {k}"
    return k


def _load(exporter: Exporter, scrapes: int, seconds: float | None = None) -> tuple[int, int]:
    """``scrapes`` concurrent scrapes (50 at a time; for ``seconds`` when given) while a writer stores polls."""
    stop = threading.Event()
    written = [0]

    def writer() -> None:
        while not stop.is_set():
            written[0] += 1
            _poll(exporter.data_dir, written[0])

    def scrape(_: int) -> tuple[int, str]:
        return exporter.get()

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    done = 0
    seen: set[int] = set()
    try:
        deadline = time.monotonic() + (seconds or 0)
        with ThreadPoolExecutor(max_workers=50) as pool:
            while True:
                for status, text in pool.map(scrape, range(scrapes)):
                    assert status == 200, text
                    assert "locked" not in text
                    seen.add(_consistent(text))
                    done += 1
                if seconds is None or time.monotonic() > deadline:
                    break
    finally:
        stop.set()
        thread.join(30)
    assert written[0] > 0
    return done, len(seen)


@pytest.mark.matrix("exporter under load", "50 concurrent scrapes while a writer stores polls (real server, SQLite WAL)")
def test_fifty_concurrent_scrapes_while_polls_write(exporter: Exporter) -> None:
    done, polls = _load(exporter, 50)
    assert done == 50 and polls >= 1


@pytest.mark.long
@pytest.mark.matrix("exporter under load", "scrapes (50 at a time) and poll writes for 10 minutes")
def test_ten_minutes_of_scrapes_and_writes(exporter: Exporter) -> None:
    done, polls = _load(exporter, 50, seconds=float(os.environ.get("NETOPS_EXPORTER_SOAK", "600")))
    assert done >= 50 and polls > 1


def _broken(exporter: Exporter, damage: str) -> tuple[int, str]:
    path = db_path(exporter.data_dir)
    saved = path.read_bytes()
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        extra.unlink(missing_ok=True)
    if damage == "missing":
        path.unlink()
    else:
        path.write_bytes(b"this is not a database\x00\xff" * 512)
    status, text = exporter.get()
    # the server is still up and answers again once the database is back
    path.write_bytes(saved)
    again, _ = exporter.get()
    assert again == 200
    return status, text


@pytest.mark.matrix("exporter, broken database", "netops.db removed / overwritten with garbage under a running server")
@pytest.mark.parametrize(("damage", "reason"), [("missing", "no database"), ("corrupt", "not a database")])
def test_a_broken_database_is_a_clear_error_page(exporter: Exporter, damage: str, reason: str) -> None:
    status, text = _broken(exporter, damage)
    assert status == 503
    assert len(text.strip().splitlines()) == 1, text
    assert reason in text and str(db_path(exporter.data_dir)) in text
    assert "Traceback" not in text


@pytest.mark.matrix("exporter, broken database", "netops.db overwritten with garbage before the server starts")
def test_a_corrupt_database_at_start_is_one_error_line(tmp_path: Path) -> None:
    db_path(tmp_path).write_bytes(b"\x00garbage\xff" * 1000)
    settings: Any = SimpleNamespace(data_dir=tmp_path)
    with pytest.raises(NetopsError) as caught:
        serve(settings, "127.0.0.1", 0, threading.Event())
    assert str(caught.value).startswith(f"{db_path(tmp_path)}: file is not a database")
    assert len(str(caught.value).splitlines()) == 1
