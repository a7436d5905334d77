"""Aruba Instant AP CLI, for netmiko ``aruba_os``: the AOS 8 CLI with the IAP's ways.

The real IAP prompt style, ``host#`` and ``host (config) #``; changes are
staged until ``commit apply``, which also makes them persistent.
"""

from __future__ import annotations

import re

from labs.sim.aruba_os.cli import AOS_BUILD, SECTION, ArubaOsSession, aruba_short_uptime, aruba_uptime, submode
from labs.sim.configtree import ConfigTree
from labs.sim.device import STARTUP, Reply
from labs.sim.joins import JoinedAp, joined_aps
from labs.sim.neighbors import AOS_VERSION


class InstantSession(ArubaOsSession):
    """A session on a standalone Aruba Instant AP (virtual controller)."""

    indent = 1
    user_mode = ()
    section = re.compile(SECTION.pattern[:-2] + r"|uplink|arm|ids)$")

    def __init__(self, node, login: str | None = None) -> None:
        super().__init__(node, login)
        self.privileged = True
        self.staged: ConfigTree | None = None
        self.commands |= {"commit apply": self._commit, "show version": self._show_version, "show aps": self._show_aps}

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
        """As an Instant AP prints it (Aruba Instant 8.x CLI Reference Guide, ``show version``: the MODEL/Version line
        and ``AP uptime is``); the other lines are illustrative."""
        model = self.node.runtime.labels.get("netops-model", "AP-515").removeprefix("AP-")
        return Reply(
            "Aruba Operating System Software.\n"
            f"ArubaOS (MODEL: {model}), Version {AOS_VERSION}\n"
            "Website: http://www.arubanetworks.com\n"
            "(c) Copyright 2024 Hewlett Packard Enterprise Development LP.\n"
            f"Compiled on 2024-02-21 at 10:14:33 UTC (build {AOS_BUILD}) by jenkins\n"
            "FIPS Mode :disabled\n\n"
            f"AP uptime is {aruba_uptime(self.node.uptime())}\n"
            "Reboot Time and Cause: Reboot caused by user\n"
        )

    def _show_aps(self, args: list[str]) -> Reply:
        """The cluster's APs: this virtual controller (marked ``*``) and any AP whose ``netops-controller`` label names
        it and that is joined (Aruba Instant 8.x CLI Reference Guide, ``show aps``: the count line, a fixed-width table
        with a dashed line under its header, the virtual controller's name marked ``*``). A subset of the columns; no
        capture was found with the search tool to check the widths."""
        from labs.sim.aruba_instant.snmp import SNMP
        from labs.sim.aruba_os.config import read_config

        n = self.node
        labels = n.runtime.labels
        me = JoinedAp(name=self.hostname, model=labels.get("netops-model", SNMP.default_model),
                      address=labels.get("netops-address") or (n.find(r"^virtual-controller-ip (\S+)") or "0.0.0.0"),
                      mac=bytes.fromhex(n.mac()), radio_mac=bytes.fromhex(n.mac(1)), serial=n.serial("CN"), location="",
                      group="", clients=0, uptime_s=n.uptime())
        aps = [me, *joined_aps(n, read_config(n.text()), SNMP.default_model, serial_prefix="CN")]
        out = ["", f"{len(aps)} Access Points", "-" * (len(str(len(aps))) + 14),
               f"{'Name':<22}{'IP Address':<15}{'Mode':<8}{'Spectrum':<10}{'Clients':<9}{'Type':<6}{'IPv6 Address':<14}"
               f"{'Mesh Role':<11}{'Zone':<6}{'Serial #':<12}{'Request Time':<14}{'Uptime':<14}",
               f"{'----':<22}{'----------':<15}{'----':<8}{'--------':<10}{'-------':<9}{'----':<6}{'------------':<14}"
               f"{'---------':<11}{'----':<6}{'--------':<12}{'------------':<14}{'------':<14}"]
        for i, ap in enumerate(aps):
            name = ap.name + ("*" if i == 0 else "")
            out.append(f"{name:<21} {ap.address:<14} {'access':<7} {'disable':<9} {ap.clients:<8} "
                       f"{ap.model.removeprefix('AP-'):<5} {'--':<13} {'Portal' if i == 0 else 'Point':<10} {'--':<5} "
                       f"{ap.serial:<11} {'0':<13} {aruba_short_uptime(ap.uptime_s)}")
        return Reply("\n".join(out) + "\n")

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
