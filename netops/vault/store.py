"""The vault's entries inside the backup repository: ``.vault/<site>/<host>.age`` and ``.fp``.

Each entry is the device's secrets (:class:`netops.backup.clean.Secret`, the stored line with the
marker next to the line or block it replaced) as JSON, encrypted with age to the configured
recipients. The entry lives in the backup git repository, so the commit of a backup carries the
secrets that revision had, and whatever copies the repository (off-site pushes) copies the vault.

age ciphertext is randomised: the same secrets encrypt differently every time, so comparing
ciphertexts cannot tell whether the secrets changed, and decrypting needs the private key, which the
server does not have. Beside each entry, ``<host>.fp`` holds a fingerprint: HMAC-SHA256 of a random
per-device salt and the entry's plaintext, keyed with a random key that stays on the operations server
(``.git/netops-vault.key`` of the backup repository, 0600: git neither commits nor pushes it). Off-site
copies hold fingerprints nobody can test a guess against; the salt hides which devices share secrets.
Someone holding the server's disk holds that key, and also the device logins netops uses and every raw
configuration it fetches, so the key adds nothing there. A new server (``dr restore-server``) makes a new
key: each entry is rewritten once. The ``.age`` file is rewritten only when the fingerprint differs (or
the recipients changed), so an unchanged device makes no commit. (A slow hash such as scrypt at type-9
cost made a backup of 1,000 devices 3.5 times slower for no gain over this.)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from netops.backup.clean import Secret
from netops.backup.gitstore import VAULT_DIR, GitStore
from netops.errors import InputError
from netops.files import write_atomic
from netops.vault import keys

FORMAT = 1  # of an entry's plaintext
FP_FORMAT = 2  # of a fingerprint file (1: scrypt, replaced)
SALT_BYTES = 16
KEY_FILE = "netops-vault.key"  # in the repository's .git directory: local to this server
KEY_BYTES = 32
_KEYS: dict[Path, bytes] = {}
_KEY_LOCK = threading.Lock()

# what writing an entry did: the reason a device with an unchanged configuration still makes a commit
ADDED, CHANGED, REKEYED, UNCHANGED = "added", "changed", "rekeyed", "unchanged"
REASONS = {ADDED: "secrets stored in the vault", CHANGED: "secrets changed", REKEYED: "vault re-encrypted to new recipients"}


def entry_path(site: str, host: str) -> str:
    """The repository path of ``host``'s encrypted entry."""
    return f"{VAULT_DIR}/{site or 'unassigned'}/{host}.age"


def fingerprint_path(site: str, host: str) -> str:
    """The repository path of the fingerprint beside ``host``'s entry."""
    return f"{VAULT_DIR}/{site or 'unassigned'}/{host}.fp"


def paths(site: str, host: str) -> tuple[str, str]:
    return entry_path(site, host), fingerprint_path(site, host)


def plaintext(host: str, secrets: Sequence[Secret]) -> bytes:
    """The entry's plaintext: canonical JSON, so equal secrets give equal bytes (and fingerprints)."""
    doc = {"format": FORMAT, "host": host, "secrets": [s.to_dict() for s in secrets]}
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def fingerprint_key(store: GitStore) -> bytes:
    """This server's fingerprint key (created on first use, 0600, never committed). A key file a crash left
    empty or cut is replaced by a new key (each entry is then rewritten once, as on a new server)."""
    path = store.root / ".git" / KEY_FILE
    with _KEY_LOCK:
        if path not in _KEYS:
            key = path.read_bytes() if path.is_file() else b""
            if len(key) != KEY_BYTES:
                write_atomic(path, os.urandom(KEY_BYTES), 0o600)
                key = path.read_bytes()
            _KEYS[path] = key
        return _KEYS[path]


def _mac(key: bytes, salt: bytes, data: bytes) -> bytes:
    return hmac.new(key, salt + data, hashlib.sha256).digest()


@dataclass(frozen=True)
class Fingerprint:
    """What the ``.fp`` file says: the keyed hash of the entry, how many secrets, to whom it is encrypted."""

    salt: str  # hex, 16 random bytes, new at every rewrite
    mac: str  # hex HMAC-SHA256(server key, salt + plaintext)
    secrets: int  # secret lines in the entry (the configuration's markers say as much)
    recipients: tuple[str, ...]  # the age recipients the entry is encrypted to (public keys)

    @classmethod
    def of(cls, key: bytes, plain: bytes, count: int, recipients: Sequence[str]) -> Fingerprint:
        salt = os.urandom(SALT_BYTES)
        return cls(salt.hex(), _mac(key, salt, plain).hex(), count, tuple(recipients))

    def to_bytes(self) -> bytes:
        doc = {"format": FP_FORMAT, "mac": "hmac-sha256", "salt": self.salt, "hmac": self.mac, "secrets": self.secrets,
               "recipients": list(self.recipients)}
        return (json.dumps(doc, indent=1) + "\n").encode()

    @classmethod
    def parse(cls, data: bytes | None) -> Fingerprint | None:
        """The fingerprint in ``data``; None when there is none or it is unreadable (the entry is then rewritten)."""
        if not data:
            return None
        try:
            doc = json.loads(data)
            if doc.get("format") != FP_FORMAT:
                return None
            return cls(str(doc["salt"]), str(doc["hmac"]), int(doc["secrets"]), tuple(str(r) for r in doc["recipients"]))
        except (ValueError, KeyError, TypeError):
            return None

    def same(self, key: bytes, plain: bytes) -> bool:
        """Whether ``plain`` is the plaintext this fingerprint was made of (with this server's ``key``)."""
        try:
            salt, expected = bytes.fromhex(self.salt), bytes.fromhex(self.mac)
        except ValueError:
            return False
        return hmac.compare_digest(_mac(key, salt, plain), expected)


