"""``kind: segregation``: the AP → switch port → VLAN join, and isolated zones' SVIs.

1. For every AP with ``switch`` and ``switch_port`` in the inventory, the WLANs
   it serves are the enabled WLANs of its ``controller`` (a standalone AP serves
   its own). The port must carry every VLAN of those WLANs and nothing else but
   the management zone's VLANs.
2. Every SVI of an isolated zone's VLAN must be in the zone's ``vrf`` when the
   zone names one, otherwise in a VRF (not the global table) that no SVI of
   another zone shares on that host.
"""

from __future__ import annotations

from netops.inventory.hosts import HostInfo
from netops.model import ParsedConfig, SwitchPort
from netops.parsing.ifnames import find_named
from netops.policy.conditions import vlan_ranges
from netops.policy.findings import Detail, Finding, Notice
from netops.policy.policy import Policy, Rule, Zone


def find_port(ports: list[SwitchPort], name: str) -> SwitchPort | None:
    """The port called ``name``, also when one side abbreviates (``Gi1/0/24`` = ``GigabitEthernet1/0/24``)."""
    return find_named(ports, name)


def carried(port: SwitchPort) -> set[int]:
    """VLANs that reach the AP through ``port``."""
    if port.mode == "trunk":
        return set(port.allowed_vlans) | ({port.native_vlan} if port.native_vlan else set())
    if port.mode == "access" and port.access_vlan:
        return {port.access_vlan}
    return set()


class Segregation:
    """Evaluates one segregation rule."""

    def __init__(self, rule: Rule, policy: Policy, hosts: dict[str, HostInfo], configs: dict[str, ParsedConfig]):
        self.rule, self.policy, self.hosts, self.configs = rule, policy, hosts, configs
        self.findings: list[Finding] = []
        self.notices: list[Notice] = []
        self.checked = 0

    def _selected(self, facts: HostInfo) -> bool:
        return all(c.matches(facts) for c in self.rule.host_match)

    def _zone_of(self, vlan: int) -> str:
        names = [z.name for z in self.policy.zones.values() if vlan in z.vlans]
        return f"{vlan} ({', '.join(names)})" if names else f"{vlan} (no zone)"

    def _finding(self, host: str, obj: str, detail: Detail, line: int | None) -> None:
        facts = self.hosts.get(host)
        self.findings.append(
            Finding(
                rule=self.rule.id, title=self.rule.title, severity=self.rule.severity, host=host,
                site=facts.site if facts else "", object=obj, kind="segregation", details=(detail,), line=line,
            )
        )

    def _missing(self, ap: str, what: str) -> None:
        self.notices.append(Notice("missing-peer", f"AP {ap}: no configuration of {what}; port not checked", host=ap, rule=self.rule.id))

    def check_ap(self, ap: HostInfo) -> None:
        source = ap.controller or ap.name
        wlan_config = self.configs.get(source)
        switch_config = self.configs.get(ap.switch or "")
        if wlan_config is None:
            self._missing(ap.name, f"its controller {source}" if ap.controller else "its own")
            return
        if switch_config is None:
            self._missing(ap.name, f"its switch {ap.switch}")
            return
        self.checked += 1
        port = find_port(switch_config.ports, ap.switch_port or "")
        if port is None:
            self._finding(ap.switch or "", ap.switch_port or "", Detail(f"{ap.name} switch_port", "an interface of the switch", "no such interface"), None)
            return
        served = [w for w in wlan_config.wlans if w.enabled]
        needed = {v for w in served for v in w.vlans}
        management = self.policy.zones[self.rule.options["management_zone"]].vlans
        have = carried(port)
        missing, extra = needed - have, have - needed - management
        if not missing and not extra:
            return
        problems = []
        if missing:
            problems.append("missing " + ", ".join(self._zone_of(v) for v in sorted(missing)))
        if extra:
            problems.append("extra " + ", ".join(self._zone_of(v) for v in sorted(extra)))
        wlans = ", ".join(f"{w.ssid} {vlan_ranges(w.vlans)}" for w in served) or "no WLAN"
        expected = f"{vlan_ranges(needed | (management & have))} (WLANs of {source}: {wlans}; AP management {vlan_ranges(management)})"
        actual = f"{port.mode} {vlan_ranges(have)} ({'; '.join(problems)})"
        self._finding(ap.switch or "", port.name, Detail(f"{ap.name} vlans", expected, actual), port.line)

    def check_svis(self, host: str, config: ParsedConfig) -> None:
        isolated: list[Zone] = [self.policy.zones[z] for z in self.rule.options["isolated_zones"]]
        for svi in config.svis:
            zone = next((z for z in isolated if svi.vlan in z.vlans), None)
            if zone is None:
                continue
            self.checked += 1
            if zone.vrf is not None:
                if svi.vrf != zone.vrf:
                    detail = Detail("vrf", f"{zone.vrf} (zone {zone.name})", svi.vrf or "global table")
                    self._finding(host, f"Vlan{svi.vlan}", detail, svi.line)
                continue
            expected = f"a VRF of zone {zone.name} alone"
            if svi.vrf is None:
                self._finding(host, f"Vlan{svi.vlan}", Detail("vrf", expected, "global table"), svi.line)
                continue
            shared = sorted(o.vlan for o in config.svis if o.vrf == svi.vrf and o.vlan not in zone.vlans)
            if shared:
                others = ", ".join(self._zone_of(v) for v in shared)
                self._finding(host, f"Vlan{svi.vlan}", Detail("vrf", expected, f"{svi.vrf}, shared with VLAN {others}"), svi.line)

    def run(self) -> None:
        for facts in self.hosts.values():
            if facts.switch and facts.switch_port and self._selected(facts):
                self.check_ap(facts)
        for host, config in self.configs.items():
            host_facts = self.hosts.get(host)
            if host_facts is not None and self._selected(host_facts):
                self.check_svis(host, config)
        unique = {n.message: n for n in self.notices}
        self.notices = list(unique.values())
