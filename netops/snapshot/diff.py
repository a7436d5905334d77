"""Two snapshots compared per device and feature: regressions apart from benign change.

Regressions: an interface that was up (admin or oper) going down or gone, or its speed lower; a VLAN gone (or
no longer active); a trunk gone or no longer carrying a VLAN; a neighbour lost or moved (another local port, or
another port on the neighbour); the spanning-tree root of a VLAN changed; an FHRP group gone or its state
changed; a port-channel down or gone, or a member no longer bundled; an AP gone from its controller (not
joined) or no longer up; clients on an SSID down by more than ``clients_drop`` of A's count and by at least
``clients_min``; a device that answered in A and not in B (one regression: its features are not compared), or a
transport (SSH, SNMP) that answered in A and not in B. A trunk gone because its port went down is part of the
port's regression (listed with the changes), not a second one.

Benign change: counters (errors), anything new or up, names, descriptions, a root port, and what is left.
A feature one snapshot has and the other does not (a transport failed, or the platform reads it another way)
is not compared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from netops.model import STATE_FEATURES
from netops.parsing.vlans import vlan_ranges
from netops.snapshot.record import DeviceSnapshot, Snapshot

CLIENTS_DROP = 0.5  # default: a drop of more than half of an SSID's clients ...
CLIENTS_MIN = 5  # ... and of at least this many clients is a regression
DEVICE = "device"  # the feature of changes to the device itself (recorded, reachable)
COUNTERS = ("in_errors", "out_errors")

Attrs = dict[str, Any]


@dataclass(frozen=True)
class Change:
    """One thing that differs: ``before``/``after`` are the key's attributes in A and B (None: absent)."""

    host: str
    feature: str
    key: str
    before: Any
    after: Any
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SnapshotDiff:
    """``a`` to ``b``: what regressed and what else changed."""

    a: str
    b: str
    clients_drop: float = CLIENTS_DROP
    regressions: list[Change] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.regressions and not self.changes

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "clients_drop": self.clients_drop,
                "regressions": [c.to_dict() for c in self.regressions], "changes": [c.to_dict() for c in self.changes]}


KeyCheck = Callable[[Attrs | None, Attrs | None, "_Found"], None]


@dataclass
class _Found:
    """What one key of one feature gives: regression messages and benign ones."""

    bad: list[str] = field(default_factory=list)
    fine: list[str] = field(default_factory=list)


def _counters(a: Attrs, b: Attrs, found: _Found, handled: set[str]) -> None:
    for name in COUNTERS:
        handled.add(name)
        if a.get(name) != b.get(name):
            found.fine.append(f"{name} {a.get(name)} -> {b.get(name)}")


def _rest(a: Attrs, b: Attrs, found: _Found, handled: set[str]) -> None:
    """Every other attribute that changed: benign."""
    for name in sorted((set(a) | set(b)) - handled):
        if a.get(name) != b.get(name):
            found.fine.append(f"{name} {_show(a.get(name))} -> {_show(b.get(name))}")


def _show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list) and all(isinstance(v, int) for v in value):
        return vlan_ranges(value) or "none"
    return str(value)


def _interface(a: Attrs | None, b: Attrs | None, found: _Found) -> None:
    if a is None:
        found.fine.append("new" + (" (up)" if b and b.get("oper") == "up" else ""))
        return
    if b is None:
        if "up" in (a.get("admin"), a.get("oper")):
            found.bad.append(f"gone (was admin {a.get('admin')}, oper {a.get('oper')})")
        else:
            found.fine.append("gone (was down)")
        return
    handled = {"admin", "oper", "speed_mbps"}
    downs = [f"{s} up -> {b.get(s)}" for s in ("admin", "oper") if a.get(s) == "up" and b.get(s) != "up"]
    if downs:
        found.bad.append("down (" + ", ".join(downs) + ")")
    ups = [f"{s} {a.get(s)} -> up" for s in ("admin", "oper") if a.get(s) != "up" and b.get(s) == "up"]
    if ups:
        found.fine.append("up (" + ", ".join(ups) + ")")
    others = [f"{s} {a.get(s)} -> {b.get(s)}" for s in ("admin", "oper")
              if a.get(s) != b.get(s) and "up" not in (a.get(s), b.get(s))]
    found.fine.extend(others)
    speed_a, speed_b = a.get("speed_mbps"), b.get("speed_mbps")
    if speed_a != speed_b:
        lower = isinstance(speed_a, int) and isinstance(speed_b, int) and speed_b < speed_a
        # a port that went down reports no (or a default) speed: its regression is the down, not the speed
        if lower and not downs and b.get("oper") == "up":
            found.bad.append(f"speed {speed_a} -> {speed_b} Mb/s")
        else:
            found.fine.append(f"speed {_show(speed_a)} -> {_show(speed_b)} Mb/s")
    _counters(a, b, found, handled)
    _rest(a, b, found, handled)


