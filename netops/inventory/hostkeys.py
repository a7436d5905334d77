"""Verified SSH host keys: netops' own known_hosts, keys the inventory pins, and every trust decision.

Every SSH session netops opens (:mod:`netops.backup.session`) checks the key the
device presents, before any authentication, against what netops expects of it:

1. a key an admin trusted explicitly for that address (``netops inventory trust
   HOST``, or a line added to the file by hand), else
2. the key(s) the inventory pins in the host's ``ssh_host_key`` data (lab mode
   pins the lab's own key), else
3. the key recorded at the first contact (trust on first use), else
4. nothing: this is the first contact, and the key is recorded.

A key that does not match is refused with :class:`HostKeyRefused`, one line
naming the host, the known and the presented SHA256 fingerprints and the
command that accepts the new key. An explicit trust outranks the inventory's
pin (a replaced device is accepted once an admin has said so), a pin outranks a
first-use record (a pin that disagrees with what was recorded unchecked is
exactly the spoof the pin is there to catch).

Files, in the data directory, both mode 0600:

- ``known_hosts``: OpenSSH format (``ssh-keygen -lf`` and ``ssh -o
  UserKnownHostsFile=`` read it), ``[address]:port`` for ports other than 22.
  The comment says whose key it is and how it got there
  (``jmu-acc-1 first-use 2026-12-04`` or ``jmu-acc-1 trusted 2026-12-04``); a
  line without such a comment counts as trusted. First-use records are
  appended (one ``write`` under ``known_hosts.lock``); a trust decision that
  replaces a key rewrites the file atomically.
- ``hostkeys.log``: one JSON object per decision (first use, trust, refusal):
  when, who (the OS user), host, address, old and new fingerprints, reason.

The file is read once per process and then only its new lines (a ``stat`` per
session tells): a backup of a thousand devices in threads and forked workers
parses it once, and sees what other workers append.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import getpass
import hashlib
import hmac
import json
import logging
import os
import re
import socket
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netops.errors import InputError, NetopsError

if TYPE_CHECKING:  # paramiko is imported where a connection needs it, not by every inventory user
    import paramiko
    from nornir.core.configuration import Config
    from nornir.core.inventory import Host

log = logging.getLogger("netops.hostkeys")
log.addHandler(logging.NullHandler())  # decisions are in hostkeys.log and the results; no stray stderr lines

HOST_KEY = "ssh_host_key"  # inventory host data: the device's public key, "ssh-ed25519 AAAA...", or a list of them
KNOWN_HOSTS = "known_hosts"
DECISIONS = "hostkeys.log"
LOCK = "known_hosts.lock"
DATA_DIR_KEY = "netops_data_dir"  # Nornir ``user_defined``: the data directory whose known_hosts sessions use
PARAMETERS = "netmiko"  # the connection options netops' sessions use (address and port as the session sees them)
FIRST_USE, TRUSTED, REFUSED = "first-use", "trusted", "refused"
SSH_PORT = 22
TIMEOUT = 15.0


class HostKeyRefused(NetopsError):
    """The device presented a key netops does not trust; nothing was sent to it (no password)."""

    exit_code = 1

    def __init__(self, name: str, address: str, known: list[PublicKey], presented: PublicKey, source: str) -> None:
        self.name, self.address, self.known, self.presented, self.source = name, address, known, presented, source
        super().__init__(str(self))

    def __reduce__(self) -> tuple[Any, ...]:  # crosses process boundaries intact (forked backup workers)
        return type(self), (self.name, self.address, self.known, self.presented, self.source)

    def __str__(self) -> str:
        known = ", ".join(k.fingerprint for k in self.known)
        where = {"inventory": " (the inventory's ssh_host_key)", FIRST_USE: " (recorded at first contact)",
                 TRUSTED: " (trusted)"}.get(self.source, "")
        return (f"host key of {self.name} ({self.address}) does not match: known {known}{where}, presented "
                f"{self.presented.fingerprint} ({self.presented.type}); refused before login. If the device was "
                f"replaced, check the new key and accept it with: netops inventory trust {self.name}")


class BadPinnedKey(NetopsError, ValueError):
    """The inventory's ``ssh_host_key`` of a host is no public key."""

    exit_code = 2


