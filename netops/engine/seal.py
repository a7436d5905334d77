"""Sealing for the way back from a worker: what must not cross the broker in the clear (a device's redacted secrets)
is encrypted to a key pair the coordinator makes for one run and never writes down."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyrage
from pyrage import x25519


@dataclass(frozen=True)
class RunKey:
    """One run's key pair: ``recipient`` goes to the workers with the work; the identity stays in memory."""

    identity: x25519.Identity = field(default_factory=x25519.Identity.generate, repr=False)

    @property
    def recipient(self) -> str:
        return str(self.identity.to_public())

    def unseal(self, data: bytes) -> bytes:
        return bytes(pyrage.decrypt(data, [self.identity]))


def sealer(recipient: str) -> Sealer:
    """What a worker seals with: encryption to the run's recipient."""
    return Sealer(x25519.Recipient.from_str(recipient))


@dataclass(frozen=True)
class Sealer:
    recipient: x25519.Recipient

    def __call__(self, plain: bytes) -> bytes:
        return bytes(pyrage.encrypt(plain, [self.recipient]))
