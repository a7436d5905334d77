"""The secrets vault: make a key pair, show what the vault holds, re-encrypt it to a new key set.

Backups write the vault themselves (:func:`netops.services.backup.run` passes ``vault.recipients`` on);
this service manages it. Nothing here decrypts except :func:`rekey`, in memory, with the identity given.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netops.backup.gitstore import VAULT_DIR, GitStore
from netops.drivers.base import REDACTED
from netops.errors import InputError
from netops.locks import job_lock
from netops.services.audit import recorded
from netops.services.backup import store as backup_store
from netops.services.events import Advanced, Listener, Step, ignore
from netops.settings import Settings
from netops.vault import keys
from netops.vault import store as vault
from netops.vault.config import KEY, recipients, snippet, with_recipients, write_recipients


def _editable(settings: Settings, values: Sequence[str]) -> Path | None:
    """The configuration file that will take ``values`` as ``vault.recipients`` (None: netops runs without one);
    an input error, before anything is changed, when the file cannot take the edit."""
    path = settings.config_file
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read it: {exc.strerror}", file=path, key=KEY) from None
    with_recipients(text, values, str(path))
    if not os.access(path.resolve(), os.W_OK) or not os.access(path.resolve().parent, os.W_OK):
        raise InputError(f"cannot write it (permission denied): run as its owner, or set it by hand to\n{snippet(values)}",
                         file=path, key=KEY)
    return path


@dataclass(frozen=True)
class InitResult:
    identity_file: Path
    recipient: str  # the new public key
    recipients: tuple[str, ...]  # vault.recipients with it
    config_file: Path | None  # the netops.yaml updated; None: there is none, add ``yaml`` by hand
    yaml: str  # the vault section to add (when config_file is None)

    def to_dict(self) -> dict[str, Any]:
        return {"identity_file": str(self.identity_file), "recipient": self.recipient, "recipients": list(self.recipients),
                "config_file": str(self.config_file) if self.config_file else None, "yaml": self.yaml}


def init(settings: Settings, identity_out: Path, force: bool = False) -> InitResult:
    """A new key pair: the identity (private) to ``identity_out`` (0600), its recipient added to ``vault.recipients``
    of the configuration file in use (when there is one: else the result's ``yaml`` says what to add)."""
    current = recipients(settings)
    if identity_out.exists() and not force:  # before anything is made
        raise InputError("exists: refusing to overwrite a key (it may be the only copy that opens the vault's older "
                         "revisions); --force replaces it", file=identity_out, key="--identity-out")
    pair = keys.generate()
    values = (*current, pair.recipient)
    config = _editable(settings, values)
    keys.write_identity(identity_out, pair, force)
    if config is not None:
        write_recipients(config, values)
    return InitResult(identity_out, pair.recipient, values, config, snippet(values))


@dataclass(frozen=True)
class DeviceVault:
    """One device: does the vault hold its secrets, how many, from which backup revision."""

    host: str
    site: str
    stored: bool  # the vault has an entry for it
    secrets: int | None  # secret lines in the entry
    markers: int  # redacted lines in its stored configuration
    commit: str | None  # the backup revision the entry comes from
    date: str | None
    recipients: tuple[str, ...]
    problem: str | None  # why it is flagged; None: as it should be

    def to_dict(self) -> dict[str, Any]:
        return {"host": self.host, "site": self.site, "stored": self.stored, "secrets": self.secrets, "markers": self.markers,
                "commit": self.commit, "date": self.date, "recipients": list(self.recipients), "problem": self.problem}


@dataclass(frozen=True)
class VaultStatus:
    enabled: bool
    recipients: tuple[str, ...]
    config_file: Path | None
    backup_dir: Path
    devices: list[DeviceVault] = field(default_factory=list)

    @property
    def flagged(self) -> list[DeviceVault]:
        return [d for d in self.devices if d.problem]

    def to_dict(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "recipients": list(self.recipients),
                "config_file": str(self.config_file) if self.config_file else None, "backup_dir": str(self.backup_dir),
                "devices": [d.to_dict() for d in self.devices], "flagged": [d.host for d in self.flagged]}


def _markers(repo: GitStore) -> dict[str, tuple[str, int]]:
    """host -> (site, redacted lines) of every stored configuration."""
    out = {}
    for path in repo.root.glob("*/*.cfg"):
        if path.parent.name != VAULT_DIR:
            out[path.stem] = (path.parent.name, sum(REDACTED in line for line in path.read_text(encoding="utf-8").splitlines()))
    return out


def status(settings: Settings) -> VaultStatus:
    """Per device of the backup repository: whether the vault holds its secrets, how many, from which revision;
    flagged: secrets in the configuration but no entry, an entry that does not match the configuration's
    redacted lines, encrypted to other recipients than configured, or not committed."""
    configured = recipients(settings)
    repo = backup_store(settings)
    held = vault.entries(repo)
    markers = _markers(repo)
    devices = []
    for host in sorted(set(markers) | set(held)):
        entry = held.get(host)
        site, count = markers.get(host, (entry.site if entry else "", 0))
        problem = None
        if entry is None:
            if count:
                problem = f"{count} secret line(s) in its configuration, no vault entry" + ("" if configured else " (the vault is off)")
        elif entry.commit is None:
            problem = "vault entry not committed yet (the next backup commits it)"
        elif entry.secrets is not None and entry.secrets != count and host in markers:
            problem = f"vault entry has {entry.secrets} secret(s), its configuration {count} redacted line(s)"
        elif configured and set(entry.recipients) != set(configured):
            problem = "encrypted to other recipients than vault.recipients (netops vault rekey, or the next backup)"
        devices.append(DeviceVault(host, site, entry is not None, entry.secrets if entry else None, count,
                                   entry.commit if entry else None, entry.date if entry else None,
                                   entry.recipients if entry else (), problem))
    return VaultStatus(bool(configured), configured, settings.config_file, repo.root, devices)


@dataclass(frozen=True)
class RekeyResult:
    entries: int  # entries re-encrypted
    recipients: tuple[str, ...]  # the new set
    previous: tuple[str, ...]  # the recipients the entries were encrypted to before
    commit: str | None
    config_file: Path

    def to_dict(self) -> dict[str, Any]:
        return {"entries": self.entries, "recipients": list(self.recipients), "previous": list(self.previous),
                "commit": self.commit, "config_file": str(self.config_file),
                "history": "revisions before this commit stay encrypted to the previous recipients"}


def rekey(settings: Settings, identity: Path, new: Sequence[str], trigger: str = "netops",
          on_event: Listener = ignore, reason: str | None = None) -> RekeyResult:
    """Re-encrypt every entry of the latest revision to ``new`` (one commit) and set ``vault.recipients`` to it.
    Every entry is decrypted before anything is written; older revisions keep their encryption. Recorded in the
    audit trail with ``reason`` (nothing is changed when the trail cannot be written)."""
    values = keys.check_recipients(new, key="--recipient")
    if not values:
        raise InputError("name at least one recipient (age1...)", key="--recipient")
    config = _editable(settings, values)
    if config is None:
        raise InputError("netops runs without a configuration file, so the new recipients could not be kept in "
                         "vault.recipients: run it with --config FILE (netops init writes one)", key="--config")
    keys.load_identities(identity)  # a wrong file is named before the lock is taken
    repo = backup_store(settings)
    with job_lock(settings.data_dir, "backup", f"netops vault rekey ({trigger})"), \
            recorded(settings, "vault.rekey", "vault", reason=reason, changing=True) as entry:
        held = vault.entries(repo)
        previous = tuple(sorted({r for e in held.values() for r in e.recipients}))
        on_event(Step("rekey", len(held)))
        message = (f"vault: rekey {len(held)} entr{'y' if len(held) == 1 else 'ies'} to {len(values)} recipient(s)\n\n"
                   + "".join(f"recipient: {r}\n" for r in values)
                   + "\nOlder revisions stay encrypted to their previous recipients.\n"
                   + f"\nTriggered-by: {trigger}\n")
        done, commit = vault.rekey(repo, identity, values, message, advance=lambda: on_event(Advanced("rekey")))
        write_recipients(config, values)
        entry.detail = {"entries": len(done), "recipients": list(values), "previous": list(previous), "commit": commit,
                        "config_file": str(config), "trigger": trigger}
    return RekeyResult(len(done), values, previous, commit, config)
