"""The lab at scale: start-up time of ``lab up --scale N`` and the simulator's CPU per SSH session.

The per-session cost is compared with a peer measured in the same run: a
minimal asyncssh server (always privileged, answers ``show running-config``
with the same configuration, nothing else), i.e. the floor any asyncssh-based
simulator pays. Target: N=1000 ready (SSH and SNMP) in under 60 s.

    .venv/bin/python bench/lab.py [--scale 1000] [--sessions 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from netmiko import ConnectHandler

import labs
from labs import runner
from labs.sim.scale import switch_config

PORT = 10022
PEER_USER, PEER_PASSWORD = "bench", "bench-peer"


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def free_slash16() -> str:
    for _ in range(50):
        second = random.randint(64, 254)
        with socket.socket() as sock:
            try:
                sock.bind((f"127.{second}.0.1", PORT))
                return f"127.{second}"
            except OSError:
                continue
    raise SystemExit("no free 127.x.0.0/16")


def sessions(targets: list[tuple[str, str, str, str]], workers: int = 25) -> float:
    """netmiko: connect, show running-config, disconnect on every target; returns wall seconds."""

    def one(target: tuple[str, str, str, str]) -> int:
        host, user, password, secret = target
        conn = ConnectHandler(device_type="cisco_xe", host=host, port=PORT, username=user, password=password, secret=secret)
        conn.enable()
        size = len(conn.send_command("show running-config"))
        conn.disconnect()
        return size

    start = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        sizes = list(pool.map(one, targets))
    assert all(s > 7000 for s in sizes)
    return time.monotonic() - start


def peer_main(prefix: str, count: int) -> None:
    """The minimal asyncssh server: one listener per address, '#' prompt, config on request."""
    import asyncssh

    async def run() -> None:
        key = asyncssh.generate_private_key("ssh-ed25519")

        async def handle(process: asyncssh.SSHServerProcess) -> None:
            config = switch_config("peer", 1, "jammu")
            process.stdout.write("peer#")
            async for line in process.stdin:
                line = line.strip()
                if line == "exit":
                    break
                out = config if line == "show running-config" else ""
                process.stdout.write(f"{line}\r\n{out.replace(chr(10), chr(13) + chr(10))}peer#")
            process.exit(0)

        options = asyncssh.SSHServerConnectionOptions(server_host_keys=[key], line_editor=False,
                                                      password_auth=True)

        class Server(asyncssh.SSHServer):
            def begin_auth(self, username: str) -> bool:
                return True

            def password_auth_supported(self) -> bool:
                return True

            def validate_password(self, username: str, password: str) -> bool:
                return (username, password) == (PEER_USER, PEER_PASSWORD)

        for i in range(1, count + 1):
            await asyncssh.create_server(Server, f"{prefix}.250.{i}", PORT, options=options,
                                         process_factory=handle, reuse_address=True)
        print("ready", flush=True)
        await asyncio.sleep(3600)

    asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1000)
    parser.add_argument("--sessions", type=int, default=200)
    args = parser.parse_args()
    prefix = free_slash16()
    with tempfile.TemporaryDirectory(prefix="netops-bench-lab-") as tmp:
        lab_dir = Path(tmp) / "lab"
        start = time.monotonic()
        state = runner.up(lab_dir, labs.DEFAULT_TOPOLOGY, runner.UpOptions(base_address=f"{prefix}.0.1", scale=args.scale, engine="local"))
        ready = time.monotonic() - start
        try:
            print(f"lab up: {len(state.nodes)} nodes ({args.scale} generated) ready in {ready:.1f} s (target < 60 s)")
            print((lab_dir / "supervisor.log").read_text().strip())
            scale = [n for n in state.nodes if n.name.startswith("scale-acc-")][: args.sessions]
            workers = [p for p in state.pids[1:] if b"labs.sim.worker" in Path(f"/proc/{p}/cmdline").read_bytes()]
            before = cpu_seconds(workers)
            wall = sessions([(n.host, n.username, n.password, n.enable_secret) for n in scale])
            ours = (cpu_seconds(workers) - before) / len(scale)
        finally:
            runner.down(lab_dir)
    peer = subprocess.Popen([sys.executable, __file__, "--peer", prefix, str(args.sessions)], stdout=subprocess.PIPE, text=True)
    try:
        assert peer.stdout is not None and peer.stdout.readline().strip() == "ready"
        before = cpu_seconds([peer.pid])
        peer_wall = sessions([(f"{prefix}.250.{i}", PEER_USER, PEER_PASSWORD, "") for i in range(1, args.sessions + 1)])
        floor = (cpu_seconds([peer.pid]) - before) / args.sessions
    finally:
        peer.terminate()
        peer.wait()
    print(f"simulator: {ours * 1000:.1f} ms CPU per session ({args.sessions} sessions in {wall:.1f} s)")
    print(f"minimal asyncssh peer: {floor * 1000:.1f} ms CPU per session ({args.sessions} sessions in {peer_wall:.1f} s)")
    print(f"ratio simulator / peer: {ours / floor:.2f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--peer"]:
        peer_main(sys.argv[2], int(sys.argv[3]))
    else:
        main()
