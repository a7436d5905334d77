"""What probes compare packets against: the inventory's authorised DHCP servers
and BSSIDs, the secretariat's SSIDs (latest backups and policy), the policy's zones."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from netops.inventory import hosts as inv
from netops.inventory import open_nornir
from netops.policy.configs import find_configs, parse_texts, read_files
from netops.policy.hosts import load_hosts
from netops.policy.policy import Policy
from netops.settings import Settings


@dataclass
class InventoryFacts:
    dhcp_servers: dict[str, dict[int, list[str]]] = field(default_factory=dict)  # site -> VLAN -> authorised servers
    bssids: dict[str, str] = field(default_factory=dict)  # every BSSID the APs declare -> the AP
    ssids: set[str] = field(default_factory=set)  # SSIDs the APs declare BSSIDs for

    @property
    def sites(self) -> list[str]:
        """Every site of the inventory (each has an entry in ``dhcp_servers``, empty or not)."""
        return sorted(self.dhcp_servers)


def inventory_facts(settings: Settings) -> InventoryFacts:
    """Read once from the inventory (any host of a site carries the site's group data)."""
    nr = open_nornir(dataclasses.replace(settings, lab=False), credentials=False)
    facts = InventoryFacts()
    for name, host in nr.inventory.hosts.items():
        site = inv.site(host)
        if site and site not in facts.dhcp_servers:
            facts.dhcp_servers[site] = inv.dhcp_servers(host)
        for ssid, macs in inv.bssids(host).items():
            facts.ssids.add(ssid)
            facts.bssids.update((mac, name) for mac in macs)
    return facts


def backup_ssids(settings: Settings, backup_dir: Path | None) -> set[str]:
    """SSIDs of the WLANs in the latest backups (empty when there are none)."""
    directory = backup_dir or settings.backup_dir
    if not directory.is_dir():
        return set()
    texts = list(read_files(find_configs(directory)))
    parsed, _ = parse_texts(load_hosts(settings), texts, lambda: None)
    return {w.ssid for config in parsed.values() for w in config.wlans if w.enabled}


def policy_claims(policy: Policy, ssid: str) -> bool:
    """True when a WLAN rule of the policy selects this SSID by name (it is one of ours)."""
    for rule in policy.rules:
        for cond in rule.match:
            if cond.key == "ssid" and cond.test(ssid):
                return True
    return False


def isolated_zones(policy: Policy) -> set[str]:
    """Zones that must not reach any other zone: the segregation rules' ``isolated_zones``, or zones with a VRF."""
    names = {z for rule in policy.rules if rule.kind == "segregation" for z in rule.options.get("isolated_zones", [])}
    return names or {z.name for z in policy.zones.values() if z.vrf}
