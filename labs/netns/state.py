"""The namespace tier's record (``<lab dir>/netns/netns.json``): what was built, so
probes can find the hosts and ``netops lab down`` can remove all of it."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from labs.netns.plan import DhcpScope, HostPlan, InjectorPlan, NetnsPlan, PortPlan, RouterIface, RouterPlan, probe_plan

NETNS_DIR = "netns"
STATE_FILE = "netns.json"
PLAN_FILE = "probe-plan.yaml"  # the netops probe plan of the tier, rewritten whenever ports are rendered


@dataclass
class NetnsState:
    plan: NetnsPlan
    dir: str  # <lab dir>/netns
    gate_pid: int | None = None  # SSH gate + write-memory watcher (root namespace)
    created: list[str] = field(default_factory=list)  # paths outside dir this lab created (removed at down)

    def host(self, name: str) -> HostPlan | None:
        return next((h for h in self.plan.hosts if h.name == name or h.ns == name), None)


def netns_dir(lab_dir: Path) -> Path:
    return Path(lab_dir) / NETNS_DIR


def plan_file(lab_dir: Path) -> Path:
    """The probe plan the tier writes for ``netops probe`` (lab mode uses it by default)."""
    return netns_dir(lab_dir) / PLAN_FILE


def _write(path: Path, text: str, mode: int) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def save(state: NetnsState) -> None:
    """The tier's record and its probe plan (rewritten whenever ports are rendered)."""
    _write(Path(state.dir) / STATE_FILE, json.dumps(asdict(state), indent=2), 0o600)
    header = "# netops probe plan of the lab's namespace tier, written by the lab (netops lab up --netns)\n"
    _write(Path(state.dir) / PLAN_FILE, header + yaml.safe_dump(probe_plan(state.plan), sort_keys=False), 0o644)


def load(lab_dir: Path) -> NetnsState | None:
    """The namespace tier of the lab in ``lab_dir``, or None when it has none."""
    try:
        raw: dict[str, Any] = json.loads((netns_dir(lab_dir) / STATE_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    p = raw["plan"]
    routers = [RouterPlan(**(r | {"ifaces": [RouterIface(**i) for i in r["ifaces"]], "dhcp": [DhcpScope(**d) for d in r["dhcp"]]}))
               for r in p["routers"]]
    plan = NetnsPlan(
        lab_id=p["lab_id"], switch_ns=p["switch_ns"], routers=routers, bridges=p["bridges"],
        ports=[PortPlan(**x) for x in p["ports"]], hosts=[HostPlan(**x) for x in p["hosts"]],
        injectors=[InjectorPlan(**x) for x in p["injectors"]], notes=p["notes"],
    )
    return NetnsState(plan=plan, dir=raw["dir"], gate_pid=raw["gate_pid"], created=raw["created"])
