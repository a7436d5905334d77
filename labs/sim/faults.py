"""Fault switches of lab nodes: ``auth-fail``, ``slow[=N]``, ``hang``, ``disconnect``, ``truncate``, ``down``; the
configuration pushes' ``drop-after=N``, ``reject=WORDS`` and ``ignore=WORDS``;
the one-shot actions ``wipe`` and ``replace``; and ``reboot``.

Faults come from the ``netops-fault`` topology label, ``netops lab up --fault``
and ``netops lab fault``; they live in ``NodeRuntime.faults`` of the state file,
which workers re-read (when it changed) at every new connection. The actions
are not switches: ``wipe`` brings the node back with its factory-default
configuration, ``replace`` does that on new hardware (a new SSH host key,
bootstrap credentials). They act once (``netops lab fault`` waits until the
node's worker applied them; at ``lab up`` the node starts that way) and are
recorded as ``NodeRuntime.wiped`` / ``replaced``; ``--clear`` does not undo them. ``reboot`` reloads a node keeping
its configuration: its SNMP agent counts sysUpTime and the counters from zero again (``NodeRuntime.booted_at``);
the SNMP responder sees it at the next request, there is nothing to wait for.

``down`` powers the node off: its SSH port refuses connections, its SNMP agent is silent, it leaves its
neighbours' CDP/LLDP tables. Every node it cuts off from the core of its site (:func:`labs.sim.campus.cut_off`
over the topology's links) behaves as if it hung until a path comes back: :attr:`Faults.cut_off`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from labs.sim.campus import cut_off, topology_wires

FAULTS = {
    "auth-fail": "good credentials are refused",
    "slow": "every reply (SSH and SNMP) is delayed N seconds (slow=N, default 3)",
    "hang": "accepts the connection, then never answers (SNMP is silent too)",
    "disconnect": "closes the session in the middle of the configuration output",
    "truncate": "sends only the first part of the configuration, then a normal prompt",
    "down": "powered off: SSH refused, SNMP silent, gone from its neighbours; nodes it cuts off from their core hang",
    "drop-after": "a session drops its connection when configuration line N+1 arrives: N lines applied (drop-after=N)",
    "reject": "refuses configuration lines starting with WORDS (% Invalid input), applying nothing (reject=WORDS)",
    "ignore": "accepts configuration lines starting with WORDS without applying them: a push that verification fails (ignore=WORDS)",
}
PUSH_FAULTS = ("drop-after", "reject", "ignore")  # each needs its value; they act on configuration-mode lines
ACTIONS = {
    "wipe": "comes back with its factory-default configuration (running and startup), as after write erase + reload",
    "replace": "wipe on new hardware: a new SSH host key, only the bootstrap credentials until configured",
}
REBOOT = {"reboot": "reloads with its configuration kept: SNMP sysUpTime and counters start again from zero"}
DEFAULT_SLOW = 3.0


def check_fault(spec: str) -> str:
    """Validate one fault switch and return it normalised; ValueError explains a bad one."""
    name, _, value = spec.strip().partition("=")
    if name not in FAULTS and name not in ACTIONS:
        raise ValueError(f"unknown fault {name!r} (known: {', '.join([*FAULTS, *ACTIONS])})")
    if name in PUSH_FAULTS:
        if not value.strip() or (name == "drop-after" and not value.isdigit()):
            raise ValueError(f"{name} needs a value: {FAULTS[name]}")
        return f"{name}={value.strip()}"
    if value and name != "slow":
        raise ValueError(f"fault {name!r} takes no value")
    if value:
        try:
            if float(value) < 0:
                raise ValueError
        except ValueError:
            raise ValueError(f"slow needs a number of seconds, not {value!r}") from None
    return f"{name}={value}" if value else name


def merge_fault(faults: list[str], spec: str) -> list[str]:
    """``faults`` with ``spec`` added, replacing a switch of the same name."""
    name = spec.partition("=")[0]
    return [f for f in faults if f.partition("=")[0] != name] + [spec]


@dataclass(frozen=True)
class Faults:
    """The faults of one node, typed."""

    auth_fail: bool = False
    slow: float = 0.0
    hang: bool = False
    disconnect: bool = False
    truncate: bool = False
    down: bool = False
    cut_off: bool = False  # a down node cut every path from this one to a core of its site
    drop_after: int | None = None  # configuration lines a session applies before its connection drops
    reject: str | None = None  # configuration lines starting with these words are refused
    ignore: str | None = None  # configuration lines starting with these words are accepted, not applied

    @property
    def silent(self) -> bool:
        """Whether the node answers nothing at all (SNMP; SSH accepts but never answers when only cut off)."""
        return self.hang or self.down or self.cut_off

    @classmethod
    def parse(cls, specs: list[str]) -> Faults:
        slow = 0.0
        switched: set[str] = set()
        values: dict[str, str] = {}
        for spec in specs:
            name, _, value = spec.partition("=")
            if name == "slow":
                slow = float(value) if value else DEFAULT_SLOW
            elif name in PUSH_FAULTS:
                values[name] = value
            elif name in FAULTS:
                switched.add(name)
        drop = values.get("drop-after")
        return cls(auth_fail="auth-fail" in switched, slow=slow, hang="hang" in switched,
                   disconnect="disconnect" in switched, truncate="truncate" in switched, down="down" in switched,
                   drop_after=int(drop) if drop else None, reject=values.get("reject"), ignore=values.get("ignore"))

    def pushed(self, line: str) -> str | None:
        """What the push faults do with a configuration line: "reject", "ignore" or None (handled as usual)."""
        words = line.split()
        for action, prefix in (("reject", self.reject), ("ignore", self.ignore)):
            if prefix and words[: len(prefix.split())] == prefix.split():
                return action
        return None


def split_actions(specs: list[str]) -> tuple[list[str], list[str]]:
    """(switches, actions) of a node's fault specs."""
    return [f for f in specs if f not in ACTIONS], [f for f in specs if f in ACTIONS]