def _vlan(a: Attrs | None, b: Attrs | None, found: _Found) -> None:
    if a is None:
        found.fine.append("new VLAN")
    elif b is None:
        found.bad.append("VLAN gone")
    else:
        handled = {"status"}
        if a.get("status") != b.get("status"):
            (found.bad if a.get("status") == "active" else found.fine).append(
                f"status {a.get('status')} -> {b.get('status')}")
        _rest(a, b, found, handled)


def _trunk(a: Attrs | None, b: Attrs | None, found: _Found) -> None:
    if a is None:
        found.fine.append(f"new trunk (VLANs {_show((b or {}).get('vlans', []))})")
        return
    if b is None:
        found.bad.append(f"trunk gone (carried VLANs {_show(a.get('vlans', []))})")
        return
    before, after = set(a.get("vlans") or []), set(b.get("vlans") or [])
    if before - after:
        found.bad.append(f"no longer carries VLAN {vlan_ranges(before - after)}")
    if after - before:
        found.fine.append(f"now carries VLAN {vlan_ranges(after - before)}")
    _rest(a, b, found, {"vlans"})


def _watched(attr: str, what: str, gone_is_regression: bool) -> KeyCheck:
    """A key whose ``attr`` changing is a regression (a VLAN's spanning-tree root, an FHRP group's state); new is
    benign, gone a regression when ``gone_is_regression``; any other attribute changing is benign."""

    def check(a: Attrs | None, b: Attrs | None, found: _Found) -> None:
        if a is None:
            found.fine.append(f"new {what} ({attr} {(b or {}).get(attr)})")
        elif b is None:
            (found.bad if gone_is_regression else found.fine).append(f"{what} gone (was {attr} {a.get(attr)})")
        else:
            if a.get(attr) != b.get(attr):
                found.bad.append(f"{attr} {a.get(attr)} -> {b.get(attr)}")
            _rest(a, b, found, {attr})

    return check


def _port_channel(a: Attrs | None, b: Attrs | None, found: _Found) -> None:
    if a is None:
        found.fine.append(f"new port-channel ({(b or {}).get('status')})")
        return
    if b is None:
        (found.bad if a.get("status") == "up" else found.fine).append(f"gone (was {a.get('status')})")
        return
    if a.get("status") != b.get("status"):
        (found.bad if a.get("status") == "up" else found.fine).append(f"{a.get('status')} -> {b.get('status')}")
    before, after = a.get("members") or {}, b.get("members") or {}
    for port in sorted(set(before) | set(after)):
        was, now = before.get(port), after.get(port)
        if was == now:
            continue
        text = f"member {port} {was or 'absent'} -> {now or 'gone'}"
        (found.bad if was == "bundled" else found.fine).append(text)
    _rest(a, b, found, {"status", "members"})


def _ap(a: Attrs | None, b: Attrs | None, found: _Found) -> None:
    if a is None:
        found.fine.append(f"AP joined ({(b or {}).get('state')})")
    elif b is None:
        found.bad.append("AP not joined (gone from the controller)" + ("" if a.get("state") == "up" else f"; was {a.get('state')}"))
    else:
        if a.get("state") != b.get("state"):
            (found.bad if a.get("state") == "up" else found.fine).append(f"state {a.get('state')} -> {b.get('state')}")
        _rest(a, b, found, {"state"})


def _neighbors(a: dict[str, Attrs], b: dict[str, Attrs], key: str, found: _Found) -> None:
    before, after = a.get(key), b.get(key)
    port, _, device = key.partition(" ")
    if before is None:
        if not any(k != key and k.partition(" ")[2] == device and k not in b for k in a):  # else reported as moved
            found.fine.append(f"new neighbour {device} (port {(after or {}).get('port')})")
        return
    if after is None:
        moved = sorted(k.partition(" ")[0] for k in b if k.partition(" ")[2] == device and k not in a)
        if moved:
            found.bad.append(f"neighbour {device} moved from {port} to {', '.join(moved)}")
        else:
            found.bad.append(f"neighbour lost: {device} (its port {before.get('port')}, {before.get('protocol')})")
        return
    if before.get("port") != after.get("port"):
        found.bad.append(f"neighbour {device} moved from its port {before.get('port')} to {after.get('port')}")
    _rest(before, after, found, {"port"})


def _clients(a: Attrs | None, b: Attrs | None, found: _Found, drop: float, least: int) -> None:
    before = int((a or {}).get("clients") or 0)
    after = int((b or {}).get("clients") or 0)
    if before == after and (a is None) == (b is None):
        return
    if a is None:
        found.fine.append(f"new SSID ({after} clients)")
        return
    lost = before - after
    text = f"clients {before} -> {after}" + (" (SSID gone)" if b is None else "")
    if lost > drop * before and lost >= least:
        found.bad.append(f"{text}: down {round(100 * lost / before)}%")
    else:
        found.fine.append(text)


