"""Wi-Fi clients against the lab: live answers from the controllers' client tables, and no clear identifier in
anything netops writes (the lab's clients are static: the session lab serves them)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from labs.sim.snmp_agent import lab_stations
from labs.sim.snmp_data import Station

PLATFORM_CONTROLLERS = {"cisco_xe": "jmu-wlc-1", "cisco_wlc": "srn-wlc-aireos", "aruba_os": "srn-wlc-aruba"}
Run = Callable[..., tuple[int, str, str]]


def mac_forms(raw: bytes) -> list[bytes]:
    """Every common way to write a MAC, as bytes to grep for (and the six raw octets)."""
    hexes = raw.hex()
    pairs = [hexes[i:i + 2] for i in range(0, 12, 2)]
    quads = [hexes[i:i + 4] for i in range(0, 12, 4)]
    texts = [":".join(pairs), "-".join(pairs), "".join(pairs), ".".join(quads), " ".join(pairs)]
    return [raw] + [t.encode() for t in texts] + [t.upper().encode() for t in texts]


def identifiers(stations: dict[str, list[Station]]) -> dict[bytes, str]:
    out: dict[bytes, str] = {}
    for controller, clients in stations.items():
        for st in clients:
            for form in mac_forms(st.mac):
                out[form] = f"MAC of a client of {controller}"
            if st.user:
                out[st.user.encode()] = f"user name of a client of {controller}"
            out[st.ip.encode()] = f"IP address of a client of {controller}"
    return out


@pytest.fixture(scope="module")
def stations(lab) -> dict[str, list[Station]]:
    found = lab_stations(lab)
    for controller in PLATFORM_CONTROLLERS.values():
        assert found.get(controller), f"the lab serves no client on {controller}"
    return found


def pick(stations: dict[str, list[Station]], controller: str) -> Station:
    """A client with a user name (a staff or guest SSID) on ``controller``."""
    return next(s for s in stations[controller] if s.user)


def test_live_clients_show_ap_ssid_vlan_and_signal(lab, netops_cli: Run, stations) -> None:
    code, out, err = netops_cli("clients", "--json")
    assert code == 0, err
    result = json.loads(out)
    seen = {(c["controller"], c["mac"]): c for c in result["clients"]}
    for platform, controller in PLATFORM_CONTROLLERS.items():
        for st in stations[controller]:
            mac = ":".join(f"{b:02x}" for b in st.mac)
            client = seen[(controller, mac)]
            assert (client["ap"], client["ssid"], client["vlan"], client["ip"], client["rssi"]) == (
                st.ap.name, st.ssid.ssid, st.ssid.vlan, st.ip, st.rssi), platform
            assert client["user"] == (st.user or None)
            if platform != "aruba_os":  # Airespace: SNR, status, interface too
                assert (client["snr"], client["status"], client["interface"]) == (st.snr, "associated", st.ssid.interface)


@pytest.mark.parametrize("platform", sorted(PLATFORM_CONTROLLERS))
def test_find_by_mac_user_or_ip(lab, netops_cli: Run, stations, platform: str) -> None:
    controller = PLATFORM_CONTROLLERS[platform]
    st = pick(stations, controller)
    for query, kind in ((st.mac.hex("-").upper(), "mac"), (st.user.upper(), "user"), (st.ip, "ip")):
        code, out, err = netops_cli("clients", "--find", query, "--host", controller, "--json")
        assert code == 0, err
        found = json.loads(out)
        hits = [c for c in found["clients"] if kind in c["matched"]]
        assert hits, (query, found)
        assert all(c["user"].casefold() == st.user for c in hits) if kind == "user" else len(hits) == 1
        mine = next(c for c in hits if c["mac"] == st.mac.hex(":"))
        assert (mine["ap"], mine["ssid"], mine["vlan"]) == (st.ap.name, st.ssid.ssid, st.ssid.vlan)


def test_ssid_filter_and_table(lab, netops_cli: Run, stations) -> None:
    controller = PLATFORM_CONTROLLERS["cisco_wlc"]
    st = pick(stations, controller)
    code, out, err = netops_cli("clients", "--host", controller, "--ssid", st.ssid.ssid.lower(), "--json")
    assert code == 0, err
    listed = json.loads(out)["clients"]
    assert {c["ssid"] for c in listed} == {st.ssid.ssid}
    assert len(listed) == sum(1 for s in stations[controller] if s.ssid.ssid == st.ssid.ssid)
    code, out, _ = netops_cli("clients", "--host", controller, "--find", st.user, env={"COLUMNS": "250"})
    assert code in (0, 1) and st.ap.name in out and st.user in out  # clear on the terminal only


def test_a_poll_stores_no_clear_identifier_and_history_follows_by_hash(lab, netops_cli: Run, stations,
                                                                      tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {"NETOPS_DATA_DIR": str(data)}
    code, out, err = netops_cli("poll", "--once", "--role", "wlc", "--json", env=env)
    assert code in (0, 1), err
    for clear in identifiers(stations):
        assert clear not in out.encode()  # nor in what poll prints
    code, _, err = netops_cli("db", "backup", str(data / "copy.db"), env=env)
    assert code == 0, err
    code, report, err = netops_cli("privacy", "report", "--json", env=env)
    assert code == 0, err
    client_rows = next(h for h in json.loads(report)["holdings"] if h["name"] == "Wi-Fi client history")["count"]["rows"]
    assert client_rows >= sum(len(stations[c]) for c in PLATFORM_CONTROLLERS.values())
    code, _, err = netops_cli("db", "prune", env=env)
    assert code == 0, err

    files = [p for p in data.rglob("*") if p.is_file()]
    assert any(p.name == "netops.db" for p in files) and any(p.name == "client.key" for p in files)
    leaks = []
    needles = identifiers(stations)
    for path in files:
        blob = path.read_bytes()
        leaks += [f"{path.relative_to(data)}: {what} ({needle!r})" for needle, what in needles.items()
                  if len(needle) > 6 and needle in blob]  # six raw octets: grepped in the database only (below)
        if path.suffix == ".db" or path.name.startswith("netops.db"):
            leaks += [f"{path.relative_to(data)}: raw {what}" for needle, what in needles.items()
                      if len(needle) == 6 and needle in blob]
    assert not leaks, "\n".join(leaks)

    st = pick(stations, PLATFORM_CONTROLLERS["aruba_os"])
    code, out, err = netops_cli("clients", "--find", st.mac.hex("."), "--host", PLATFORM_CONTROLLERS["aruba_os"],
                                "--json", env=env)
    assert code == 0, err
    history = json.loads(out)["find"]["history"]
    assert history and history[0]["ap"] == st.ap.name and history[0]["ssid"] == st.ssid.ssid
    assert history[0]["matched"] == ["mac"]
    code, out, err = netops_cli("clients", "--find", st.user, "--host", PLATFORM_CONTROLLERS["aruba_os"], "--json", env=env)
    assert code == 0, err
    assert any(h["matched"] == ["user"] and h["ap"] == st.ap.name for h in json.loads(out)["find"]["history"])
    code, out, err = netops_cli("db", "prune", "--client", st.user, "--json", env=env)
    assert code == 0, err
    assert json.loads(out)["erasure"]["removed"] >= 1
    code, out, _ = netops_cli("clients", "--find", st.user, "--host", PLATFORM_CONTROLLERS["aruba_os"], "--json", env=env)
    assert not json.loads(out)["find"]["history"]
