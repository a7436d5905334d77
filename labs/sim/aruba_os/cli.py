"""Aruba AOS 8 mobility controller CLI, for netmiko ``aruba_os``.

``(host) >``, ``enable``, ``(host) #``, ``(host) (config) #`` and sub-mode
prompts such as ``(host) (SSID Profile "x") #``; ``write memory``. Aruba
Instant (:mod:`labs.sim.aruba_instant.cli`) is this CLI with its own prompts
and a commit model.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from labs.sim.configtree import ConfigTree, Reference
from labs.sim.device import STARTUP, CliSession, Reply, match_words, pipe_filter, split_pipe

INVALID = "% Parse error"
SECTION = re.compile(
    r"^(wlan \S+ \S.*|aaa (profile|authentication \S+|server-group|authentication-server \S+|rfc-3576-server) \S.*|"
    r"aaa authentication mgmt|ap allowlist|crypto isakmp policy \d+|"
    r"ap-group \S.*|ap-name \S.*|interface \S.*|vlan \d+|netdestination \S.*|ip access-list \S.*|user-role \S.*|"
    r"rf \S+ \S.*|ap system-profile \S.*|ids \S+ \S.*|wired-port-profile \S.*|wired-profile \S.*)$"
)
# commands of a profile or section that take one value (a new one replaces the old)
SINGLE_VALUED = (
    "essid", "opmode", "wpa-passphrase", "vlan", "aaa-profile", "ssid-profile", "description", "name",
    "ip address", "type", "max-clients", "dot1x-default-role", "initial-role", "rf-band", "forward-mode",
    "deny-inter-user-traffic", "enable", "disable", "hide-ssid", "native-vlan", "allowed-vlan", "switchport-mode",
    "speed", "duplex", "index", "host", "key", "timeout", "port", "acctport", "ip", "lms-ip", "ap-console-password",
    "bkup-passwords", "access-rule-name", "max-authentication-failures",
)
# global commands that take one value
GLOBAL_SINGLE_VALUED = (
    "hostname", "name", "clock timezone", "location", "syslocation", "syscontact", "ip default-gateway",
    "controller-ip", "ip domain-name", "virtual-controller-country", "virtual-controller-key", "virtual-controller-ip",
    "enable secret", "rf-band", "version",
)
CONFIG_MODE_EXEC = ("show", "write", "commit", "exit", "end", "encrypt", "no paging")
SUBMODE = {
    "wlan ssid-profile": 'SSID Profile "{}"', "wlan virtual-ap": 'Virtual AP profile "{}"',
    "aaa profile": 'AAA Profile "{}"', "ap-group": 'AP group "{}"', "interface": "config-if", "vlan": "config-vlan",
}


class ArubaOsSession(CliSession):
    """A session on an AOS 8 mobility controller."""

    more = "-- More --  (q) quit (u) pageup (/) search (n) repeat"

    def __init__(self, node, login: str | None = None) -> None:
        super().__init__(node, login)
        self.privileged = False
        self.path: list[str] | None = None
        self.page_length = 24
        self.commands: dict[str, Callable[[list[str]], Reply]] = {
            "enable": self._enable, "disable": self._disable, "no paging": self._no_paging,
            "show running-config": self._show_run, "show version": self._show_version,
            "show startup-config": self._show_start,
            "configure terminal": self._configure, "write memory": self._write,
            "copy running-config startup-config": self._write, "encrypt disable": lambda a: Reply(),
            "encrypt enable": lambda a: Reply(), "exit": self._exit, "logout": self._logout, "end": self._end,
        }

    user_mode: tuple[str, ...] = ("enable", "exit", "logout")
    indent = 3
    section = SECTION  # the commands that open a section

    @classmethod
    def load(cls, text: str) -> ConfigTree:
        lines = text.splitlines()
        while lines and (not lines[0].strip() or lines[0].startswith("Building Configuration")):
            lines.pop(0)
        return ConfigTree("\n".join(lines), indent=cls.indent, strip_end=False)

    @staticmethod
    def dump(model: ConfigTree) -> str:
        return model.render()

    @classmethod
    def reference(cls, original: str) -> Reference:
        return Reference(cls.load(original), SINGLE_VALUED + GLOBAL_SINGLE_VALUED)

    @staticmethod
    def use_reference(model: ConfigTree, reference: Reference | None) -> None:
        model.reference = reference

    @staticmethod
    def defines_login(config: str, username: str) -> bool:
        """A local ``mgmt-user <lab user>``, or management login through an enabled server group."""
        if re.search(rf"^(hash-)?mgmt-user {re.escape(username)} ", config, re.M):
            return True
        section = re.search(r"^aaa authentication mgmt\n((?:[ \t]+\S.*\n)+)", config, re.M)
        return bool(section and re.search(r"^\s+server-group ", section.group(1), re.M)
                    and re.search(r"^\s+enable$", section.group(1), re.M))

    @staticmethod
    def defines_enable(config: str) -> bool:
        return bool(re.search(r"^enable secret ", config, re.M))

    @property
    def tree(self) -> ConfigTree:
        """The configuration this session edits."""
        return self.node.model

    @property
    def hostname(self) -> str:
        return self.node.find(r'^hostname "?([^"\n]+)"?$') or self.node.runtime.name

    @property
    def prompt(self) -> str:
        host = f"({self.hostname}) "
        if self.path is None:
            return host + ("#" if self.privileged else ">")
        if not self.path:
            return host + "(config) #"
        return host + f"({submode(self.path[-1])}) #"

    def command(self, line: str) -> Reply:
        if not line or line.startswith("!"):
            return Reply()
        cmd, spec = split_pipe(line)
        if self.path is not None:
            commands = {k: v for k, v in self.commands.items() if k.startswith(CONFIG_MODE_EXEC)}
        elif self.privileged:
            commands = self.commands
        else:
            commands = {k: v for k, v in self.commands.items() if k in self.user_mode}
        found = match_words(cmd.split(), commands)
        if isinstance(found, str):
            if self.path is not None:
                return self._config_line(line)
            return Reply(INVALID)
        handler, args = found
        reply = handler(args)
        if spec is not None:
            filtered = pipe_filter(reply.text, spec)
            reply = Reply(INVALID if filtered is None else filtered)
        return reply

    # -- exec ---------------------------------------------------------------
    def _enable(self, args: list[str]) -> Reply:
        if self.privileged:
            return Reply()
        self.echo = False

        def check(secret: str) -> Reply:
            self.echo = True
            if secret == self.node.enable_secret():
                self.privileged = True
                return Reply()
            return Reply("Invalid password")

        return self.ask("Password:", check)

    def _disable(self, args: list[str]) -> Reply:
        self.privileged = False
        return Reply()

    def _no_paging(self, args: list[str]) -> Reply:
        self.page_length = 0
        return Reply()

    def _show_run(self, args: list[str]) -> Reply:
        return Reply("Building Configuration...\n" + self.node.text(), config=True)

    def _show_start(self, args: list[str]) -> Reply:
        return Reply(self.node.startup_text(), config=True)

    def _show_version(self, args: list[str]) -> Reply:
        model = self.node.runtime.labels.get("netops-model", "A7030")
        return Reply(
            "Aruba Operating System Software.\n"
            "ArubaOS (MODEL: Aruba7030-US), Version 8.10.0.12\n"
            "Website: http://www.arubanetworks.com\n"
            "Copyright (c) 2002-2024, Hewlett Packard Enterprise Development LP.\n"
            f"Switch uptime is {self.node.uptime() // 86400} days\n"
            f"Model: {model}\nSerial Number: {self.node.serial('CN')}\n"
        )

    def _configure(self, args: list[str]) -> Reply:
        self.path = []
        return Reply("Enter Configuration commands, one per line. End with CNTL/Z")

    def _write(self, args: list[str]) -> Reply:
        self.node.save(STARTUP)
        return Reply("Saving Configuration...\n\nConfiguration Saved.")

    def _exit(self, args: list[str]) -> Reply:
        if self.path is None:
            return Reply(close=True)
        self.path = self.path[:-1] if self.path else None
        return Reply()

    def _end(self, args: list[str]) -> Reply:
        self.path = None
        return Reply()

    def _logout(self, args: list[str]) -> Reply:
        return Reply(close=True)

    # -- configuration ------------------------------------------------------
    def _config_line(self, line: str) -> Reply:
        assert self.path is not None
        words = line.split()
        negated = words[0] == "no"
        body = " ".join(words[1:]) if negated else " ".join(words)
        if not body:
            return Reply(INVALID)
        tree = self.tree
        if self.path and self.section.match(body) and not tree.is_section(self.path, body) and not _child(self.path[0], body):
            self.path = []
        if negated:
            tree.negate(self.path, body)
        elif (not self.path and self.section.match(body)) or tree.is_section(self.path, body):
            tree.enter(self.path, body)
            section = tree.section(self.path, body)
            assert section is not None  # enter() made sure it exists
            self.path = self.path + [section.text]
        else:
            tree.set(self.path, body, _single_valued(self.path, body))
        self.changed(tree)
        return Reply()

    def changed(self, tree: ConfigTree) -> None:
        self.node.model = tree


def _single_valued(path: list[str], body: str) -> tuple[str, ...]:
    """The commands that take one value where ``body`` is typed (a user's ``mgmt-user NAME`` line is its own)."""
    if path:
        return SINGLE_VALUED
    words = body.split()
    if words[0] in ("mgmt-user", "hash-mgmt-user") and len(words) > 1:
        return (f"{words[0]} {words[1]}",)
    return GLOBAL_SINGLE_VALUED


def _child(section: str, body: str) -> bool:
    """Commands that look like a global section but belong to this section (a virtual AP's ``vlan``)."""
    return body.startswith("vlan ") and section.startswith(("wlan ", "wired-", "ap-group "))


def submode(header: str) -> str:
    """How the prompt names the sub-mode a section header opens."""
    for prefix in sorted(SUBMODE, key=len, reverse=True):
        if header.startswith(prefix + " ") or header == prefix:
            name = header[len(prefix):].strip().strip('"')
            return SUBMODE[prefix].format(name)
    return "config-submode"
