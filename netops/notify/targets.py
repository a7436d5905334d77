"""Where alerts go: mail (through :mod:`netops.mail`), a webhook (JSON POST), syslog (RFC 5424).

Each target sends one :class:`~netops.notify.render.Outgoing` message and answers what it did
(``250 accepted by 127.0.0.1:8025 (none)``, ``HTTP 200``, ``udp 127.0.0.1:5514, 231 octets``) or raises
:class:`DeliveryError` with the other side's answer. Secrets come from the environment variables the
configuration names, at send time, and are scrubbed from every error.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from netops import __version__
from netops.errors import InputError, NetopsError
from netops.mail import MailError, MailSettings
from netops.mail import send as send_mail
from netops.notify import render, syslog
from netops.notify.config import MAIL_TIMEOUT, AlertSettings, SyslogConfig, WebhookConfig
from netops.notify.render import Outgoing


class DeliveryError(NetopsError):
    """A target refused a message or could not be reached; the text is what it answered (no secret)."""

    exit_code = 1


class Target(Protocol):
    name: str

    def describe(self) -> str: ...

    def send(self, out: Outgoing) -> str: ...


def scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "<secret>")
    return text


class MailTarget:
    name = "mail"

    def __init__(self, settings: MailSettings, zone: ZoneInfo, env: Mapping[str, str]) -> None:
        self.settings, self.zone, self.env = settings, zone, env

    def describe(self) -> str:
        return f"{', '.join(self.settings.to)} via {self.settings.describe()}"

    def secrets(self) -> list[str]:
        return [self.env.get(self.settings.password_env, "")] if self.settings.password_env else []

    def message(self, out: Outgoing) -> EmailMessage:
        msg = EmailMessage()
        msg["Subject"] = render.subject(out)
        msg["Date"] = format_datetime(datetime.now(self.zone))
        msg["Message-ID"] = make_msgid("netops", domain=render.server_name())  # no DNS lookup (getfqdn) in a poll
        msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to alerts
        msg["X-Netops-Alert"] = out.kind if out.test or out.digest else f"{out.alerts[0].state} {out.alerts[0].key}"
        msg.set_content(render.body(out, self.zone))
        return msg

    def send(self, out: Outgoing) -> str:
        try:
            delivery = send_mail(self.settings, self.message(out), env=self.env, sleep=lambda _s: None, timeout=MAIL_TIMEOUT)
        except (MailError, InputError) as exc:
            raise DeliveryError(scrub(str(exc), self.secrets())) from None
        return f"accepted by {delivery.server} for {', '.join(delivery.recipients)}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new place to send the token to."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> None:
        return None


class WebhookTarget:
    name = "webhook"

    def __init__(self, config: WebhookConfig, env: Mapping[str, str]) -> None:
        self.config, self.env = config, env
        self.opener = urllib.request.build_opener(_NoRedirect())

    def describe(self) -> str:
        return f"POST {self.config.describe()}"

    def token(self) -> str | None:
        if self.config.token_env is None:
            return None
        value = self.env.get(self.config.token_env)
        if not value:
            raise DeliveryError(f"environment variable {self.config.token_env} (the webhook token, alerts.webhook.token_env) is not set")
        return value

    def send(self, out: Outgoing) -> str:
        token = self.token()
        request = urllib.request.Request(self.config.url, data=json.dumps(render.payload(out)).encode("utf-8"), method="POST",
                                         headers={"Content-Type": "application/json", "User-Agent": f"netops/{__version__}"})
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with self.opener.open(request, timeout=self.config.timeout) as answer:
                status = answer.status
        except urllib.error.HTTPError as exc:
            first = _first_line(exc.read(4096) if exc.fp is not None else b"")
            where = f" (to {exc.headers.get('Location')}; not followed)" if 300 <= exc.code < 400 and exc.headers.get("Location") else ""
            raise DeliveryError(scrub(f"{self.describe()}: HTTP {exc.code} {exc.reason}{where}" + (f": {first}" if first else ""),
                                      [token or ""])) from None
        except urllib.error.URLError as exc:
            raise DeliveryError(scrub(f"{self.describe()}: {exc.reason}", [token or ""])) from None
        except (OSError, ValueError) as exc:  # timeouts, resets
            raise DeliveryError(scrub(f"{self.describe()}: {type(exc).__name__}: {exc}", [token or ""])) from None
        if not 200 <= status < 300:
            raise DeliveryError(f"{self.describe()}: HTTP {status}")
        return f"HTTP {status}"


def _first_line(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace")
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line[:200]


class SyslogTarget:
    name = "syslog"

    def __init__(self, config: SyslogConfig, zone: ZoneInfo) -> None:
        self.config, self.zone = config, zone

    def describe(self) -> str:
        return f"{self.config.describe()} ({self.config.facility})"

    def send(self, out: Outgoing) -> str:
        message = syslog.format_message(out, self.config.facility_code, datetime.now(timezone.utc).astimezone(self.zone))
        try:
            return syslog.send(self.config, message)
        except OSError as exc:
            raise DeliveryError(f"{self.config.describe()}: {exc.strerror or exc}") from None


def targets(settings: AlertSettings, zone: ZoneInfo, env: Mapping[str, str] | None = None) -> list[Target]:
    """The configured targets, in the order mail, webhook, syslog."""
    env = os.environ if env is None else env
    out: list[Target] = []
    if settings.mail is not None:
        out.append(MailTarget(settings.mail, zone, env))
    if settings.webhook is not None:
        out.append(WebhookTarget(settings.webhook, env))
    if settings.syslog is not None:
        out.append(SyslogTarget(settings.syslog, zone))
    return out
