"""Start, inspect, fault and stop a lab: what ``netops lab ...`` calls.

The local engine runs the simulator (:mod:`labs.sim`) under a detached
supervisor; the containerlab engine (:mod:`labs.containerlab`) deploys real
containers where ``containerlab`` and ``docker`` exist.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from labs import containerlab, processes
from labs.sim import hostkeys
from labs.sim.credentials import LabCredentials
from labs.sim.device import APPLIED
from labs.sim.faults import ACTIONS, REBOOT, check_fault, merge_fault
from labs.sim.plan import LOG_FILE, PID_FILE, REQUEST_FILE, LabRequest, check_base_address, check_faults, write_private_json
from labs.state import LOCK_FILE, STATE_FILE, LabState, NodeRuntime, load_state, locked, save_state
from netops.errors import InputError, LabError, unknown
from netops.inventory.clab import load_topology

ENGINES = ("auto", "local", "containerlab")
LAB_MARKERS = {STATE_FILE, LOCK_FILE, PID_FILE, REQUEST_FILE, LOG_FILE, "nodes"}  # files only a lab directory holds
STOP_TIMEOUT = 10.0
PROBE_TIMEOUT = 2.0
APPLY_TIMEOUT = 15.0  # how long a wipe/replace waits for the node's worker



class LabNotRunning(LabError):
    """No lab runs in the lab directory."""

    exit_code = 1


Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass
class UpOptions:
    """Options of ``netops lab up``."""

    base_address: str = "127.20.0.1"
    ssh_port: int = 10022
    snmp_port: int = 10161
    scale: int = 0
    scale_privilege: int = 15
    faults: dict[str, list[str]] = field(default_factory=dict)
    engine: str = "auto"


def parse_fault_options(values: list[str]) -> dict[str, list[str]]:
    """``["core1=slow=2", "wlc1=hang"]`` → ``{"core1": ["slow=2"], "wlc1": ["hang"]}``."""
    out: dict[str, list[str]] = {}
    for value in values:
        node, sep, spec = value.partition("=")
        if not sep or not node or not spec:
            raise InputError(f"expected NODE=FAULT, got {value!r}", key="--fault")
        out.setdefault(node, []).append(spec)
    return out


def pick_engine(engine: str) -> str:
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})", key="--engine")
    if engine == "auto":
        return "containerlab" if shutil.which("containerlab") and shutil.which("docker") else "local"
    return engine


def supervisor_pid(lab_dir: Path) -> int | None:
    """The pid of the lab's supervisor if it is alive."""
    try:
        pid = int((lab_dir / PID_FILE).read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if processes.alive(pid) else None


def is_running(lab_dir: Path) -> bool:
    state = load_state(lab_dir)
    if state is not None and state.engine == "containerlab":
        return True
    return supervisor_pid(lab_dir) is not None


def up(lab_dir: Path, topology_path: Path, options: UpOptions, progress: Progress | None = None) -> LabState:
    """Start a lab and return its state once every node accepts connections."""
    lab_dir = Path(lab_dir)
    if is_running(lab_dir):
        raise LabError(f"a lab is already running in {lab_dir} (stop it with 'netops lab down')")
    topology = load_topology(topology_path)
    check_faults(topology, options.faults)
    check_base_address(options.base_address)
    if options.scale < 0:
        raise InputError("--scale must be 0 or more", key="--scale")
    _stop_local(lab_dir, load_state(lab_dir))  # leftovers of a lab whose supervisor died
    _clear(lab_dir)
    if pick_engine(options.engine) == "containerlab":
        return containerlab.deploy(topology, lab_dir)
    lab_dir.mkdir(parents=True, mode=0o700)
    request = LabRequest(
        topology=str(topology.path), base_address=options.base_address, ssh_port=options.ssh_port,
        snmp_port=options.snmp_port, scale=options.scale, scale_privilege=options.scale_privilege, faults=options.faults,
        credentials=LabCredentials.from_env().to_dict(),
    )
    write_private_json(lab_dir / REQUEST_FILE, request.to_dict())
    proc = subprocess.Popen(
        [sys.executable, "-m", "labs.sim.supervisor", str(lab_dir)],
        stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, text=True, cwd=str(Path(__file__).resolve().parent.parent),
    )
    total = 0
    error = "the supervisor exited without a word"
    assert proc.stdout is not None
    for line in proc.stdout:
        verb, _, rest = line.strip().partition(" ")
        if verb == "total":
            total = int(rest)
        elif verb == "ssh" and progress:
            progress("ssh", int(rest), total)
        elif verb == "snmp" and progress:
            progress("snmp", 0, 0)
        elif verb == "ready":
            proc.stdout.close()
            state = load_state(lab_dir)
            if state is None:
                break
            return state
        elif verb == "error":
            error = rest
            break
    detail = "" if error != "the supervisor exited without a word" else _log_tail(lab_dir)
    _stop_local(lab_dir, load_state(lab_dir))
    _clear(lab_dir)
    raise LabError(f"the lab did not start: {error}" + (f"\n{detail}" if detail else ""))


def down(lab_dir: Path) -> bool:
    """Stop the lab in ``lab_dir`` and remove the directory; False if nothing was running."""
    lab_dir = Path(lab_dir)
    state = load_state(lab_dir)
    if state is not None and state.engine == "containerlab":
        containerlab.destroy(state)
        shutil.rmtree(lab_dir, ignore_errors=True)
        return True
    found = lab_dir.exists()
    _stop_local(lab_dir, state)
    _clear(lab_dir)
    return found


def _stop_local(lab_dir: Path, state: LabState | None) -> None:
    """SIGTERM the supervisor (which stops its workers and agents), then kill any recorded straggler."""
    sup = supervisor_pid(lab_dir)
    pids = ([sup] if sup else []) + [p for p in (state.pids if state else []) if p != sup]
    pids = [p for p in pids if _belongs_to(p, lab_dir)]  # never signal a recycled pid
    processes.stop(pids, STOP_TIMEOUT, term=[sup] if sup in pids else [])


def _clear(lab_dir: Path) -> None:
    """Remove a lab directory; refuse a directory that does not look like one."""
    if not lab_dir.exists():
        return
    entries = {p.name for p in lab_dir.iterdir()}
    if entries and not entries & LAB_MARKERS:
        raise LabError(f"{lab_dir} is not a lab directory; refusing to remove it")
    shutil.rmtree(lab_dir)


def status(lab_dir: Path) -> tuple[LabState, dict[str, bool]]:
    """The running lab and, per node, whether it answers (SSH port accepts; SNMP-only nodes: lab alive)."""
    state = load_state(Path(lab_dir))
    if state is None:
        raise LabNotRunning(f"no lab is running in {lab_dir} (start one with 'netops lab up')")
    alive = state.engine == "containerlab" or supervisor_pid(Path(lab_dir)) is not None
    up_map = asyncio.run(_probe_all(state.nodes)) if alive else {}
    return state, {n.name: up_map.get(n.name, alive and n.ssh_port is None) for n in state.nodes}


async def _probe_all(nodes: list[NodeRuntime]) -> dict[str, bool]:
    sem = asyncio.Semaphore(200)

    async def probe(node: NodeRuntime) -> tuple[str, bool]:
        async with sem:
            try:
                _, writer = await asyncio.wait_for(asyncio.open_connection(node.host, node.ssh_port), PROBE_TIMEOUT)
            except (TimeoutError, OSError):
                return node.name, False
            writer.close()
            return node.name, True

    results = await asyncio.gather(*(probe(n) for n in nodes if n.ssh_port is not None))
    return dict(results)


def set_fault(lab_dir: Path, node_name: str, fault: str | None, clear: bool = False) -> NodeRuntime:
    """Add a fault switch to a node, or with ``clear`` remove it (``fault`` None: every fault); effective at the
    node's next connection. Neither: the node as it is. ``wipe`` and ``replace`` act at once (:func:`wipe`), so does
    ``reboot`` (:func:`reboot`)."""
    if fault is not None and fault.strip() in ACTIONS and not clear:
        return wipe(lab_dir, node_name, replace=fault.strip() == "replace")
    if load_state(Path(lab_dir)) is None:
        raise LabNotRunning(f"no lab is running in {lab_dir}")
    with locked(Path(lab_dir)):
        if fault is not None and fault.strip() in REBOOT and not clear:
            return reboot(Path(lab_dir), node_name)
        return _set_fault(Path(lab_dir), node_name, fault, clear)


def reboot(lab_dir: Path, node_name: str) -> NodeRuntime:
    """Reload a node with its configuration kept: ``booted_at`` is now (its SNMP agent's clock and counters restart
    from zero). The caller holds the lab's lock."""
    state = load_state(lab_dir)
    node = state.node(node_name) if state is not None else None
    if state is None or node is None:
        raise unknown("node", node_name, [n.name for n in state.nodes] if state else [], key="NODE")
    node.booted_at = time.time()
    save_state(lab_dir, state)
    return node


def _set_fault(lab_dir: Path, node_name: str, fault: str | None, clear: bool) -> NodeRuntime:
    state = load_state(Path(lab_dir))
    if state is None:
        raise LabNotRunning(f"no lab is running in {lab_dir}")
    node = state.node(node_name)
    if node is None:
        raise unknown("node", node_name, [n.name for n in state.nodes], key="NODE")
    if clear and fault is None:
        node.faults = []
    elif fault is not None:
        try:
            spec = check_fault(fault)
        except ValueError as exc:
            raise InputError(str(exc), key="FAULT") from None
        if spec in ACTIONS:
            raise InputError(f"{spec} is an action, not a switch: there is nothing to clear ({node_name} keeps the "
                             "configuration pushed since; netops lab down + up restores the topology's)", key="FAULT")
        if clear:
            kind = spec.split("=", 1)[0]
            if not any(f.split("=", 1)[0] == kind for f in node.faults):
                raise InputError(f"{node_name} has no {kind} fault (faults: {', '.join(node.faults) or 'none'})", key="FAULT")
            node.faults = [f for f in node.faults if f.split("=", 1)[0] != kind]
        else:
            node.faults = merge_fault(node.faults, spec)
    else:
        return node
    save_state(Path(lab_dir), state)
    return node


def wipe(lab_dir: Path, node_name: str, replace: bool = False, timeout: float = APPLY_TIMEOUT) -> NodeRuntime:
    """Wipe a node (``replace``: swap it for new hardware) and return it once its worker applied it.

    The node comes back with its factory-default configuration (running and startup) and a restarted
    uptime; its open sessions end. A replaced node also presents a new SSH host key (its own, in its
    directory) and accepts only the bootstrap credentials until a configuration defining the lab's login
    is pushed to it. Recorded in the node's runtime: ``wiped``, ``replaced``, ``generation``, ``booted_at``,
    ``host_key_*``.
    """
    lab_dir = Path(lab_dir)
    if load_state(lab_dir) is None:
        raise LabNotRunning(f"no lab is running in {lab_dir}")
    with locked(lab_dir):
        node = _wipe(lab_dir, node_name, replace)
    _wait_applied(lab_dir, node, timeout)
    return node


def _wipe(lab_dir: Path, node_name: str, replace: bool) -> NodeRuntime:
    state = load_state(lab_dir)
    if state is None or (state.engine == "local" and supervisor_pid(lab_dir) is None):
        raise LabNotRunning(f"no lab is running in {lab_dir}")
    if state.engine != "local":
        raise LabError(f"wipe and replace need the local simulator (this lab runs on {state.engine})")
    node = state.node(node_name)
    if node is None:
        raise unknown("node", node_name, [n.name for n in state.nodes], key="NODE")
    if node.ssh_port is None or not node.factory_config_path:
        raise InputError(f"{node_name} ({node.platform}) has no simulated CLI to wipe", key="NODE")
    node.wiped = True
    node.generation += 1
    node.booted_at = time.time()
    if replace:
        key_path = hostkeys.node_key_path(node)
        hostkeys.record(node, key_path, hostkeys.generate(key_path))
        node.replaced = True
    save_state(lab_dir, state)
    return node


def _wait_applied(lab_dir: Path, node: NodeRuntime, timeout: float) -> None:
    """Wait until the worker serving ``node`` wrote that it applied the node's generation."""
    applied = Path(node.config_path).parent / APPLIED
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if json.loads(applied.read_text(encoding="utf-8")) >= node.generation:
                return
        except (FileNotFoundError, ValueError):
            pass
        if supervisor_pid(lab_dir) is None:
            break
        time.sleep(0.05)
    raise LabError(f"{node.name}: the lab did not apply the {'replacement' if node.replaced else 'wipe'} within "
                   f"{timeout:.0f} s (see {lab_dir / LOG_FILE})")


def _belongs_to(pid: int, lab_dir: Path) -> bool:
    """True when process ``pid`` runs for this lab (its command line names the lab directory)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmdline = fh.read()
    except OSError:
        return False
    return any(str(path).encode() in cmdline for path in (lab_dir, lab_dir.resolve()))


def _log_tail(lab_dir: Path, lines: int = 8) -> str:
    try:
        text = (lab_dir / LOG_FILE).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])

