"""The distributed engine with a real Redis server and real ``netops worker`` processes, on a private scaled lab.

The coordinator (``netops backup|poll|check --broker``) and the workers have separate data directories: the
workers write nothing netops keeps, the coordinator is the single writer of the store and the databases.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import NETOPS, REPO, TEST_TOPOLOGY, start_lab

from labs import runner
from labs.state import load_state, locked, save_state

SCALE = 200


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Redis:
    """``redis-server`` on 127.0.0.1 and a free port, nothing saved to disk."""

    def __init__(self, workdir: Path) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                                      "--appendonly", "no", "--dir", str(workdir)], stdout=subprocess.DEVNULL)
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


class Site:
    """The lab, one coordinator data directory per use, the broker and the workers."""

    def __init__(self, root: Path, lab_dir: Path, redis: Redis) -> None:
        self.root, self.lab_dir, self.redis = root, lab_dir, redis
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        self.key = root / "coordinator-key"  # the client pseudonymisation key, shared as the deployment guide says

    def env(self, data_dir: Path, **extra: str) -> dict[str, str]:
        return {**os.environ, "NETOPS_LAB": "1", "NETOPS_LAB_DIR": str(self.lab_dir), "NETOPS_DATA_DIR": str(data_dir),
                "NETOPS_PRIVACY_KEY_FILE": str(self.key), **extra}

    def netops(self, data_dir: Path, *args: str, timeout: float = 300, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(NETOPS), *args], capture_output=True, text=True, timeout=timeout, cwd=REPO,
                              env=self.env(data_dir, **extra))

    def start_worker(self, name: str, *args: str) -> None:
        log = open(self.root / f"{name}.log", "wb")
        self.workers[name] = subprocess.Popen(
            [str(NETOPS), "worker", "--broker", self.redis.url, "--name", f"{name}@test", *args], stdout=log,
            stderr=subprocess.STDOUT, env=self.env(self.root / f"{name}-data"), start_new_session=True, cwd=self.root)
        self.wait_workers()

    def wait_workers(self) -> None:
        for _ in range(120):
            listed = self.netops(self.root / "probe-data", "worker", "list", "--broker", self.redis.url, "--json")
            names = {w["name"] for w in json.loads(listed.stdout or "[]")}
            if {f"{n}@test" for n in self.workers} <= names:
                return
            time.sleep(0.5)
        raise RuntimeError(f"workers did not come up: {listed.stdout} {listed.stderr}")

    def kill_worker(self, name: str) -> None:
        proc = self.workers.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)  # the worker and its pool processes, as a crashed host would
        proc.wait()

    def stop_workers(self) -> None:
        for name in list(self.workers):
            self.kill_worker(name)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("distributed")
    lab_dir = root / "lab"
    start_lab(lab_dir, TEST_TOPOLOGY, scale=SCALE)
    redis = Redis(root)
    s = Site(root, lab_dir, redis)
    try:
        s.start_worker("w1")
        s.start_worker("w2")
        yield s
    finally:
        s.stop_workers()
        redis.stop()
        runner.down(lab_dir)


def _slow(lab_dir: Path, nodes: list[str], seconds: float | None) -> None:
    """Delay every reply of ``nodes`` (None: no longer), in one write of the lab's state."""
    with locked(lab_dir):
        state = load_state(lab_dir)
        assert state is not None
        for node in state.nodes:
            if node.name in nodes:
                node.faults = [f for f in node.faults if not f.startswith("slow")] + ([f"slow={seconds}"] if seconds else [])
        save_state(lab_dir, state)


SCALED = [f"scale-acc-{i:04d}" for i in range(1, SCALE + 1)]


def _stored(data_dir: Path) -> dict[str, str]:
    repo = data_dir / "backups"
    return {str(p.relative_to(repo)): p.read_text() for p in sorted(repo.rglob("*")) if p.is_file() and ".git" not in p.parts}


def _statuses(out: str) -> dict[str, tuple[str, str | None]]:
    return {d["host"]: (d["status"], d["reason"]) for d in json.loads(out)["devices"]}


