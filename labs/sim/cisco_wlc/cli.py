"""Cisco AireOS controller CLI, as netmiko ``cisco_wlc_ssh`` sees it.

The device asks ``User:``/``Password:`` itself after the SSH login. The
configuration is the flat ``show run-config commands`` list (no leading
``config``); ``config ...`` commands edit it: ``config wlan create 5 A A`` adds
``wlan create 5 A A``, ``config wlan disable 5`` removes ``wlan enable 5``, other
``enable``/``disable`` settings replace each other (``port adminmode 2 disable``),
``config <x> delete NAME`` removes what ``<x> add``/``create NAME`` made (the
deletion of a default SNMP community or v3 user is printed, as the lab's
controllers print it). Like the controller, it refuses to change or delete an
enabled WLAN.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict

from labs.sim.cisco_wlc.config import read_config
from labs.sim.configtree import slot
from labs.sim.device import STARTUP, CliSession, Reply, match_words
from labs.sim.facts import DeviceFacts
from labs.sim.joins import colon_mac, joined_aps
from labs.sim.neighbors import AIREOS_VERSION, aireos_cdp_detail, neighbours, speaker

USAGE = "Incorrect usage.  Use the '?' or <TAB> key to list commands."
WLAN_ENABLED = "Request failed: WLAN {} is enabled. Disable the WLAN before changing it."
FREE_WHILE_ENABLED = ("create", "enable", "disable", "apgroup")  # the WLAN commands an enabled WLAN accepts


class WlcSession(CliSession):
    """A session on an AireOS controller."""

    more = "--More-- or (q)uit\n"
    checks_ssh_login = False

    def __init__(self, node, login: str | None = None) -> None:
        super().__init__(node, login)
        self.page_length = 20
        self.user = ""
        self.failures = 0
        self.commands: dict[str, Callable[[list[str]], Reply]] = {
            "config paging disable": self._paging_off, "config paging enable": self._paging_on,
            "config <...>": self._config, "show run-config commands": self._show_run,
            "show sysinfo": self._show_sysinfo, "show wlan summary": self._show_wlan_summary,
            "save config": self._save, "logout": self._logout, "exit": self._logout,
            "show cdp neighbors detail": self._show_cdp, "show inventory": self._show_inventory,
            "show ap summary": self._show_ap_summary,
        }

    @staticmethod
    def load(text: str) -> list[str]:
        return [ln.rstrip() for ln in text.splitlines() if ln.strip()]

    @staticmethod
    def dump(model: list[str]) -> str:
        return "\n".join(model) + "\n"

    @classmethod
    def reference(cls, original: str) -> Reference:
        return Reference(cls.load(original))

    @staticmethod
    def defines_login(config: str, username: str) -> bool:
        """A local ``mgmtuser add <lab user>``, or management login through TACACS+/RADIUS servers."""
        if re.search(rf"^mgmtuser add {re.escape(username)} ", config, re.M):
            return True
        return bool(re.search(r"^aaa auth mgmt .*\b(tacacs|radius)\b", config, re.M)
                    and re.search(r"^(tacacs|radius) auth add ", config, re.M))

    # -- login ---------------------------------------------------------------
    def greeting(self) -> str:
        self.pending = self._user
        return "\n(Cisco Controller)\nUser: "

    def _user(self, name: str) -> Reply:
        self.user = name
        self.echo = False
        return self.ask("Password:", self._password)

    def _password(self, password: str) -> Reply:
        self.echo = True
        if self.node.accepts_login(self.user, password):
            return Reply()
        self.failures += 1
        if self.failures >= 3:
            return Reply("Login incorrect.\n", close=True)
        self.pending = self._user
        return Reply("Login incorrect.\n\n(Cisco Controller)\nUser: ")

    @property
    def prompt(self) -> str:
        name = self.node.find(r"^sysname (.+)$") or "Cisco Controller"
        return f"({name}) >"

    # -- commands ------------------------------------------------------------
    def command(self, line: str) -> Reply:
        if not line:
            return Reply()
        found = match_words(line.split(), self.commands)
        if isinstance(found, str):
            return Reply(USAGE)
        handler, args = found
        return handler(args)

    def _paging_off(self, args: list[str]) -> Reply:
        self.page_length = 0
        return Reply()

    def _paging_on(self, args: list[str]) -> Reply:
        self.page_length = 20
        return Reply()

    def _show_run(self, args: list[str]) -> Reply:
        return Reply(self.node.text(), config=True)

    def _facts(self) -> DeviceFacts:
        return read_config(self.node.text())

    def _show_sysinfo(self, args: list[str]) -> Reply:
        """As AireOS 8.10 prints it (ntc-templates tests/cisco_wlc_ssh/show_sysinfo capture)."""
        rt = self.node.runtime
        facts = self._facts()
        name = self.prompt[1:-3]
        up = self.node.uptime()
        days, rest = divmod(up, 86400)
        address = self.node.find(r"^interface address management (\S+)") or "0.0.0.0"
        wlans = len(facts.ssids)
        return Reply(dots([
            ("Manufacturer's Name", "Cisco Systems Inc."), ("Product Name", "Cisco Controller"),
            ("Product Version", AIREOS_VERSION), ("RTOS Version", AIREOS_VERSION), ("Bootloader Version", "1.0.20"),
            ("Emergency Image Version", AIREOS_VERSION), "", ("OUI File Last Update Time", "Sun Sep 07 10:44:07 IST 2014"), "",
            ("Build Type", "DATA + WPS"), "", ("System Name", name), ("System Location", facts.location),
            ("System Contact", facts.contact), ("System ObjectID", "1.3.6.1.4.1.9.1.2170"), ("IP Address", address),
            ("IPv6 Address", "::"), ("Last Reset", "Software reset"),
            ("System Up Time", f"{days} days {rest // 3600} hrs {rest % 3600 // 60} mins {rest % 60} secs"),
            ("System Timezone Location", "(GMT +5:30) Colombo, New Delhi, Chennai, Kolkata"),
            ("System Stats Realtime Interval", "5"), ("System Stats Normal Interval", "180"), "",
            ("Configured Country", "IN  - India"), ("Operating Environment", "Commercial (10 to 35 C)"),
            ("Internal Temp Alarm Limits", "10 to 38 C"), ("Internal Temperature", "+22 C"),
            ("Fan Status", "OK"), "", ("RAID Volume Status", ""), ("Drive 0", "Good"), ("Drive 1", "Good"), "",
            ("State of 802.11b Network", "Enabled"), ("State of 802.11a Network", "Enabled"),
            ("Number of WLANs", str(wlans)), ("Number of Active Clients", "0"), "",
            ("OUI Classification Failure Count", "0"), "",
            ("Memory Current Usage", "33"), ("Memory Average Usage", "33"), ("CPU Current Usage", "0"),
            ("CPU Average Usage", "0"), "", ("Flash Type", "Compact Flash Card"), ("Flash Size", "1073741824"), "",
            ("Burned-in MAC Address", _upper_colon(self.node.mac())), ("Power Supply 1", "Present, OK"),
            ("Power Supply 2", "Present, OK"), ("Maximum number of APs supported", str(max_aps(rt.labels))),
            ("System Nas-Id", ""), ("WLC MIC Certificate Types", "SHA1/SHA2"), ("Licensing Type", "RTU"),
        ], ) + "\n")

    def _show_inventory(self, args: list[str]) -> Reply:
        """As AireOS prints it (ntc-templates tests/cisco_wlc_ssh/show_inventory captures)."""
        rt = self.node.runtime
        model = rt.labels.get("netops-model", "AIR-CT5520-K9")
        series = re.sub(r"^AIR-CT(\d)(\d)\d\d.*$", r"\1\g<2>00", model) if model.startswith("AIR-CT") else model
        if series == "5500" and "5520" in model:
            series = "5520"
        return Reply(dots([("Burned-in MAC Address", _upper_colon(self.node.mac())), ("Power Supply 1", "Present, OK"),
                           ("Power Supply 2", "Present, OK"), ("Maximum number of APs supported", str(max_aps(rt.labels)))])
                     + f'\nNAME: "Chassis"    , DESCR: "Cisco {series} Series Wireless LAN Controller"\n'
                       f"PID: {model},  VID: V01,  SN: {self.node.serial('FCH')}\n")

    def _show_ap_summary(self, args: list[str]) -> Reply:
        """The joined APs, as AireOS 8.10 prints them (ntc-templates tests/cisco_wlc_ssh/show_ap_summary capture)."""
        from labs.sim.cisco_wlc.snmp import SNMP

        aps = joined_aps(self.node, self._facts(), SNMP.ap_model)
        width = max([len(ap.location) for ap in aps] + [20])
        out = [dots([("Number of APs", str(len(aps))), "", ("Global AP User Name", "apadmin"),
                     ("Global AP Dot1x User Name", "Not Configured"), ("Global AP Dot1x EAP Method", "EAP-FAST"), ""]),
               f"{'AP Name':<32}Slots  {'AP Model':<22}{'Ethernet MAC':<19}{'Location':<{width + 2}}{'Country':<12}"
               f"{'IP Address':<17}Clients  DSE Location",
               f"{'-' * 30}  -----  {'-' * 20}  {'-' * 17}  {'-' * width}  {'-' * 10}  {'-' * 15}  -------  --------------"]
        for ap in aps:
            out.append(f"{ap.name:<32}{2:<7}{ap.model:<22}{colon_mac(ap.mac):<19}{ap.location:<{width + 2}}{'IN':<12}"
                       f"{ap.address:<17}{ap.clients:<9}[0 ,0 ,0 ]")
        return Reply("\n".join(out) + "\n")

    def _show_cdp(self, args: list[str]) -> Reply:
        me = speaker(asdict(self.node.runtime))
        return Reply(aireos_cdp_detail(neighbours(self.node, me, "cdp")))

    def _show_wlan_summary(self, args: list[str]) -> Reply:
        enabled = {ln.split()[2] for ln in self.node.model if ln.startswith("wlan enable ")}
        rows = ["WLAN ID  WLAN Profile Name / SSID               Status    Interface Name",
                "-------  -------------------------------------  --------  --------------------"]
        for ln in self.node.model:
            w = ln.split()
            if ln.startswith("wlan create ") and len(w) >= 5:
                iface = next((x.split()[3] for x in self.node.model if x.startswith(f"wlan interface {w[2]} ")), "management")
                rows.append(f"{w[2]:<8} {w[3] + ' / ' + w[4]:<38} {'Enabled' if w[2] in enabled else 'Disabled':<9} {iface}")
        return Reply(f"Number of WLANs.................................. {len(rows) - 2}\n\n" + "\n".join(rows) + "\n")

    def _config(self, args: list[str]) -> Reply:
        if not args:
            return Reply(USAGE)
        wid = _wlan_id(args)
        if wid is not None and args[1] not in FREE_WHILE_ENABLED and f"wlan enable {wid}" in self.node.model:
            return Reply(WLAN_ENABLED.format(wid))
        self.node.model = apply_config(self.node.model, args, self.node.reference)
        return Reply()

    def _save(self, args: list[str]) -> Reply:
        def answer(reply: str) -> Reply:
            if reply.lower().startswith("y"):
                self.node.save(STARTUP)
                return Reply("\n\nConfiguration Saved!")
            return Reply()

        return self.ask("Are you sure you want to save? (y/n) ", answer)

    def _logout(self, args: list[str]) -> Reply:
        if self.node.text() == self.node.startup_text():
            return Reply(close=True)

        def answer(reply: str) -> Reply:
            if reply.lower().startswith("y"):
                self.node.save(STARTUP)
                return Reply("Configuration Saved!", close=True)
            return Reply(close=True)

        return self.ask("The system has unsaved changes.\nWould you like to save them now? (y/N) ", answer)


def dots(items: list[tuple[str, str] | str]) -> str:
    """AireOS ``Name.......... value`` lines (the name padded with dots to column 49); a string is a line as is."""
    return "\n".join(item if isinstance(item, str) else f"{item[0]}{'.' * max(49 - len(item[0]), 3)} {item[1]}".rstrip()
                     for item in items)


def max_aps(labels: dict[str, str]) -> int:
    """APs the model supports (Cisco 3504/5520/8540 data sheets)."""
    model = labels.get("netops-model", "AIR-CT5520-K9")
    return 150 if "3504" in model else 6000 if "8540" in model else 1500


def _upper_colon(mac: str) -> str:
    return ":".join(mac[i:i + 2] for i in range(0, 12, 2)).upper()


# Per-WLAN commands whose WLAN id follows these words instead of ending the command
# (Cisco Wireless Controller Command Reference, AireOS 8.10: ``config wlan session-timeout
# {wlan-id | foreignAp} seconds``, ``config wlan interface {wlan-id | foreignAp} interface-name``,
# ``config wlan exclusionlist wlan-id timeout``, ``config wlan radio wlan-id band``, ``config wlan
# qos wlan-id level``, ``config wlan acl wlan-id name``, ``config wlan dhcp_server wlan-id ip``,
# ``config wlan chd wlan-id {enable | disable}``, ``config wlan flexconnect local-switching wlan-id
# {enable | disable}``, ``config wlan radius_server {auth | acct} {add | delete} wlan-id server-id``,
# ``config wlan mobility anchor {add | delete} wlan-id ip``). In every other per-WLAN command
# (``config wlan usertimeout seconds wlan-id``, ``config wlan security ... wlan-id``,
# ``config wlan enable wlan-id``) the id is the last word.
ID_AFTER: tuple[tuple[str, ...], ...] = (
    ("create",), ("delete",), ("session-timeout",), ("interface",), ("exclusionlist",), ("radio",), ("qos",),
    ("acl",), ("dhcp_server",), ("chd",), ("flexconnect", "local-switching"),
    ("radius_server", "auth", "add"), ("radius_server", "acct", "add"),
    ("radius_server", "auth", "delete"), ("radius_server", "acct", "delete"),
    ("mobility", "anchor", "add"), ("mobility", "anchor", "delete"),
)
# Per-WLAN lists: every ``add`` line is an entry, removed by the same command with ``delete``.
LISTS: tuple[tuple[str, ...], ...] = (("radius_server", "auth"), ("radius_server", "acct"), ("mobility", "anchor"))
# Settings whose value, just before the WLAN id, is more than one word.
VALUE_WORDS: dict[tuple[str, ...], int] = {("security", "wpa", "akm", "psk", "set-key"): 2}


# Deletions a controller prints (the lab's controllers show the default SNMP community and v3 user they dropped).
PRINTED_DELETIONS = (("snmp", "community"), ("snmp", "v3user"))


def apply_config(lines: list[str], words: list[str], reference: Reference | None = None) -> list[str]:
    """The configuration after ``config <words>``."""
    lines = list(lines)
    text = " ".join(words)
    if words[:2] == ["wlan", "delete"] and len(words) == 3:
        wid = _wlan_id(words)
        return [ln for ln in lines if not (ln.startswith("wlan ") and _wlan_id(ln.split()) == wid)]
    if _list_of(words):
        if words[3] == "delete":
            entry = " ".join(words[:3] + ["add"] + words[4:])
            return [ln for ln in lines if ln != entry]
        if text not in lines:
            _insert(lines, text, reference)
        return lines
    made = _made_by(words)
    if made is not None:  # config <x> delete NAME / <x> create NAME
        verb, kind, name = made
        lines = [ln for ln in lines if not _of_object(ln.split(), kind, name, verb)]
        if verb == "delete" and kind not in PRINTED_DELETIONS:
            return lines
        if text not in lines:
            _insert(lines, text, reference)
        return lines
    if "enable" in words or "disable" in words:
        on = " ".join("enable" if w == "disable" else w for w in words)
        off = " ".join("disable" if w == "enable" else w for w in words)
        admin = words[:2] in (["wlan", "enable"], ["wlan", "disable"])  # a WLAN's admin state: its enable line
        other = off if text == on else on
        if text in lines:
            return lines
        if other in lines and not (admin and text == off):
            lines[lines.index(other)] = text  # the setting changes in place
        elif other in lines:
            lines.remove(other)  # a disabled WLAN is the absence of its enable line
        elif not (admin and text == off):
            _insert(lines, text, reference)
        return lines
    key = _key(words)
    for i, ln in enumerate(lines):
        if key is not None and _key(ln.split()) == key:
            lines[i] = text
            return lines
    if text not in lines:
        _insert(lines, text, reference)
    return lines


def _made_by(words: list[str]) -> tuple[str, tuple[str, ...], str] | None:
    """(verb, object kind, name) of ``<kind> create|delete NAME`` and ``<kind> delete NAME`` commands."""
    for kind in (("snmp", "community"), ("snmp", "v3user"), ("mgmtuser",), ("interface",),
                 ("radius", "auth"), ("radius", "acct"), ("tacacs", "auth"), ("tacacs", "acct"), ("tacacs", "athr")):
        n = len(kind)
        if tuple(words[:n]) == kind and len(words) > n + 1 and words[n] in ("create", "delete"):
            if words[n] == "create" and kind in (("mgmtuser",), ("interface",)):
                return None  # interface create / mgmtuser add: plain lines
            if words[n] == "create" and len(words) != n + 2 and kind != ("snmp", "v3user"):
                return None
            return words[n], kind, words[n + 1]
    return None


def _of_object(words: list[str], kind: tuple[str, ...], name: str, verb: str) -> bool:
    """Whether a configuration line belongs to object ``name`` of ``kind`` (what deleting it removes)."""
    n = len(kind)
    if tuple(words[:n]) != kind or len(words) <= n + 1:
        return False
    if kind == ("snmp", "community"):
        return words[-1] == name and (verb == "delete" or words[n] == "delete")
    if kind == ("interface",):
        return verb == "delete" and name in words[n + 1 : n + 3]
    if words[n] in ("create", "delete", "add"):
        return words[n + 1] == name and (verb == "delete" or words[n] == "delete")
    return False


class Reference:
    """Where a controller prints each line, learnt from a configuration it printed (the node's original):
    a line's rank is the position of the same line, else of the line with the same setting."""

    def __init__(self, lines: list[str]) -> None:
        self.ranks: dict[str, int] = {}
        self.keys: dict[tuple[str, ...], int] = {}
        for i, line in enumerate(lines):
            self.ranks.setdefault(line, i)
            key = _key(line.split())
            if key is not None:
                self.keys.setdefault(key, i)
            flipped = _flip(line)
            if flipped is not None:
                self.keys.setdefault(("toggle", flipped), i)

    def rank(self, line: str) -> int | None:
        found = self.ranks.get(line)
        if found is None:
            key = _key(line.split())
            found = self.keys.get(key) if key is not None else None
        if found is None:
            flipped = _flip(line)
            found = self.ranks.get(flipped) if flipped is not None else None
        return found

    def index(self, lines: list[str], text: str) -> int | None:
        return slot(self.rank(text), [self.rank(line) for line in lines])


def _flip(line: str) -> str | None:
    words = line.split()
    if "enable" in words:
        return " ".join("disable" if w == "enable" else w for w in words)
    if "disable" in words:
        return " ".join("enable" if w == "disable" else w for w in words)
    return None


def _list_of(words: list[str]) -> bool:
    """Whether ``words`` add or delete an entry of a per-WLAN list."""
    return words[:1] == ["wlan"] and tuple(words[1:3]) in LISTS and words[3:4] in (["add"], ["delete"])


def _id_position(words: list[str]) -> int | None:
    """Where the WLAN id is in a per-WLAN command (None: not one)."""
    if words[:1] != ["wlan"] or len(words) < 3:
        return None
    for prefix in ID_AFTER:
        at = len(prefix) + 1
        if tuple(words[1:at]) == prefix:
            return at if len(words) > at and words[at].isdigit() else None
    return len(words) - 1 if words[-1].isdigit() else None


def _wlan_id(words: list[str]) -> int | None:
    at = _id_position(words)
    return None if at is None else int(words[at])


def _key(words: list[str]) -> tuple[str, ...] | None:
    """The words that identify a setting, without its value (None: not a setting)."""
    if len(words) < 2 or words[:2] == ["wlan", "create"] or words[:2] == ["interface", "create"] or _list_of(words):
        return None
    if words[0] == "ap" and len(words) >= 4 and words[1] in ("group-name", "location"):
        return ("ap", words[1], words[-1])  # per AP: config ap location <location> <ap-name>
    if words[:2] == ["snmp", "community"] and len(words) >= 4:
        return None if words[2] in ("create", "delete") else ("snmp", "community", words[2], words[-1])
    if words[:2] in (["snmp", "v3user"], ["mgmtuser", "add"]) and len(words) >= 3:
        return (*words[:2], words[2]) if words[:2] == ["mgmtuser", "add"] else None
    at = _id_position(words)
    if at is None:
        return tuple(words[:-1])
    if at < len(words) - 1:
        return tuple(words[: at + 1])  # the value follows the WLAN id
    values = next((n for prefix, n in VALUE_WORDS.items() if tuple(words[1 : len(prefix) + 1]) == prefix), 1)
    return tuple(words[: at - values]) + (words[at],)  # the value is just before the WLAN id


def _insert(lines: list[str], text: str, reference: Reference | None = None) -> None:
    """Insert where the controller prints it: as in ``reference``, else next to the lines of the same
    command (real output is grouped by command)."""
    index = reference.index(lines, text) if reference is not None else None
    if index is not None:
        lines.insert(index, text)
        return
    words = text.split()
    best, best_len = len(lines), 0
    for i, ln in enumerate(lines):
        lw = ln.split()
        n = 0
        while n < min(len(lw), len(words)) and lw[n] == words[n]:
            n += 1
        if n >= 2 and n >= best_len:
            best, best_len = i + 1, n
    wid = _wlan_id(words)
    if wid is not None and best_len:  # within its group, in WLAN id order
        while best > 0 and lines[best - 1].split()[:best_len] == words[:best_len] and (_wlan_id(lines[best - 1].split()) or 0) > wid:
            best -= 1
    lines.insert(best, text)
