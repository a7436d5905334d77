"""Alerts to a syslog server: RFC 5424 messages over UDP, TCP or a Unix datagram socket.

The message (RFC 5424 section 6, "Syslog Message Format")::

    SYSLOG-MSG = HEADER SP STRUCTURED-DATA [SP MSG]
    HEADER     = PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID
    <27>1 2026-12-04T20:31:05.120000+05:30 ops1 netops 4711 device_down [origin software="netops" swVersion="0.1.0"] RAISED …

- PRI is ``<facility * 8 + severity>`` (section 6.2.1): the facility from ``alerts.syslog.facility``
  (user 1, daemon 3, local0-local7 16-23, table 1); the severity from the alert's (table 2): critical ->
  2 Critical, high -> 3 Error, medium -> 4 Warning, low -> 5 Notice, info -> 6 Informational; a cleared
  alert is 5 Notice, a test 6 Informational, a digest its most severe raised alert.
- VERSION 1; TIMESTAMP is RFC 3339 with its offset and at most 6 fractional digits (section 6.2.3);
  HOSTNAME, APP-NAME (``netops``), PROCID (the process id) and MSGID (the alert kind, ``digest`` or
  ``test``) are printable US-ASCII of at most 255, 48, 128 and 32 octets, else the NILVALUE ``-``
  (sections 6.2.4-6.2.7).
- STRUCTURED-DATA is one element of the IANA-registered SD-ID ``origin`` (section 7.2) naming the software;
  in a PARAM-VALUE the characters ``"``, ``\\`` and ``]`` are escaped with a backslash (section 6.3.3).
- MSG is plain ASCII, or UTF-8 starting with the BOM when it holds anything else (section 6.4).
- Length: a receiver SHOULD accept 2048 octets (section 6.1; RFC 5426 section 3.2 for UDP): longer
  messages are cut at 2048 octets on a character boundary.

Transports: UDP, one message per datagram (RFC 5426 section 3.1); TCP with octet-counting framing,
``MSG-LEN SP SYSLOG-MSG`` where MSG-LEN is the octet count of the message (RFC 6587 section 3.4.1), which
carries any character and is what a receiver assumes when a frame starts with a digit; a Unix socket path
(``/dev/log``) gets one datagram per message, as the local syslog daemon reads it.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime

from netops import __version__
from netops.notify.config import SyslogConfig
from netops.notify.model import CLEARED
from netops.notify.render import Outgoing, server_name, summary

MAX_OCTETS = 2048
BOM = b"\xef\xbb\xbf"
SEVERITY_LEVEL = {"critical": 2, "high": 3, "medium": 4, "low": 5, "info": 6}  # RFC 5424 table 2
NOTICE, INFORMATIONAL = 5, 6
NIL = "-"


def level(out: Outgoing) -> int:
    """The syslog severity of a message."""
    if out.test:
        return INFORMATIONAL
    worst = out.worst
    if worst is None or worst.state == CLEARED:
        return NOTICE
    return SEVERITY_LEVEL.get(worst.severity, NOTICE)


def _field(value: str, limit: int) -> str:
    """A header field: printable US-ASCII (33-126) only, at most ``limit`` octets; NILVALUE when empty."""
    text = "".join(c for c in value if 33 <= ord(c) <= 126)[:limit]
    return text or NIL


def _param(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def msgid(out: Outgoing) -> str:
    if out.test:
        return "test"
    return "digest" if out.digest else out.alerts[0].kind


def format_message(out: Outgoing, facility: int, now: datetime, hostname: str | None = None, pid: int | None = None) -> bytes:
    """The RFC 5424 message (without transport framing) for ``out``."""
    pri = facility * 8 + level(out)
    timestamp = now.isoformat(timespec="microseconds")  # RFC 3339: date "T" time, fraction, offset (or "+00:00")
    header = (f"<{pri}>1 {timestamp} {_field(hostname if hostname is not None else server_name(), 255)} netops "
              f"{_field(str(pid if pid is not None else os.getpid()), 128)} {_field(msgid(out), 32)}")
    sd = f'[origin software="netops" swVersion="{_param(__version__[:32])}"]'
    head = f"{header} {sd} ".encode("ascii")
    text = summary(out)
    try:
        msg = text.encode("ascii")
    except UnicodeEncodeError:
        msg = BOM + text.encode("utf-8")
    room = MAX_OCTETS - len(head)
    if len(msg) > room:
        msg = msg[:room]
        if not msg.isascii():  # BOM and UTF-8: drop a character cut in two
            msg = msg.decode("utf-8", errors="ignore").encode("utf-8")
    return head + msg


def frame(message: bytes) -> bytes:
    """RFC 6587 section 3.4.1 octet counting: ``MSG-LEN SP SYSLOG-MSG``."""
    return b"%d %s" % (len(message), message)


def send(config: SyslogConfig, message: bytes, timeout: float = 10.0) -> str:
    """Send one message; what was done (``udp 127.0.0.1:5514, 231 octets``); OSError on failure."""
    if config.path is not None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.settimeout(timeout)
            sock.connect(config.path)
            sock.send(message)
        return f"unix {config.path}, {len(message)} octets"
    assert config.host is not None and config.port is not None
    if config.protocol == "tcp":
        with socket.create_connection((config.host, config.port), timeout=timeout) as sock:
            sock.sendall(frame(message))
        return f"tcp {config.address}, {len(message)} octets"
    family, kind, proto, _, address = socket.getaddrinfo(config.host, config.port, type=socket.SOCK_DGRAM)[0]
    with socket.socket(family, kind, proto) as sock:
        sock.settimeout(timeout)
        sock.connect(address)  # a connected UDP socket reports an ICMP "port unreachable" of an earlier datagram
        sock.send(message)
    return f"udp {config.address}, {len(message)} octets"