def test_backup_on_workers_equals_the_local_engine(site: Site, tmp_path: Path) -> None:
    local = site.netops(tmp_path / "local", "backup", "--json")
    remote = site.netops(tmp_path / "remote", "backup", "--json", "--broker", site.redis.url)
    assert local.returncode == remote.returncode == 0, (local.stderr[-2000:], remote.stderr[-2000:])
    assert _statuses(remote.stdout) == _statuses(local.stdout)
    assert len(_statuses(remote.stdout)) > SCALE
    assert _stored(tmp_path / "remote") == _stored(tmp_path / "local")  # configurations and neighbour tables
    assert not (site.root / "w1-data" / "backups").exists()  # workers keep nothing: the coordinator writes the store
    again = site.netops(tmp_path / "remote", "backup", "--json", "--broker", site.redis.url)
    assert again.returncode == 0, again.stderr[-2000:]
    assert {s for s, _ in _statuses(again.stdout).values()} == {"unchanged"}


def test_poll_on_workers_equals_the_local_engine(site: Site, tmp_path: Path) -> None:
    hosts = "core1,wlc9800,aireos,aruba-md,iap1,owrt1,ap1,scale-acc-000*"
    local = site.netops(tmp_path / "local", "poll", "--once", "--json", "--host", hosts)
    remote = site.netops(tmp_path / "remote", "poll", "--once", "--json", "--host", hosts, "--broker", site.redis.url)
    assert local.returncode == remote.returncode, (local.stderr[-2000:], remote.stderr[-2000:])

    def shape(out: str) -> dict[str, tuple[str, int, object]]:
        return {d["host"]: (d["status"], len(d.get("interfaces") or []), d.get("clients_per_ssid")) for d in json.loads(out)}

    assert shape(remote.stdout) == shape(local.stdout) and len(shape(remote.stdout)) >= 15
    polled = {}
    for data in ("local", "remote"):
        with sqlite3.connect(tmp_path / data / "netops.db") as conn:
            polled[data] = {row[0] for row in conn.execute("SELECT DISTINCT host FROM snmp_device")}
    assert polled["remote"] == polled["local"] and len(polled["local"]) >= 14  # recorded by the coordinator


@pytest.mark.long
def test_live_check_on_workers_equals_the_local_engine(site: Site, tmp_path: Path) -> None:
    live = {}
    for data, extra in (("local", []), ("remote", ["--broker", site.redis.url])):
        done = site.netops(tmp_path / data, "check", "--live", "--format", "json", "--no-probes", *extra)
        assert done.returncode in (0, 1), done.stderr[-2000:]
        live[data] = sorted((f["rule"], f["host"]) for f in json.loads(done.stdout)["findings"])
    assert live["remote"] == live["local"] and live["local"]


@pytest.mark.matrix("distributed engine fault", "kill -9 of one of two workers mid 200-device backup")
def test_kill_9_of_a_worker_mid_backup_stores_every_device_once(site: Site, tmp_path: Path) -> None:
    data = tmp_path / "coordinator"
    config = tmp_path / "netops.yaml"
    config.write_text(f"engine:\n  broker: {site.redis.url}\n  batch: 5\n")
    _slow(site.lab_dir, SCALED, 0.1)  # every reply 0.1 s late: the run lasts long enough to kill a worker in it
    try:
        proc = subprocess.Popen([str(NETOPS), "--config", str(config), "backup", "--json"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=site.env(data), cwd=REPO)
        busy = _wait_running(site, "w1@test")
        site.kill_worker("w1")
        out, err = proc.communicate(timeout=300)
    finally:
        _slow(site.lab_dir, SCALED, None)
        site.start_worker("w1")
    assert busy > 0
    assert proc.returncode == 0, err[-3000:]
    results = json.loads(out)["devices"]
    names = [d["host"] for d in results]
    assert len(names) == len(set(names)) > SCALE and {d["status"] for d in results} == {"changed"}
    repo = data / "backups"
    assert subprocess.run(["git", "-C", str(repo), "fsck", "--strict"], capture_output=True).returncode == 0
    log = subprocess.run(["git", "-C", str(repo), "log", "--format=%H"], capture_output=True, text=True).stdout.split()
    assert len(log) == 1  # one commit for the run
    files = subprocess.run(["git", "-C", str(repo), "ls-files", "*.cfg"], capture_output=True, text=True).stdout.split()
    assert sorted(Path(f).stem for f in files) == sorted(names)
    with sqlite3.connect(data / "netops.db") as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT host) FROM backup_results").fetchone() == (len(names), len(names))


