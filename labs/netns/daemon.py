"""The tier's one root-namespace process: inetd for the lab routers' SSH and the
``write memory`` watcher.

- Each gate listens on a 127.x address and hands every connection to its
  command (``sshd -i`` inside the router's namespace) as stdin/stdout.
- When a watched ``startup-config`` changes (``write memory`` through the lab's
  SSH CLI), the switch ports are re-rendered from the running configurations.

Usage: ``python -m labs.netns.daemon DAEMON.json``; prints ``ready`` once listening.
"""

from __future__ import annotations

import json
import logging
import selectors
import signal
import socket
import subprocess
import sys
from pathlib import Path

from labs.netns.build import render_ports

WATCH_INTERVAL = 1.0


def _mtimes(paths: list[str]) -> dict[str, float]:
    out = {}
    for path in paths:
        try:
            out[path] = Path(path).stat().st_mtime
        except FileNotFoundError:
            out[path] = 0.0
    return out


def serve(spec: dict) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps finished sessions
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    selector = selectors.DefaultSelector()
    for gate in spec["gates"]:
        listener = socket.create_server((gate["host"], gate["port"]))
        selector.register(listener, selectors.EVENT_READ, gate["command"])
    print("ready", flush=True)
    seen = _mtimes(spec["watch"])
    while True:
        for key, _ in selector.select(WATCH_INTERVAL):
            conn, _ = key.fileobj.accept()  # type: ignore[union-attr]
            with conn:
                subprocess.Popen(key.data, stdin=conn.fileno(), stdout=conn.fileno(), stderr=subprocess.DEVNULL,
                                 start_new_session=True)
        now = _mtimes(spec["watch"])
        if now != seen:
            seen = now
            try:
                for change in render_ports(Path(spec["lab_dir"])):
                    logging.warning("write memory: %s", change)
            except Exception as exc:  # keep serving SSH whatever a configuration holds
                logging.error("re-render failed: %s", exc)


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s")
    serve(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
