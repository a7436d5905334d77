"""Everything a device gives netops, generated (issue 19): configurations for every platform parser,
CDP/LLDP neighbour tables, facts and state outputs, backup cleaning and the completeness guard, 802.11
captures for the Wi-Fi survey, and SNMP responses from a real agent.

The property for device data: never an exception out of a parser; what could not be read is a parse issue
or a notice. Cleaning never lets a secret through. Seeds are the real captures under ``tests/data`` and
``labs/configs``; hypothesis mutates them (cuts, shuffles, garbage, bad encodings, long lines, deep
indentation, CRLF, NUL bytes).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from netops.backup.clean import clean, clean_keeping_secrets, lines_of
from netops.backup.guard import rejection
from netops.drivers import all_drivers
from netops.drivers.base import REDACTED
from netops.model import ParsedConfig

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
DRIVERS = all_drivers()
PLATFORMS = sorted(DRIVERS)


def _texts(paths: list[Path]) -> list[str]:
    out = []
    for path in sorted(paths):
        if path.is_file() and path.suffix not in {".json", ".md", ".yaml", ".reason"}:
            try:
                out.append(path.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                continue
    return out


CONFIG_SEEDS = _texts([*(ROOT / "labs" / "configs").glob("*.cfg"), *(DATA / "policy").rglob("*"),
                       *(DATA / "backup").rglob("*")])
NEIGHBOR_SEEDS = _texts(list((DATA / "neighbors").rglob("*.txt")))
FACTS_SEEDS = {p: _texts(list((DATA / "facts" / p).glob("*.txt"))) for p in PLATFORMS}
STATE_SEEDS = {p: _texts(list((DATA / "state" / p).glob("*.txt"))) for p in PLATFORMS}


# --- mutations -------------------------------------------------------------------------------------------

GARBAGE = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80) | st.sampled_from([
    "!", "end", "exit", "}", "{", "config", "interface", " ip address", "---- ----", "% Invalid input detected",
    "   :", "=" * 40, "\t\t", "option", "vlan 99999999999999999999", "interface Gi1/0/999999999999",
    " switchport trunk allowed vlan 1-99999,abc", "hostname", "ssid", "wlan", "vlan", "--More--",
])


def _mutate(draw: st.DrawFn, text: str) -> str:
    """One to three mutations of ``text``."""
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["cut-line", "cut-byte", "shuffle", "duplicate", "garbage", "bytes",
                                     "long", "indent", "crlf", "nul", "drop", "tabs"]))
        lines = text.split("\n")
        rnd = draw(st.randoms(use_true_random=False))
        if kind == "cut-line":
            text = "\n".join(lines[: rnd.randrange(len(lines) + 1)])
        elif kind == "cut-byte":
            text = text[: rnd.randrange(len(text) + 1)]
        elif kind == "shuffle":
            rnd.shuffle(lines)
            text = "\n".join(lines)
        elif kind == "duplicate":
            at = rnd.randrange(len(lines))
            lines[at:at] = lines[at: at + rnd.randint(1, 20)] * rnd.randint(1, 5)
            text = "\n".join(lines)
        elif kind == "garbage":
            for _ in range(draw(st.integers(1, 5))):
                lines.insert(rnd.randrange(len(lines) + 1), draw(GARBAGE))
            text = "\n".join(lines)
        elif kind == "bytes":
            raw = bytearray(text.encode("utf-8", "surrogateescape"))
            for _ in range(draw(st.integers(1, 20))):
                if raw:
                    raw[rnd.randrange(len(raw))] = rnd.randrange(256)
            text = raw.decode("utf-8", draw(st.sampled_from(["surrogateescape", "replace"])))
        elif kind == "long":
            at = rnd.randrange(len(lines))
            lines[at] = lines[at] + draw(st.sampled_from(["x", " ", "a b ", "1", "\t", ","])) * rnd.randint(1, 200_000)
            text = "\n".join(lines)
        elif kind == "indent":
            depth = rnd.choice([1, 2, 8, 100, 5000])
            text = "\n".join(" " * (depth * (i % 7)) + line if rnd.random() < 0.5 else line
                             for i, line in enumerate(lines))
        elif kind == "crlf":
            text = text.replace("\n", rnd.choice(["\r\n", "\r", "\n\r", "\r\r\n"]))
        elif kind == "nul":
            for _ in range(draw(st.integers(1, 10))):
                at = rnd.randrange(len(text) + 1)
                text = text[:at] + rnd.choice(["\x00", "\x00\x00", "\x1b[K", "\x08", "\x7f", "\ufeff"]) + text[at:]
        elif kind == "drop":
            text = "\n".join(line for line in lines if rnd.random() < 0.7)
        elif kind == "tabs":
            text = text.replace(" ", "\t")
    return text


@st.composite
def mutated(draw: st.DrawFn, seeds: list[str]) -> str:
    return _mutate(draw, draw(st.sampled_from(seeds)))


# --- (1) configurations, every parser --------------------------------------------------------------------

@pytest.mark.matrix("device configurations, every parser", "66 real and lab configurations cut, shuffled, garbled, bad bytes, huge lines, NUL, CRLF")
@given(mutated(CONFIG_SEEDS))
@example("")
@example("\x00")
@example("\r\n" * 5)
@example("config interface create mgmt " + "9" * 5000 + "\n")  # int() refuses 4,300 digits: was a ValueError
@example("config wlan create \u00b2 staff staff\n")  # "²".isdigit() is true, int("²") fails
@example("interface Vlan" + "1" * 5000 + "\n ip address 10.0.0.1 255.255.255.0\n")
@example("interface Gi1/0/1\n channel-group " + "7" * 5000 + " mode active\n")
@example("config wifi-device 'radio0'\nconfig device\n\toption vid '" + "4" * 5000 + "'\n")
def test_every_parser_reads_any_configuration(text: str) -> None:
    for platform in PLATFORMS:
        parsed = DRIVERS[platform].parse(text, "fuzz-host")
        assert isinstance(parsed, ParsedConfig), platform


# --- (2) neighbour tables, facts and state -------------------------------------------------------------

WITH_NEIGHBORS = [p for p in PLATFORMS if DRIVERS[p].neighbors is not None]


AOSCX_LLDP = (DATA / "neighbors" / "aruba_aoscx" / "lldp" / "input.txt").read_text(encoding="utf-8")


@pytest.mark.matrix("CDP/LLDP tables", "real captures mutated")
@given(mutated(NEIGHBOR_SEEDS))
@example("")
@example(AOSCX_LLDP.replace("\n", "\n!\n", 1))  # a stray line the template's Error state rejected: the table was lost
@example(AOSCX_LLDP.replace("\n", "\nWarning: entries aged out.\n", 3))
def test_neighbor_parsers_never_raise(text: str) -> None:
    """A table gives the neighbours it holds; lines its template rejects are left out. Only a table with
    more than ``MAX_REJECTED`` such lines is a ValueError, which its readers report as a notice."""
    for platform in WITH_NEIGHBORS:
        try:
            assert isinstance(DRIVERS[platform].parse_neighbors(text), list)
        except ValueError as exc:
            assert "template" in str(exc) or "cannot read" in str(exc)


def test_a_stray_line_keeps_the_table() -> None:
    clean_table = DRIVERS["aruba_aoscx"].parse_neighbors(AOSCX_LLDP)
    assert clean_table and DRIVERS["aruba_aoscx"].parse_neighbors(AOSCX_LLDP.replace("\n", "\n!\n", 1)) == clean_table


def _outputs(draw: st.DrawFn, seeds: list[str], commands: tuple[str, ...]) -> dict[str, str]:
    from netops.parsing.neighbors import split_outputs

    outputs = split_outputs(draw(st.sampled_from(seeds)), "=== ") if seeds else {}
    chosen = draw(st.lists(st.sampled_from(commands), unique=True)) if commands else []
    result: dict[str, str] = {}
    for command in commands:
        base = outputs.get(command, "")
        if command in chosen or not base:
            # mutate this output, or give it another command's output (a wrong table)
            if draw(st.booleans()) and outputs:
                base = draw(st.sampled_from(sorted(outputs.values())))
            result[command] = _mutate(draw, base or "x")
        elif draw(st.integers(0, 9)):
            result[command] = base
    return result


FACTS_PLATFORMS = [p for p in PLATFORMS if DRIVERS[p].facts is not None]
STATE_PLATFORMS = [p for p in PLATFORMS if DRIVERS[p].state is not None]


@pytest.mark.matrix("show outputs for facts and snapshots", "real captures mutated, swapped between commands, left out")
@pytest.mark.parametrize("kind", ["facts", "state"])
@given(data=st.data())
def test_facts_and_state_parsers_never_raise(kind: str, data: st.DataObject) -> None:
    """``driver.facts.parser`` / ``driver.state.parser`` with ``{command: output}``: outputs mutated, swapped
    between commands, or left out."""
    platform = data.draw(st.sampled_from(FACTS_PLATFORMS if kind == "facts" else STATE_PLATFORMS))
    spec = getattr(DRIVERS[platform], kind)
    seeds = (FACTS_SEEDS if kind == "facts" else STATE_SEEDS)[platform]
    spec.parser(data.draw(st.composite(lambda d: _outputs(d, seeds, spec.commands))()))


@pytest.mark.matrix("show outputs for facts and snapshots", "200,000-character lines, 5,000-digit numbers")
def test_huge_lines_and_numbers_in_show_outputs() -> None:
    """Found by the tests above: a 200,000-blank line made the ``show version`` template take minutes
    (regex backtracking), and a 5,000-digit VLAN or counter made ``int()`` raise."""
    import time

    xe = DRIVERS["cisco_xe"]
    assert xe.facts is not None and xe.state is not None
    started = time.monotonic()
    xe.facts.parser({"show version": " " * 200_000 + "\nCisco IOS XE Software, Version 17.9.4\n"})
    assert time.monotonic() - started < 5
    trunk = ("Port        Mode             Encapsulation  Status        Native vlan\n"
             "Gi1/0/1     on               802.1q         trunking      1\n\n"
             "Port        Vlans allowed and active in management domain\n"
             "Gi1/0/1     1-" + "9" * 5000 + "," + "1" * 30000 + "\n")
    xe.state.parser({"show interfaces trunk": trunk})
    xe.facts.parser({"show version": "Switch uptime is " + "9" * 5000 + " weeks\n"})


# --- (3) backup cleaning and the guard --------------------------------------------------------------------

BACKUP_PLATFORMS = [p for p in PLATFORMS if DRIVERS[p].backup is not None]
BACKUP_SEEDS = {p: _texts([*(DATA / "backup" / p).glob("*.raw"), *(DATA / "backup" / p).glob("*.bad")])
                for p in BACKUP_PLATFORMS}


@pytest.mark.matrix("backup cleaning and completeness guard", "mutated configurations, every platform")
@given(st.data())
def test_clean_and_guard_never_raise(data: st.DataObject) -> None:
    platform = data.draw(st.sampled_from(BACKUP_PLATFORMS))
    spec = DRIVERS[platform].backup
    assert spec is not None
    text = data.draw(mutated(BACKUP_SEEDS[platform] or CONFIG_SEEDS))
    cleaned = clean(text, spec)
    assert clean(cleaned, spec) == cleaned, "cleaning is idempotent"
    assert rejection(text, spec) is None or isinstance(rejection(text, spec), str)
    rejection(cleaned, spec)


def _secret_lines(platform: str) -> list[tuple[str, str, str]]:
    """Per secret line of the platform's seed captures: (text before, the secret span, text after)."""
    spec = DRIVERS[platform].backup
    assert spec is not None
    out = []
    for text in BACKUP_SEEDS[platform]:
        for line in lines_of(text):
            redacted = clean(line, spec).rstrip("\n")
            if redacted == line or REDACTED not in redacted:
                continue
            start = 0
            while start < min(len(line), len(redacted)) and line[start] == redacted[start]:
                start += 1
            end = 0
            while end < min(len(line), len(redacted)) - start and line[-1 - end] == redacted[-1 - end]:
                end += 1
            span = line[start: len(line) - end]
            if len(span) >= 4 and " " not in span.strip():
                out.append((line[:start], span, line[len(line) - end:]))
    return out


