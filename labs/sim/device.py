"""What every simulated device shares: the node it runs as and the CLI session contract.

A :class:`SimNode` is one device inside a worker: its runtime record, its
directory, and its running configuration (parsed lazily by the platform, kept
in memory, mirrored to ``running-config`` after each change). Its directory
also holds ``original-config`` (the startup configuration ``lab up`` laid out,
which also tells the simulator in which order the device prints its lines) and
``factory-config`` (what a wipe brings back). A
:class:`CliSession` is one SSH session on it; each platform package subclasses
it in its ``cli`` module and names the class in its ``PLATFORM`` record, which
:mod:`labs.sim.platforms` collects into :data:`labs.sim.platforms.SESSIONS`.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from labs.state import NodeRuntime

RUNNING = "running-config"
STARTUP = "startup-config"
ORIGINAL = "original-config"
FACTORY = "factory-config"
APPLIED = "generation"  # the worker writes the generation it applied (wipe/replace) here


@dataclass
class Reply:
    """The output of one command line."""

    text: str = ""
    config: bool = False  # a configuration dump: what the disconnect/truncate faults cut
    close: bool = False  # end the session after the output


class SimNode:
    """One simulated device served by a worker."""

    def __init__(self, runtime: NodeRuntime, node_dir: Path, session_cls: type[CliSession]) -> None:
        self.runtime = runtime
        self.dir = node_dir
        self.session_cls = session_cls
        self.booted = runtime.booted_at or time.time() - uptime_offset(runtime.name)
        self._model: Any = None
        self._text: str | None = None  # the running config as text; parsed only when needed
        self._found: dict[str, str | None] = {}
        self._reference: Any = None
        self._has_reference: bool | None = None
        self.connections: set[Any] = set()  # its open SSH connections (the server keeps this up to date)
        self.book: Any = None  # the worker's FaultBook: the whole lab as the state file has it (neighbours)

    @property
    def model(self) -> Any:
        """The platform's parsed running configuration."""
        if self._model is None:
            self._model = self.session_cls.load(self.text())
            self.session_cls.use_reference(self._model, self.reference)
        return self._model

    @model.setter
    def model(self, value: Any) -> None:
        self._model = value
        self._text = None
        self._found = {}
        self.save(RUNNING)

    @property
    def reference(self) -> Any:
        """The order the device prints its configuration in, from its original configuration (None: unknown)."""
        if self._has_reference is None:
            try:
                original = (self.dir / ORIGINAL).read_text(encoding="utf-8")
            except FileNotFoundError:
                original = ""
            self._reference = self.session_cls.reference(original) if original.strip() else None
            self._has_reference = self._reference is not None
        return self._reference

    def text(self) -> str:
        if self._text is None:
            if self._model is None:
                self._text = (self.dir / RUNNING).read_text(encoding="utf-8")
            else:
                self._text = self.session_cls.dump(self._model)
        return self._text

    def find(self, pattern: str) -> str | None:
        """The first group of ``pattern`` (multi-line) in the running config, cached until it changes."""
        if pattern not in self._found:
            m = re.search(pattern, self.text(), re.M)
            self._found[pattern] = m.group(1).strip() if m else None
        return self._found[pattern]

    def save(self, name: str) -> None:
        """Write the running configuration to ``name`` (``running-config`` or ``startup-config``)."""
        path = self.dir / name
        tmp = path.with_suffix(".tmp")
        tmp.write_text(self.text(), encoding="utf-8")
        os.replace(tmp, path)

    def startup_text(self) -> str:
        return (self.dir / STARTUP).read_text(encoding="utf-8")

    def reload(self, runtime: NodeRuntime) -> None:
        """Come back from a wipe or a replacement (``runtime`` says which): the factory default becomes the
        running and the startup configuration, and the uptime restarts."""
        self.runtime = runtime
        factory = (self.dir / FACTORY).read_text(encoding="utf-8")
        self._model, self._text, self._found = None, factory, {}
        self.save(RUNNING)
        self.save(STARTUP)
        self.booted = runtime.booted_at or time.time()

    # -- logins: a replaced node knows only its default account until its configuration defines the lab's
    def accepts_login(self, username: str, password: str) -> bool:
        rt = self.runtime
        lab = username == rt.username and password == rt.password
        if not rt.replaced:
            return lab
        if rt.bootstrap_username and username == rt.bootstrap_username and password == rt.bootstrap_password:
            return True
        return lab and self.session_cls.defines_login(self.text(), rt.username)

    def is_bootstrap_login(self, username: str | None) -> bool:
        rt = self.runtime
        return rt.replaced and bool(rt.bootstrap_username) and username == rt.bootstrap_username

    def enable_secret(self) -> str:
        """The secret ``enable`` asks for: the bootstrap password on a replaced node until its configuration
        has an enable secret, else the lab's."""
        rt = self.runtime
        if rt.replaced and not self.session_cls.defines_enable(self.text()):
            return rt.bootstrap_password
        return rt.enable_secret

    def uptime(self) -> int:
        return int(time.time() - self.booted)

    def serial(self, prefix: str) -> str:
        digest = hashlib.sha256(self.runtime.name.encode()).hexdigest().upper()
        return prefix + digest[:8]

    def mac(self, index: int = 0) -> str:
        return base_mac(self.runtime.name, index)


