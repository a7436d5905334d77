"""Verified SSH host keys: first contact recorded, a changed key refused before login, trust, pins, lab mode.

Devices here are tiny asyncssh servers on 127.x with fresh keys (they record
whether any authentication request arrived), so a refusal is proven from the
server's side: no password was sent. The lab tests use the session's lab.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import os
import stat
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncssh
import paramiko
import pytest
import yaml

from labs.state import LabState, NodeRuntime, save_state
from netops.backup import session
from netops.backup.fetch import describe
from netops.inventory import Filters, open_nornir
from netops.inventory.hostkeys import (
    HostKeyCheck,
    HostKeyRefused,
    KnownHosts,
    PublicKey,
    fingerprint_of,
    key_state,
    trust_key,
)
from netops.settings import Settings

PROMPT = "dev#"


def public(key: asyncssh.SSHKey) -> PublicKey:
    return PublicKey.parse(key.export_public_key("openssh").decode())


def keygen_fingerprints(path: Path) -> list[str]:
    """``ssh-keygen -lf`` of a file: its fingerprints (fails the test when ssh-keygen cannot parse it)."""
    out = subprocess.run(["ssh-keygen", "-lf", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[1] for line in out.splitlines()]


class FakeDevice:
    """asyncssh servers on one 127.x address: one host key, ``ports`` listeners, a minimal shell; records
    every authentication attempt it sees."""

    def __init__(self, address: str = "127.0.0.1", ports: int = 1, key: asyncssh.SSHKey | None = None) -> None:
        self.address = address
        self.key = key or asyncssh.generate_private_key("ssh-ed25519")
        self.auth_attempts: list[tuple[str, str]] = []  # (method, username)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.servers: list[asyncio.AbstractServer] = []
        self.ports: list[int] = [self._call(self._listen(0)) for _ in range(ports)]

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    async def _listen(self, port: int) -> int:
        device = self

        class Server(asyncssh.SSHServer):
            def begin_auth(self, username: str) -> bool:
                device.auth_attempts.append(("begin", username))
                return True

            def password_auth_supported(self) -> bool:
                return True

            def validate_password(self, username: str, password: str) -> bool:
                device.auth_attempts.append(("password", username))
                return password == "secret"

        server = await asyncssh.create_server(Server, self.address, port, server_host_keys=[self.key],
                                              process_factory=self._shell, line_editor=False)
        self.servers.append(server)
        return server.sockets[0].getsockname()[1]

    async def _shell(self, process: asyncssh.SSHServerProcess) -> None:
        process.stdout.write(PROMPT)
        line = ""
        while True:
            data = await process.stdin.read(1024)
            if not data:
                break
            for ch in data:
                if ch in "\r\n":
                    process.stdout.write(f"\r\n{PROMPT}")
                    line = ""
                else:
                    line += ch
                    process.stdout.write(ch)
        process.exit(0)

    def rekey(self, key: asyncssh.SSHKey | None = None) -> None:
        """The same address and ports, a new host key: a replaced (or spoofed) device."""
        self.key = key or asyncssh.generate_private_key("ssh-ed25519")

        async def restart() -> None:
            for server in self.servers:
                server.close()
                await server.wait_closed()
            self.servers = []
            for port in self.ports:
                await self._listen(port)

        self._call(restart())

    @property
    def public(self) -> PublicKey:
        return public(self.key)

    def close(self) -> None:
        async def stop() -> None:
            for server in self.servers:
                server.close()

        self._call(stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture
def device():
    dev = FakeDevice()
    yield dev
    dev.close()


def open_session(data_dir: Path, dev: FakeDevice, name: str = "dev1", port: int | None = None,
                 pinned: list[PublicKey] = (), password: str = "secret") -> session.Session:
    """A netops session (the nornir plugin) to the fake device, as fetch.open_session opens it."""
    port = port or dev.ports[0]
    check = HostKeyCheck.of(data_dir, name, dev.address, port, pinned)
    plugin = session.Session()
    plugin.open(dev.address, "admin", password, port, "generic",
                extras={"fast_cli": True, "conn_timeout": 5, "auth_timeout": 5, "banner_timeout": 5, session.CHECK: check})
    return plugin


def known_lines(data_dir: Path) -> list[str]:
    path = data_dir / "known_hosts"
    return path.read_text().splitlines() if path.exists() else []


def decisions(data_dir: Path) -> list[dict]:
    path = data_dir / "hostkeys.log"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


# ---------------------------------------------------------------- keys and fingerprints


def test_fingerprint_is_ssh_keygen_s(tmp_path) -> None:
    for kind in ("ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"):
        key = asyncssh.generate_private_key(kind)
        path = tmp_path / f"{kind}.pub"
        key.write_public_key(str(path))
        assert public(key).fingerprint == keygen_fingerprints(path)[0]
    text = (tmp_path / "ssh-ed25519.pub").read_text()
    assert PublicKey.parse("10.0.0.1 " + text) == PublicKey.parse(text)  # ssh-keyscan's line
    for bad in ("ssh-ed25519", "ssh-rsa " + text.split()[1], "hello world"):
        with pytest.raises(ValueError):
            PublicKey.parse(bad)
    fp = public(asyncssh.generate_private_key("ssh-ed25519")).fingerprint
    assert fingerprint_of(fp) == fp
    assert fingerprint_of(f"256 {fp} root@host (ED25519)") == fp
    with pytest.raises(ValueError):
        fingerprint_of("SHA256:short")


# ---------------------------------------------------------------- sessions


def test_first_contact_records_the_key(tmp_path, device, caplog) -> None:
    data = tmp_path / "data"
    with caplog.at_level(logging.INFO, logger="netops.hostkeys"):
        plugin = open_session(data, device)
    assert plugin.connection.find_prompt() == PROMPT
    plugin.close()
    address = f"[{device.address}]:{device.ports[0]}"
    assert known_lines(data) == [f"{address} {device.public} dev1 first-use {known_lines(data)[0].split()[-1]}"]
    assert keygen_fingerprints(data / "known_hosts") == [device.public.fingerprint]
    assert stat.S_IMODE((data / "known_hosts").stat().st_mode) == 0o600
    assert stat.S_IMODE((data / "hostkeys.log").stat().st_mode) == 0o600
    assert any("dev1" in r.getMessage() and device.public.fingerprint in r.getMessage() and r.levelno == logging.INFO
               for r in caplog.records)
    [record] = decisions(data)
    assert record["decision"] == "first-use" and record["host"] == "dev1" and record["new"] == device.public.fingerprint
    open_session(data, device).close()  # the same key again: accepted, nothing new recorded
    assert len(known_lines(data)) == 1 and len(decisions(data)) == 1


def test_changed_key_is_refused_before_login(tmp_path, device) -> None:
    data = tmp_path / "data"
    open_session(data, device).close()
    old = device.public
    device.rekey()
    device.auth_attempts.clear()
    with pytest.raises(HostKeyRefused) as refused:
        open_session(data, device)
    assert device.auth_attempts == []  # the server saw no authentication request: no password was sent
    line = describe(refused.value, 60)
    assert "\n" not in line
    assert "dev1" in line and old.fingerprint in line and device.public.fingerprint in line
    assert "netops inventory trust dev1" in line
    assert known_lines(data)[0].split()[2] == old.blob  # the known key stays
    assert decisions(data)[-1]["decision"] == "refused" and decisions(data)[-1]["new"] == device.public.fingerprint


def test_the_inventory_pin_is_respected(tmp_path, device) -> None:
    data = tmp_path / "data"
    other = public(asyncssh.generate_private_key("ssh-ed25519"))
    with pytest.raises(HostKeyRefused) as refused:
        open_session(data, device, pinned=[other])
    assert device.auth_attempts == []
    assert other.fingerprint in str(refused.value) and "inventory" in str(refused.value)
    assert known_lines(data) == []  # a pinned host is never recorded on first use
    open_session(data, device, pinned=[other, device.public]).close()  # one of the pinned keys
    assert device.auth_attempts  # that one logged in
    # a pin outranks what was recorded on first use (the recorded key may be the spoof the pin catches)
    open_session(tmp_path / "d2", device).close()
    with pytest.raises(HostKeyRefused):
        open_session(tmp_path / "d2", device, pinned=[other])


def test_trust_key_replaces_the_known_key_and_outranks_a_pin(tmp_path, device) -> None:
    data = tmp_path / "data"
    open_session(data, device).close()
    old = device.public
    device.rekey()
    # the API a device replacement uses (restore --full): look at the presented key, then trust it with a reason
    nr_host = _nornir_host("dev1", device.address, device.ports[0], pinned=[str(old)])
    state = key_state(data, nr_host)
    assert state.state == "changed" and state.presented == device.public and state.expected == [old]
    record = trust_key(data, nr_host, state.presented, "replacement hardware, ticket 42")
    assert record["old"] == [old.fingerprint] and record["new"] == device.public.fingerprint
    assert record["reason"] == "replacement hardware, ticket 42" and record["user"]
    assert len(known_lines(data)) == 1 and "trusted" in known_lines(data)[0]
    assert key_state(data, nr_host).state == "known"
    open_session(data, device, pinned=[old]).close()  # trusted explicitly: accepted despite the old pin


def _nornir_host(name: str, address: str, port: int, pinned: list[str] | None = None):
    from nornir.core.inventory import Host

    return Host(name=name, hostname=address, port=port, platform="cisco_xe", data={"ssh_host_key": pinned or []})


def _connect(data_dir: str, address: str, port: int) -> str:
    client = paramiko.SSHClient()
    HostKeyCheck.of(data_dir, f"dev{port}", address, port).prepare(client)
    try:
        client.connect(address, port, "admin", "secret", timeout=20, banner_timeout=20, auth_timeout=20,
                       look_for_keys=False, allow_agent=False)
        return "ok"
    except Exception as exc:
        return repr(exc)
    finally:
        client.close()


def _shard(data_dir: str, address: str, ports: list[int], out) -> None:
    with ThreadPoolExecutor(max_workers=25) as pool:
        out.put(list(pool.map(lambda p: _connect(data_dir, address, p), ports)))


def test_concurrent_first_contacts_in_threads_and_processes(tmp_path) -> None:
    data = tmp_path / "data"
    KnownHosts.at(data).lookup("warm the cache before the fork")
    dev = FakeDevice(ports=50)
    try:
        ctx = multiprocessing.get_context("fork")
        out = ctx.Queue()
        procs = [ctx.Process(target=_shard, args=(str(data), dev.address, dev.ports[i::2], out)) for i in range(2)]
        for proc in procs:
            proc.start()
        results = out.get(timeout=120) + out.get(timeout=120)
        for proc in procs:
            proc.join(10)
    finally:
        dev.close()
    assert results == ["ok"] * 50
    lines = known_lines(data)
    assert len(lines) == 50
    assert sorted(line.split()[0] for line in lines) == sorted(f"[{dev.address}]:{p}" for p in dev.ports)
    assert all(line.split()[1:3] == [dev.public.type, dev.public.blob] for line in lines)
    assert keygen_fingerprints(data / "known_hosts") == [dev.public.fingerprint] * 50
    assert stat.S_IMODE((data / "known_hosts").stat().st_mode) == 0o600
    assert len(decisions(data)) == 50
    # this process's cache sees what the children appended
    assert all(KnownHosts.at(data).lookup(f"[{dev.address}]:{p}") for p in dev.ports)


# ---------------------------------------------------------------- netops inventory trust


@pytest.fixture
def inventory(tmp_path, device) -> Path:
    """A one-host inventory (a containerlab-style hosts file) for the fake device."""
    path = tmp_path / "hosts.yml"
    path.write_text(yaml.safe_dump({"dev1": {"hostname": device.address, "port": device.ports[0], "platform": "cisco_xe",
                                             "username": "admin", "password": "secret"}}))
    return path


def run_trust(netops_cli, inventory: Path, data: Path, *args: str, input: str | None = None):
    return netops_cli("--no-lab", "--inventory", str(inventory), "--data-dir", str(data), "inventory", "trust", *args,
                      input=input, env={"NETOPS_LAB": "0"})


def test_trust_command(tmp_path, device, inventory, netops_cli) -> None:
    data = tmp_path / "data"
    open_session(data, device).close()
    old = device.public
    device.rekey()
    new = device.public
    rc, out, err = run_trust(netops_cli, inventory, data, "dev1", "--json")  # no terminal, no --yes
    assert rc == 2 and "nothing recorded" in err
    [row] = json.loads(out)
    assert row["status"] == "skipped" and row["presented"] == new.fingerprint
    assert row["known"] == [old.fingerprint] and row["state"] == "changed"
    wrong = public(asyncssh.generate_private_key("ssh-ed25519")).fingerprint
    rc, out, err = run_trust(netops_cli, inventory, data, "dev1", "--fingerprint", wrong)
    assert rc == 2 and new.fingerprint in err and wrong in err, err
    assert "first-use" in known_lines(data)[0] and old.blob in known_lines(data)[0]
    assert decisions(data)[-1]["decision"] == "refused"
    rc, out, err = run_trust(netops_cli, inventory, data, "--host", "dev*", "--yes")  # a wildcard never replaces
    assert rc == 1 and "replaced only when named" in out, out
    rc, out, err = run_trust(netops_cli, inventory, data, "dev1", "--fingerprint", new.fingerprint, "--reason", "RMA 7")
    assert rc == 0, err
    assert "trusted, replacing" in out and old.fingerprint in out
    assert known_lines(data) == [f"[{device.address}]:{device.ports[0]} {new} dev1 trusted {known_lines(data)[0].split()[-1]}"]
    last = decisions(data)[-1]
    assert (last["decision"], last["host"], last["old"], last["new"]) == ("trusted", "dev1", [old.fingerprint], new.fingerprint)
    assert "RMA 7" in last["reason"] and last["user"] and last["at"]
    device.auth_attempts.clear()
    open_session(data, device).close()
    assert device.auth_attempts  # accepted now
    rc, out, _ = run_trust(netops_cli, inventory, data, "dev1", "--json")
    assert rc == 0 and json.loads(out)[0]["status"] == "unchanged"
    rc, _, err = run_trust(netops_cli, inventory, data)
    assert rc == 2 and "name a HOST" in err
    rc, _, err = run_trust(netops_cli, inventory, data, "dev2")
    assert rc == 2 and "dev1" in err  # did you mean


def test_trust_records_never_seen_devices_in_bulk(tmp_path, device, inventory, netops_cli) -> None:
    data = tmp_path / "data"
    rc, out, err = run_trust(netops_cli, inventory, data, "--host", "*", "--yes", "--json")
    assert rc == 0, err
    assert json.loads(out)[0]["recorded"] is True
    assert keygen_fingerprints(data / "known_hosts") == [device.public.fingerprint]
    assert device.auth_attempts == []  # trust only looks at the key: no login


# ---------------------------------------------------------------- lab mode


def fake_lab(lab_dir: Path, dev: FakeDevice, lab_key: asyncssh.SSHKey) -> None:
    """A lab directory whose node ``node1`` is the fake device and whose shared key is ``lab_key``."""
    lab_dir.mkdir(parents=True)
    lab_key.write_private_key(str(lab_dir / "ssh_host_key"))
    node = NodeRuntime("node1", "cisco_xe", "access", "jammu", dev.address, dev.ports[0], None, "admin", "secret", "",
                       "", "", "", "", str(lab_dir / "running-config"))
    node.host_key_fingerprint = public(lab_key).fingerprint  # the simulator serves it (it sets this on its SSH nodes)
    save_state(lab_dir, LabState("fake", "fake.clab.yml", "local", "2026-01-01T00:00:00", [], [node]))


def test_lab_mode_trusts_the_lab_key_and_refuses_a_replaced_node_until_trusted(tmp_path, netops_cli) -> None:
    lab_key = asyncssh.generate_private_key("ssh-ed25519")
    dev = FakeDevice(key=lab_key)
    try:
        lab_dir, data = tmp_path / "lab", tmp_path / "data"
        fake_lab(lab_dir, dev, lab_key)
        settings = Settings.resolve(env={}, inventory=Path(__file__).parent.parent / "inventory", data_dir=data, lab=True,
                                    lab_dir=lab_dir)

        def lab_session() -> None:
            host = open_nornir(settings, Filters.of(hosts=["node1"]), credentials=False).inventory.hosts["node1"]
            assert host.data["ssh_host_key"] == str(public(lab_key))
            check = HostKeyCheck.for_host(data, host)
            plugin = session.Session()
            plugin.open(dev.address, "admin", "secret", dev.ports[0], "generic", extras={"conn_timeout": 5, session.CHECK: check})
            plugin.close()

        lab_session()
        assert known_lines(data) == []  # the lab's key is pinned, not recorded
        dev.rekey()  # the node is replaced: new hardware, new key
        dev.auth_attempts.clear()
        with pytest.raises(HostKeyRefused) as refused:
            lab_session()
        assert dev.auth_attempts == []
        assert public(lab_key).fingerprint in str(refused.value) and "netops inventory trust node1" in str(refused.value)
        env = {"NETOPS_LAB": "1", "NETOPS_LAB_DIR": str(lab_dir), "NETOPS_DATA_DIR": str(data),
               "NETOPS_INVENTORY": str(Path(__file__).parent.parent / "inventory")}
        rc, out, err = netops_cli("inventory", "trust", "node1", "--fingerprint", dev.public.fingerprint, env=env)
        assert rc == 0, err
        lab_session()  # accepted from now on
    finally:
        dev.close()


@pytest.mark.lab
def test_lab_mode_pins_the_lab_key(lab, netops_cli, tmp_path) -> None:
    lab_dir = Path(os.environ["NETOPS_LAB_DIR"])
    [lab_fingerprint] = keygen_fingerprints(lab_dir / "ssh_host_key")
    data = tmp_path / "data"
    rc, out, err = netops_cli("--data-dir", str(data), "inventory", "trust", "--role", "core", "--json")
    assert rc == 0, err
    rows = json.loads(out)
    assert {r["host"] for r in rows} == {n.name for n in lab.nodes if n.role == "core" and n.ssh_port}
    assert all(r["status"] == "unchanged" and r["source"] == "inventory" and
               r["presented"] == lab_fingerprint for r in rows)
    rc, out, err = netops_cli("--data-dir", str(data), "backup", "--host", "jmu-acc-1", "--backup-dir", str(tmp_path / "repo"), "--json")
    assert rc == 0, err
    assert not (data / "known_hosts").exists()  # pinned by lab mode: nothing to record


@pytest.mark.lab
def test_outside_lab_mode_the_lab_is_just_devices(lab, netops_cli, tmp_path) -> None:
    node = lab.node("jmu-acc-1")
    inventory = tmp_path / "hosts.yml"
    entry = {"hostname": node.host, "port": node.ssh_port, "platform": "cisco_xe", "username": node.username,
             "password": node.password, "data": {"site": "jammu", "role": "access"},
             "connection_options": {"netmiko": {"extras": {"secret": node.enable_secret}}}}
    inventory.write_text(yaml.safe_dump({"jmu-acc-1": entry}))
    data, repo = tmp_path / "data", tmp_path / "repo"

    def backup() -> dict:
        rc, out, err = netops_cli("--no-lab", "--inventory", str(inventory), "--data-dir", str(data), "backup",
                                  "--backup-dir", str(repo), "--json", env={"NETOPS_LAB": "0"})
        return json.loads(out)["devices"][0] | {"stderr": err}

    first = backup()
    assert first["status"] in ("changed", "unchanged"), (first["reason"], first["stderr"])
    [line] = known_lines(data)
    assert line.startswith(f"[{node.host}]:{node.ssh_port} ssh-ed25519 ") and "jmu-acc-1 first-use" in line
    assert backup()["status"] == "unchanged" and len(known_lines(data)) == 1
    spoof = public(asyncssh.generate_private_key("ssh-ed25519"))
    entry["data"]["ssh_host_key"] = str(spoof)  # an admin pins another key: the device is refused
    inventory.write_text(yaml.safe_dump({"jmu-acc-1": entry}))
    result = backup()
    assert result["status"] == "failed" and spoof.fingerprint in result["reason"]
    assert "netops inventory trust jmu-acc-1" in result["reason"]


def test_inventory_check_names_a_malformed_pin(tmp_path) -> None:
    from netops.inventory.check import check
    from netops.inventory.files import InventoryFiles

    good = public(asyncssh.generate_private_key("ssh-ed25519"))
    (tmp_path / "hosts.yaml").write_text(
        "dev1:\n  hostname: 10.0.0.1\n  platform: cisco_xe\n  data:\n    site: a\n    role: access\n"
        f"    ssh_host_key: [\"{good}\", \"ssh-ed25519 AAAAnot-a-key\"]\n"
        "dev2:\n  hostname: 10.0.0.2\n  platform: cisco_xe\n  data:\n    site: a\n    role: access\n"
        f"    ssh_host_key: {good} admin@console\n")
    errors = [p for p in check(InventoryFiles.of(tmp_path)) if p.severity == "error"]
    assert [(Path(p.file).name, p.line, p.key) for p in errors] == [("hosts.yaml", 7, "dev1.data.ssh_host_key[1]")]
    assert "not an SSH public key" in errors[0].message


def test_trust_presented_checks_the_fingerprint(tmp_path, device) -> None:
    from netops.errors import InputError
    from netops.inventory.hostkeys import trust_presented

    data = tmp_path / "data"
    open_session(data, device).close()
    device.rekey()
    host = _nornir_host("dev1", device.address, device.ports[0])
    wrong = public(asyncssh.generate_private_key("ssh-ed25519")).fingerprint
    with pytest.raises(InputError):
        trust_presented(data, host, "restore --full", fingerprint=wrong)
    assert "first-use" in known_lines(data)[0] and decisions(data)[-1]["decision"] == "refused"
    record = trust_presented(data, host, "restore --full", fingerprint=device.public.fingerprint)
    assert record["decision"] == "trusted" and record["new"] == device.public.fingerprint
    open_session(data, device).close()