SECRET_LINES = {p: _secret_lines(p) for p in BACKUP_PLATFORMS}
SECRET_ALPHABET = st.characters(codec="utf-8", exclude_categories=["Cs", "Zs", "Zl", "Zp", "Cc"])


def test_every_platform_has_secret_seeds() -> None:
    assert all(SECRET_LINES[p] for p in BACKUP_PLATFORMS if DRIVERS[p].backup.secrets), SECRET_LINES  # type: ignore[union-attr]


@pytest.mark.matrix("secrets in configurations", "every secret line of the captures with a random secret")
@given(st.data())
def test_a_secret_never_survives_cleaning(data: st.DataObject) -> None:
    platform = data.draw(st.sampled_from([p for p in BACKUP_PLATFORMS if SECRET_LINES[p]]))
    spec = DRIVERS[platform].backup
    assert spec is not None
    before, _, after = data.draw(st.sampled_from(SECRET_LINES[platform]))
    secret = data.draw(st.text(SECRET_ALPHABET, min_size=8, max_size=64))
    assume(REDACTED not in secret)
    line = before + secret + after + data.draw(st.sampled_from(["", " ", "\t", "  "]))
    base = data.draw(st.sampled_from(BACKUP_SEEDS[platform]))
    assume(secret not in base and secret not in line.replace(secret, ""))
    lines = base.split("\n")
    rnd = data.draw(st.randoms(use_true_random=False))
    for _ in range(data.draw(st.integers(1, 3))):
        lines.insert(rnd.randrange(len(lines) + 1), line)
    text = data.draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    cleaned, removed = clean_keeping_secrets(text, spec)
    assert secret not in cleaned, (platform, line)
    assert any(secret in "\n".join(s.original) for s in removed)


