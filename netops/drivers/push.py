"""Configuration lines pushed one at a time, each confirmed by the device, so a failed push says what took.

netmiko's ``send_config_set(cmd_verify=False)`` writes every line and reads what came back at the end: when
the connection drops or the device refuses a line, nobody knows which lines were applied. :func:`push_lines`
writes a line, reads its echo and then the next configuration prompt, and looks for the platform's error
message in between; a line counts as applied only once the device has answered it so. At the first refusal,
lost connection or silence it stops and raises :class:`PushFailed` with the :class:`Progress`: the lines
applied, the one that failed and why, the lines never sent.

A command of several lines (hier_config gives a banner as one: ``banner exec ^C``, its text, ``^C``) is a line
that opens the device's text entry, then its text: the device answers the first line with its echo and a message
instead of the prompt, each line of text with its echo alone, and the last one, which ends the text, with its
echo and the prompt. Each line waits for its answer, so no text is sent unless the device took the first line.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any

POLL = 0.005  # seconds between two reads of the channel
LINE_END = re.compile(r"\r?\n")  # how the device answers a line of text: its echo, then a new line


@dataclass
class Progress:
    """How far a push went."""

    commands: list[str]
    applied: list[str] = field(default_factory=list)  # answered by the device's echo and prompt, without an error
    failed: str | None = None  # the line that failed (sent, refused or unanswered); None: none did
    error: str | None = None  # why it failed (the device's message, the connection lost, the save failed ...)
    confirmed: bool = True  # False: the platform's push confirms no single line (what took is read back instead)

    @property
    def not_sent(self) -> list[str]:
        return self.commands[len(self.applied) + (self.failed is not None):]

    @property
    def complete(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"not_sent": self.not_sent}

    def stop(self) -> dict[str, Any]:
        """Where it stopped, for the audit trail (which lists the lines applied as the commands)."""
        return {"failed": self.failed, "error": self.error, "not_sent": self.not_sent, "confirmed": self.confirmed}


class PushFailed(Exception):
    """A push stopped; ``progress`` says where."""

    def __init__(self, progress: Progress) -> None:
        super().__init__(progress.error)
        self.progress = progress


class _Lost(Exception):
    """The session ended (the device closed it or the connection broke)."""


class _Refused(Exception):
    """The device refused a line, or did not answer it as the command requires."""


def _closed(conn: Any) -> bool:
    channel = getattr(conn, "remote_conn", None)
    transport = channel.get_transport() if channel is not None and hasattr(channel, "get_transport") else None
    return bool(getattr(channel, "closed", False) or (transport is not None and not transport.is_active()))


def _answer(conn: Any, line: str, end: re.Pattern[str], timeout: float) -> tuple[str, re.Match[str]]:
    """Send ``line``; what the device printed between its echo and the first match of ``end`` after it, and that match."""
    conn.write_channel(conn.normalize_cmd(line))
    echo = re.compile(r"[ \t]*".join(re.escape(w) for w in line.split()))
    output, deadline = "", time.monotonic() + timeout
    while True:
        try:
            output += conn.read_channel()
        except OSError as exc:
            raise _Lost(f"connection lost: {exc}") from None
        seen = echo.search(output)
        if seen and (found := end.search(output, seen.end())):
            return output[seen.end():found.start()], found
        if _closed(conn):
            raise _Lost("connection lost: the device closed the session")
        if time.monotonic() > deadline:
            raise TimeoutError(f"no answer within {timeout:g}s")
        time.sleep(POLL)


def _push(conn: Any, command: str, timeout: float, prompt: re.Pattern[str], error: re.Pattern[str],
          text_entry: re.Pattern[str]) -> str:
    """Push one command, a line or a line opening text entry and its text (see the module); the device's answers."""
    first, *text = command.split("\n")
    if not text:
        answer = _answer(conn, first, prompt, timeout)[0]
    else:
        either = re.compile(f"(?P<text_entry>{text_entry.pattern})|(?:{prompt.pattern})", text_entry.flags | prompt.flags)
        answer, opened = _answer(conn, first, either, timeout)
        if opened.group("text_entry") is not None:
            answer += "".join(_answer(conn, line, prompt if n == len(text) else LINE_END, timeout)[0]
                              for n, line in enumerate(text, 1))
        elif not error.search(answer):
            raise _Refused(f"the device opened no text entry after {first!r}; its text was not sent")
    if refused := error.search(answer):
        raise _Refused(f"refused by the device: {refused.group(0).strip()}")
    return answer


def push_lines(conn: Any, commands: list[str], timeout: float, prompt: re.Pattern[str], error: re.Pattern[str],
               text_entry: re.Pattern[str]) -> str:
    """Enter configuration mode, push ``commands`` one by one (``prompt`` matches a configuration prompt, ``error``
    a refusal in the device's answer, ``text_entry`` its answer to a line that opens text entry), leave it and
    save; the device's answers and the save's output."""
    progress = Progress(list(commands))
    answers: list[str] = []
    try:
        conn.config_mode()
    except Exception as exc:
        progress.error = f"configuration mode refused: {exc}"
        raise PushFailed(progress) from exc
    for command in commands:
        try:
            answers.append(_push(conn, command, timeout, prompt, error, text_entry))
        except (_Lost, _Refused, TimeoutError, OSError, EOFError) as exc:
            progress.failed, progress.error = command, str(exc)
            raise PushFailed(progress) from None
        progress.applied.append(command)
    try:
        conn.exit_config_mode()
        conn.set_base_prompt()  # a restored hostname changes the prompt
        return "".join(answers) + conn.save_config()
    except Exception as exc:
        progress.error = f"every line applied, but saving failed: {exc}"
        raise PushFailed(progress) from exc
