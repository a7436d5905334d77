"""The secrets vault: what backup redaction removes, kept encrypted with age, versioned with the backups.

- :mod:`netops.vault.keys` — X25519 identities (private, offline: the DR kit) and recipients (public,
  ``vault.recipients`` in netops.yaml); encrypt, decrypt.
- :mod:`netops.vault.store` — the entries in the backup repository (``.vault/<site>/<host>.age``, with a
  keyed fingerprint ``.fp`` so that unchanged secrets are not rewritten): :func:`keep` at backup,
  :func:`secrets_at` to read a revision's secrets back, :func:`entries`, :func:`rekey`.
- :mod:`netops.vault.fill` — :func:`fill` (a stored configuration with its secrets put back) and
  :func:`matches` (does a device have the vault's secrets? labels only, never values).
- :mod:`netops.vault.config` — the ``vault`` section of netops.yaml and the line-level edit of it.

The vault is on when ``vault.recipients`` lists at least one recipient; without it backups work exactly
as before and nothing is written under ``.vault/``.
"""

from netops.backup.clean import Secret, clean_keeping_secrets
from netops.vault.fill import compare, fill, matches
from netops.vault.store import entries, keep, rekey, secrets_at

__all__ = ["Secret", "clean_keeping_secrets", "compare", "entries", "fill", "keep", "matches", "rekey", "secrets_at"]