# --- (4) 802.11 captures for the Wi-Fi survey -------------------------------------------------------------

def _frame_bytes(bssid: bytes, ssid: bytes, tail: bytes, probe: bool) -> bytes:
    from scapy.layers.dot11 import Dot11, Dot11Beacon, Dot11ProbeResp, RadioTap

    mac = ":".join(f"{b:02x}" for b in bssid)
    mgmt = Dot11ProbeResp(cap=0x1111) if probe else Dot11Beacon(cap=0x1111)
    head = RadioTap() / Dot11(type=0, subtype=5 if probe else 8, addr1="ff:ff:ff:ff:ff:ff", addr2=mac, addr3=mac) / mgmt
    return bytes(head) + bytes([0, len(ssid)]) + ssid + tail


ELEMENT = st.tuples(st.integers(0, 255), st.integers(0, 255), st.binary(max_size=80)).map(
    lambda e: bytes([e[0], e[1]]) + e[2])  # an element whose length field may not match its value (truncated)
KNOWN_ELEMENT = st.sampled_from([3, 48, 61, 221, 0, 1, 50, 45, 127]).flatmap(
    lambda eid: st.binary(max_size=40).map(lambda v: bytes([eid, len(v)]) + v))


@pytest.mark.matrix("802.11 frames", "scapy beacons/probe responses with random, cut and trailing elements")
@given(bssid=st.binary(min_size=6, max_size=6), ssid=st.binary(max_size=32),
       tail=st.lists(KNOWN_ELEMENT | ELEMENT, max_size=6).map(b"".join), garbage=st.binary(max_size=16),
       probe=st.booleans())
