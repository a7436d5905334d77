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
from labs.sim.facts import vlan_list
from labs.sim.joins import colon_mac, joined_aps
from labs.sim.neighbors import AOS_VERSION

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
            "show inventory": self._show_inventory, "show ap database long": self._show_ap_database_long,
            "show vlan": self._show_vlan,
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
        """As an AOS 8 mobility controller prints it (``show version``, ArubaOS 8.x CLI Reference Guide). The lines
        netops reads (``ArubaOS (MODEL: ...), Version ...``, ``Switch uptime is ...``, ``Reboot Cause: ...``) follow
        the guide's example; the hardware lines are illustrative: no controller capture was found to check them."""
        model = model_name(self.node.runtime.labels.get("netops-model", "Aruba7210"))
        up = self.node.uptime()
        return Reply(
            "Aruba Operating System Software.\n"
            f"ArubaOS (MODEL: {model}), Version {AOS_VERSION}\n"
            "Website: http://www.arubanetworks.com\n"
            "(c) Copyright 2024 Hewlett Packard Enterprise Development LP.\n"
            f"Compiled on 2024-02-21 at 10:14:33 UTC (build {AOS_BUILD}) by jenkins\n\n"
            "ROM: System Bootstrap, Version CPBoot 1.2.6.0 (build 64163)\n"
            "Built: 2018-06-29 08:05:25\n\n"
            f"Switch uptime is {aruba_uptime(up)}\n"
            "Reboot Cause: User reboot (Intent:cause:register 78:86:50:2)\n"
            "Supervisor Card\n"
            "Processor (XLP432 Rev B2 (Secure Boot) , 1000 MHz) with 7843M bytes of memory.\n"
            "32K bytes of non-volatile configuration memory.\n"
            "7296M bytes of Supervisor Card system flash.\n"
        )

    def _show_inventory(self, args: list[str]) -> Reply:
        """As an AOS 8 controller prints it (ntc-templates tests/aruba_os/show_inventory capture, a 7210)."""
        n = self.node
        model = model_name(n.runtime.labels.get("netops-model", "Aruba7210"))
        mac = n.mac()
        last = f"{mac[:10]}{(int(mac[10:], 16) + 7) % 256:02x}"
        return Reply("\n".join([
            "", "Supervisor Card slot            : 0",
            f"System Serial#                  : {n.serial('CV')} (Date:08/25/22)",
            f"CPU Card Serial#                : {n.serial('CA')} (Date:08/25/22)",
            "CPU Card Assembly#              : 2010151H", "CPU Card Revision               : (Rev:11.00)",
            f"Interface Card Serial#          : {n.serial('AI')} (Date:08/25/22)",
            "Interface Card Assembly#        : 2010085E", "Interface Card Revision         : (Rev:04.00)",
            f"SC Model#                       : {model}-US",
            f"HW MAC Addr                     : {_colon(mac)} to {_colon(last)}",
            "CPLD Version                    : (Rev: 3.0)",
            "Power Supply 0                  : Present               : Yes",
            "                                : 12V OK                : Yes",
            "                                : Fan OK                : Yes",
            "Power Supply 1                  : Present               : No",
            "Fan  0                          : 9070 rpm (5.831 V),Speed Low",
            "Fan  1                          : 9112 rpm (5.921 V),Speed Low", "",
        ]))

    def _show_ap_database_long(self, args: list[str]) -> Reply:
        """The joined APs (ntc-templates tests/aruba_os/show_ap_database_long capture, AOS 8)."""
        from labs.sim.aruba_os.config import read_config
        from labs.sim.aruba_os.snmp import SNMP

        text = self.node.text()
        groups = re.findall(r'^ap-group "?([^"\n]+)"?$', text, re.M)
        aps = joined_aps(self.node, read_config(text), SNMP.ap_model, groups[0] if len(groups) == 1 else "default",
                         serial_prefix="CN")
        switch_ip = controller_address(text)
        standby = (re.search(r"^\s+bkup-lms-ip (\S+)", text, re.M) or [None, "0.0.0.0"])[1]
        out = ["", "AP Database", "-----------",
               f"{'Name':<20}{'Group':<12}{'AP Type':<9}{'IP Address':<15}{'Status':<19}{'Flags':<7}{'Switch IP':<16}"
               f"{'Standby IP':<17}{'Wired MAC Address':<19}{'Serial #':<12}Port  FQLN  Outer IP  User",
               f"{'----':<20}{'-----':<12}{'-------':<9}{'----------':<15}{'------':<19}{'-----':<7}{'---------':<16}"
               f"{'----------':<17}{'-----------------':<19}{'--------':<12}----  ----  --------  ----"]
        for ap in aps:
            status = f"Up {aruba_short_uptime(ap.uptime_s)}"
            out.append(f"{ap.name:<19} {ap.group:<11} {ap.model.removeprefix('AP-'):<8} {ap.address:<14} {status:<18} "
                       f"{'2':<6} {switch_ip:<15} {standby:<16} {colon_mac(ap.mac):<18} {ap.serial:<11} N/A   N/A   N/A       N/A")
        out += ["", f"Total APs:{len(aps)}", ""]
        return Reply("\n".join(out))

    def _show_vlan(self, args: list[str]) -> Reply:
        """VLANs with their member ports, the "VLAN CONFIGURATION" table of an AOS 8 controller's ``show vlan`` (ArubaOS
        8.x CLI Reference Guide; ntc-templates' aruba_os ``show vlan`` capture is ArubaOS-Switch's, another format).
        No controller capture was found with the search tool: the column layout is the guide's, the widths ours."""
        table = vlan_table(self.node.text())
        width = max([len(ports) for _, _, ports in table] + [20])
        out = ["", "VLAN CONFIGURATION", "------------------",
               f"VLAN  Description  {'Ports':<{width}} AAA Profile  Option-82",
               f"----  -----------  {'-----':<{width}} -----------  ---------"]
        for vlan, description, ports in table:
            out.append(f"{vlan:<5} {description[:12]:<12} {ports:<{width}} {'N/A':<12} Disabled")
        return Reply("\n".join(out) + "\n")

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


