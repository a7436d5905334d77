"""age keys of the vault: X25519 identities (private, offline) and recipients (public, in netops.yaml).

The operations server only ever holds recipients (``age1…``): writing the vault needs no private key,
so a stolen server reveals no secret. An identity file is the format ``age-keygen`` writes (comment
lines, then ``AGE-SECRET-KEY-1…``), so ``age -d -i FILE`` opens an entry as well as netops does.
Nothing here prints or logs a key, a plaintext or the content of an identity file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyrage
from pyrage import x25519

from netops.errors import InputError

RECIPIENT = re.compile(r"^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$")  # bech32, as age-keygen prints it


@dataclass(frozen=True)
class KeyPair:
    """A new identity (secret: never shown, never in ``repr``) and its recipient (public)."""

    identity: str = field(repr=False)
    recipient: str

    def file_text(self, created: datetime | None = None) -> str:
        """The identity file, as ``age-keygen`` writes one."""
        when = (created or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        return f"# created: {when}\n# public key: {self.recipient}\n{self.identity}\n"


def generate() -> KeyPair:
    """A new X25519 identity and its recipient."""
    identity = x25519.Identity.generate()
    return KeyPair(str(identity), str(identity.to_public()))


def check_recipients(values: Iterable[Any], *, key: str = "vault.recipients", file: str | Path | None = None,
                     line: int | None = None) -> tuple[str, ...]:
    """``values`` as age recipients, in order and without repeats; an input error names the bad one."""
    out: list[str] = []
    for value in values:
        text = value.strip() if isinstance(value, str) else value
        if not isinstance(text, str) or not RECIPIENT.match(text):
            raise InputError(f"{value!r} is not an age X25519 recipient (age1 followed by 58 characters, as "
                             "`netops vault init` or age-keygen print it)", key=key, file=file, line=line)
        try:
            x25519.Recipient.from_str(text)
        except pyrage.RecipientError as exc:
            raise InputError(f"{text}: not a valid age recipient ({exc})", key=key, file=file, line=line) from None
        if text not in out:
            out.append(text)
    return tuple(out)


def write_identity(path: Path, pair: KeyPair, force: bool = False) -> None:
    """Write ``pair``'s identity file at ``path``, mode 0600; an existing file only with ``force``."""
    if path.is_dir():
        raise InputError("is a directory: name the identity file to write", file=path, key="--identity-out")
    if path.exists() and not force:
        raise InputError("exists: refusing to overwrite a key (it may be the only copy that opens the vault's older "
                         "revisions); --force replaces it", file=path, key="--identity-out")
    if not path.parent.is_dir():
        raise InputError(f"no such directory: {path.parent}", file=path, key="--identity-out")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(pair.file_text())
            fh.flush()
            os.fsync(fh.fileno())
        if force:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # never replaces a file made meanwhile
    except FileExistsError:
        raise InputError("exists: refusing to overwrite a key; --force replaces it", file=path, key="--identity-out") from None
    finally:
        tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class Identities:
    """The identities of one identity file (kept in memory only) and their recipients."""

    file: Path
    keys: tuple[Any, ...] = field(repr=False)  # pyrage x25519.Identity
    recipients: tuple[str, ...]


def load_identities(path: Path, key: str = "--identity") -> Identities:
    """The age identities in ``path``; an input error naming the file when it holds none (its content is never quoted)."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError("is a directory, not an age identity file", file=path, key=key) from None
    except OSError as exc:
        raise InputError(f"cannot read the identity file: {exc.strerror}", file=path, key=key) from None
    hint = "(netops vault init --identity-out or age-keygen writes one: lines AGE-SECRET-KEY-1…)"
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise InputError(f"not an age identity file {hint}", file=path, key=key) from None
    keys = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            keys.append(x25519.Identity.from_str(line))
        except pyrage.IdentityError:
            raise InputError(f"not an age identity file: line {number} is not an X25519 identity {hint}",
                             file=path, key=key) from None
    if not keys:
        raise InputError(f"not an age identity file: no identity in it {hint}", file=path, key=key)
    return Identities(path, tuple(keys), tuple(str(k.to_public()) for k in keys))


def encrypt(plaintext: bytes, recipients: Sequence[str]) -> bytes:
    """``plaintext`` encrypted to every one of ``recipients`` (binary age format)."""
    if not recipients:
        raise ValueError("no recipient to encrypt to")
    return bytes(pyrage.encrypt(plaintext, [x25519.Recipient.from_str(r) for r in recipients]))


def decrypt(ciphertext: bytes, identities: Identities, what: str, recipients: Sequence[str] = ()) -> bytes:
    """``ciphertext`` opened with ``identities``; an input error that says which keys ``what`` is encrypted to."""
    try:
        return bytes(pyrage.decrypt(ciphertext, list(identities.keys)))
    except pyrage.DecryptError as exc:
        if "No matching keys" not in str(exc):
            raise InputError(f"{what} is not a readable age file ({exc})", key="vault") from None
        to = ", ".join(recipients) if recipients else "recipients this vault does not record"
        raise InputError(f"this identity ({', '.join(identities.recipients)}) cannot decrypt {what}: it is encrypted to {to}",
                         file=identities.file, key="--identity") from None