@example(bssid=b"\x02\x00\x00\x00\x00\x01", ssid=b"campus", tail=bytes([48, 20, 1, 0]), garbage=b"", probe=False)
@example(bssid=b"\x02\x00\x00\x00\x00\x01", ssid=b"campus", tail=b"", garbage=b"\xdd", probe=True)
def test_survey_keeps_the_first_ssid(bssid: bytes, ssid: bytes, tail: bytes, garbage: bytes, probe: bool) -> None:
    from scapy.layers.dot11 import RadioTap

    from netops.probe.dot11 import survey

    frame = RadioTap(_frame_bytes(bssid, ssid, tail + garbage, probe))
    networks = survey([frame])
    assert len(networks) == 1
    if ssid.strip(b"\x00"):
        assert not networks[0].hidden and networks[0].ssid == ssid.decode("utf-8", errors="replace")
    else:
        assert networks[0].hidden


@pytest.mark.matrix("pcap files", "generated captures cut and bit-flipped")
@given(frames=st.lists(st.tuples(st.binary(min_size=6, max_size=6), st.binary(max_size=32),
                                 st.lists(KNOWN_ELEMENT | ELEMENT, max_size=4).map(b"".join), st.booleans()),
                       min_size=1, max_size=5),
       cut=st.integers(0, 4000), flips=st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), max_size=4))
