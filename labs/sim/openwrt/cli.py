"""OpenWrt access point: a root shell with ``uci`` (netmiko ``linux``).

The configuration is the ``uci export`` text of every package. ``uci set`` /
``uci delete`` stage changes in the session (shown by ``uci export/show/get``,
not by ``cat /etc/config/...``) until ``uci commit``, which persists them.
``uci import PACKAGE`` and ``cat > /etc/config/PACKAGE`` replace a whole
package from a here-document (``<<'EOF'`` ... ``EOF``) and take effect at once,
as on the device.
"""

from __future__ import annotations

import json
import re
import secrets
import shlex
import time
from dataclasses import dataclass, field

from labs.sim.device import STARTUP, CliSession, Reply


@dataclass
class UciSection:
    type: str
    name: str | None
    options: list[tuple[str, str, str]] = field(default_factory=list)  # (kind "option"/"list", key, value)


# the OpenWrt release the lab's APs run (OpenWrt 23.05.5 release notes: r24106-10cc5fcd00; the GL-MT6000 is a
# mediatek/filogic target)
RELEASE, REVISION, TARGET, KERNEL = "23.05.5", "r24106-10cc5fcd00", "mediatek/filogic", "5.15.167"
Uci = dict[str, list[UciSection]]  # package name → sections
HEREDOC = re.compile(r"<<-?\s*['\"]?(\w+)['\"]?\s*$")


def board_name(model: str) -> str:
    """The board name OpenWrt gives a model (``GL.iNet GL-MT6000`` -> ``glinet,gl-mt6000``)."""
    vendor, _, product = model.partition(" ")
    return f"{re.sub(r'[^a-z0-9]', '', vendor.lower())},{product.lower()}" if product else model.lower()


def parse_uci(text: str) -> Uci:
    packages: Uci = {}
    current: list[UciSection] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        words = shlex.split(line)
        if words[0] == "package" and len(words) == 2:
            current = packages.setdefault(words[1], [])
        elif words[0] == "config" and len(words) >= 2:
            if current is None:
                current = packages.setdefault("wireless", [])
            current.append(UciSection(words[1], words[2] if len(words) > 2 else None))
        elif words[0] in ("option", "list") and len(words) >= 3 and current:
            current[-1].options.append((words[0], words[1], words[2]))
    return packages


def _package(uci: Uci, name: str) -> list[UciSection]:
    """The sections of package ``name``; a new package takes its place in the alphabetical order of
    /etc/config, which ``uci export`` follows."""
    if name not in uci:
        items = sorted([*uci.items(), (name, [])], key=lambda kv: kv[0])
        uci.clear()
        uci.update(items)
    return uci[name]


def render_package(sections: list[UciSection]) -> str:
    """Sections separated by blank lines, as in ``/etc/config/<package>``."""
    blocks = []
    for sec in sections:
        head = f"config {sec.type}" + (f" '{sec.name}'" if sec.name else "")
        blocks.append("\n".join([head] + [f"\t{kind} {key} '{value}'" for kind, key, value in sec.options]))
    return "\n\n".join(blocks) + "\n"


def render_uci(packages: Uci) -> str:
    return "\n".join(f"package {name}\n\n{render_package(secs)}" for name, secs in packages.items())


