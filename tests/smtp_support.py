"""A real SMTP server on 127.0.0.1 (aiosmtpd) that records what it is sent, for the mail, report and alert tests."""

from __future__ import annotations

import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from typing import Any, cast

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Mail:
    sender: str
    recipients: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return cast(EmailMessage, message_from_bytes(self.raw, policy=email.policy.default))


class Inbox:
    """Records every message; answers ``refuse`` to the next ``refusals`` DATA commands."""

    def __init__(self) -> None:
        self.mails: list[Mail] = []
        self.refusals = 0
        self.refuse = "451 4.3.0 try again later"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refusals:
            self.refusals -= 1
            return self.refuse
        self.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    @property
    def messages(self) -> list[EmailMessage]:
        return [m.message for m in self.mails]

    @property
    def raw(self) -> list[bytes]:
        return [m.raw for m in self.mails]

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for m in self.messages]


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(inbox: Inbox, **options: Any) -> Iterator[int]:
    """Run an SMTP server for ``inbox`` on a free port of 127.0.0.1; yields the port."""
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