def keep(store: GitStore, site: str, host: str, secrets: Sequence[Secret], recipients: Sequence[str]) -> str:
    """Put ``host``'s secrets in the vault: ADDED, CHANGED or REKEYED when its files were (re)written, UNCHANGED
    when the fingerprint shows the vault already holds them, encrypted to the same recipients."""
    plain = plaintext(host, secrets)
    age, fp = paths(site, host)
    exists = (store.root / age).is_file()
    old = Fingerprint.parse(store.read_bytes(fp)) if exists else None
    if not exists:
        state = ADDED
    elif old is None or not old.same(fingerprint_key(store), plain):
        state = CHANGED
    elif set(old.recipients) != set(recipients):
        state = REKEYED
    else:
        return UNCHANGED
    _seal(store, age, fp, plain, len(secrets), recipients)
    return state


def _seal(store: GitStore, age: str, fp: str, plain: bytes, count: int, recipients: Sequence[str]) -> None:
    """Encrypt and write one entry and its new fingerprint (the entry first: a fingerprint never vouches for
    an entry that is not there)."""
    store.write_bytes(age, keys.encrypt(plain, recipients))
    store.write_bytes(fp, Fingerprint.of(fingerprint_key(store), plain, count, recipients).to_bytes())


def _decode(plain: bytes, host: str, what: str) -> list[Secret]:
    try:
        doc = json.loads(plain)
        if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("secrets"), list):
            raise ValueError("not a vault entry")
        if doc.get("host") != host:
            raise ValueError(f"it is the entry of {doc.get('host')!r}")
        return [Secret.from_dict(s) for s in doc["secrets"]]
    except ValueError as exc:
        raise InputError(f"{what} is damaged: {exc}", key="vault") from None


def secrets_at(store: GitStore, host: str, commit: str, identity_file: Path) -> list[Secret]:
    """``host``'s secrets as the vault held them at ``commit`` (a revision), decrypted with the identity in
    ``identity_file``; in the order of the stored configuration's lines (see :func:`netops.vault.fill`)."""
    identities = keys.load_identities(Path(identity_file))
    full = store.resolve(commit)
    site = PurePosixPath(store.path_at(host, full)).parent.name
    age, fp = paths(site, host)
    data = store.blob(full, age)
    if data is None:
        raise InputError(f"{host} has no vault entry at {full[:12]}: backed up before the vault was set up", key="rev")
    what = f"the vault entry of {host} at {full[:12]}"
    recorded = Fingerprint.parse(store.blob(full, fp))
    plain = keys.decrypt(data, identities, what, recorded.recipients if recorded else ())
    return _decode(plain, host, what)


@dataclass(frozen=True)
class Entry:
    """One device's vault entry as the repository holds it now (nothing decrypted)."""

    host: str
    site: str
    path: str  # .vault/<site>/<host>.age
    secrets: int | None  # None: no readable fingerprint
    recipients: tuple[str, ...]
    commit: str | None  # the backup revision the entry comes from (None: not committed yet)
    date: str | None  # ISO 8601

    def to_dict(self) -> dict[str, Any]:
        return {"host": self.host, "site": self.site, "path": self.path, "secrets": self.secrets,
                "recipients": list(self.recipients), "commit": self.commit, "date": self.date}


def entries(store: GitStore) -> dict[str, Entry]:
    """Every entry in the repository's work tree (which a backup commits), by host, with its revision."""
    root = store.root / VAULT_DIR
    if not root.is_dir():
        return {}
    last = store.last_commits(VAULT_DIR)
    out = {}
    for path in sorted(root.glob("*/*.age")):
        rel = path.relative_to(store.root).as_posix()
        host, site = path.stem, path.parent.name
        fp = Fingerprint.parse(store.read_bytes(fingerprint_path(site, host)))
        commit, date = last.get(rel, (None, None))
        out[host] = Entry(host, site, rel, fp.secrets if fp else None, fp.recipients if fp else (), commit, date)
    return out


def rekey(store: GitStore, identity_file: Path, recipients: Sequence[str], message: str,
          advance: Callable[[], None] = lambda: None) -> tuple[list[Entry], str | None]:
    """Re-encrypt every entry of the work tree to ``recipients`` in one commit: (the entries, the commit or None
    when there was nothing to re-encrypt). Every entry is decrypted before the first is rewritten, so an entry the
    identity cannot open stops the rekey with nothing changed. Older revisions stay encrypted to their keys."""
    identities = keys.load_identities(Path(identity_file))
    current = entries(store)
    opened: list[tuple[Entry, list[Secret]]] = []
    for entry in current.values():
        what = f"the vault entry of {entry.host} ({entry.path})"
        plain = keys.decrypt(store.read_bytes(entry.path) or b"", identities, what, entry.recipients)
        opened.append((entry, _decode(plain, entry.host, what)))
    written = []
    for entry, secrets in opened:
        age, fp = paths(entry.site, entry.host)
        _seal(store, age, fp, plaintext(entry.host, secrets), len(secrets), recipients)
        written += [age, fp]
        advance()
    commit = store.commit(written, message) if written else None
    return list(current.values()), commit