class OpenWrtSession(CliSession):
    """A root shell on an OpenWrt AP."""

    def __init__(self, node, login: str | None = None) -> None:
        super().__init__(node, login)
        self.staged: Uci | None = None

    @staticmethod
    def load(text: str) -> Uci:
        return parse_uci(text)

    @staticmethod
    def dump(model: Uci) -> str:
        return render_uci(model)

    @staticmethod
    def defines_login(config: str, username: str) -> bool:
        """OpenWrt keeps its accounts in /etc/passwd, outside UCI; the lab stands in rpcd's login list
        (``config login`` with ``option username '<lab user>'``) for "the configuration defines the user"."""
        for sec in parse_uci(config).get("rpcd", []):
            if sec.type == "login" and any(k == "username" and v == username for _, k, v in sec.options):
                return True
        return False

    @property
    def uci(self) -> Uci:
        return self.staged if self.staged is not None else self.node.model

    @property
    def hostname(self) -> str:
        for sec in self.node.model.get("system", []):
            for _, key, value in sec.options:
                if key == "hostname":
                    return value
        return self.node.runtime.name

    def greeting(self) -> str:
        return "\n\nBusyBox v1.36.1 (2024-09-23 12:34:46 UTC) built-in shell (ash)\n\n"

    @property
    def prompt(self) -> str:
        return f"root@{self.hostname}:~# "

    def command(self, line: str) -> Reply:
        if not line:
            return Reply()
        heredoc = HEREDOC.search(line)
        if heredoc:
            return self._heredoc(line[: heredoc.start()].strip(), heredoc.group(1))
        try:
            words = shlex.split(line)
        except ValueError:
            return Reply("-ash: syntax error: unterminated quoted string")
        cmd = words[0]
        if cmd == "uci":
            return self._uci(words[1:])
        if cmd == "cat" and len(words) == 2:
            return self._cat(words[1])
        if cmd in ("exit", "logout"):
            return Reply(close=True)
        if cmd == "hostname":
            return Reply(self.hostname)
        if cmd == "echo":
            return Reply(" ".join(words[1:]))
        if cmd == "uname":
            return Reply(f"Linux {self.hostname} 5.15.167 #0 SMP Mon Sep 23 12:34:46 2024 aarch64 GNU/Linux")
        if cmd == "ubus":
            return self._ubus(words[1:])
        if cmd in ("wifi", "reload_config", "true", "sync"):
            return Reply()
        return Reply(f"-ash: {cmd}: not found")

    def _ubus(self, args: list[str]) -> Reply:
        """``ubus call system board`` / ``ubus call system info``: JSON as ubus prints it (tab-indented)."""
        if args[:3] == ["call", "system", "board"]:
            model = self.node.runtime.labels.get("netops-model") or "GL.iNet GL-MT6000"
            board = {"kernel": KERNEL, "hostname": self.hostname, "system": "ARMv8 Processor rev 4", "model": model,
                     "board_name": board_name(model), "rootfs_type": "squashfs",
                     "release": {"distribution": "OpenWrt", "version": RELEASE, "revision": REVISION, "target": TARGET,
                                 "description": f"OpenWrt {RELEASE} {REVISION}"}}
            return Reply(json.dumps(board, indent="\t"))
        if args[:3] == ["call", "system", "info"]:
            info = {"localtime": int(time.time()), "uptime": self.node.uptime(), "load": [3616, 2400, 1056],
                    "memory": {"total": 1026764800, "free": 812761088, "shared": 1212416, "buffered": 0,
                               "available": 845996032, "cached": 59289600}}
            return Reply(json.dumps(info, indent="\t"))
        if args[:1] == ["call"]:
            return Reply("Command failed: Not found")
        return Reply("Usage: ubus [<options>] <command> [arguments...]")

    def _heredoc(self, command: str, delimiter: str) -> Reply:
        """Collect a here-document (``> `` prompts) up to ``delimiter``, then run ``command`` on it."""
        body: list[str] = []

        def take(raw: str) -> Reply:
            if raw.strip() != delimiter:
                body.append(raw)
                return Reply()
            self.collect = None
            return self._with_input(command, "\n".join(body) + "\n")

        self.collect = take
        self.continuation = "> "
        return Reply()

    def _with_input(self, command: str, text: str) -> Reply:
        try:
            words = shlex.split(command)
        except ValueError:
            return Reply("-ash: syntax error: unterminated quoted string")
        m = re.fullmatch(r"/etc/config/([\w-]+)", words[2]) if words[:2] == ["cat", ">"] and len(words) == 3 else None
        if words[:2] == ["uci", "import"] and len(words) <= 3:
            return self._import(words[2] if len(words) == 3 else None, text)
        if [w for w in words if w != "-q"][:2] == ["uci", "batch"]:
            return self._batch(text)
        if m:
            return self._import(m.group(1), text)
        if words[:1] == ["cat"] and len(words) == 1:
            return Reply(text.rstrip("\n"))
        return Reply(f"-ash: {words[0] if words else command}: not found")

    def _batch(self, text: str) -> Reply:
        """``uci batch``: one uci command per line (without ``uci``), as ``uci`` itself would run them; the
        first error ends the batch."""
        out: list[str] = []
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                words = shlex.split(line)
            except ValueError:
                return Reply("\n".join([*out, "uci: Parse error (unterminated quote)"]))
            reply = self._uci(words)
            if reply.text:
                out.append(reply.text)
                if reply.text.startswith("uci: "):
                    break
        return Reply("\n".join(out))

    def _import(self, package: str | None, text: str) -> Reply:
        """Replace packages with the imported text (``uci import`` commits at once)."""
        imported = parse_uci(text if package is None or text.lstrip().startswith("package ") else f"package {package}\n{text}")
        if package is not None:
            imported = {package: imported.get(package, [])}
        if not imported:
            return Reply("uci: Parse error (invalid command) at line 1, byte 0")
        model = dict(self.node.model)
        for name, sections in imported.items():
            _package(model, name)[:] = sections
        self.node.model = model
        self.staged = None
        self.node.save(STARTUP)
        return Reply()

    def _cat(self, path: str) -> Reply:
        if path == "/etc/openwrt_release":
            return Reply("\n".join(f"DISTRIB_{key}='{value}'" for key, value in (
                ("ID", "OpenWrt"), ("RELEASE", RELEASE), ("REVISION", REVISION), ("TARGET", TARGET),
                ("ARCH", "aarch64_cortex-a53"), ("DESCRIPTION", f"OpenWrt {RELEASE} {REVISION}"), ("TAINTS", ""))))
        m = re.fullmatch(r"/etc/config/([\w-]+)", path)
        if m and m.group(1) in self.node.model:
            return Reply(render_package(self.node.model[m.group(1)]).rstrip("\n"), config=True)
        return Reply(f"cat: can't open '{path}': No such file or directory")

    def _uci(self, args: list[str]) -> Reply:
        if not args:
            return Reply("Usage: uci [<options>] <command> [<arguments>]")
        verb, rest = args[0], args[1:]
        if verb == "export":
            packages = {k: v for k, v in self.uci.items() if not rest or k == rest[0]}
            if rest and not packages:
                return Reply("uci: Entry not found")
            return Reply(render_uci(packages).rstrip("\n"), config=True)
        if verb == "show":
            return Reply("\n".join(self._show(rest[0] if rest else "")))
        if verb == "get" and rest:
            value = self._get(rest[0])
            return Reply("uci: Entry not found" if value is None else value)
        if verb == "set" and rest and "=" in rest[0]:
            return self._set(*rest[0].split("=", 1))
        if verb == "add_list" and rest and "=" in rest[0]:
            return self._add_list(*rest[0].split("=", 1))
        if verb == "add" and len(rest) == 2:
            _package(self._stage(), rest[0]).append(UciSection(rest[1], None))
            return Reply("cfg" + secrets.token_hex(3))  # the new anonymous section's id
        if verb == "delete" and rest:
            return self._delete(rest[0])
        if verb == "commit":
            if self.staged is not None:
                self.node.model, self.staged = self.staged, None
            self.node.save(STARTUP)
            return Reply()
        if verb == "revert":
            self.staged = None
            return Reply()
        return Reply("Usage: uci [<options>] <command> [<arguments>]")

    def _stage(self) -> Uci:
        if self.staged is None:
            self.staged = parse_uci(render_uci(self.node.model))
        return self.staged

    def _find(self, uci: Uci, package: str, section: str) -> UciSection | None:
        secs = uci.get(package, [])
        m = re.fullmatch(r"@([\w-]+)\[(-?\d+)\]", section)
        if m:
            typed = [s for s in secs if s.type == m.group(1)]
            try:
                return typed[int(m.group(2))]
            except IndexError:
                return None
        return next((s for s in secs if s.name == section), None)

    def _show(self, prefix: str) -> list[str]:
        out: list[str] = []
        for package, secs in self.uci.items():
            counts: dict[str, int] = {}
            for sec in secs:
                index = counts.get(sec.type, 0)
                counts[sec.type] = index + 1
                name = sec.name or f"@{sec.type}[{index}]"
                lines = [f"{package}.{name}={sec.type}"]
                lines += [f"{package}.{name}.{key}='{value}'" for _, key, value in sec.options]
                out.extend(ln for ln in lines if ln.startswith(prefix))
        return out

    def _get(self, path: str) -> str | None:
        parts = path.split(".")
        if len(parts) < 2:
            return None
        sec = self._find(self.uci, parts[0], parts[1])
        if sec is None:
            return None
        if len(parts) == 2:
            return sec.type
        values = [v for _, k, v in sec.options if k == parts[2]]
        return " ".join(values) if values else None

    def _set(self, path: str, value: str) -> Reply:
        parts = path.split(".")
        uci = self._stage()
        if len(parts) == 2:
            if self._find(uci, parts[0], parts[1]) is None:
                _package(uci, parts[0]).append(UciSection(value, parts[1]))
            return Reply()
        if len(parts) != 3:
            return Reply("uci: Invalid argument")
        sec = self._find(uci, parts[0], parts[1])
        if sec is None:
            return Reply("uci: Invalid argument")
        option = ("option", parts[2], value)
        at = next((i for i, o in enumerate(sec.options) if o[1] == parts[2]), None)
        sec.options = [o for o in sec.options if o[1] != parts[2]]
        sec.options.insert(len(sec.options) if at is None else at, option)  # a changed option keeps its place
        return Reply()

    def _add_list(self, path: str, value: str) -> Reply:
        parts = path.split(".")
        sec = self._find(self._stage(), parts[0], parts[1]) if len(parts) == 3 else None
        if sec is None:
            return Reply("uci: Invalid argument")
        sec.options.append(("list", parts[2], value))
        return Reply()

    def _delete(self, path: str) -> Reply:
        parts = path.split(".")
        uci = self._stage()
        sec = self._find(uci, parts[0], parts[1]) if len(parts) >= 2 else None
        if sec is None:
            return Reply("uci: Entry not found")
        if len(parts) == 2:
            uci[parts[0]].remove(sec)
        else:
            sec.options = [o for o in sec.options if o[1] != parts[2]]
        return Reply()
