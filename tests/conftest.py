"""Shared fixtures: the session's lab of simulated devices and a ``netops`` runner.

``lab`` starts ``labs/secretariat.clab.yml`` once per test session on a random
free 127.x.0.0/16 and a temporary lab directory, and exports ``NETOPS_LAB=1``,
``NETOPS_LAB_DIR``, ``NETOPS_INVENTORY`` and ``NETOPS_DATA_DIR`` so that
``netops`` subprocesses target it. ``netops_cli`` runs ``.venv/bin/netops``.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from smtp_support import Inbox, serving

import labs
from labs import runner
from labs.state import LabState

pytest_plugins = ["reliability_matrix"]  # hypothesis profiles and the matrix table of docs/reliability.md

REPO = Path(__file__).resolve().parent.parent
NETOPS = REPO / ".venv" / "bin" / "netops"
TEST_TOPOLOGY = REPO / "tests" / "data" / "lab" / "mini.clab.yml"
SSH_PORT = 10022
SNMP_PORT = 10161


def free_base_address() -> str:
    """A 127.x.0.1 whose /16 nobody listens on (checked on the lab's SSH port)."""
    for _ in range(50):
        base = f"127.{random.randint(64, 254)}.0.1"
        if all(_port_free(f"127.{base.split('.')[1]}.0.{i}", SSH_PORT) for i in (1, 2, 3)):
            return base
    raise RuntimeError("no free 127.x.0.0/16 found")


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def start_lab(lab_dir: Path, topology: Path, **options) -> LabState:
    opts = runner.UpOptions(base_address=free_base_address(), ssh_port=SSH_PORT, snmp_port=SNMP_PORT, engine="local", **options)
    return runner.up(lab_dir, topology, opts)


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabState]:
    """The real two-campus lab (the small test topology while the real one is absent)."""
    topology = labs.DEFAULT_TOPOLOGY if labs.DEFAULT_TOPOLOGY.exists() else TEST_TOPOLOGY
    lab_dir = tmp_path_factory.mktemp("lab") / "run"
    data_dir = tmp_path_factory.mktemp("data")
    env = {"NETOPS_LAB": "1", "NETOPS_LAB_DIR": str(lab_dir), "NETOPS_INVENTORY": str(REPO / "inventory"),
           "NETOPS_DATA_DIR": str(data_dir)}
    saved = {k: os.environ.get(k) for k in env}
    state = start_lab(lab_dir, topology)
    os.environ.update(env)
    try:
        yield state
    finally:
        runner.down(lab_dir)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def sim_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, LabState]]:
    """A private lab of the small test topology (one node per platform), for tests that change devices."""
    lab_dir = tmp_path_factory.mktemp("simlab") / "run"
    state = start_lab(lab_dir, TEST_TOPOLOGY)
    try:
        yield lab_dir, state
    finally:
        runner.down(lab_dir)


@pytest.fixture(scope="session")
def netops_cli() -> Callable[..., tuple[int, str, str]]:
    """Run ``netops ARGS`` as a subprocess: returns (exit code, stdout, stderr)."""

    def run(*args: str, input: str | None = None, timeout: float = 300, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        proc = subprocess.run([str(NETOPS), *args], capture_output=True, text=True, input=input, timeout=timeout,
                              env={**os.environ, **(env or {})}, cwd=REPO)
        return proc.returncode, proc.stdout, proc.stderr

    return run


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on 127.0.0.1 and what it received."""
    inbox = Inbox()
    with serving(inbox) as port:
        yield inbox, port


def pytest_report_header(config) -> str:
    return f"lab topology: {labs.DEFAULT_TOPOLOGY if labs.DEFAULT_TOPOLOGY.exists() else TEST_TOPOLOGY} ({sys.version.split()[0]})"