class FaultBook:
    """The current faults and runtime records of every node, reloaded from the lab's state file when it changes."""

    def __init__(self, lab_dir: Path, files: tuple[str, ...]) -> None:
        self.paths = [lab_dir / f for f in files]  # the first that exists wins
        self.stamp: tuple[str, int] | None = None
        self.faults: dict[str, Faults] = {}
        self.records: dict[str, dict[str, Any]] = {}  # name -> the node's NodeRuntime as the state file has it
        self.topology = ""  # the topology file the lab was built from

    def get(self, name: str) -> Faults:
        self.refresh()
        return self.faults.get(name, Faults())

    def refresh(self) -> None:
        """Reload the state file if it changed since the last look (a stat otherwise)."""
        for path in self.paths:
            try:
                mtime = os.stat(path).st_mtime_ns
            except FileNotFoundError:
                continue
            if self.stamp != (str(path), mtime):
                if self._load(path):
                    self.stamp = (str(path), mtime)
            break

    def _load(self, path: Path) -> bool:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            nodes = raw["nodes"]
        except (OSError, ValueError, KeyError):
            return False  # mid-write: keep the previous view
        self.faults = {n["name"]: Faults.parse(n.get("faults") or []) for n in nodes}
        self.records = {n["name"]: n for n in nodes}
        self.topology = str(raw.get("topology") or "")
        for name in isolated(self.records, self.topology):
            self.faults[name] = replace(self.faults[name], cut_off=True)
        return True

    def is_up(self, name: str) -> bool:
        """Whether the node is powered on (not ``down``)."""
        return not self.get(name).down


def node_faults(labels: dict[str, Any]) -> list[str]:
    """The fault switches a topology node's ``netops-fault`` label asks for."""
    return [f.strip() for f in str(labels.get("netops-fault", "")).split(",") if f.strip()]


def isolated(records: dict[str, dict[str, Any]], topology: str) -> set[str]:
    """The nodes cut off from their site's core by the ``down`` nodes among ``records`` (state-file node records)."""
    down = {name for name, n in records.items() if "down" in (n.get("faults") or [])}
    if not down or not topology:
        return set()
    roles = {name: (str(n.get("role", "")), str(n.get("site", ""))) for name, n in records.items()}
    return cut_off(roles, topology_wires(topology), down)
