"""Aruba Instant AP CLI, for netmiko ``aruba_os``: the AOS 8 CLI with the IAP's ways.

The real IAP prompt style, ``host#`` and ``host (config) #``; changes are
staged until ``commit apply``, which also makes them persistent.
"""

from __future__ import annotations

import re

from labs.sim.aruba_os.cli import SECTION, ArubaOsSession, submode
from labs.sim.configtree import ConfigTree
from labs.sim.device import STARTUP, Reply


class InstantSession(ArubaOsSession):
    """A session on a standalone Aruba Instant AP (virtual controller)."""

    indent = 1
    user_mode = ()
    section = re.compile(SECTION.pattern[:-2] + r"|uplink|arm|ids)$")

    def __init__(self, node, login: str | None = None) -> None:
        super().__init__(node, login)
        self.privileged = True
        self.staged: ConfigTree | None = None
        self.commands |= {"commit apply": self._commit, "show version": self._show_version}

    @staticmethod
    def defines_login(config: str, username: str) -> bool:
        """A local ``mgmt-user``/``hash-mgmt-user <lab user>``, or management login through ``mgmt-auth-server``."""
        return bool(re.search(rf"^(hash-)?mgmt-user {re.escape(username)} ", config, re.M)
                    or re.search(r"^mgmt-auth-server \S", config, re.M))

    @property
    def tree(self) -> ConfigTree:
        return self.staged if self.staged is not None else self.node.model

    @property
    def hostname(self) -> str:
        return self.node.find(r'^(?:hostname|name) "?([^"\n]+)"?$') or self.node.runtime.name

    @property
    def prompt(self) -> str:
        if self.path is None:
            return f"{self.hostname}# "
        if not self.path:
            return f"{self.hostname} (config) # "
        return f"{self.hostname} ({submode(self.path[-1])}) # "

    def _show_run(self, args: list[str]) -> Reply:
        return Reply(self.node.text(), config=True)

    def _show_version(self, args: list[str]) -> Reply:
        model = self.node.runtime.labels.get("netops-model", "AP-515")
        return Reply(
            "Aruba Operating System Software.\n"
            f"ArubaOS (MODEL: {model}), Version 8.10.0.12\n"
            "Website: http://www.arubanetworks.com\n"
            f"AP uptime is {self.node.uptime() // 86400} days\n"
        )

    def _configure(self, args: list[str]) -> Reply:
        self.path = []
        return Reply('We now support CLI commit model, please type "commit apply" for configuration to take effect.')

    def changed(self, tree: ConfigTree) -> None:
        self.staged = tree

    def _config_line(self, line: str) -> Reply:
        if self.staged is None:
            self.staged = self.load(self.dump(self.node.model))
            self.staged.reference = self.node.model.reference
        return super()._config_line(line)

    def _commit(self, args: list[str]) -> Reply:
        if self.staged is not None:
            self.node.model, self.staged = self.staged, None
        self.node.save(STARTUP)
        return Reply("committing configuration...\nconfiguration committed.")

    _write = _commit
