"""Off-site copies, a new operations server and the database copy, on real parts: bare repositories served by a real
``git daemon`` on 127.x (one with a pre-receive hook that refuses), a plain path remote, a closed port, a port that
accepts and never answers, real git, real SQLite, the lab for a whole backup run."""

from __future__ import annotations

import json
import os
import pwd
import random
import re
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from netops.backup import offsite
from netops.backup.gitstore import GitStore
from netops.backup.offsite import DrConfig, Remote
from netops.errors import InputError
from netops.services import alerts, dr
from netops.settings import Settings

REPO = Path(__file__).resolve().parent.parent
NETOPS = REPO / ".venv" / "bin" / "netops"
HOOK_MESSAGE = "pushes to this copy are frozen for the audit"


# ---------------------------------------------------------------- helpers


def git(*args: str, cwd: Path | None = None, check: bool = True) -> str:
    env = os.environ | {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {proc.stderr}")
    return proc.stdout


def free_address() -> tuple[str, int]:
    """A 127.x.y.z and a port nobody listens on."""
    for _ in range(100):
        host = f"127.{random.randint(64, 254)}.{random.randint(0, 254)}.{random.randint(2, 254)}"
        port = random.randint(20000, 60000)
        with socket.socket() as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
        return host, port
    raise RuntimeError("no free address")


def bare(path: Path, refusing: bool = False) -> Path:
    git("init", "-q", "--bare", "-b", "main", str(path))
    if refusing:
        hook = path / "hooks" / "pre-receive"
        hook.write_text(f"#!/bin/sh\necho '{HOOK_MESSAGE}' >&2\nexit 1\n")
        hook.chmod(0o755)
    return path


class Daemon:
    """``git daemon`` serving every repository under ``base`` on 127.x:port, pushes allowed."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.host, self.port = free_address()
        self.proc = subprocess.Popen(
            ["git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack", "--informative-errors",
             f"--base-path={base}", f"--listen={self.host}", f"--port={self.port}", str(base)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex((self.host, self.port)) == 0:
                    return
            if self.proc.poll() is not None:
                raise RuntimeError(f"git daemon exited: {self.proc.stderr.read() if self.proc.stderr else ''}")
            time.sleep(0.05)
        raise RuntimeError("git daemon did not start")

    def url(self, name: str) -> str:
        return f"git://{self.host}:{self.port}/{name}"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture(scope="module")
def daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Daemon]:
    served = Daemon(tmp_path_factory.mktemp("served"))
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture
def hung() -> Iterator[str]:
    """A git:// URL whose port accepts connections and never says a word."""
    host, port = free_address()
    server = socket.socket()
    server.bind((host, port))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"git://{host}:{port}/backups.git"
    finally:
        stop.set()
        thread.join(2)
        for conn in held:
            conn.close()
        server.close()


def write_config(path: Path, remotes: list[tuple[str, str]], **dr_keys: str) -> Path:
    lines = ["data_dir: data", "backup_dir: data/backups", "dr:", "  remotes:"]
    lines += [f"    - {{name: {name}, url: \"{url}\"}}" for name, url in remotes]
    lines += [f"  {key}: {value}" for key, value in dr_keys.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def settings_of(config: Path) -> Settings:
    return Settings.resolve(env={}, config=config)


def commit(store: GitStore, host: str, text: str, when: datetime | None = None, site: str = "jammu") -> str:
    """One backup commit of ``host`` written with GitStore, dated ``when``."""
    saved = {k: os.environ.get(k) for k in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE")}
    if when is not None:
        os.environ["GIT_AUTHOR_DATE"] = os.environ["GIT_COMMITTER_DATE"] = when.isoformat()
    try:
        store.ensure()
        path = f"{site}/{host}.cfg"
        store.write(path, text)
        done = store.commit([path], f"backup: 1 device(s) changed: {host}\n")
        assert done is not None
        return done
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def cli(*args: str, timeout: float = 120) -> tuple[int, str, str]:
    proc = subprocess.run([str(NETOPS), *args], capture_output=True, text=True, timeout=timeout, cwd="/",
                          env={k: v for k, v in os.environ.items() if not k.startswith("NETOPS_")} | {"COLUMNS": "200"})
    return proc.returncode, proc.stdout, proc.stderr


def remote_head(url: str) -> str | None:
    out = git("ls-remote", url, "refs/heads/main", check=False).split()
    return out[0] if out else None


# ---------------------------------------------------------------- configuration


def test_dr_section_is_checked_with_file_line_and_key(tmp_path: Path) -> None:
    cfg = tmp_path / "netops.yaml"
    cfg.write_text("dr:\n  remotes:\n    - {name: a}\n")
    rc, _, err = cli("--config", str(cfg), "backup", "status")
    assert rc == 2 and f"{cfg}:3: dr.remotes[0]" in err and "url" in err, err
    cfg.write_text("dr:\n  remotes:\n    - {name: a, url: /x.git}\n    - {name: a, url: /y.git}\n")
    with pytest.raises(InputError, match=r"netops.yaml:4: dr.remotes\[1\].name: remote 'a' is named twice"):
        dr.config(settings_of(cfg))
    cfg.write_text("dr:\n  max_lag: soon\n")
    rc, _, err = cli("--config", str(cfg), "dr", "remotes")
    assert rc == 2 and f"{cfg}:2: dr.max_lag" in err, err
    cfg.write_text("dr:\n  remotes:\n    - {name: here, url: copies/backups.git}\n  timeout: 30s\n")
    parsed = dr.config(settings_of(cfg))
    assert parsed.remotes[0].url == str(tmp_path / "copies" / "backups.git") and parsed.timeout == 30 and parsed.max_lag == 86400


def test_a_password_in_a_url_is_masked_everywhere(tmp_path: Path) -> None:
    host, port = free_address()
    url = f"https://netops:Pa55-w0rd@{host}:{port}/backups.git"
    cfg = write_config(tmp_path / "netops.yaml", [("web", url)])
    settings = settings_of(cfg)
    commit(GitStore(settings.backup_dir), "jmu-acc-1", "hostname jmu-acc-1\n")
    [result] = dr.push(settings)
    assert result.status == "unreachable" and result.url == f"https://netops:***@{host}:{port}/backups.git"
    rc, out, err = cli("--config", str(cfg), "dr", "remotes", "--json")
    dump = out + err + json.dumps(result.to_dict()) + (settings.data_dir / "netops.db").read_bytes().decode(errors="replace")
    assert "Pa55-w0rd" not in dump and "***" in out


# ---------------------------------------------------------------- pushing


def test_push_to_git_daemon_and_a_path_then_up_to_date(tmp_path: Path, daemon: Daemon) -> None:
    bare(daemon.base / "ok.git")
    path_remote = bare(tmp_path / "copy.git")
    cfg = write_config(tmp_path / "netops.yaml", [("srinagar-ops", daemon.url("ok.git")), ("usb", f"file://{path_remote}")])
    settings = settings_of(cfg)
    store = GitStore(settings.backup_dir)
    commit(store, "jmu-acc-1", "hostname jmu-acc-1\n")
    head = commit(store, "jmu-acc-2", "hostname jmu-acc-2\n")
    first = dr.push(settings, run_id=7)
    assert [(r.remote, r.status, r.commits) for r in first] == [("srinagar-ops", "pushed", 2), ("usb", "pushed", 2)], first
    assert remote_head(daemon.url("ok.git")) == head == remote_head(str(path_remote))
    assert git("-C", str(store.root), "rev-parse", "refs/remotes/srinagar-ops/main").strip() == head
    again = dr.push(settings)
    assert [r.status for r in again] == ["up-to-date", "up-to-date"]
    states = dr.remote_states(settings)
    assert [(s.commits_behind, s.behind_seconds, s.never_pushed, s.lagging, s.failing) for s in states] == [(0, 0, False, False, False)] * 2
    with offsite.open_db(settings.data_dir) as conn:
        rows = offsite.history(conn, "srinagar-ops")
    assert [(r["status"], r["commits"], r["backup_run_id"], r["local_head"]) for r in rows] == [("up-to-date", 0, None, head),
                                                                                                  ("pushed", 2, 7, head)]


def test_a_refusing_remote_is_reported_with_its_message(tmp_path: Path, daemon: Daemon) -> None:
    bare(daemon.base / "frozen.git", refusing=True)
    cfg = write_config(tmp_path / "netops.yaml", [("frozen", daemon.url("frozen.git"))])
    settings = settings_of(cfg)
    store = GitStore(settings.backup_dir)
    head = commit(store, "jmu-acc-1", "hostname jmu-acc-1\n")
    [result] = dr.push(settings)
    assert result.status == "refused" and not result.ok
    assert "[remote rejected] (pre-receive hook declined)" in (result.reason or "") and HOOK_MESSAGE in (result.reason or "")
    assert remote_head(daemon.url("frozen.git")) is None
    assert git("-C", str(store.root), "rev-parse", "--verify", "-q", "refs/remotes/frozen/main", check=False) == ""
    [state] = dr.remote_states(settings)
    assert state.never_pushed and state.commits_behind == 1 and state.failing and state.last_push is not None
    assert state.last_push.status == "refused" and state.local_head == head


def test_a_diverged_remote_is_never_forced(tmp_path: Path, daemon: Daemon) -> None:
    bare(daemon.base / "diverged.git")
    cfg = write_config(tmp_path / "netops.yaml", [("other", daemon.url("diverged.git"))])
    settings = settings_of(cfg)
    store = GitStore(settings.backup_dir)
    commit(store, "jmu-acc-1", "hostname jmu-acc-1\n")
    assert [r.status for r in dr.push(settings)] == ["pushed"]
    # someone else writes to the copy: it now has a commit this store lacks
    foreign = tmp_path / "foreign"
    git("clone", "-q", daemon.url("diverged.git"), str(foreign))
    (foreign / "jammu" / "jmu-acc-1.cfg").write_text("hostname edited-elsewhere\n")
    git("commit", "-qam", "edited on the copy", cwd=foreign)
    git("push", "-q", "origin", "main", cwd=foreign)
    theirs = git("rev-parse", "HEAD", cwd=foreign).strip()
    local = commit(store, "jmu-acc-2", "hostname jmu-acc-2\n")
    log_before = git("-C", str(store.root), "log", "--format=%H")
    [result] = dr.push(settings)
    assert result.status == "diverged" and "[rejected] (fetch first)" in (result.reason or "") and "nothing was forced" in (result.reason or "")
    assert remote_head(daemon.url("diverged.git")) == theirs  # nothing forced
    assert git("-C", str(store.root), "log", "--format=%H") == log_before and log_before.split()[0] == local  # local history intact
    [state] = dr.remote_states(settings)
    assert state.commits_behind == 1 and state.failing and not state.never_pushed


def test_a_remote_that_is_down_or_hangs_is_reported_within_the_timeout(tmp_path: Path, hung: str) -> None:
    host, port = free_address()
    cfg = write_config(tmp_path / "netops.yaml", [("down", f"git://{host}:{port}/backups.git"), ("hung", hung)], timeout="2s")
    settings = settings_of(cfg)
    commit(GitStore(settings.backup_dir), "jmu-acc-1", "hostname jmu-acc-1\n")
    began = time.monotonic()
    down, stuck = dr.push(settings)
    took = time.monotonic() - began
    assert down.status == "unreachable" and "Connection refused" in (down.reason or ""), down
    assert stuck.status == "timeout" and "no answer within 2s" in (stuck.reason or ""), stuck
    assert took < 8, f"pushes ran in parallel and stopped at the timeout, took {took:.1f}s"
    assert [p for p in subprocess.run(["pgrep", "-f", hung], capture_output=True, text=True).stdout.split()] == []


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """A real sshd on 127.x (root: it logs in the user running the test with a key): (ssh://…/repos base URL, served
    directory, the client key)."""
    if os.geteuid() != 0 or not Path("/usr/sbin/sshd").exists():
        pytest.skip("needs root and openssh-server")
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation directory
    keys = tmp_path / "ssh"
    keys.mkdir(mode=0o700)
    for name in ("host", "client", "stranger"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / name)], check=True)
    (keys / "authorized_keys").write_text((keys / "client.pub").read_text())
    host, port = free_address()
    config = keys / "sshd_config"
    config.write_text(f"ListenAddress {host}:{port}\nHostKey {keys / 'host'}\nAuthorizedKeysFile {keys / 'authorized_keys'}\n"
                      "PermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
                      f"StrictModes no\nPidFile none\nLogLevel ERROR\n")
    log = (keys / "sshd.log").open("w")
    proc = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(config)], stderr=log)
    try:
        deadline = time.monotonic() + 10
        while True:
            with socket.socket() as sock:
                if sock.connect_ex((host, port)) == 0:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"sshd did not start: {(keys / 'sshd.log').read_text()}")
            time.sleep(0.05)
        served = tmp_path / "served-ssh"
        served.mkdir()
        yield f"ssh://{pwd.getpwuid(os.geteuid()).pw_name}@{host}:{port}{served}", served, keys
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def test_push_over_ssh_in_batch_mode(tmp_path: Path, sshd: tuple[str, Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    base_url, served, keys = sshd
    bare(served / "backups.git")
    cfg = write_config(tmp_path / "netops.yaml", [("srinagar-ops", f"{base_url}/backups.git")], timeout="20s")
    settings = settings_of(cfg)
    head = commit(GitStore(settings.backup_dir), "jmu-acc-1", "hostname jmu-acc-1\n")
    known = f"-o UserKnownHostsFile={keys / 'known_hosts'} -o StrictHostKeyChecking=accept-new"
    # an administrator's own ssh options (the key) are kept; netops adds BatchMode and ConnectTimeout
    monkeypatch.setenv("GIT_SSH_COMMAND", f"ssh -i {keys / 'client'} -o IdentitiesOnly=yes {known}")
    [result] = dr.push(settings)
    assert result.status == "pushed", result
    assert remote_head(str(served / "backups.git")) == head
    # a key the server does not know: refused at once (batch mode: no password prompt, no hang)
    monkeypatch.setenv("GIT_SSH_COMMAND", f"ssh -i {keys / 'stranger'} -o IdentitiesOnly=yes {known}")
    commit(GitStore(settings.backup_dir), "jmu-acc-2", "hostname jmu-acc-2\n")
    began = time.monotonic()
    [result] = dr.push(settings)
    assert result.status == "unreachable" and "Permission denied (publickey)" in (result.reason or ""), result
    assert time.monotonic() - began < 10
    [state] = dr.remote_states(settings)
    assert state.commits_behind == 1 and state.failing


# ---------------------------------------------------------------- lag, status and alerts


def test_backup_status_shows_commits_and_time_behind_and_alerts(tmp_path: Path, daemon: Daemon) -> None:
    bare(daemon.base / "lagging.git")
    host, port = free_address()
    cfg = write_config(tmp_path / "netops.yaml", [("campus", daemon.url("lagging.git")), ("down", f"git://{host}:{port}/x.git"),
                                                  ("new", str(bare(tmp_path / "new.git")))], max_lag="1d")
    settings = settings_of(cfg)
    store = GitStore(settings.backup_dir)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    commit(store, "jmu-acc-1", "hostname jmu-acc-1\n", now - timedelta(days=3))
    campus = dr.config(settings).remote("campus")
    assert campus is not None and offsite.push(store.root, campus).status == "pushed"
    commit(store, "jmu-acc-2", "hostname jmu-acc-2\n", now - timedelta(days=2))
    commit(store, "jmu-acc-3", "hostname jmu-acc-3\n", now - timedelta(hours=1))
    down = dr.config(settings).remote("down")
    assert down is not None
    conn = offsite.open_db(settings.data_dir)
    offsite.record(conn, [offsite.push(store.root, down)])
    conn.close()
    by = {s.remote: s for s in dr.remote_states(settings, now)}
    assert (by["campus"].commits_behind, round(by["campus"].behind_seconds), by["campus"].lagging) == (2, 2 * 86400, True)
    assert by["campus"].last_push is None and not by["campus"].never_pushed  # pushed by hand above, not recorded
    assert (by["down"].commits_behind, by["down"].never_pushed, by["down"].failing) == (3, True, True)
    assert (by["new"].commits_behind, by["new"].last_push, by["new"].oldest_missing) == (3, None, now - timedelta(days=3))

    rc, out, err = cli("--config", str(cfg), "backup", "status", "--json")
    report = json.loads(out)
    assert rc == 1 and sorted(report["lagging"]) == ["campus", "down", "new"], err
    campus_row = next(r for r in report["offsite"] if r["remote"] == "campus")
    assert campus_row["commits_behind"] == 2 and campus_row["behind_seconds"] >= 2 * 86400 and campus_row["remote_head"]
    rc, out, _ = cli("--config", str(cfg), "backup", "status")
    assert rc == 1 and "off-site copies" in out and "2 commit(s), 2d" in out and "3 commit(s), 3d (never pushed)" in out
    assert "unreachable: fatal: unable to connect" in out and "3 behind by more than 1d" in out

    run = alerts.deliver(settings, trigger="backup")
    raised = sorted(a.headline for a in run.queued)
    assert raised == ["RAISED high offsite_failed remote down", "RAISED high offsite_lag remote campus",
                      "RAISED high offsite_lag remote down", "RAISED high offsite_lag remote new"], raised
    assert all(not a.host for a in run.queued)

    # the remotes catch up (the one that is down stays down): their alerts clear, once
    bare(daemon.base / "x.git")
    write_config(cfg, [("campus", daemon.url("lagging.git")), ("down", daemon.url("x.git")), ("new", str(tmp_path / "new.git"))])
    settings = settings_of(cfg)
    assert [r.status for r in dr.push(settings)] == ["pushed"] * 3
    run = alerts.deliver(settings, trigger="backup")
    assert sorted(a.headline for a in run.queued) == [h.replace("RAISED", "CLEARED") for h in raised]
    assert "works again (pushed)" in next(a.message for a in run.queued if a.kind == "offsite_failed")
    assert alerts.deliver(settings, trigger="backup").queued == []
    rc, out, _ = cli("--config", str(cfg), "backup", "status", "--json")
    assert rc == 1 and json.loads(out)["lagging"] == []  # exit 1 only for the devices never backed up here


# ---------------------------------------------------------------- a whole backup run (the lab)


@pytest.mark.lab
def test_backup_run_pushes_after_the_commit_and_a_failed_remote_does_not_fail_it(lab, tmp_path: Path, daemon: Daemon) -> None:
    bare(daemon.base / "run.git")
    bare(daemon.base / "run-frozen.git", refusing=True)
    host, port = free_address()
    cfg = write_config(tmp_path / "netops.yaml", [("srinagar-ops", daemon.url("run.git")), ("frozen", daemon.url("run-frozen.git")),
                                                  ("down", f"git://{host}:{port}/backups.git")], timeout="10s")
    env_cli = ("--config", str(cfg), "--inventory", os.environ["NETOPS_INVENTORY"], "--lab", "--lab-dir", os.environ["NETOPS_LAB_DIR"])
    rc, out, err = cli(*env_cli, "backup", "--host", "jmu-acc-1,jmu-acc-2", "--json")
    run = json.loads(out)
    assert rc == 0 and run["summary"]["failed"] == 0 and run["commit"], err
    pushes = {p["remote"]: p for p in run["offsite"]}
    assert pushes["srinagar-ops"]["status"] == "pushed" and pushes["srinagar-ops"]["local_head"] == run["commit"]
    assert pushes["frozen"]["status"] == "refused" and HOOK_MESSAGE in pushes["frozen"]["reason"]
    assert pushes["down"]["status"] == "unreachable"
    assert remote_head(daemon.url("run.git")) == run["commit"]

    # nothing changed: no commit, the copy that is up to date stays so, the others still lag
    rc, out, err = cli(*env_cli, "backup", "--host", "jmu-acc-1,jmu-acc-2")
    assert rc == 0 and "no commit (nothing changed)" in out, err
    assert "off-site srinagar-ops: up to date" in out and "off-site frozen: refused: [remote rejected]" in out
    assert "off-site down: unreachable: fatal: unable to connect" in out
    # a later backup adds a commit: the lag of the remote that is down grows
    settings = settings_of(cfg)
    commit(GitStore(settings.backup_dir), "jmu-acc-1", "hostname jmu-acc-1\n! changed\n")
    rc, out, err = cli(*env_cli, "backup", "--host", "jmu-acc-1", "--json")
    run = json.loads(out)
    assert run["commit"] and {p["remote"]: p["commits"] for p in run["offsite"]} == {"srinagar-ops": 2, "frozen": 3, "down": 3}, out
    by = {s.remote: s for s in dr.remote_states(settings)}
    assert by["down"].commits_behind == 3 and by["srinagar-ops"].commits_behind == 0
    assert git("-C", str(settings.backup_dir), "rev-list", "--count", "HEAD").strip() == "3"


# ---------------------------------------------------------------- a new operations server


def test_restore_server_from_the_daemon_into_a_fresh_directory(tmp_path: Path, daemon: Daemon) -> None:
    bare(daemon.base / "dr.git")
    cfg = write_config(tmp_path / "netops.yaml", [("srinagar-ops", daemon.url("dr.git"))])
    settings = settings_of(cfg)
    store = GitStore(settings.backup_dir)
    commit(store, "jmu-acc-1", "hostname jmu-acc-1\n", datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc))
    commit(store, "srn-acc-1", "hostname srn-acc-1\n", datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc), site="srinagar")
    store.write(".vault/jammu/jmu-acc-1.age", "age-encryption.org/v1 (test stand-in)\n")
    head = store.commit([".vault/jammu/jmu-acc-1.age"], "vault: 1 device")
    assert head is not None and [r.status for r in dr.push(settings)] == ["pushed"]

    new = tmp_path / "new-server"
    new_cfg = write_config(tmp_path / "new.yaml", [("srinagar-ops", daemon.url("dr.git"))])
    new_cfg.write_text(new_cfg.read_text().replace("data_dir: data", f"data_dir: {new}/data").replace("backup_dir: data/backups",
                                                                                                     f"backup_dir: {new}/data/backups"))
    rc, out, err = cli("--config", str(new_cfg), "dr", "restore-server", "--from", "srinagar-ops", "--json")
    result = json.loads(out)
    assert rc == 0 and result["verified"], (out, err)
    assert (result["head"], result["remote_head"], result["commits"], result["devices"]) == (head, head, 3, 2)
    assert result["sites"] == {"jammu": 1, "srinagar": 1} and result["vault"] and result["vault_files"] == 1
    assert result["fsck"] == "ok" and result["oldest_backup"] == "2026-12-01T10:00:00+00:00" and result["newest_backup"]
    restored = new / "data" / "backups"
    assert git("-C", str(restored), "log", "--format=%H") == git("-C", str(store.root), "log", "--format=%H")
    assert (restored / "srinagar" / "srn-acc-1.cfg").read_text() == "hostname srn-acc-1\n"
    assert stat.S_IMODE(restored.stat().st_mode) == 0o700 and stat.S_IMODE((restored / "jammu" / "jmu-acc-1.cfg").stat().st_mode) == 0o600
    assert not [p for p in restored.parent.iterdir() if p.name.startswith(".backups.restore")]
    # the new server knows where its copy stands: up to date, and its next push has nothing to send
    new_settings = settings_of(new_cfg)
    [state] = dr.remote_states(new_settings)
    assert state.commits_behind == 0 and not state.never_pushed
    assert [r.status for r in dr.push(new_settings)] == ["up-to-date"]

    # human output, from a URL (not a configured name), into an absent directory
    rc, out, err = cli("--config", str(new_cfg), "dr", "restore-server", "--from", daemon.url("dr.git"), "--backup-dir",
                       str(tmp_path / "second"))
    assert rc == 0, err
    assert re.search(r"commits +3\n", out) and re.search(r"devices +2 \(jammu 1, srinagar 1\)", out) and re.search(r"vault +yes", out)
    assert "verified: same history as the remote" in out