def _wait_running(site: Site, worker: str) -> int:
    """Wait until ``worker`` runs at least one batch; how many it runs."""
    for _ in range(200):
        listed = site.netops(site.root / "probe-data", "worker", "list", "--broker", site.redis.url, "--json")
        running = {w["name"]: w["running"] for w in json.loads(listed.stdout or "[]")}
        if running.get(worker):
            return running[worker]
        time.sleep(0.1)
    return 0


def test_broker_mistakes_are_clear_errors(site: Site, tmp_path: Path) -> None:
    done = site.netops(tmp_path, "backup", "--broker", "redis://:hunter2@127.0.0.1:6379/0")
    assert done.returncode == 2 and "--broker" in done.stderr and "password" in done.stderr
    assert "hunter2" not in done.stderr
    config = tmp_path / "netops.yaml"
    config.write_text("engine:\n  broker: redis://127.0.0.1:6379/0\n  batch: 0\n")
    done = site.netops(tmp_path, "--config", str(config), "backup")
    assert done.returncode == 2 and f"{config}:3" in done.stderr and "batch" in done.stderr, done.stderr
    done = site.netops(tmp_path, "backup", "--host", "core1", "--broker", f"redis://127.0.0.1:{_free_port()}/0")
    assert done.returncode == 1 and "cannot reach the broker" in done.stderr
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").rglob("*.cfg"))


@pytest.mark.long
@pytest.mark.matrix("distributed engine fault", "a site queue no worker consumes")
def test_a_queue_no_worker_consumes_fails_its_devices_after_the_wait(site: Site, tmp_path: Path) -> None:
    config = tmp_path / "netops.yaml"
    config.write_text(f"engine:\n  broker: {site.redis.url}\n  wait: 1\n")
    site.kill_worker("w2")
    try:
        site.start_worker("w3", "--queues", "jammu")
        site.kill_worker("w1")
        done = site.netops(tmp_path, "--config", str(config), "backup", "--json", "--host", "core1,wlc9800,aireos,aruba-md,iap1,owrt1")
    finally:
        site.kill_worker("w3")
        site.start_worker("w1")
        site.start_worker("w2")
    statuses = _statuses(done.stdout)
    sites = {d["host"]: d["site"] for d in json.loads(done.stdout)["devices"]}
    for host, (status, reason) in statuses.items():
        if sites[host] == "jammu":
            assert status == "changed", (host, reason)
        else:
            assert status == "failed" and "no netops worker consumes the queue" in (reason or ""), (host, reason)
    assert done.returncode == 1


@pytest.mark.matrix("distributed engine fault", "the Redis broker killed mid-backup")
def test_a_lost_broker_fails_what_is_left_and_keeps_what_was_answered(tmp_path: Path, site: Site) -> None:
    redis = Redis(tmp_path)
    config = tmp_path / "netops.yaml"
    config.write_text(f"engine:\n  broker: {redis.url}\n  batch: 2\n")
    log = open(tmp_path / "w.log", "wb")
    worker = subprocess.Popen([str(NETOPS), "worker", "--broker", redis.url, "--concurrency", "1"], stdout=log,
                              stderr=subprocess.STDOUT, env=site.env(tmp_path / "w"), start_new_session=True)
    data = tmp_path / "coordinator"
    try:
        _slow(site.lab_dir, SCALED[:6], 1)
        time.sleep(3)
        proc = subprocess.Popen([str(NETOPS), "--config", str(config), "backup", "--json", "--host", "scale-acc-000[1-6]"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=site.env(data), cwd=REPO)
        for _ in range(600):  # the first batch answered, the others not yet
            if b"succeeded" in (tmp_path / "w.log").read_bytes():
                break
            time.sleep(0.1)
        time.sleep(1)  # the coordinator reads it
        redis.stop()
        out, err = proc.communicate(timeout=120)
    finally:
        _slow(site.lab_dir, SCALED[:6], None)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    assert proc.returncode == 1, err[-2000:]
    statuses = _statuses(out)
    lost = [h for h, (s, r) in statuses.items() if s == "failed" and "lost the broker" in (r or "")]
    kept = [h for h, (s, _) in statuses.items() if s == "changed"]
    assert lost and kept and len(lost) + len(kept) == 6, statuses
    repo = data / "backups"
    assert subprocess.run(["git", "-C", str(repo), "fsck", "--strict"], capture_output=True).returncode == 0
    files = subprocess.run(["git", "-C", str(repo), "ls-files", "*.cfg"], capture_output=True, text=True).stdout.split()
    assert sorted(Path(f).stem for f in files) == sorted(kept)