CHECKS: dict[str, KeyCheck] = {
    "interfaces": _interface, "vlans": _vlan, "trunks": _trunk,
    "stp_root": _watched("root_id", "spanning-tree instance", gone_is_regression=False),
    "fhrp": _watched("state", "group", gone_is_regression=True),
    "port_channels": _port_channel, "aps": _ap,
}


def _feature(host: str, feature: str, a: dict[str, Attrs], b: dict[str, Attrs], drop: float, least: int,
             out: SnapshotDiff) -> None:
    for key in sorted(set(a) | set(b)):
        found = _Found()
        before, after = a.get(key), b.get(key)
        if before == after:
            continue
        if feature == "neighbors":
            _neighbors(a, b, key, found)
        elif feature == "ssid_clients":
            _clients(before, after, found, drop, least)
        elif feature in CHECKS:
            CHECKS[feature](before, after, found)
        elif before is None or after is None:
            found.fine.append("new" if before is None else "gone")
        else:
            _rest(before, after, found, set())
        if found.bad:
            out.regressions.append(Change(host, feature, key, before, after, "; ".join(found.bad)))
        if found.fine:
            out.changes.append(Change(host, feature, key, before, after, "; ".join(found.fine)))


def _reasons(device: DeviceSnapshot) -> str:
    return "; ".join(f"{t}: {device.reasons.get(t, 'no answer')}" for t, ok in sorted(device.reachable.items()) if not ok)


def _device(host: str, a: DeviceSnapshot, b: DeviceSnapshot, drop: float, least: int, out: SnapshotDiff) -> None:
    if a.answered and not b.answered:
        out.regressions.append(Change(host, DEVICE, "reachable", a.reachable, b.reachable, f"unreachable ({_reasons(b)})"))
        return
    if not a.answered:
        if b.answered:
            out.changes.append(Change(host, DEVICE, "reachable", a.reachable, b.reachable, "reachable again (not compared)"))
        return
    for transport in sorted(set(a.reachable) | set(b.reachable)):
        was, now = a.reachable.get(transport), b.reachable.get(transport)
        if was and not now:
            why = b.reasons.get(transport, "not tried")
            out.regressions.append(Change(host, DEVICE, transport, True, now, f"no answer over {transport} ({why})"))
        elif now and not was:
            out.changes.append(Change(host, DEVICE, transport, was, True, f"answers over {transport} again"))
    order = {f: i for i, f in enumerate(STATE_FEATURES)}
    first, first_change = len(out.regressions), len(out.changes)
    for feature in sorted(set(a.features) | set(b.features), key=lambda f: (order.get(f, len(order)), f)):
        if feature in a.features and feature in b.features:
            _feature(host, feature, a.features[feature], b.features[feature], drop, least, out)
        elif a.complete and b.complete:
            missing = "B" if feature in a.features else "A"
            out.changes.append(Change(host, feature, "", None, None, f"not recorded in {missing} (not compared)"))
    _implied(out, first)
    out.changes[first_change:] = sorted(out.changes[first_change:], key=lambda c: (order.get(c.feature, -1), c.key))


def _implied(out: SnapshotDiff, first: int) -> None:
    """A trunk gone because its port went down (or away) is the port's regression, not a second one: it moves
    to the changes, saying so. ``first``: where this device's regressions start."""
    ports = {c.key for c in out.regressions[first:]
             if c.feature == "interfaces" and (c.after is None or c.after.get("oper") != "up")}
    kept: list[Change] = []
    for change in out.regressions[first:]:
        if change.feature == "trunks" and change.after is None and change.key in ports:
            out.changes.append(Change(change.host, change.feature, change.key, change.before, None,
                                      change.message + " with its port (the interface's regression)"))
        else:
            kept.append(change)
    out.regressions[first:] = kept


def diff(a: Snapshot, b: Snapshot, clients_drop: float = CLIENTS_DROP, clients_min: int = CLIENTS_MIN) -> SnapshotDiff:
    """What changed from ``a`` to ``b``, per device and feature (devices in host order, features in model order)."""
    out = SnapshotDiff(a.name, b.name, clients_drop)
    for host in sorted(set(a.devices) | set(b.devices)):
        before, after = a.devices.get(host), b.devices.get(host)
        if before is None:
            assert after is not None
            out.changes.append(Change(host, DEVICE, "recorded", None, after.reachable, f"not in {a.name} (not compared)"))
        elif after is None:
            out.changes.append(Change(host, DEVICE, "recorded", before.reachable, None, f"not in {b.name} (not compared)"))
        else:
            _device(host, before, after, clients_drop, clients_min, out)
    return out