@dataclass(frozen=True)
class PublicKey:
    """An SSH public key as OpenSSH writes it: type and base64 blob."""

    type: str  # ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa ...
    blob: str  # base64

    @classmethod
    def parse(cls, text: str) -> PublicKey:
        """``TYPE BASE64 [comment]`` (a ``.pub`` file's line), or an ``ssh-keyscan`` line ``HOST TYPE BASE64``."""
        fields = str(text).split()
        for start in (0, 1):
            if len(fields) >= start + 2 and _blob_type(fields[start + 1]) == fields[start]:
                return cls(fields[start], fields[start + 1])
        if len(fields) >= 2 and _blob_type(fields[1]) is not None:
            raise ValueError(f"the key data is a {_blob_type(fields[1])} key, not {fields[0]}")
        raise ValueError("not an SSH public key (expected 'TYPE BASE64', e.g. 'ssh-ed25519 AAAAC3Nza...')")

    @classmethod
    def of(cls, key: paramiko.PKey) -> PublicKey:
        return cls(key.get_name(), key.get_base64())

    @property
    def fingerprint(self) -> str:
        """As ``ssh-keygen -l`` prints it: ``SHA256:`` and the unpadded base64 of the blob's SHA-256."""
        digest = hashlib.sha256(base64.b64decode(self.blob)).digest()
        return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")

    def to_paramiko(self) -> paramiko.PKey:
        import paramiko

        return paramiko.PKey.from_type_string(self.type, base64.b64decode(self.blob))

    def __str__(self) -> str:
        return f"{self.type} {self.blob}"


def _blob_type(blob: str) -> str | None:
    """The key type a base64 key blob names in its first field, or None when it is no key blob."""
    try:
        raw = base64.b64decode(blob, validate=True)
    except (binascii.Error, ValueError):
        return None
    size = int.from_bytes(raw[:4], "big") if len(raw) >= 4 else 0
    if not 0 < size <= 64 or len(raw) < 4 + size:
        return None
    try:
        return raw[4 : 4 + size].decode("ascii")
    except UnicodeDecodeError:
        return None


def fingerprint_of(text: str) -> str:
    """``SHA256:...`` as typed by an admin (``ssh-keygen -l`` output pasted whole is fine); ValueError otherwise."""
    for word in str(text).split():
        if word.startswith("SHA256:") and len(word) == 50:
            try:
                base64.b64decode(word[7:] + "=", validate=True)
            except (binascii.Error, ValueError):
                break
            return word
    raise ValueError(f"{text!r} is not a SHA256 fingerprint (SHA256: and 43 base64 characters, as ssh-keygen -l prints it)")


def pinned_keys(host: Host) -> list[PublicKey]:
    """The keys the inventory pins for ``host`` (``ssh_host_key``, host, groups or defaults); BadPinnedKey when malformed."""
    value = host.get(HOST_KEY)
    if value is None or value == "" or value == []:
        return []
    values = value if isinstance(value, (list, tuple)) else [value]
    try:
        return [PublicKey.parse(str(v)) for v in values]
    except ValueError as exc:
        raise BadPinnedKey(f"inventory {HOST_KEY} of {host.name}: {exc}") from None


def address_id(address: str, port: int | None) -> str:
    """How known_hosts names an address: ``10.0.0.1`` on port 22, ``[127.0.0.1]:10022`` otherwise."""
    return address if port in (None, SSH_PORT) else f"[{address}]:{port}"


@dataclass(frozen=True)
class Entry:
    """One key of one known_hosts line."""

    address: str  # as known_hosts names it: address_id()
    key: PublicKey
    origin: str  # FIRST_USE or TRUSTED
    name: str = ""  # the inventory name it was recorded for
    when: str = ""  # date of the record

    def line(self) -> str:
        comment = " ".join(x for x in (self.name or "-", self.origin, self.when) if x)
        return f"{self.address} {self.key} {comment}\n"


def _parse_line(line: str) -> tuple[list[str], PublicKey, str, str, str] | None:
    """(host patterns, key, origin, name, when) of a known_hosts line; None for comments, markers and junk."""
    fields = line.split()
    if len(fields) < 3 or fields[0].startswith(("#", "@")):
        return None
    try:
        key = PublicKey.parse(" ".join(fields[1:3]))
    except ValueError:
        return None
    comment = fields[3:]
    origin = comment[1] if len(comment) >= 2 and comment[1] in (FIRST_USE, TRUSTED) else TRUSTED
    name = comment[0] if len(comment) >= 2 and comment[1] in (FIRST_USE, TRUSTED) and comment[0] != "-" else ""
    when = comment[2] if len(comment) >= 3 and origin == comment[1] else ""
    return fields[0].split(","), key, origin, name, when


def _hashed_match(pattern: str, address: str) -> bool:
    """A hashed name (``|1|salt|hash``, ``ssh-keygen -H``) of ``address``."""
    try:
        _, kind, salt, digest = pattern.split("|")
        if kind != "1":
            return False
        mac = hmac.new(base64.b64decode(salt), address.encode(), hashlib.sha1).digest()
        return hmac.compare_digest(mac, base64.b64decode(digest))
    except (ValueError, binascii.Error):
        return False


