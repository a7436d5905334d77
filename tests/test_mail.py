"""The one SMTP client (netops.mail) against a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from netops.errors import InputError
from netops.mail import MailError, MailSettings, send


def message() -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = "netops test"
    msg.set_content("hello")
    return msg


def settings(port: int, **changes) -> MailSettings:
    return MailSettings(smtp_host="127.0.0.1", smtp_port=port, tls="none", sender="netops@example.org",
                        to=("noc@example.org", "it@example.org"), retries=2).with_flags(**changes)


def test_delivered_to_every_recipient(smtp) -> None:
    inbox, port = smtp
    delivery = send(settings(port), message(), sleep=lambda _: None)
    assert delivery.attempts == 1 and delivery.server == f"127.0.0.1:{port} (none)"
    [mail] = inbox.mails
    assert mail.sender == "netops@example.org" and mail.recipients == ["noc@example.org", "it@example.org"]
    assert mail.message["To"] == "noc@example.org, it@example.org"


def test_a_temporary_refusal_is_retried(smtp) -> None:
    inbox, port = smtp
    inbox.refusals = 1
    pauses: list[float] = []
    delivery = send(settings(port), message(), sleep=pauses.append)
    assert delivery.attempts == 2 and pauses == [2.0] and len(inbox.messages) == 1


def test_a_permanent_refusal_says_what_the_server_said(smtp) -> None:
    inbox, port = smtp
    inbox.refusals, inbox.refuse = 5, "554 5.7.1 relaying denied"
    with pytest.raises(MailError) as caught:
        send(settings(port), message(), sleep=lambda _: None)
    assert "554 5.7.1 relaying denied" in str(caught.value) and "after 1 attempt(s)" in str(caught.value)
    assert caught.value.exit_code == 1 and not inbox.messages


def test_an_unreachable_server_fails_after_the_retries() -> None:
    with pytest.raises(MailError, match="after 3 attempt"):
        send(settings(1), message(), sleep=lambda _: None)


def test_the_password_comes_from_the_environment_only(smtp) -> None:
    _, port = smtp
    with pytest.raises(InputError, match="NETOPS_SMTP_PASSWORD"):
        send(settings(port, username="netops", password_env="NETOPS_SMTP_PASSWORD"), message(), env={})


def test_missing_settings_are_named() -> None:
    with pytest.raises(InputError) as caught:
        send(MailSettings(), message(), env={})
    assert "report.mail.smtp_host or --smtp-host" in str(caught.value) and "--to" in str(caught.value)
