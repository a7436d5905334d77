"""What probes compare packets against: the inventory's authorised DHCP servers and BSSIDs, the
secretariat's SSIDs (latest backups and policy), the policy's zones."""

from __future__ import annotations

from dataclasses import dataclass, field

from netops.inventory.hosts import HostInfo
from netops.model import ParsedConfig
from netops.policy.policy import Policy


@dataclass
class InventoryFacts:
    dhcp_servers: dict[str, dict[int, list[str]]] = field(default_factory=dict)  # site -> VLAN -> authorised servers
    bssids: dict[str, str] = field(default_factory=dict)  # every BSSID the APs declare -> the AP
    ssids: set[str] = field(default_factory=set)  # SSIDs the APs declare BSSIDs for

    @property
    def sites(self) -> list[str]:
        """Every site of the inventory (each has an entry in ``dhcp_servers``, empty or not)."""
        return sorted(self.dhcp_servers)

    @classmethod
    def of(cls, hosts: dict[str, HostInfo]) -> InventoryFacts:
        """Read from the hosts (any host of a site carries the site's group data)."""
        facts = cls()
        for host in hosts.values():
            if host.site and host.site not in facts.dhcp_servers:
                facts.dhcp_servers[host.site] = host.dhcp_servers
            for ssid, macs in host.bssids.items():
                facts.ssids.add(ssid)
                facts.bssids.update((mac, host.name) for mac in macs)
        return facts


def served_ssids(configs: dict[str, ParsedConfig]) -> set[str]:
    """SSIDs of the enabled WLANs in parsed configurations."""
    return {w.ssid for config in configs.values() for w in config.wlans if w.enabled}


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