class KnownHosts:
    """``<data dir>/known_hosts``, cached per process; :meth:`at` gives the one instance per file."""

    _instances: dict[Path, KnownHosts] = {}
    _instances_lock = threading.Lock()

    @classmethod
    def at(cls, data_dir: Path | str) -> KnownHosts:
        path = (Path(data_dir) / KNOWN_HOSTS).absolute()
        with cls._instances_lock:
            known = cls._instances.get(path)
            if known is None:
                known = cls._instances[path] = cls(path)
            return known

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data_dir = path.parent
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._entries: dict[str, list[Entry]] = {}
        self._hashed: list[tuple[str, Entry]] = []  # (hashed pattern, entry with an empty address)
        self._file: tuple[int, int] | None = None  # (device, inode) read
        self._offset = 0  # bytes read (complete lines)
        self._mtime = 0
        self._size = 0  # the file's size at the last look (more than _offset: a line without its newline yet)

    def _refresh(self) -> None:
        """Read what is new in the file (self._lock held): its new lines, or all of it when it was replaced."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            if self._file is not None:
                self._reset()
            return
        self._size = st.st_size
        if (st.st_dev, st.st_ino) != self._file or st.st_size < self._offset or (
                st.st_size == self._offset and st.st_mtime_ns != self._mtime):
            self._reset()
            self._file = (st.st_dev, st.st_ino)
        if st.st_size == self._offset:
            return
        with open(self.path, "rb") as fh:
            fh.seek(self._offset)
            data = fh.read(st.st_size - self._offset)
        end = data.rfind(b"\n") + 1  # a line still being written waits for the next look
        for raw in data[:end].decode("utf-8", "replace").splitlines():
            parsed = _parse_line(raw)
            if parsed is None:
                continue
            patterns, key, origin, name, when = parsed
            for pattern in patterns:
                if pattern.startswith("|"):
                    self._hashed.append((pattern, Entry("", key, origin, name, when)))
                else:
                    self._entries.setdefault(pattern, []).append(Entry(pattern, key, origin, name, when))
        self._offset += end
        self._mtime = st.st_mtime_ns

    def _find(self, address: str) -> list[Entry]:
        found = list(self._entries.get(address, ()))
        found += [Entry(address, e.key, e.origin, e.name, e.when) for pattern, e in self._hashed if _hashed_match(pattern, address)]
        return found

    def lookup(self, address: str) -> list[Entry]:
        """The entries for ``address`` (as :func:`address_id` names it)."""
        with self._lock:
            self._refresh()
            return self._find(address)

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """This process's threads and every other process: one writer at a time."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self._lock:
            fd = os.open(self.data_dir / LOCK, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                self._refresh()
                yield
            finally:
                os.close(fd)

    def _append(self, text: str) -> None:
        """One write at the end of the file (called under :meth:`_exclusive`, after a refresh)."""
        if self._size > self._offset:  # a hand-edited last line without its newline
            text = "\n" + text
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, text.encode())
        finally:
            os.close(fd)

    def record_first_use(self, address: str, key: PublicKey, name: str) -> tuple[list[Entry], bool]:
        """Append ``key`` for an address seen for the first time. Returns the entries in force and whether this
        call recorded it (False: another session recorded one first; the caller compares)."""
        with self._exclusive():
            existing = self._find(address)
            if existing:
                return existing, False
            entry = Entry(address, key, FIRST_USE, name, _today())
            self._append(entry.line())
            self._refresh()
            return [entry], True

    def trust(self, address: str, key: PublicKey, name: str) -> list[Entry]:
        """Make ``key`` the one trusted key of ``address``: its other lines go (the file is rewritten
        atomically when there are any). Returns the entries it replaced."""
        with self._exclusive():
            old = self._find(address)
            entry = Entry(address, key, TRUSTED, name, _today())
            if not old:
                self._append(entry.line())
            else:
                lines = self.path.read_text(encoding="utf-8").splitlines(keepends=True) if self.path.exists() else []
                kept = [rest if rest.endswith("\n") else rest + "\n" for line in lines if (rest := _without(line, address))]
                tmp = self.path.with_name(f".{self.path.name}.tmp")
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write("".join(kept) + entry.line())
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, self.path)
            self._reset()
            self._refresh()
            return old

    def log(self, decision: str, name: str, address: str, old: Iterable[PublicKey | str], new: PublicKey | str | None,
            reason: str = "") -> dict[str, Any]:
        """Append one decision (FIRST_USE, TRUSTED, REFUSED) to ``hostkeys.log`` (0600) and log it; keys or their
        fingerprints. Returns the record written."""
        record: dict[str, Any] = {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "user": _who(), "decision": decision,
                  "host": name, "address": address, "old": [_fingerprint(k) for k in old],
                  "new": _fingerprint(new) if new is not None else None,
                  "key_type": new.type if isinstance(new, PublicKey) else None, "reason": reason}
        path = self.data_dir / DECISIONS
        self.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, (json.dumps(record, sort_keys=False) + "\n").encode())
        finally:
            os.close(fd)
        level = logging.WARNING if decision == REFUSED else logging.INFO
        old_text = ", ".join(record["old"]) or "none"
        log.log(level, "host key %s: %s (%s) by %s: old %s, new %s%s", decision, name, address, record["user"], old_text,
                record["new"] or "none", f" ({reason})" if reason else "")
        return record