def test_reading_a_damaged_pcap_is_frames_or_an_input_error(frames: list, cut: int, flips: list) -> None:
    """The probe's pcap path (:func:`netops.probe.wifi.read_pcap`, then :func:`survey`) on a capture cut short
    or with bytes flipped: the frames before the damage, or an InputError naming the file."""
    import tempfile

    from scapy.layers.dot11 import RadioTap
    from scapy.utils import wrpcap

    from netops.errors import InputError
    from netops.probe.dot11 import survey
    from netops.probe.wifi import read_pcap

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "capture.pcap"
        wrpcap(str(path), [RadioTap(_frame_bytes(*f[:3], f[3])) for f in frames])
        data = bytearray(path.read_bytes())
        for at, value in flips:
            if 24 <= at < len(data):  # the global header stays; a damaged one is tested in tests/test_probe_wifi.py
                data[at] = value
        path.write_bytes(bytes(data[: max(24, len(data) - cut)] if cut < len(data) else data[:cut]))
        try:
            networks = survey(read_pcap(path))
        except InputError as exc:
            assert str(path) in str(exc) or exc.file == path
        else:
            assert len(networks) <= len(frames)


# --- (5) SNMP responses from a real agent (snmpsim) -------------------------------------------------------

SNMP_ADDRESS, SNMP_PORT = "127.37.19.2", 1161
HUGE_ADDRESS = "127.37.19.3"  # its own agent: the module's agent may still hold SNMP_ADDRESS
TYPES = {"int": 2, "str": 4, "hex": "4x", "oid": 6, "ip": 64, "c32": 65, "gauge": 66, "ticks": 67, "c64": 70}


def _value(rnd: random.Random, kind: str) -> str:
    """An snmprec value of ``kind`` (random but derandomised: ``rnd`` is seeded)."""
    return {
        "int": lambda: str(rnd.choice([-(2**31), -1, 0, 1, 7, 2**31 - 1])),
        "str": lambda: rnd.choice(["", "x", "Gi1/0/1", "100", "-5", "\u00e9t\u00e9", "a" * 255]),
        "hex": lambda: bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 40))).hex(),  # not UTF-8 (mostly)
        "oid": lambda: "1.3.6.1.4.1.9",
        "ip": lambda: "10.0.0.1",
        "c32": lambda: str(rnd.choice([0, 1, 2**32 - 1, rnd.randrange(2**32)])),
        "gauge": lambda: str(rnd.choice([0, 100, 2**32 - 1])),
        "ticks": lambda: str(rnd.randrange(2**32)),
        "c64": lambda: str(rnd.choice([0, 2**64 - 1, 2**33, rnd.randrange(2**64)])),
    }[kind]()


def _profile_columns() -> list[str]:
    """Every column the drivers' SNMP profiles read (CPU, memory, AP and SSID tables)."""
    import dataclasses

    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str) and value.startswith("1.3.6."):
            found.add(value.rstrip(".0") if value.endswith(".0") else value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, (tuple, list, frozenset, set)):
            for item in value:
                walk(item)
    for driver in DRIVERS.values():
        walk(getattr(driver, "snmp", None))
    return sorted(found)


def _snmprec(rows: dict[str, tuple[object, str]]) -> str:
    key = lambda oid: tuple(int(p) for p in oid.split("."))  # noqa: E731
    return "".join(f"{oid}|{rows[oid][0]}|{rows[oid][1]}\n" for oid in sorted(rows, key=key))