AOS_BUILD = "90188"


def model_name(label: str) -> str:
    """``Aruba7210`` for a ``netops-model`` of ``7210`` or ``Aruba7210``."""
    return label if label.startswith("Aruba") else f"Aruba{label}"


def aruba_uptime(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    return f"{days} days {rest // 3600} hours {rest % 3600 // 60} minutes {rest % 60} seconds"


def aruba_short_uptime(seconds: int) -> str:
    """``2d:17h:8m:4s`` (``show ap database`` Status)."""
    days, rest = divmod(seconds, 86400)
    return f"{days}d:{rest // 3600}h:{rest % 3600 // 60}m:{rest % 60}s"


def _colon(mac: str) -> str:
    return ":".join(mac[i:i + 2] for i in range(0, 12, 2))


def controller_address(text: str) -> str:
    """The address of the ``controller-ip vlan N`` interface."""
    vlan = re.search(r"^controller-ip vlan (\d+)", text, re.M)
    if vlan:
        found = re.search(rf"^interface vlan {vlan.group(1)}\n(?:[ \t]+.*\n)*?[ \t]+ip address (\S+)", text, re.M)
        if found:
            return found.group(1)
    return "0.0.0.0"


def vlan_table(text: str) -> list[tuple[int, str, str]]:
    """(VLAN, description, member ports) of an AOS 8 configuration: VLAN 1 and the ``vlan N`` sections; a port is a
    member of its access VLAN (1 by default) or of the VLANs its trunk allows (all by default) and its native VLAN."""
    vlans: dict[int, str] = {1: "Default"}
    current: int | None = None
    ports: dict[str, dict[str, object]] = {}
    port: dict[str, object] | None = None
    for raw in text.splitlines():
        words = raw.split()
        if not words:
            continue
        if raw[:1] not in (" ", "\t"):
            current, port = None, None
            if words[0] == "vlan" and len(words) == 2 and words[1].isdigit():
                current = int(words[1])
                vlans.setdefault(current, f"VLAN{current:04d}")
            elif words[:2] == ["interface", "gigabitethernet"] and len(words) == 3:
                port = ports.setdefault(f"GE{words[2]}", {"mode": "access", "access": 1, "native": 1, "allowed": None})
            continue
        if current is not None and words[0] == "description" and len(words) > 1:
            vlans[current] = " ".join(words[1:]).strip('"')
        elif port is not None:
            if words[:2] == ["switchport", "mode"] and len(words) == 3:
                port["mode"] = words[2]
            elif words[:3] == ["switchport", "access", "vlan"] and len(words) == 4 and words[3].isdigit():
                port["access"] = int(words[3])
            elif words[:4] == ["switchport", "trunk", "native", "vlan"] and len(words) == 5 and words[4].isdigit():
                port["native"] = int(words[4])
            elif words[:4] == ["switchport", "trunk", "allowed", "vlan"] and len(words) == 5:
                port["allowed"] = vlan_list(words[4])
    table = []
    for vlan in sorted(vlans):
        members = []
        for name, p in ports.items():
            allowed = p["allowed"]
            if p["mode"] == "trunk":
                member = (allowed is None or vlan in allowed) or p["native"] == vlan  # type: ignore[operator]
            else:
                member = p["access"] == vlan
            if member:
                members.append(name)
        table.append((vlan, vlans[vlan], port_ranges(members)))
    return table


def port_ranges(names: list[str]) -> str:
    """``GE0/0/1-0/0/3`` for consecutive ports of a module, as AOS 8 lists a VLAN's ports."""
    parsed = sorted(tuple(int(x) for x in n[2:].split("/")) for n in names)
    out: list[str] = []
    i = 0
    while i < len(parsed):
        j = i
        while j + 1 < len(parsed) and parsed[j + 1][:-1] == parsed[i][:-1] and parsed[j + 1][-1] == parsed[j][-1] + 1:
            j += 1
        first = "/".join(map(str, parsed[i]))
        out.append(f"GE{first}" if i == j else f"GE{first}-{'/'.join(map(str, parsed[j]))}")
        i = j + 1
    return " ".join(out)


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
