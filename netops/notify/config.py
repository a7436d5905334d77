"""The ``alerts`` section of ``netops.yaml``: threshold, backup age, rate limit and the optional targets.

```yaml
alerts:
  severity: high              # deliver alerts at or above (critical, high, medium, low, info)
  backup_max_age: 1d          # a device without a good backup for longer is an alert
  rate_limit: {messages: 5, per: 10m}
  mail: {to: [noc@example.org]}               # through report.mail's SMTP server
  webhook: {url: https://chat.example.org/hooks/netops, token_env: NETOPS_WEBHOOK_TOKEN, timeout: 10}
  syslog: {address: "syslog.example.org:514", protocol: udp, facility: local0}
```

The JSON Schema checks types; everything else (ages, addresses, what mail needs) is checked here, each
problem an :class:`InputError` naming the file, line and key. Secrets (the webhook token, the SMTP
password) are read from the environment variables named here at send time, never from the file.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from netops.ages import parse_age
from netops.config import Entry
from netops.errors import InputError
from netops.mail import MailSettings
from netops.notify.model import SEVERITIES
from netops.notify.plan import Limits

FACILITIES = {"user": 1, "daemon": 3, **{f"local{n}": 16 + n for n in range(8)}}  # RFC 5424 section 6.2.1, table 1
DEFAULT_SYSLOG_PORT = 514  # RFC 5426 section 3.3 (UDP); the usual port for plain TCP too
DEFAULT_WEBHOOK_TIMEOUT = 10.0
MAIL_TIMEOUT = 15.0


def _fail(entry: Entry | None, key: str, message: str) -> InputError:
    if entry is None:
        return InputError(message, key=f"alerts.{key}")
    return InputError(message, file=entry.file, line=entry.line, key=f"alerts.{key}")


@dataclass(frozen=True)
class WebhookConfig:
    url: str
    token_env: str | None = None
    timeout: float = DEFAULT_WEBHOOK_TIMEOUT
    where: str = ""  # file:line of alerts.webhook.url

    def describe(self) -> str:
        """``https://chat.example.org/…``: scheme, host and port only (paths of chat webhooks often hold a secret)."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}/" + ("…" if parts.path.strip("/") or parts.query else "")


@dataclass(frozen=True)
class SyslogConfig:
    address: str  # as written
    host: str | None  # None: a Unix socket
    port: int | None
    path: str | None
    protocol: str = "udp"  # udp, tcp (Unix sockets: datagrams)
    facility: str = "daemon"

    @property
    def facility_code(self) -> int:
        return FACILITIES[self.facility]

    def describe(self) -> str:
        return f"unix {self.path}" if self.path else f"{self.protocol} {self.address}"


@dataclass(frozen=True)
class AlertSettings:
    severity: str = "high"
    backup_max_age: float = 86400.0
    limits: Limits = Limits()
    mail: MailSettings | None = None  # report.mail's server with alerts.mail.to
    webhook: WebhookConfig | None = None
    syslog: SyslogConfig | None = None

    @property
    def targets(self) -> tuple[str, ...]:
        """The configured targets: mail, webhook, syslog (in that order)."""
        return tuple(name for name in ("mail", "webhook", "syslog") if getattr(self, name) is not None)

    def describe(self) -> dict[str, str]:
        """Target -> where it goes, for messages and tables (never a secret)."""
        out = {}
        if self.mail is not None:
            out["mail"] = f"{', '.join(self.mail.to)} via {self.mail.describe()}"
        if self.webhook is not None:
            out["webhook"] = f"POST {self.webhook.describe()}"
        if self.syslog is not None:
            out["syslog"] = f"{self.syslog.describe()} ({self.syslog.facility})"
        return out

    @classmethod
    def from_sections(cls, alerts: Mapping[str, Entry], report: Mapping[str, Entry]) -> AlertSettings:
        """Alert settings from the ``alerts`` and ``report`` sections (``Settings.section``)."""
        values: dict[str, Any] = {}
        entry = alerts.get("severity")
        if entry is not None:
            if entry.value not in SEVERITIES:
                raise _fail(entry, "severity", f"{entry.value!r} is not one of {', '.join(SEVERITIES)}")
            values["severity"] = entry.value
        entry = alerts.get("backup_max_age")
        if entry is not None:
            values["backup_max_age"] = parse_age(str(entry.value), key="alerts.backup_max_age", file=str(entry.file), line=entry.line)
        limits = Limits()
        entry = alerts.get("rate_limit.messages")
        if entry is not None:
            if not isinstance(entry.value, int) or isinstance(entry.value, bool) or entry.value < 1:
                raise _fail(entry, "rate_limit.messages", "must be a whole number of messages, at least 1")
            limits = dataclasses.replace(limits, messages=entry.value)
        entry = alerts.get("rate_limit.per")
        if entry is not None:
            per = parse_age(str(entry.value), key="alerts.rate_limit.per", file=str(entry.file), line=entry.line)
            if per <= 0:
                raise _fail(entry, "rate_limit.per", "must be longer than 0s")
            limits = dataclasses.replace(limits, per=per)
        values["limits"] = limits
        if "mail.to" in alerts:
            values["mail"] = _mail(alerts["mail.to"], report)
        if any(k.startswith("webhook.") for k in alerts):
            values["webhook"] = _webhook(alerts)
        if any(k.startswith("syslog.") for k in alerts):
            values["syslog"] = _syslog(alerts)
        return cls(**values)