def base_mac(name: str, index: int = 0) -> str:
    """A node's base MAC address (12 hex digits), as ``show version`` and its neighbours show it."""
    digest = hashlib.sha256(name.encode()).digest()
    value = (int.from_bytes(digest[:4], "big") << 8) + index
    return f"00{value:010x}"[-12:]


def uptime_offset(name: str) -> int:
    """A stable, device-specific uptime before the lab started (1 to 60 days)."""
    return 86400 + int(hashlib.sha256(name.encode()).hexdigest()[:6], 16) % (59 * 86400)


def uptime_words(seconds: int) -> str:
    """IOS style: ``3 weeks, 2 days, 4 hours, 12 minutes``."""
    parts = []
    for unit, size in (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60)):
        count, seconds = divmod(seconds, size)
        if count or unit == "minute":
            parts.append(f"{count} {unit}{'s' if count != 1 else ''}")
    return ", ".join(parts)


class CliSession:
    """One CLI session on a simulated device; subclasses implement a platform."""

    more: ClassVar[str] = " --More-- "
    checks_ssh_login: ClassVar[bool] = True  # False: the login happens in-session (AireOS)

    def __init__(self, node: SimNode, login: str | None = None) -> None:
        self.node = node
        self.login = login  # who logged in over SSH (None: the device asks itself, or unknown)
        self.echo = True
        self.page_length = 0
        self.pending: Callable[[str], Reply] | None = None  # answers a question the device asked
        self.collect: Callable[[str], Reply] | None = None  # takes raw lines (a banner, a here-document)

    # -- what a platform provides -----------------------------------------
    @staticmethod
    def load(text: str) -> Any:
        raise NotImplementedError

    @staticmethod
    def dump(model: Any) -> str:
        raise NotImplementedError

    @classmethod
    def normalize(cls, text: str) -> str:
        """A startup configuration as this device prints it."""
        return cls.dump(cls.load(text))

    @classmethod
    def reference(cls, original: str) -> Any:
        """What :meth:`use_reference` gives a model: the order of ``original`` (None: no ordering help)."""
        return None

    @staticmethod
    def use_reference(model: Any, reference: Any) -> None:
        """Let ``model`` insert new lines where the device prints them (the order of ``reference``)."""

    @staticmethod
    def defines_login(config: str, username: str) -> bool:
        """Whether ``config`` lets the lab's account log in (a replaced node): a local user of that name, or
        a login that the device delegates to the campus AAA servers (the lab plays them: they know the lab's
        account)."""
        return True

    @staticmethod
    def defines_enable(config: str) -> bool:
        """Whether ``config`` sets the enable secret (else a replaced node keeps its default one)."""
        return True

    def greeting(self) -> str:
        """Text sent when the session opens, before the first prompt."""
        return ""

    @property
    def prompt(self) -> str:
        raise NotImplementedError

    def command(self, line: str) -> Reply:
        raise NotImplementedError

    # -- shared --------------------------------------------------------------
    def handle(self, line: str) -> Reply:
        if self.collect is not None:
            return self.collect(line.rstrip("\r"))
        if self.pending is not None:
            answer, self.pending = self.pending, None
            return answer(line.strip())
        return self.command(line.strip())

    def ask(self, question: str, then: Callable[[str], Reply]) -> Reply:
        """Print ``question`` instead of the prompt; the next line answers it."""
        self.pending = then
        return Reply(question)

    @property
    def current_prompt(self) -> str:
        if self.collect is not None:
            return self.continuation
        return "" if self.pending is not None else self.prompt

    continuation: str = ""  # the prompt while lines are collected