def test_restore_server_refuses_a_non_empty_directory_and_unknown_remotes(tmp_path: Path, daemon: Daemon) -> None:
    bare(daemon.base / "dr2.git")
    cfg = write_config(tmp_path / "netops.yaml", [("srinagar-ops", daemon.url("dr2.git"))])
    settings = settings_of(cfg)
    commit(GitStore(settings.backup_dir), "jmu-acc-1", "hostname jmu-acc-1\n")
    assert [r.status for r in dr.push(settings)] == ["pushed"]
    before = git("-C", str(settings.backup_dir), "rev-parse", "HEAD")
    rc, out, err = cli("--config", str(cfg), "dr", "restore-server", "--from", "srinagar-ops")
    assert rc == 2 and f"error: --backup-dir: {settings.backup_dir} is not empty" in err, err
    assert git("-C", str(settings.backup_dir), "rev-parse", "HEAD") == before
    rc, _, err = cli("--config", str(cfg), "dr", "restore-server", "--from", "srinagar-opps", "--backup-dir", str(tmp_path / "n"))
    assert rc == 2 and "unknown remote 'srinagar-opps' (did you mean srinagar-ops?)" in err, err
    host, port = free_address()
    rc, _, err = cli("--config", str(cfg), "dr", "restore-server", "--from", f"git://{host}:{port}/x.git", "--backup-dir",
                     str(tmp_path / "n"))
    assert rc == 1 and "clone of origin" in err and "Connection refused" in err and not (tmp_path / "n").exists(), err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".n.restore")]