def _without(line: str, address: str) -> str:
    """``line`` without ``address`` among its names ("" when it named only that address)."""
    parsed = _parse_line(line)
    match = re.match(r"(\s*)(\S+)(.*)", line, re.S)
    if parsed is None or match is None:
        return line
    patterns = parsed[0]
    rest = [p for p in patterns if p != address and not (p.startswith("|") and _hashed_match(p, address))]
    if len(rest) == len(patterns):
        return line
    return match.group(1) + ",".join(rest) + match.group(3) if rest else ""


def _fingerprint(key: PublicKey | str) -> str:
    return key.fingerprint if isinstance(key, PublicKey) else str(key)


def _today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


def _who() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = f"uid {os.getuid()}"
    sudo = os.environ.get("SUDO_USER")
    return f"{user} (sudo by {sudo})" if sudo and sudo != user else user


def _after_fork() -> None:
    """A forked backup worker starts with unlocked locks (another thread may have held them at the fork)."""
    KnownHosts._instances_lock = threading.Lock()
    for known in KnownHosts._instances.values():
        known._lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork)


def data_dir_of(config: Config | None) -> Path:
    """The data directory a Nornir object opened by netops carries (``open_nornir``); outside netops (a plain
    Nornir script using the ``netops_netmiko`` plugin), the one netops' settings name."""
    user_defined = getattr(config, "user_defined", None) or {}
    if user_defined.get(DATA_DIR_KEY):
        return Path(user_defined[DATA_DIR_KEY])
    from netops.settings import Settings

    return Settings.resolve().data_dir


@dataclass
class HostKeyCheck:
    """What one host must present, and what happens when it does not (used by the SSH sessions)."""

    known_hosts: KnownHosts
    name: str  # the inventory name (messages, the trust command)
    address: str  # as known_hosts names it
    pinned: list[PublicKey] = field(default_factory=list)
    _keys: list[PublicKey] = field(default_factory=list, init=False, repr=False)  # accepted, as prepared
    _source: str = field(default="", init=False, repr=False)

    @classmethod
    def of(cls, data_dir: Path | str, name: str, hostname: str, port: int | None, pinned: Iterable[PublicKey] = ()) -> HostKeyCheck:
        return cls(KnownHosts.at(data_dir), name, address_id(hostname, port), list(pinned))

    @classmethod
    def for_host(cls, data_dir: Path | str, host: Host) -> HostKeyCheck:
        """The check for a Nornir host (address and port as netops' sessions connect; pins from its data)."""
        params = host.get_connection_parameters(PARAMETERS)
        return cls.of(data_dir, host.name, str(params.hostname), params.port, pinned_keys(host))

    def expected(self) -> tuple[list[PublicKey], str]:
        """The accepted keys and where they come from (TRUSTED, "inventory", FIRST_USE; "" with none: first contact)."""
        entries = self.known_hosts.lookup(self.address)
        trusted = [e.key for e in entries if e.origin == TRUSTED]
        if trusted:
            return trusted, TRUSTED
        if self.pinned:
            return list(self.pinned), "inventory"
        return [e.key for e in entries], FIRST_USE if entries else ""

    def prepare(self, client: paramiko.SSHClient) -> None:
        """Make ``client`` verify: the accepted keys for this address, first-use recording when there are none."""
        import paramiko

        keys, self._source = self.expected()
        self._keys = keys
        hostkeys = client.get_host_keys()
        for key in keys:
            hostkeys.add(self.address, key.type, key.to_paramiko())
        check = self

        class FirstUse(paramiko.MissingHostKeyPolicy):
            def missing_host_key(self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey) -> None:
                check.first_use(PublicKey.of(key))

        client.set_missing_host_key_policy(FirstUse())

    def first_use(self, presented: PublicKey) -> None:
        """Record the key of a first contact (another session may just have recorded one: then compare)."""
        entries, recorded = self.known_hosts.record_first_use(self.address, presented, self.name)
        if recorded:
            self.known_hosts.log(FIRST_USE, self.name, self.address, [], presented, "first contact")
        elif presented not in [e.key for e in entries]:
            raise self.refused(presented, [e.key for e in entries], FIRST_USE)

    def refused(self, presented: PublicKey, known: list[PublicKey] | None = None, source: str | None = None) -> HostKeyRefused:
        """The refusal of ``presented`` (logged and recorded in hostkeys.log), to raise."""
        known = list(self._keys if known is None else known)
        source = self._source if source is None else source
        self.known_hosts.log(REFUSED, self.name, self.address, known, presented, f"does not match the {source or 'known'} key")
        return HostKeyRefused(self.name, self.address, known, presented, source)


