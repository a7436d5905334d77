"""Keyed pseudonyms for Wi-Fi client identifiers (MAC address, user name, IP address).

What netops stores about a client carries ``HMAC-SHA256(key, kind || normalised value)``
instead of the value: the same device gets the same pseudonym in every poll, so history
can count and follow it, but the pseudonym names nobody without the key, and the key is
held outside the database (``<data dir>/privacy/client.key``, mode 0600, created on first
use; ``NETOPS_PRIVACY_KEY_FILE`` names another file, e.g. on separate storage). Whoever
holds the key and a clear identifier can find its history (``netops clients --find``);
nobody can turn a pseudonym back into the identifier, except by guessing candidates with
the key (DPDP Rules 2025, rule 6: obfuscation or masking).

Values are normalised before hashing, so ``AA-BB-CC-DD-EE-FF``, ``aabb.ccdd.eeff`` and
``aa:bb:cc:dd:ee:ff`` are one device, ``Asha`` and ``asha`` one user. The kind is part of
the hashed message: a MAC and a user name that happen to be equal strings get different
pseudonyms.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import re
import secrets
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from netops.errors import InputError

KEY_ENV = "NETOPS_PRIVACY_KEY_FILE"
KEY_BYTES = 32
DIGEST_HEX = 32  # 128 bits of the HMAC: no collision among a campus' clients, half the storage of the full digest
KINDS = ("mac", "user", "ip")
_HEX = re.compile(r"[0-9a-f]")


def key_path(data_dir: Path, env: dict[str, str] | None = None) -> Path:
    """Where the pseudonym key is: ``$NETOPS_PRIVACY_KEY_FILE``, else ``<data dir>/privacy/client.key``."""
    named = (os.environ if env is None else env).get(KEY_ENV)
    return Path(named).expanduser() if named else Path(data_dir) / "privacy" / "client.key"


def normalise_mac(value: str | bytes) -> str | None:
    """``aa:bb:cc:dd:ee:ff`` for a MAC in any common notation (colons, dashes, Cisco dots, bare hex, six raw
    bytes); None when ``value`` is not a MAC address."""
    if isinstance(value, bytes):
        if len(value) == 6:
            return ":".join(f"{b:02x}" for b in value)
        try:
            value = value.decode("ascii")
        except UnicodeDecodeError:
            return None
    text = value.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{2}([:\-. ]?[0-9a-f]{2}){5}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}", text):
        return None
    digits = "".join(_HEX.findall(text))
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2)) if len(digits) == 12 else None


def normalise_ip(value: str) -> str | None:
    """An IPv4 or IPv6 address in its canonical form; None when ``value`` is not one."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def normalise_user(value: str) -> str:
    """A user name as the controllers compare it: trimmed and case-folded (``DOMAIN\\Asha`` and ``domain\\asha``
    are one user)."""
    return value.strip().casefold()


def normalise(kind: str, value: str | bytes) -> str | None:
    """``value`` normalised as a ``kind`` (mac, user, ip); None when it is not one (or empty)."""
    if kind == "mac":
        return normalise_mac(value)
    text = value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value
    if kind == "ip":
        return normalise_ip(text)
    if kind == "user":
        return normalise_user(text) or None
    raise ValueError(f"unknown identifier kind {kind!r}")


def kinds_of(query: str) -> list[str]:
    """What a ``--find`` query can be: a MAC, an IP address, and always a user name."""
    out = [k for k in ("mac", "ip") if normalise(k, query) is not None]
    return out + ["user"]


@dataclass
class Pseudonymiser:
    """HMAC-SHA256 pseudonyms under one key, read (or created) on first use."""

    path: Path
    _key: bytes | None = field(default=None, repr=False)

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> Pseudonymiser:
        return cls(key_path(data_dir))

    @property
    def exists(self) -> bool:
        return self.path.is_file()

    def key(self) -> bytes:
        if self._key is None:
            self._key = _load_or_create(self.path)
        return self._key

    def fingerprint(self) -> str:
        """A short, non-secret identity of the key (which key made the stored pseudonyms)."""
        return hashlib.sha256(b"netops-client-key\x00" + self.key()).hexdigest()[:16]

    def of(self, kind: str, value: str | bytes | None) -> str | None:
        """The pseudonym of ``value`` as a ``kind``; None for an empty or malformed value (nothing to store)."""
        if value is None:
            return None
        norm = normalise(kind, value)
        if norm is None:
            return None
        mac = hmac.new(self.key(), f"{kind}\x1f{norm}".encode(), hashlib.sha256)
        return mac.hexdigest()[:DIGEST_HEX]

    def query(self, text: str) -> dict[str, str]:
        """Kind -> pseudonym for every kind ``text`` can be (a ``--find`` query)."""
        out = {}
        for kind in kinds_of(text):
            value = self.of(kind, text)
            if value is not None:
                out[kind] = value
        return out


def _load_or_create(path: Path) -> bytes:
    """The key in ``path`` (64 hex digits); a new random key written with mode 0600 when the file is absent.
    A key file readable by group or others is refused: anyone who reads it can test guesses against history."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return _create(path)
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise InputError(f"{path} is readable by group or others (mode {stat.S_IMODE(info.st_mode):04o}): "
                         f"chmod 600 {path}", key=KEY_ENV)
    text = path.read_text(encoding="ascii", errors="replace").strip()
    if not re.fullmatch(r"[0-9a-fA-F]{64}", text):
        raise InputError(f"{path} does not hold a pseudonym key (64 hex digits)", key=KEY_ENV)
    return bytes.fromhex(text)


def _create(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_bytes(KEY_BYTES)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(key.hex() + "\n")
        os.link(tmp, path)  # never replaces: two polls starting together agree on the first key written
    except FileExistsError:
        return _load_or_create(path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return key
