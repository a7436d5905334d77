"""Cisco IOS / IOS-XE CLI (Catalyst 9300/9200 switches, Catalyst 9800 controllers).

Accepted by netmiko ``cisco_ios``/``cisco_xe`` and napalm ``ios``: user and
privileged modes, ``enable`` with the secret, paging, abbreviations, output
filters, and a configuration mode that edits the running config as a tree.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import asdict

from labs.sim.cisco_xe import state
from labs.sim.configtree import ConfigTree, Line, Reference
from labs.sim.device import STARTUP, CliSession, Reply, match_words, pipe_filter, split_pipe, uptime_words
from labs.sim.joins import dotted_mac, joined_aps
from labs.sim.neighbors import ios_cdp_detail, ios_lldp_detail, ios_software, neighbours, speaker

INVALID = "% Invalid input detected at '^' marker."

# top-level commands that open a section (plus any line that already has children)
SECTION = re.compile(
    r"^(interface \S+|vlan \d[\d,-]*|wlan \S+ \d+ \S+|wlan \S+|line \S.*|router \S.*|ip(v6)? access-list \S.*|"
    r"policy-map \S.*|class-map \S.*|route-map \S.*|key chain \S+|ip dhcp pool \S+|vrf definition \S+|"
    r"crypto pki trustpoint \S+|crypto pki certificate chain \S+|crypto isakmp policy \d+|crypto ipsec profile \S+|"
    r"crypto ipsec transform-set \S.*|aaa group server \S.*|aaa server radius dynamic-author|"
    r"(radius|tacacs) server \S+|control-plane|archive|redundancy|transceiver type \S+|parameter-map \S.*|"
    r"ap profile \S+|ap [0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}|wireless (profile|tag) \S+ \S+|wireless cts-sxp profile \S+|"
    r"ip sla \d+|spanning-tree mst configuration|flow (record|exporter|monitor) \S+)$"
)
NESTED_SECTION = re.compile(r"^(class \S.*|address-family \S.*|vlan-name \S+|certificate \S.*)$")
# commands typed in a sub-mode that IOS applies at the top level
GLOBAL_ONLY = re.compile(
    r"^(hostname|ip (route|domain|name-server|default-gateway|ssh|http|routing|forward-protocol|scp|prefix-list|"
    r"dhcp (snooping$|snooping (vlan|information|database)|excluded-address|pool)|access-list)|ntp|logging|snmp-server|username|"
    r"enable (secret|password)|service|aaa|vtp|spanning-tree (mode|extend|loopguard|vlan|portfast (default|bpduguard))|"
    r"errdisable|clock|boot|version|banner|cdp run|lldp run|license|memory free|switch \d+ provision|diagnostic|"
    r"login (block-for|on-success|on-failure)|dot1x system-auth-control|platform|crypto|ap (dot11|country|profile|tag-source-priority)|"
    r"wireless (aaa|management|country|cts-sxp|profile|tag)|device-tracking|access-session)(\s|$)"
)
# commands IOS prints as "no ..." when they are off (they are on by default)
DEFAULT_ON = ("ip http server", "ip http secure-server", "platform punt-keepalive disable-kernel-core", "ip domain lookup",
              "service pad", "logging console", "ip dhcp snooping information option", "mop enabled", "mop sysid", "switchport")
SINGLE_VALUED = (
    "service timestamps debug", "service timestamps log", "description", "vlan", "switchport access vlan", "switchport trunk allowed vlan", "switchport trunk native vlan",
    "switchport mode", "switchport voice vlan", "ip address", "hostname", "name", "vlan", "ip default-gateway",
    "ip domain name", "ip domain-name", "snmp-server location", "snmp-server contact", "security wpa psk set-key",
    "speed", "duplex", "mtu", "session-timeout", "idle-timeout", "exec-timeout", "transport input", "channel-group",
    "enable secret", "clock timezone", "version", "logging buffered", "power inline",
)
# how IOS orders the lines of a section (prefixes; unlisted lines keep their place)
ORDER = (
    "description", "vlan", "switchport access vlan", "switchport trunk native vlan", "switchport trunk allowed vlan",
    "switchport mode", "switchport nonegotiate", "switchport voice vlan", "switchport port-security", "vrf forwarding",
    "ip address", "ip helper-address", "ip access-group", "security ft", "security wpa wpa2", "security wpa akm dot1x",
    "security wpa psk", "security wpa akm", "security wpa wpa3", "security pmf", "shutdown", "power inline",
    "spanning-tree", "channel-group",
)
SUBMODE = {
    "interface": "config-if", "vlan": "config-vlan", "wlan": "config-wlan", "line": "config-line",
    "router": "config-router", "wireless profile policy": "config-wireless-policy",
    "wireless tag policy": "config-policy-tag", "wireless tag site": "config-site-tag",
    "wireless tag rf": "config-rf-tag", "ip access-list standard": "config-std-nacl",
    "ip access-list extended": "config-ext-nacl", "policy-map": "config-pmap", "class-map": "config-cmap",
    "class": "config-pmap-c", "ip dhcp pool": "dhcp-config", "ap profile": "config-ap-profile",
}
INTERFACE_TYPES = (
    "GigabitEthernet", "TenGigabitEthernet", "FastEthernet", "FortyGigabitEthernet", "TwentyFiveGigE",
    "HundredGigE", "Vlan", "Port-channel", "Loopback", "Tunnel", "AppGigabitEthernet",
)
# first words (and their second words) that may be abbreviated in configuration mode
CONFIG_WORDS: dict[str, list[str]] = {
    "": ["interface", "description", "switchport", "shutdown", "hostname", "vlan", "name", "exit", "end",
         "ip", "no", "wlan", "wireless", "router", "line", "spanning-tree", "default", "do", "username",
         "snmp-server", "logging", "ntp", "service", "security"],
    "switchport": ["access", "mode", "trunk", "voice", "nonegotiate", "port-security"],
    "switchport access": ["vlan"],
    "switchport voice": ["vlan"],
    "switchport trunk": ["allowed", "native", "encapsulation"],
    "switchport trunk allowed": ["vlan"],
    "switchport trunk native": ["vlan"],
    "switchport mode": ["access", "trunk"],
    "ip": ["address", "route", "domain", "default-gateway", "helper-address", "access-list", "name-server"],
    "spanning-tree": ["portfast", "bpduguard", "mode"],
}
USER_MODE = {"enable", "exit", "logout", "quit", "terminal length <n>", "terminal width <n>", "show version", "show clock"}
class IosSession(CliSession):
    """A session on an IOS-XE device."""

    def __init__(self, node, login: str | None = None) -> None:
        super().__init__(node, login)
        # a replaced node's default account is a privilege-15 one, as the Day 0 wizard creates it
        self.privileged = node.runtime.labels.get("netops-login-privilege", "1") == "15" or node.is_bootstrap_login(login)
        self.path: list[str] | None = None  # None: exec mode; [] global config; [...] sub-modes
        self.page_length = 24
        self.exec_commands: dict[str, Callable[[list[str]], Reply]] = {
            "enable": self._enable, "disable": self._disable, "exit": self._logout, "logout": self._logout,
            "quit": self._logout, "terminal length <n>": self._length, "terminal width <n>": lambda a: Reply(),
            "terminal no monitor": lambda a: Reply(), "show running-config <...>": self._show_run,
            "show startup-config": self._show_start, "show version": self._show_version,
            "show hosts": self._show_hosts, "show ip interface brief": self._show_ip_int_brief,
            "show interfaces <...>": self._show_interfaces, "show clock": self._show_clock,
            "show vlan brief": self._show_vlan_brief, "configure terminal": self._configure,
            "show inventory": self._show_inventory, "show ap summary": self._show_ap_summary,
            "show spanning-tree root": lambda a: Reply(state.show_spanning_tree_root(self.node)),
            "show standby brief": lambda a: Reply(state.show_standby_brief(self.node)),
            "show vrrp brief": lambda a: Reply(state.show_vrrp_brief(self.node)),
            "show etherchannel summary": lambda a: Reply(state.show_etherchannel_summary(self.node)),
            "show cdp neighbors detail": self._show_cdp, "show lldp neighbors detail": self._show_lldp,
            "write memory": self._write, "write": self._write,
            "copy running-config startup-config": self._copy_run_start,
        }

    @staticmethod
    def load(text: str) -> ConfigTree:
        return ConfigTree(_strip_header(text), indent=1)

    @classmethod
    def normalize(cls, text: str) -> str:
        body = _strip_header(text).rstrip("\n")
        if body.rsplit("\n", 1)[-1].strip() != "end":
            return cls.dump(cls.load(text))
        return body + "\n"

    @staticmethod
    def dump(model: ConfigTree) -> str:
        model.has_end = True
        return model.render()

    @classmethod
    def reference(cls, original: str) -> Reference:
        return Reference(cls.load(original), SINGLE_VALUED)

    @staticmethod
    def use_reference(model: ConfigTree, reference: Reference | None) -> None:
        model.reference = reference

    @staticmethod
    def defines_login(config: str, username: str) -> bool:
        """A local ``username <lab user>``, or AAA login through a server group (the lab's AAA knows the lab user)."""
        if re.search(rf"^username {re.escape(username)}( |$)", config, re.M):
            return True
        groups = set(re.findall(r"^aaa group server (?:tacacs\+|radius) (\S+)$", config, re.M))
        login = re.search(r"^aaa authentication login default group (\S+)", config, re.M)
        return bool(re.search(r"^aaa new-model$", config, re.M) and login and login.group(1) in groups)

    @staticmethod
    def defines_enable(config: str) -> bool:
        return bool(re.search(r"^enable (secret|password) ", config, re.M))

    # -- prompt ---------------------------------------------------------------
    @property
    def hostname(self) -> str:
        return self.node.find(r"^hostname (\S+)") or self.node.runtime.name

    @property
    def prompt(self) -> str:
        if self.path is None:
            return f"{self.hostname}{'#' if self.privileged else '>'}"
        if not self.path:
            return f"{self.hostname}(config)#"
        return f"{self.hostname}({_submode(self.path[-1])})#"

    # -- dispatch ---------------------------------------------------------
    def command(self, line: str) -> Reply:
        if not line or line.startswith("!"):
            return Reply()
        if self.path is not None:
            return self._config_line(line)
        return self._exec(line)

    def _exec(self, line: str) -> Reply:
        cmd, spec = split_pipe(line)
        commands = self.exec_commands
        if not self.privileged:
            commands = {k: v for k, v in commands.items() if k in USER_MODE}
        found = match_words(cmd.split(), commands)
        if isinstance(found, str):
            return Reply(_error(found, cmd))
        handler, args = found
        reply = handler(args)
        if spec is not None:
            filtered = pipe_filter(reply.text, spec)
            if filtered is None:
                return Reply(INVALID)
            reply = Reply(filtered, config=False)
        return reply

    # -- exec commands --------------------------------------------------------
    def _enable(self, args: list[str]) -> Reply:
        if self.privileged:
            return Reply()
        self.echo = False
        tries = [0]

        def check(secret: str) -> Reply:
            if secret == self.node.enable_secret():
                self.echo, self.privileged = True, True
                return Reply()
            tries[0] += 1
            if tries[0] >= 3:
                self.echo = True
                return Reply("% Bad secrets\n")
            return self.ask("Password: ", check)

        return self.ask("Password: ", check)

    def _disable(self, args: list[str]) -> Reply:
        self.privileged = False
        return Reply()

    def _logout(self, args: list[str]) -> Reply:
        return Reply(close=True)

    def _length(self, args: list[str]) -> Reply:
        if not args[0].isdigit():
            return Reply(INVALID)
        self.page_length = int(args[0])
        return Reply()

    def _show_run(self, args: list[str]) -> Reply:
        if args:
            return self._show_run_section(args)
        body = self.node.text()
        return Reply(f"Building configuration...\n\nCurrent configuration : {len(body.encode())} bytes\n{body}", config=True)

    def _show_run_section(self, args: list[str]) -> Reply:
        if args[0].lower().startswith("int") and len(args) > 1:
            header = "interface " + expand_interface(" ".join(args[1:]))
            node = self.node.model.section([], header)
            if node is None:
                return Reply(INVALID)
            tree = ConfigTree("", indent=1)
            tree.lines = [node]
            body = tree.render()
            return Reply(f"Building configuration...\n\nCurrent configuration : {len(body.encode())} bytes\n!\n{body}end")
        return Reply(INVALID)

    def _show_start(self, args: list[str]) -> Reply:
        body = self.node.startup_text()
        return Reply(f"Using {len(body.encode())} out of 2097152 bytes\n{body}", config=True)

    def _show_version(self, args: list[str]) -> Reply:
        """As a Catalyst 9300/9200 (stack table, other members' blocks: ``netops-stack`` label) or a 9800 prints it
        (ntc-templates' tests/cisco_ios/show_version captures; the base MAC in colon notation)."""
        n = self.node
        model = n.runtime.labels.get("netops-model") or "C9300-48P"
        c9800 = model.upper().startswith("C9800")
        serial = n.serial("FCW" if c9800 else "FOC")
        reason = "Reload Command" if not (n.runtime.wiped or n.runtime.replaced) else "Power Failure"
        lines = [
            "Cisco IOS XE Software, Version 17.09.04a", ios_software(model), "", "",
            "Cisco IOS-XE software, Copyright (c) 2005-2023 by cisco Systems, Inc.",
            "All rights reserved.  Certain components of Cisco IOS-XE software are",
            'licensed under the GNU General Public License ("GPL") Version 2.0.', "", "",
            "ROM: IOS-XE ROMMON", "BOOTLDR: System Bootstrap, Version 17.9.1r, RELEASE SOFTWARE (P)" if not c9800 else "", "",
            f"{self.hostname} uptime is {uptime_words(n.uptime())}",
            f"Uptime for this control processor is {uptime_words(n.uptime())}",
            f"System returned to ROM by {reason}", 'System image file is "flash:packages.conf"',
            f"Last reload reason: {reason}", "",
            f"cisco {model} ({'KATAR' if c9800 else 'X86'}) processor with 1419933K/6147K bytes of memory.",
            f"Processor board ID {serial}", "2048K bytes of non-volatile configuration memory.",
            "8388608K bytes of physical memory.", "",
        ]
        if not c9800:
            lines += [f"Base Ethernet MAC Address          : {_colon(n.mac())}",
                      f"Model Number                       : {model}",
                      f"System Serial Number               : {serial}"]
            lines += state.version_tail(n, self.hostname, model)
        lines += ["", "", "Configuration register is 0x102", ""]
        return Reply("\n".join(lines))

    def _show_inventory(self, args: list[str]) -> Reply:
        return Reply(state.show_inventory(self.node))

    def _show_ap_summary(self, args: list[str]) -> Reply:
        """A 9800's joined APs (17.9.4+ layout: CC/RD columns; ntc-templates cisco_ios_show_ap_summary2.raw); a
        switch has no such command."""
        model = self.node.runtime.labels.get("netops-model", "")
        if not model.upper().startswith("C9800"):
            return Reply(INVALID)
        from labs.sim.cisco_xe.config import read_config
        from labs.sim.cisco_xe.snmp import SNMP

        aps = joined_aps(self.node, read_config(self.node.text()), SNMP.ap_model or "C9120AXI-D")
        out = [f"Number of APs: {len(aps)}", "", "CC = Country Code", "RD = Regulatory Domain", "",
               f"{'AP Name':<32} Slots AP Model             Ethernet MAC   Radio MAC      CC   RD   {'IP Address':<41} State        Location",
               "-" * 165]
        for ap in aps:
            out.append(f"{ap.name:<32} {2:<5} {ap.model:<20} {dotted_mac(ap.mac)} {dotted_mac(ap.radio_mac)} IN   -D   "
                       f"{ap.address:<41} {'Registered':<12} {ap.location}")
        return Reply("\n".join(out) + "\n")

    def _show_cdp(self, args: list[str]) -> Reply:
        me = speaker(asdict(self.node.runtime))
        if not me.cdp:
            return Reply("% CDP is not enabled")
        return Reply(ios_cdp_detail(neighbours(self.node, me, "cdp")))

    def _show_lldp(self, args: list[str]) -> Reply:
        me = speaker(asdict(self.node.runtime))
        if not me.lldp:
            return Reply("% LLDP is not enabled")
        return Reply(ios_lldp_detail(neighbours(self.node, me, "lldp")))

    def _show_hosts(self, args: list[str]) -> Reply:
        domain = "not set"
        for ln in self.node.model.lines:
            m = re.match(r"ip domain[ -]name (\S+)", ln.text)
            if m:
                domain = m.group(1)
        return Reply(
            f"Default domain is {domain}\nName/address lookup uses domain service\nName servers are 255.255.255.255\n\n"
            "Codes: UN - unknown, EX - expired, OK - OK, ?? - revalidate\n"
            "       temp - temporary, perm - permanent\n       NA - Not Applicable None - Not defined\n\n"
            "Host                      Port  Flags      Age Type   Address(es)\n"
        )

    def _interfaces(self) -> list[tuple[str, list[str]]]:
        return [(ln.text.split(None, 1)[1], [c.text for c in ln.children])
                for ln in self.node.model.lines if ln.text.startswith("interface ")]

    def _show_ip_int_brief(self, args: list[str]) -> Reply:
        rows = ["Interface              IP-Address      OK? Method Status                Protocol"]
        for name, lines in self._interfaces():
            ip = next((ln.split()[2] for ln in lines if ln.startswith("ip address ") and len(ln.split()) > 3), "unassigned")
            status, proto = ("administratively down", "down") if "shutdown" in lines else ("up", "up")
            rows.append(f"{name:<22} {ip:<15} YES {'NVRAM' if ip != 'unassigned' else 'unset':<6} {status:<21} {proto}")
        return Reply("\n".join(rows) + "\n")

    def _show_interfaces(self, args: list[str]) -> Reply:
        if args and args[0].lower().startswith("tr") and "trunk".startswith(args[0].lower()) and len(args) == 1:
            return Reply(state.show_interfaces_trunk(self.node))
        text = state.show_interfaces(self.node, expand_interface(" ".join(args)) if args else None)
        return Reply(INVALID if text is None else text)

    def _show_clock(self, args: list[str]) -> Reply:
        return Reply(time.strftime("*%H:%M:%S.000 UTC %a %b %d %Y", time.gmtime()) + "\n")

    def _show_vlan_brief(self, args: list[str]) -> Reply:
        return Reply(state.show_vlan_brief(self.node))

    def _configure(self, args: list[str]) -> Reply:
        self.path = []
        return Reply("Enter configuration commands, one per line.  End with CNTL/Z.")

    def _write(self, args: list[str]) -> Reply:
        self.node.save(STARTUP)
        return Reply("Building configuration...\n[OK]")

    def _copy_run_start(self, args: list[str]) -> Reply:
        def answer(reply: str) -> Reply:
            if reply not in ("", "startup-config"):
                return Reply("%Error opening " + reply + " (Invalid argument)")
            return self._write([])

        return self.ask("Destination filename [startup-config]? ", answer)

    # -- configuration mode ------------------------------------------------
    def _config_line(self, line: str) -> Reply:
        assert self.path is not None
        if line.lower() in ("end", "\x1a"):
            self.path = None
            return Reply()
        if line.lower() == "exit":
            self.path = self.path[:-1] if self.path else None
            return Reply()
        if line.split()[0].lower() == "do":
            return self._exec(line.split(None, 1)[1] if " " in line else "")
        text = expand_config(line)
        words = text.split()
        negated = words[0] in ("no", "default")
        body = " ".join(words[1:]) if negated else text
        if not body:
            return Reply(INVALID)
        tree = self.node.model
        if self.path and (SECTION.match(body) or GLOBAL_ONLY.match(body)) and not self._belongs_here(body):
            self.path = []
        if not negated and (m := BANNER.match(body)):
            if body.count(m.group(2)) > 1:  # the whole banner on one line
                _set_banner(tree, body, [])
                self.node.model = tree
                return Reply()
            return self._banner(m.group(1), m.group(2))
        if words[0] == "default":
            _reset(tree, self.path, body)
        elif negated:
            prints = self._prints_negation(body)
            tree.negate(self.path, body, ORDER, keep=prints or self._keeps_negation())
            if prints:
                tree.set(self.path, f"no {body}", order=ORDER)
        elif body.startswith("switchport trunk allowed vlan ") and words[4:5] and words[4] in ("add", "remove"):
            tree.set(self.path, _edit_vlan_list(tree.children(self.path), words[4], words[5:]), SINGLE_VALUED, ORDER)
        elif body == "exit-address-family" and self.path and self.path[-1].startswith("address-family "):
            self.path = self.path[:-1]  # printed after the address family it closes, which printed it already
        elif self._opens_section(body):
            if self.path and NESTED_SECTION.match(body) and NESTED_SECTION.match(self.path[-1]):
                self.path = self.path[:-1]  # a sibling of the nested section we are in
            new = tree.section(self.path, body) is None
            tree.enter(self.path, body, sort_key=sort_key)
            if new and self.path and body.startswith("address-family "):
                _frame_address_family(tree.children(self.path), body)
            self.path = self.path + [_canonical(tree, self.path, body)]
            if body.startswith("certificate ") and self.path[0].startswith("crypto pki certificate chain "):
                self._certificate(tree)
        else:
            if self.path and self.path[0].startswith(("ip access-list ", "ipv6 access-list ")):
                body = _acl_entry(body)
            tree.set(self.path, body, SINGLE_VALUED, ORDER)
            if body == "aaa new-model" and not self.path:
                _drop_line_login(tree)  # AAA takes over the lines' logins

        self.node.model = tree  # mirrors the running config to its file
        return Reply()

    def _prints_negation(self, body: str) -> bool:
        """Whether the device keeps ``no <body>`` in its configuration: a command that is on by default,
        or a negation the device's own configuration prints."""
        if " ".join(body.split()) in DEFAULT_ON:
            return True
        reference = self.node.reference
        if reference is None:
            return False
        where = tuple(" ".join(h.split()) for h in self.path or [])
        return f"no {' '.join(body.split())}" in reference.ranks.get(where, {})

    def _keeps_negation(self) -> bool:
        """Where a negation with nothing to remove stays: in a WLAN or a wireless profile (``no shutdown``), and
        wherever the simulator cannot tell (no reference)."""
        return self.node.reference is None or bool(self.path and self.path[0].startswith(("wlan ", "wireless ")))

    def _banner(self, kind: str, delimiter: str) -> Reply:
        """``banner <kind> <delimiter>``: the text lines up to the delimiter, kept as typed."""
        assert self.path is not None
        header = f"banner {kind} {delimiter}"
        typed: list[str] = []

        def take(raw: str) -> Reply:
            typed.append(raw)
            if delimiter in raw:
                self.collect = None
                _set_banner(self.node.model, header, typed)
                self.node.model = self.node.model
            return Reply()

        self.collect = take
        self.continuation = ""
        return Reply(f"Enter TEXT message.  End with the character '{delimiter[0]}'.")

    def _certificate(self, tree: ConfigTree) -> None:
        """``certificate ...`` in a certificate chain: hexadecimal lines up to ``quit``, as IOS prints them."""
        assert self.path
        section = tree.section(self.path[:-1], self.path[-1])
        assert section is not None
        section.children.clear()

        def take(raw: str) -> Reply:
            text = " ".join(raw.split())
            if text == "quit":
                section.children.append(Line("quit", indent="  \t"))
                self.collect = None
                assert self.path
                self.path = self.path[:-1]
            elif text:
                section.children.append(Line(text, indent="  "))
            self.node.model = tree
            return Reply()

        self.collect = take
        self.continuation = ""

    def _opens_section(self, body: str) -> bool:
        if not self.path and SECTION.match(body):
            return True
        if self.path and NESTED_SECTION.match(body):
            return True
        return self.node.model.is_section(self.path, body)

    def _belongs_here(self, body: str) -> bool:
        """A command of the current section that looks like a global one (a policy profile's ``vlan``)."""
        if self.node.model.is_section(self.path, body) or NESTED_SECTION.match(body):
            return True
        assert self.path  # only asked in a sub-mode
        return body.startswith("vlan ") and self.path[0].startswith("wireless profile policy ")


BANNER = re.compile(r"^banner (exec|login|motd|incoming|prompt-timeout|slip-ppp) (\^C|\S)")


def _set_banner(tree: ConfigTree, header: str, typed: list[str]) -> None:
    """Put a banner (its header line, then its text lines as typed, the last one holding the delimiter)
    where the device prints it, replacing a banner of the same kind."""
    kind = header.split()[1]
    lines = tree.lines
    start = next((i for i, ln in enumerate(lines) if ln.text.split()[:2] == ["banner", kind]), None)
    if start is not None:
        delimiter = lines[start].text.split()[2]
        end = start + 1
        while end < len(lines) and delimiter not in lines[end].text:
            end += 1
        del lines[start : end + 1]
    index = tree.reference.index([], lines, header) if tree.reference else None
    if index is None:
        index = start if start is not None else next((i for i, ln in enumerate(lines) if ln.text.startswith("line ")), len(lines))
    lines[index:index] = [Line(header, indent="")] + [Line(t, indent="") for t in typed]


def _frame_address_family(lines: list[Line], header: str) -> None:
    """IOS prints an address family of a VRF or a routing process between `` !`` and ``exit-address-family``."""
    index = next(i for i, ln in enumerate(lines) if " ".join(ln.text.split()) == " ".join(header.split()))
    if index + 1 >= len(lines) or lines[index + 1].text != "exit-address-family":
        lines.insert(index + 1, Line("exit-address-family"))
    if index == 0 or lines[index - 1].text != "!":
        lines.insert(index, Line("!"))


def _acl_entry(text: str) -> str:
    """An access-list entry as IOS prints it: ``deny`` padded to the width of ``permit``."""
    return re.sub(r"^((?:\d+ )?)deny\s+", r"\1deny   ", text)


def _drop_line_login(tree: ConfigTree) -> None:
    for line in tree.lines:
        if line.text.startswith("line "):
            line.children[:] = [c for c in line.children if c.text != "login"]


def _reset(tree: ConfigTree, path: list[str], body: str) -> None:
    """``default X``: a section loses its settings (``default interface``), a command its line."""
    section = tree.section(path, body)
    if section is not None:
        section.children.clear()
    else:
        lines = tree.children(path)
        lines[:] = [ln for ln in lines if ln.text.split()[: len(body.split())] != body.split()]


def sort_key(header: str) -> tuple[str, tuple[int, ...]] | None:
    """VLANs sort by number, interfaces by type then numbers, WLANs by id."""
    m = re.fullmatch(r"vlan (\d+)", header)
    if m:
        return "vlan", (int(m.group(1)),)
    m = re.fullmatch(r"interface ([A-Za-z-]+)([\d/.:]+)", header)
    if m:
        return "interface " + m.group(1), tuple(int(n) for n in re.findall(r"\d+", m.group(2)))
    m = re.fullmatch(r"wlan \S+ (\d+) \S+", header)
    if m:
        return "wlan", (int(m.group(1)),)
    return None


def _canonical(tree: ConfigTree, path: list[str], header: str) -> str:
    node = tree.section(path, header)
    return node.text if node else header


def _submode(header: str) -> str:
    for prefix in sorted(SUBMODE, key=len, reverse=True):
        if header == prefix or header.startswith(prefix + " "):
            return SUBMODE[prefix]
    return "config-" + header.split()[0]


def _strip_header(text: str) -> str:
    """Drop "Building configuration..." and "Current configuration : N bytes" before the config."""
    lines = text.splitlines()
    start = 0
    while start < len(lines) and (not lines[start].strip() or _is_header_noise(lines[start])):
        start += 1
    return "\n".join(lines[start:]) + "\n"


def _is_header_noise(line: str) -> bool:
    return line.startswith(("Building configuration", "Current configuration :", "Using ")) and not line.startswith(" ")


def _error(kind: str, cmd: str) -> str:
    if kind == "ambiguous":
        return f'% Ambiguous command:  "{cmd}"'
    return INVALID


def _colon(mac: str) -> str:
    return ":".join(mac[i:i + 2] for i in range(0, 12, 2))


def expand_interface(name: str) -> str:
    """``gi1/0/1`` → ``GigabitEthernet1/0/1``; unknown names are returned unchanged."""
    m = re.match(r"^\s*([A-Za-z-]+)\s*(\d.*)$", name)
    if not m:
        return name.strip()
    typed, rest = m.group(1).lower(), m.group(2).strip()
    for full in INTERFACE_TYPES:
        if full.lower().startswith(typed):
            return full + rest
    return name.strip()


def expand_config(line: str) -> str:
    """Expand abbreviated configuration keywords and interface names."""
    words = line.split()
    out: list[str] = []
    negated = False
    for i, word in enumerate(words):
        if i == 0 and word.lower() == "switch" and words[1:2] and words[1].isdigit():
            return line.strip()  # switch N provision ...: not an abbreviated switchport
        key = " ".join(out[1:] if negated else out)
        choices = CONFIG_WORDS.get(key, []) if (i < 4) else []
        full = [c for c in choices if c.startswith(word.lower())]
        if word.lower() in choices:
            full = [word.lower()]
        out.append(full[0] if len(full) == 1 else word)
        if i == 0 and out[0] == "no":
            negated = True
    text = " ".join(out) if out != words else line.strip()  # as typed when nothing was abbreviated
    m = re.match(r"^((?:no|default) )?interface (.+)$", text)
    if m:
        text = f"{m.group(1) or ''}interface {expand_interface(m.group(2))}"
    return text


def _vlans(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        if "-" in part:
            lo, hi = part.split("-", 1)
            out.extend(range(int(lo), int(hi) + 1))
        elif part.strip().isdigit():
            out.append(int(part))
    return out


def _compress(vlans: list[int]) -> str:
    vlans = sorted(set(vlans))
    parts, i = [], 0
    while i < len(vlans):
        j = i
        while j + 1 < len(vlans) and vlans[j + 1] == vlans[j] + 1:
            j += 1
        parts.append(str(vlans[i]) if j == i else (f"{vlans[i]},{vlans[j]}" if j == i + 1 else f"{vlans[i]}-{vlans[j]}"))
        i = j + 1
    return ",".join(parts)


def _edit_vlan_list(lines, verb: str, args: list[str]) -> str:
    current = next((ln.text.split()[4] for ln in lines if ln.text.startswith("switchport trunk allowed vlan ")), "1-4094")
    have = _vlans(current)
    change = _vlans("".join(args))
    result = have + change if verb == "add" else [v for v in have if v not in change]
    return f"switchport trunk allowed vlan {_compress(result)}"
