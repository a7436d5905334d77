"""Shared pieces of the long-running-parts tests: a private lab, netops run as real processes against it, the
poll service's cycles read from its output, memory from /proc, and figures published into docs/reliability.md."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from labs import runner
from labs.state import LabState

REPO = Path(__file__).resolve().parents[2]
NETOPS = REPO / ".venv" / "bin" / "netops"
MINI = REPO / "tests" / "data" / "lab" / "mini.clab.yml"
SSH_PORT, SNMP_PORT = 10022, 10161
FIGURES_BEGIN, FIGURES_END = "<!-- figures:{name}:begin -->", "<!-- figures:{name}:end -->"


def lab_up(lab_dir: Path, base_address: str, scale: int) -> LabState:
    """The small test topology plus ``scale`` generated access switches, on ``base_address`` (restartable there)."""
    options = runner.UpOptions(base_address=base_address, ssh_port=SSH_PORT, snmp_port=SNMP_PORT, engine="local",
                               scale=scale)
    return runner.up(lab_dir, MINI, options)


def netops_env(root: Path, lab_dir: Path) -> dict[str, str]:
    """The environment of netops processes on the private lab, with their own data directory and built-in config."""
    (root / "netops.yaml").write_text("# the built-in configuration\n")
    return {**os.environ, "NETOPS_LAB": "1", "NETOPS_LAB_DIR": str(lab_dir), "NETOPS_DATA_DIR": str(root / "data"),
            "NETOPS_INVENTORY": str(REPO / "inventory"), "NETOPS_CONFIG": str(root / "netops.yaml")}


def rss_kib(pid: int) -> int:
    """The resident set size of process ``pid`` (KiB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise LookupError(f"no VmRSS for {pid}")


@dataclass
class Cycle:
    results: list[dict[str, Any]]
    rss_kib: int  # of the service, right after it printed the cycle

    def status(self, host: str) -> str:
        return next(r["status"] for r in self.results if r["host"] == host)


@dataclass
class PollService:
    """``netops poll --interval`` as a process; its cycles (``--json``, one document each) read as they come."""

    proc: subprocess.Popen[str]
    cycles: list[Cycle] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    @classmethod
    def start(cls, env: dict[str, str], *args: str) -> PollService:
        proc = subprocess.Popen([str(NETOPS), "poll", "--json", *args], env=env, text=True, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        service = cls(proc)
        assert proc.stdout is not None and proc.stderr is not None
        threading.Thread(target=service._read, args=(proc.stdout,), daemon=True).start()
        threading.Thread(target=lambda err: service.stderr.extend(err), args=(proc.stderr,), daemon=True).start()
        return service

    def _read(self, stream: IO[str]) -> None:
        buffer = ""
        for line in stream:
            buffer += line
            if line.rstrip() == "]":
                cycle = Cycle(json.loads(buffer), rss_kib(self.proc.pid))
                buffer = ""
                with self.changed:
                    self.cycles.append(cycle)
                    self.changed.notify_all()

    def wait(self, count: int, timeout: float = 300) -> list[Cycle]:
        """The next ``count`` cycles (from now on)."""
        with self.changed:
            start = len(self.cycles)
            self.changed.wait_for(lambda: len(self.cycles) >= start + count or self.proc.poll() is not None, timeout)
            got = self.cycles[start:start + count]
        assert len(got) == count, f"{len(got)} of {count} cycles; service exit {self.proc.poll()}: {self.stderr[-5:]}"
        return got

    def stop(self) -> str:
        """SIGTERM; its stderr. It must stop cleanly (exit 0)."""
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=120)
        time.sleep(0.2)  # the reader threads drain the pipes
        err = "".join(self.stderr)
        assert self.proc.returncode == 0, err[-2000:]
        return err


def publish(name: str, text: str) -> None:
    """Put ``text`` between the ``figures:NAME`` markers of the reliability page when the run publishes
    (``NETOPS_RELIABILITY_DOC``, as ``make reliability`` sets it)."""
    target = os.environ.get("NETOPS_RELIABILITY_DOC")
    if not target:
        return
    path = Path(target)
    doc = path.read_text(encoding="utf-8")
    begin, end = FIGURES_BEGIN.format(name=name), FIGURES_END.format(name=name)
    if begin not in doc or end not in doc:
        raise LookupError(f"{path}: no {begin} ... {end} block")
    head, rest = doc.split(begin, 1)
    path.write_text(f"{head}{begin}\n{text.strip()}\n{end}{rest.split(end, 1)[1]}", encoding="utf-8")


def load() -> str:
    """The load average now (quoted next to every figure: the machine is shared)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