def _mail(to: Entry, report: Mapping[str, Entry]) -> MailSettings:
    recipients = to.value if isinstance(to.value, list) else [to.value]
    if not recipients or not all(isinstance(r, str) and "@" in r for r in recipients):
        raise _fail(to, "mail.to", "must be a list of mail addresses")
    server = MailSettings.from_section(report, "report")
    need = [name for name, value in (("report.mail.smtp_host", server.smtp_host), ("report.mail.from", server.sender)) if not value]
    if need:
        raise _fail(to, "mail.to", f"alert mail goes through the report's SMTP server: set {' and '.join(need)}")
    # the outbox retries on the next delivery run: no pause inside a poll or a backup
    return dataclasses.replace(server, to=tuple(recipients), retries=0,
                               where={**server.where, "to": f"{to.where()}: alerts.mail.to"})


def _webhook(alerts: Mapping[str, Entry]) -> WebhookConfig:
    url = alerts.get("webhook.url")
    if url is None:
        first = next(e for k, e in alerts.items() if k.startswith("webhook."))
        raise _fail(first, "webhook.url", "a webhook needs its url")
    parts = urlsplit(str(url.value))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _fail(url, "webhook.url", f"{url.value!r} is not an http:// or https:// URL")
    try:
        parts.port  # noqa: B018 (raises on a bad port)
    except ValueError:
        raise _fail(url, "webhook.url", f"{url.value!r} has a bad port") from None
    if parts.username or parts.password:
        raise _fail(url, "webhook.url", "no user or password in the URL: name an environment variable holding a token in "
                    "alerts.webhook.token_env")
    token = alerts.get("webhook.token_env")
    if token is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(token.value)):
        raise _fail(token, "webhook.token_env", "must be the name of an environment variable (the token itself never goes in this file)")
    timeout = alerts.get("webhook.timeout")
    seconds = DEFAULT_WEBHOOK_TIMEOUT
    if timeout is not None:
        if not isinstance(timeout.value, (int, float)) or isinstance(timeout.value, bool) or timeout.value <= 0:
            raise _fail(timeout, "webhook.timeout", "must be a positive number of seconds")
        seconds = float(timeout.value)
    return WebhookConfig(str(url.value), str(token.value) if token is not None else None, seconds, url.where())


def _syslog(alerts: Mapping[str, Entry]) -> SyslogConfig:
    entry = alerts.get("syslog.address")
    if entry is None:
        first = next(e for k, e in alerts.items() if k.startswith("syslog."))
        raise _fail(first, "syslog.address", "syslog needs an address (host:port, or a Unix socket such as /dev/log)")
    address = str(entry.value).strip()
    protocol_entry = alerts.get("syslog.protocol")
    protocol = str(protocol_entry.value) if protocol_entry is not None else "udp"
    if protocol not in ("udp", "tcp"):
        raise _fail(protocol_entry, "syslog.protocol", f"{protocol!r} is not one of udp, tcp")
    facility_entry = alerts.get("syslog.facility")
    facility = str(facility_entry.value) if facility_entry is not None else "daemon"
    if facility not in FACILITIES:
        raise _fail(facility_entry, "syslog.facility", f"{facility!r} is not one of {', '.join(FACILITIES)}")
    if address.startswith("/"):
        if protocol_entry is not None and protocol == "tcp":
            raise _fail(protocol_entry, "syslog.protocol", "a Unix socket gets datagrams: leave protocol out (or udp)")
        return SyslogConfig(address, None, None, address, protocol, facility)
    match = re.fullmatch(r"\[(?P<v6>[0-9A-Fa-f:.]+)\](?::(?P<p6>\d+))?|(?P<host>[A-Za-z0-9_.-]+)(?::(?P<port>\d+))?", address)
    if not match:
        raise _fail(entry, "syslog.address", f"{address!r} is neither host:port ([v6 address]:port) nor a Unix socket path")
    host = match.group("v6") or match.group("host")
    port = int(match.group("p6") or match.group("port") or DEFAULT_SYSLOG_PORT)
    if not 1 <= port <= 65535:
        raise _fail(entry, "syslog.address", f"port {port} is not between 1 and 65535")
    return SyslogConfig(address, host, port, None, protocol, facility)
