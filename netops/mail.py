"""Mail out: one SMTP client for the daily report and the alerts.

The server, its TLS mode, the sender and the recipients come from the ``report.mail``
section of ``netops.yaml`` (each overridable by a flag); the password comes from the
environment variable that section names, never from the file, a flag or a log. A
failed send is retried with a growing pause, then raised as :class:`MailError` with the
server's answer.
"""

from __future__ import annotations

import dataclasses
import os
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from netops.config import Entry
from netops.errors import InputError, NetopsError

TLS_MODES = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
FLAGS = {"smtp_host": "--smtp-host", "smtp_port": "--smtp-port", "tls": "--smtp-tls", "sender": "--from", "to": "--to"}


class MailError(NetopsError):
    """The SMTP server refused the message or could not be reached (after the retries)."""

    exit_code = 1


@dataclass(frozen=True)
class MailSettings:
    """Where and how mail goes out; ``where`` names the file and line of each key that came from a file."""

    smtp_host: str | None = None
    smtp_port: int | None = None
    tls: str = "starttls"
    sender: str | None = None
    to: tuple[str, ...] = ()
    username: str | None = None
    password_env: str | None = None
    retries: int = 3
    where: Mapping[str, str] = dataclasses.field(default_factory=dict, compare=False)  # field -> "file:line"

    @classmethod
    def from_section(cls, entries: Mapping[str, Entry], section: str) -> MailSettings:
        """The settings of ``{section}.mail`` (entries keyed below the section, e.g. ``mail.smtp_host``)."""
        names = {"smtp_host": "smtp_host", "smtp_port": "smtp_port", "tls": "tls", "from": "sender", "to": "to",
                 "username": "username", "password_env": "password_env", "retries": "retries"}
        values: dict[str, Any] = {}
        where: dict[str, str] = {}
        for key, name in names.items():
            entry = entries.get(f"mail.{key}")
            if entry is None:
                continue
            values[name] = tuple(entry.value) if name == "to" else entry.value
            where[name] = f"{entry.where()}: {section}.mail.{key}"
        return cls(**values, where=where)

    def with_flags(self, **flags: Any) -> MailSettings:
        """These settings with the command's flags over them (None or empty: not given)."""
        changes: dict[str, Any] = {k: (tuple(v) if k == "to" else v) for k, v in flags.items() if v not in (None, [], ())}
        if "tls" in changes and changes["tls"] not in TLS_MODES:
            raise InputError(f"{changes['tls']!r} is not one of {', '.join(TLS_MODES)}", key="--smtp-tls")
        return dataclasses.replace(self, **changes)

    @property
    def port(self) -> int:
        return self.smtp_port or DEFAULT_PORTS[self.tls]

    def missing(self) -> list[str]:
        """What a send still needs, named as the user would set it."""
        need = {"smtp_host": self.smtp_host, "sender": self.sender, "to": self.to}
        return [f"report.mail.{'from' if k == 'sender' else k} or {FLAGS[k]}" for k, v in need.items() if not v]

    def password(self, env: Mapping[str, str]) -> str | None:
        if self.password_env is None:
            return None
        value = env.get(self.password_env)
        if not value:
            raise InputError(f"environment variable {self.password_env} (the SMTP password) is not set",
                             key=self.where.get("password_env", "report.mail.password_env"))
        return value

    def describe(self) -> str:
        """``smtp.example.org:587 (starttls)``: for messages and the delivery record, never with the password."""
        return f"{self.smtp_host}:{self.port} ({self.tls})"


@dataclass(frozen=True)
class Delivery:
    """A sent message: to whom, through which server, after how many attempts."""

    recipients: tuple[str, ...]
    server: str
    attempts: int
    message_id: str


def send(settings: MailSettings, message: EmailMessage, env: Mapping[str, str] | None = None,
         sleep: Callable[[float], None] = time.sleep, timeout: float = 30.0) -> Delivery:
    """Send ``message`` (its From and To are set from ``settings``); retries, then :class:`MailError`."""
    missing = settings.missing()
    if missing:
        raise InputError(f"mail needs {', '.join(missing)}", key="report.mail")
    password = settings.password(os.environ if env is None else env)
    del message["From"], message["To"]
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.to)
    last = ""
    for attempt in range(1, settings.retries + 2):
        try:
            _deliver(settings, message, password, timeout)
            return Delivery(settings.to, settings.describe(), attempt, str(message["Message-ID"] or ""))
        except smtplib.SMTPResponseException as exc:
            last = f"{exc.smtp_code} {exc.smtp_error.decode(errors='replace') if isinstance(exc.smtp_error, bytes) else exc.smtp_error}"
            if 500 <= exc.smtp_code < 600 and not isinstance(exc, smtplib.SMTPServerDisconnected):
                break  # a permanent refusal: retrying changes nothing
        except smtplib.SMTPRecipientsRefused as exc:
            last = "; ".join(f"{r}: {code} {text.decode(errors='replace')}" for r, (code, text) in exc.recipients.items())
            break
        except (OSError, smtplib.SMTPException) as exc:
            last = f"{type(exc).__name__}: {exc}"
        if attempt <= settings.retries:
            sleep(min(60.0, 2.0 ** attempt))
    raise MailError(f"mail to {', '.join(settings.to)} via {settings.describe()} failed after {attempt} attempt(s): {last}")


def _deliver(settings: MailSettings, message: EmailMessage, password: str | None, timeout: float) -> None:
    assert settings.smtp_host is not None
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if settings.tls == "tls":
        client = smtplib.SMTP_SSL(settings.smtp_host, settings.port, timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.port, timeout=timeout)
    with client:
        if settings.tls == "starttls":
            client.starttls(context=context)
        if settings.username and password is not None:
            client.login(settings.username, password)
        client.send_message(message)