# ---------------------------------------------------------------- the database


WRITER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("CREATE TABLE IF NOT EXISTS t_rows (n INTEGER, pad TEXT)")
conn.execute("CREATE TABLE IF NOT EXISTS t_count (total INTEGER)")
if conn.execute("SELECT count(*) FROM t_count").fetchone()[0] == 0:
    conn.execute("INSERT INTO t_count VALUES (0)")
print("ready", flush=True)
n = 0
end = time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    conn.execute("BEGIN IMMEDIATE")
    for _ in range(50):
        n += 1
        conn.execute("INSERT INTO t_rows VALUES (?, ?)", (n, "x" * 200))
    conn.execute("UPDATE t_count SET total = total + 50")
    conn.execute("COMMIT")
print(n, flush=True)
"""


def test_db_backup_is_consistent_while_another_process_writes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    from netops.backup import records

    records.open_db(data).close()  # a real netops.db (WAL mode) with netops' tables
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(data / "netops.db"), "6"], stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    copies = []
    try:
        for i in range(4):
            time.sleep(0.3)
            target = tmp_path / "copies" / f"netops-{i}.db"
            target.parent.mkdir(exist_ok=True)
            rc, out, err = cli("--data-dir", str(data), "db", "backup", str(target), "--json")
            assert rc == 0, err
            copies.append((target, json.loads(out)))
    finally:
        total = int(writer.communicate(timeout=60)[0].strip())
    counts = []
    for target, report in copies:
        assert stat.S_IMODE(target.stat().st_mode) == 0o600 and report["integrity"] == "ok"
        conn = sqlite3.connect(target)
        rows, recorded = conn.execute("SELECT count(*) FROM t_rows").fetchone()[0], conn.execute("SELECT total FROM t_count").fetchone()[0]
        assert rows == recorded == report["tables"]["t_rows"], f"{target}: a copy from one point in time"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete" and "backup_runs" in report["tables"]
        conn.close()
        counts.append(rows)
    assert counts == sorted(counts) and counts[-1] > counts[0] > 0 and total >= counts[-1], (counts, total)
    assert not [p for p in (tmp_path / "copies").iterdir() if p.name.startswith(".")]  # no temporary file left


def test_db_backup_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    data = tmp_path / "data"
    from netops.backup import records

    records.open_db(data).close()
    target = tmp_path / "netops-copy.db"
    target.write_text("an older copy\n")
    rc, _, err = cli("--data-dir", str(data), "db", "backup", str(target))
    assert rc == 2 and f"error: FILE: {target} exists (add --force to replace it)" in err and target.read_text() == "an older copy\n"
    rc, out, err = cli("--data-dir", str(data), "db", "backup", str(target), "--force")
    assert rc == 0 and f"to {target}:" in out and "integrity ok" in out, err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    rc, _, err = cli("--data-dir", str(tmp_path / "nothing"), "db", "backup", str(tmp_path / "x.db"))
    assert rc == 2 and "no database at" in err


def test_remote_names_and_urls() -> None:
    assert offsite.is_url("ssh://netops@10.2.0.5/srv/netops/backups.git") and offsite.is_url("netops@10.2.0.5:backups.git")
    assert not offsite.is_url("/srv/copies/backups.git") and not offsite.is_url("copies/backups.git")
    assert Remote("x", "https://u:p4ss@h/r.git").clean("fatal: https://u:p4ss@h/r.git p4ss") == "fatal: https://u:***@h/r.git ***"
    assert DrConfig().remotes == () and DrConfig().timeout == offsite.DEFAULT_TIMEOUT


def test_the_dashboard_backups_view_shows_each_remote(tmp_path: Path) -> None:
    import asyncio

    from tui_support import FIXTURE, NOW, fixture_app, settle

    raw = json.loads(FIXTURE.read_text())
    pushed = {"time": (NOW - timedelta(hours=5)).isoformat(), "status": "unreachable", "reason": "fatal: unable to connect",
              "elapsed": 0.1}
    raw["offsite"] = [
        {"remote": "srinagar-ops", "url": "ssh://netops@10.2.0.5/srv/netops/backups.git", "branch": "main", "local_head": "a" * 40,
         "remote_head": "a" * 40, "commits_behind": 0, "oldest_missing": None, "behind_seconds": 0.0,
         "last_push": pushed | {"status": "pushed", "reason": None}, "last_success": pushed | {"status": "pushed"}, "max_lag": 86400.0},
        {"remote": "dc-2", "url": "git://10.9.0.1/backups.git", "branch": "main", "local_head": "a" * 40, "remote_head": "b" * 40,
         "commits_behind": 3, "oldest_missing": (NOW - timedelta(days=2)).isoformat(), "behind_seconds": 2 * 86400.0,
         "last_push": pushed, "last_success": None, "max_lag": 86400.0},
    ]
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(raw))

    async def body() -> None:
        app = fixture_app(path)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot, lambda: app.snapshot is not None)
            await pilot.press("5")
            await settle(pilot, lambda: "off-site:" in app.screen_text())
            text = app.screen_text()
            assert "off-site: srinagar-ops up to date · dc-2 3 commit(s) / 2d behind, push unreachable" in text, text

    asyncio.run(body())