def _tables(rnd: random.Random, interfaces: int = 6) -> dict[str, str]:
    """community -> snmprec: wrong types everywhere, missing rows, two polls of counters (backwards,
    wrapping, a 64-bit value in a 32-bit column), non-UTF-8 strings; ``huge``: a 20,000-row ifTable."""
    from netops.snmp import oids

    kinds = list(TYPES)
    if_columns = [oids.IF_DESCR, oids.IF_ADMIN_STATUS, oids.IF_OPER_STATUS, oids.IF_IN_OCTETS, oids.IF_OUT_OCTETS,
                  oids.IF_IN_ERRORS, oids.IF_OUT_ERRORS, oids.IF_IN_DISCARDS, oids.IF_OUT_DISCARDS, oids.IF_NAME,
                  oids.IF_HC_IN_OCTETS, oids.IF_HC_OUT_OCTETS, oids.IF_HIGH_SPEED]
    system = {"1.3.6.1.2.1.1.1.0": (4, "fuzz"), oids.SYS_UPTIME: (67, "100000"), oids.SYS_NAME: ("4x", "ff fe".replace(" ", ""))}
    out: dict[str, str] = {}
    # wrong types: every IF-MIB, HOST-RESOURCES and controller column with a random type per cell
    rows = dict(system)
    for column in if_columns + _profile_columns():
        for index in ("1", "2", "3.0.1.2.3.4.5", "4"):
            kind = rnd.choice(kinds)
            rows[f"{column}.{index}"] = (TYPES[kind], _value(rnd, kind))
    out["types"] = _snmprec(rows)
    # missing rows / cells: each cell present with probability one half
    rows = dict(system)
    for column in if_columns:
        for index in range(1, interfaces + 1):
            if rnd.random() < 0.5:
                rows[f"{column}.{index}"] = (65 if "2.2.1.1" in column else 2, str(rnd.randrange(1, 3)))
    out["missing"] = _snmprec(rows)
    # two polls: 32-bit counters only (no ifXTable), going backwards, wrapping, out of range; uptime moves on
    for poll, uptime in (("poll1", 100000), ("poll2", 130000)):
        prnd = random.Random(f"{poll}-{rnd.random()}")
        rows = {**system, oids.SYS_UPTIME: (67, str(uptime))}
        for index in range(1, interfaces + 1):
            rows[f"{oids.IF_DESCR}.{index}"] = (4, f"port{index}")
            rows[f"{oids.IF_OPER_STATUS}.{index}"] = (2, "1")
            for column in (oids.IF_IN_OCTETS, oids.IF_OUT_OCTETS, oids.IF_IN_ERRORS, oids.IF_OUT_ERRORS):
                kind = prnd.choice(["c32", "c32", "c64", "gauge", "int"])
                rows[f"{column}.{index}"] = (TYPES[kind], _value(prnd, kind))
        out[poll] = _snmprec(rows)
    # non-UTF-8 OCTET STRINGs in names and descriptions
    rows = dict(system)
    for index in range(1, interfaces + 1):
        for column in (oids.IF_DESCR, oids.IF_NAME):
            rows[f"{column}.{index}"] = ("4x", bytes([0xFF, 0xC3, 0x28, 0x00, index]).hex())
    out["nonutf8"] = _snmprec(rows)
    return out


def _huge_table(rows_count: int = 20_000) -> str:
    from netops.snmp import oids

    rows = {oids.SYS_UPTIME: (67, "100"), oids.SYS_NAME: (4, "huge")}
    for index in range(1, rows_count + 1):
        rows[f"{oids.IF_DESCR}.{index}"] = (4, f"port{index}")
        rows[f"{oids.IF_HC_IN_OCTETS}.{index}"] = (70, str(index * 1000))
    return _snmprec(rows)


def _start_agent(tmp: Path, tables: dict[str, str], address: str = SNMP_ADDRESS):  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    data = tmp / "data"
    data.mkdir()
    for community, text in tables.items():
        (data / f"{community}.snmprec").write_text(text, encoding="utf-8")
    env = dict(os.environ, SNMPSIM_ALLOW_ROOT="true")
    log = open(tmp / "snmpsim.log", "w")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "snmpsim-command-responder"), f"--data-dir={data}",
                             f"--cache-dir={tmp / 'cache'}", f"--agent-udpv4-endpoint={address}:{SNMP_PORT}"],
                            stdout=subprocess.DEVNULL, stderr=log, env=env, start_new_session=True)
    return proc, log


def _stop_agent(proc, log) -> None:  # type: ignore[no-untyped-def]
    from test_poll_agents import stop  # tests/ is on the path (its conftest)

    stop(proc)
    log.close()


def _target(community: str, platform: str, role: str = "switch", host: str = "fuzz",  # type: ignore[no-untyped-def]
            address: str = SNMP_ADDRESS):
    from netops.model import SnmpTarget
    from netops.snmp.sample import PollTarget

    return PollTarget(host, platform, SnmpTarget(address, SNMP_PORT, community=community, timeout=3.0, retries=1),
                      role=role)


def _poll(targets: list, deadline: float = 60, backend: str = "pysnmp") -> list:  # type: ignore[type-arg]
    from netops.snmp.backends import backend_factory
    from netops.snmp.collect import poll_sync

    return poll_sync(targets, backend_factory(backend), deadline=deadline)