def pipe_filter(text: str, spec: str) -> str | None:
    """Apply an IOS-style ``| include/exclude/begin/section REGEX``; None if ``spec`` is invalid."""
    words = spec.split(None, 1)
    if len(words) != 2:
        return None
    verb, pattern = words
    verbs = ("include", "exclude", "begin", "section", "count")
    matches = [v for v in verbs if v.startswith(verb.lower())]
    if len(matches) != 1:
        return None
    try:
        rx = re.compile(pattern)
    except re.error:
        return None
    lines = text.split("\n")
    kind = matches[0]
    if kind == "include":
        kept = [ln for ln in lines if rx.search(ln)]
    elif kind == "exclude":
        kept = [ln for ln in lines if not rx.search(ln)]
    elif kind == "begin":
        start = next((i for i, ln in enumerate(lines) if rx.search(ln)), len(lines))
        kept = lines[start:]
    elif kind == "count":
        return f"Number of lines which match regexp = {sum(1 for ln in lines if rx.search(ln))}"
    else:
        kept, keep = [], False
        for ln in lines:
            if ln and not ln[0].isspace():
                keep = bool(rx.search(ln))
            elif ln and not keep and rx.search(ln):
                keep = True
            if keep and ln:
                kept.append(ln)
    return "\n".join(kept)


def split_pipe(line: str) -> tuple[str, str | None]:
    if "|" not in line:
        return line, None
    cmd, _, spec = line.partition("|")
    return cmd.strip(), spec.strip()


def match_words(typed: list[str], patterns: dict[str, Any]) -> tuple[Any, list[str]] | str:
    """Resolve abbreviated ``typed`` words against command ``patterns``.

    Pattern keys are space-separated words; ``<x>`` takes any one word and a
    final ``<...>`` the rest of the line (possibly nothing). Returns
    (value, arguments), or the error "ambiguous" or "invalid".
    """
    found = []
    for key, value in patterns.items():
        args = _match(key.split(), typed)
        if args is not None:
            found.append((key.split(), value, args))
    if not found:
        return "invalid"
    if len(found) > 1:
        # the pattern with the most literally typed words wins ("config paging disable" over "config <...>")
        scores = [sum(1 for w, t in zip(f[0], typed) if w.lower() == t.lower()) for f in found]
        best = max(scores)
        if scores.count(best) != 1:
            return "ambiguous"
        found = [found[scores.index(best)]]
    return found[0][1], found[0][2]


def _match(words: list[str], typed: list[str]) -> list[str] | None:
    args: list[str] = []
    for i, word in enumerate(words):
        if word == "<...>":
            return args + typed[i:]
        if i >= len(typed):
            return None
        if word.startswith("<"):
            args.append(typed[i])
        elif not word.lower().startswith(typed[i].lower()):
            return None
    return args if len(typed) == len(words) else None