def presented_key(hostname: str, port: int | None, prefer: str | None = None, timeout: float = TIMEOUT) -> PublicKey:
    """The host key a device presents (key exchange only: no authentication, nothing else is sent).

    ``prefer``: a key type to ask for first, as a session does when it knows a key of that type.
    """
    import paramiko

    sock = socket.create_connection((hostname, port or SSH_PORT), timeout=timeout)
    transport = paramiko.Transport(sock)
    try:
        transport.banner_timeout = timeout
        if prefer:
            options = transport.get_security_options()
            wanted = [t for t in options.key_types if t == prefer or (prefer == "ssh-rsa" and t.startswith("rsa-sha2-"))]
            options.key_types = wanted + [t for t in options.key_types if t not in wanted]
        transport.start_client(timeout=timeout)
        return PublicKey.of(transport.get_remote_server_key())
    finally:
        transport.close()
        sock.close()


@dataclass(frozen=True)
class KeyState:
    """A device's presented key against what netops expects of it."""

    name: str
    address: str
    presented: PublicKey
    expected: list[PublicKey]
    source: str  # TRUSTED, "inventory", FIRST_USE, or "" (never seen)

    @property
    def state(self) -> str:
        """"known" (accepted as it is), "new" (never seen, nothing pinned) or "changed" (would be refused)."""
        if not self.expected:
            return "new"
        return "known" if self.presented in self.expected else "changed"


def key_state(data_dir: Path | str, host: Host, timeout: float = TIMEOUT) -> KeyState:
    """Connect to ``host`` (no authentication) and compare its key with what netops expects; records nothing."""
    check = HostKeyCheck.for_host(data_dir, host)
    expected, source = check.expected()
    params = host.get_connection_parameters(PARAMETERS)
    presented = presented_key(str(params.hostname), params.port, expected[0].type if expected else None, timeout)
    return KeyState(host.name, check.address, presented, expected, source)


def trust_key(data_dir: Path | str, host: Host, key: PublicKey, reason: str) -> dict[str, Any]:
    """Trust ``key`` for ``host`` from now on, replacing whatever was known or pinned; the decision is logged
    with ``reason`` (who: the OS user). For a device replacement: ``trust_key(data_dir, host,
    key_state(data_dir, host).presented, "restore --full: replacement hardware, ticket 123")`` after the admin
    confirmed the fingerprint. Returns the hostkeys.log record."""
    check = HostKeyCheck.for_host(data_dir, host)
    expected, _ = check.expected()
    replaced = check.known_hosts.trust(check.address, key, host.name)
    old = expected or [e.key for e in replaced]
    return check.known_hosts.log(TRUSTED, host.name, check.address, old, key, reason)


def trust_presented(data_dir: Path | str, host: Host, reason: str, fingerprint: str | None = None,
                    timeout: float = TIMEOUT) -> dict[str, Any]:
    """Connect to ``host`` (no login) and trust the key it presents, replacing the known or pinned one, but only
    if it is ``fingerprint`` when one is given (an admin read it off the device's console): otherwise the refusal
    is logged and an :class:`~netops.errors.InputError` raised, nothing recorded. Returns the hostkeys.log record."""
    state = key_state(data_dir, host, timeout)
    if fingerprint is not None and state.presented.fingerprint != fingerprint_of(fingerprint):
        KnownHosts.at(data_dir).log(REFUSED, host.name, state.address, state.expected, state.presented,
                                    f"{reason}: the presented key is not {fingerprint}")
        raise InputError(f"{host.name} ({state.address}) presents {state.presented.fingerprint}, not {fingerprint}: "
                         "nothing recorded", key="--fingerprint")
    return trust_key(data_dir, host, state.presented, reason)