def _wait(proc, log, community: str, seconds: float = 60, backend: str = "pysnmp",  # type: ignore[no-untyped-def]
          address: str = SNMP_ADDRESS):
    """The first whole poll the agent answers (on a huge table it may take most of the time left)."""
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:  # it could not start (its address taken, a bad recording): say why
            raise RuntimeError(f"snmpsim exited {proc.returncode}: {Path(log.name).read_text()[-2000:]}")
        [sample] = _poll([_target(community, "frr", address=address)], deadline=max(1.0, end - time.monotonic()),
                         backend=backend)
        if sample.reachable and sample.error is None:
            return sample
        time.sleep(0.5)
    raise RuntimeError(f"snmpsim did not answer a whole poll in {seconds:.0f} s")


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tables = _tables(random.Random(19))
    proc, log = _start_agent(tmp_path_factory.mktemp("snmpsim"), tables)
    try:
        _wait(proc, log, "types")
        yield tables
    finally:
        _stop_agent(proc, log)


def _rates(tmp: Path, first, second) -> list:  # type: ignore[no-untyped-def,type-arg]
    """Rates as the poll service derives them: the first sample stored, the second's rates from it."""
    from contextlib import closing

    from netops.snmp import history
    from netops.snmp.cycle import apply_rates

    with closing(history.open_history(tmp)) as conn:
        history.store_poll(conn, [first], first.time, first.time)
        apply_rates(conn, second)
    return [v for i in second.interfaces for v in (i.in_bps, i.out_bps, i.error_rate)]


@pytest.mark.matrix("SNMP responses", "snmpsim agent serving wrong types, missing rows, non-UTF-8, counters backwards "
                    "and wrapping, each backend")
@pytest.mark.parametrize("backend", ["gufo", "pysnmp"])
def test_snmp_responses_give_samples_never_exceptions(agent, tmp_path: Path, backend: str) -> None:  # type: ignore[no-untyped-def]
    """Every platform's collector against wrong types, missing cells and non-UTF-8 strings: a sample (values
    it could not read are None), never an exception; rates between two polls are never negative."""
    platforms = sorted(p for p in PLATFORMS)
    targets = [_target(c, p, role, host=f"{c}-{p}-{role}") for c in ("types", "missing", "nonutf8")
               for p in platforms for role in ("switch", "wlc")]
    for sample in _poll(targets, backend=backend):
        assert sample.error is None and sample.reachable, (sample.host, sample.error)
        for i in sample.interfaces:
            assert isinstance(i.name, str) and isinstance(i.descr, str)
            for value in (i.in_octets, i.out_octets, i.in_errors, i.speed_mbps):
                assert value is None or isinstance(value, int)
    [first] = _poll([_target("poll1", "cisco_xe", host="rates")], backend=backend)
    [second] = _poll([_target("poll2", "cisco_xe", host="rates")], backend=backend)
    second.time = first.time + 300
    assert first.interfaces and second.interfaces
    assert all(v is None or v >= 0 for v in _rates(tmp_path, first, second))


@pytest.mark.matrix("SNMP responses", "snmpsim agent serving a 20,000-row ifTable, each backend")
@pytest.mark.long
@pytest.mark.parametrize("backend", ["gufo", "pysnmp"])
def test_snmp_huge_iftable(tmp_path: Path, backend: str) -> None:
    """A table past the row limit: the poll keeps the first 10,000 rows of each column and says it was cut."""
    from netops.snmp.backend import MAX_ROWS
    from netops.snmp.oids import IF_DESCR

    proc, log = _start_agent(tmp_path, {"huge": _huge_table()}, HUGE_ADDRESS)
    try:
        sample = _wait(proc, log, "huge", 300, backend, HUGE_ADDRESS)
    finally:
        _stop_agent(proc, log)
    assert len(sample.interfaces) == MAX_ROWS
    assert [i.index for i in sample.interfaces] == list(range(1, MAX_ROWS + 1))
    assert any(n.startswith(f"{IF_DESCR} stopped at {MAX_ROWS} rows") for n in sample.notices), sample.notices


@pytest.mark.matrix("SNMP counters", "random counter pairs, widths and intervals")
@given(previous=st.integers(-(2**65), 2**65) | st.none(), current=st.integers(-(2**65), 2**65) | st.none(),
       bits=st.sampled_from([32, 64]), seconds=st.floats(-10, 1e6), reboot=st.booleans())
@example(previous=2**33, current=5, bits=32, seconds=300.0, reboot=False)  # a Counter64 value in a 32-bit column
def test_rates_are_never_negative(previous: int | None, current: int | None, bits: int, seconds: float,
                                  reboot: bool) -> None:
    from netops.snmp.rates import rate

    value = rate(previous, current, bits, seconds, reboot)
    assert value is None or value >= 0
