"""Rule semantics on model objects built directly (no parser involved)."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from netops.inventory.hosts import HostInfo
from netops.model import ParsedConfig, Svi, SwitchPort, Wlan
from netops.policy import waivers
from netops.policy.engine import check
from netops.policy.findings import CheckResult
from netops.policy.loader import load_policy

ZONES = """
zones:
  staff: [110, 111]
  guest: [900]
  iot: [700]
  ap-mgmt: [20]
"""
TODAY = dt.date(2026, 11, 22)


def run(tmp_path: Path, rules: str, configs: list[ParsedConfig], hosts: dict[str, HostInfo] | None = None) -> CheckResult:
    """The engine's findings with the policy's waivers applied, as a check run applies them."""
    path = tmp_path / "p.yaml"
    path.write_text(ZONES + textwrap.dedent(rules))
    hosts = hosts or {c.host: HostInfo(c.host, "jammu", "wlc", c.platform, groups=("role_wlc",)) for c in configs}
    policy = load_policy([path])
    result = check(policy, hosts, {c.host: c for c in configs})
    findings, used = waivers.apply(policy.waivers, result.findings, TODAY)
    notices = result.notices + waivers.notices(policy.waivers, used, TODAY, {c.host for c in configs})
    return CheckResult(findings, notices, result.rules, result.hosts)


def wlc(*wlans: Wlan, host: str = "wlc") -> ParsedConfig:
    return ParsedConfig(host, "cisco_xe", wlans=list(wlans))


def wlan(ssid: str, security: str = "wpa3-enterprise", **kw) -> Wlan:
    return Wlan("wlc", "cisco_xe", ssid, ssid, True, security, **kw)


def objects(result: CheckResult) -> list[str]:
    return [f.object for f in result.findings]


def test_string_is_regex_list_is_exact(tmp_path: Path) -> None:
    rules = """
    rules:
      - {id: R1, title: regex, severity: low, match: {ssid: "JKS-Staff"}, require: {pmf: required}}
      - {id: R2, title: exact, severity: low, match: {ssid: [JKS-Staff]}, require: {pmf: required}}
    """
    result = run(tmp_path, rules, [wlc(wlan("JKS-Staff"), wlan("JKS-Staff-Legacy"), wlan("Old-JKS-Staff"))])
    by_rule = {r.rule: r.checked for r in result.rules}
    assert by_rule == {"R1": 3, "R2": 1}  # the regex is unanchored as written; the list is exact
    assert sorted(f.object for f in result.findings if f.rule == "R2") == ["JKS-Staff"]


def test_vlan_zone_needs_every_vlan_and_at_least_one(tmp_path: Path) -> None:
    rules = """
    rules:
      - {id: Z, title: zone, severity: high, require: {vlan_zone: staff}}
    """
    result = run(tmp_path, rules, [wlc(wlan("a", vlans=[110, 111]), wlan("b", vlans=[110, 700]), wlan("c", vlans=[]))])
    assert objects(result) == ["b", "c"]
    b = result.findings[0]
    assert str(b.details[0]) == "vlan_zone: expected every VLAN in zone staff (110-111); actual 110,700 (not allowed: 700)"
    assert result.findings[1].details[0].actual == "none"


def test_forbid_on_lists_means_no_element(tmp_path: Path) -> None:
    rules = """
    rules:
      - {id: F, title: no vlan 1 no tkip, severity: medium, forbid: {vlans: 1, ciphers: [tkip, wep]}}
    """
    result = run(
        tmp_path,
        rules,
        [wlc(wlan("ok", vlans=[110], ciphers=["ccmp-128"]), wlan("bad", vlans=[1, 110], ciphers=["ccmp-128", "tkip"]))],
    )
    assert objects(result) == ["bad"]
    assert [str(d) for d in result.findings[0].details] == [
        "vlans: expected none of 1; actual 1,110 (forbidden: 1)",
        "ciphers: expected none of tkip, wep; actual ccmp-128, tkip (forbidden: tkip)",
    ]


def test_match_on_list_means_any_element(tmp_path: Path) -> None:
    rules = """
    rules:
      - {id: M, title: iot vlans isolated, severity: high, match: {vlans: 700}, require: {client_isolation: true}}
    """
    result = run(tmp_path, rules, [wlc(wlan("a", vlans=[110]), wlan("b", vlans=[110, 700]))])
    assert [r.checked for r in result.rules] == [1]
    assert objects(result) == ["b"]


def test_host_selectors(tmp_path: Path) -> None:
    rules = """
    rules:
      - {id: S, title: srinagar aruba, severity: low, match: {site: "^srinagar$", platform: [aruba_os]}, forbid: {hidden: true}}
      - {id: G, title: group, severity: low, match: {group: [role_wlc]}, forbid: {hidden: true}}
    """
    configs = [wlc(wlan("x", hidden=True), host="a"), wlc(wlan("y", hidden=True), host="b")]
    hosts = {
        "a": HostInfo("a", "srinagar", "wlc", "aruba_os", groups=("role_wlc",)),
        "b": HostInfo("b", "srinagar", "ap", "cisco_xe", groups=("role_ap",)),
    }
    result = run(tmp_path, rules, configs, hosts)
    assert sorted((f.rule, f.host) for f in result.findings) == [("G", "a"), ("S", "a")]


def test_switchport_zone_keys(tmp_path: Path) -> None:
    rules = """
    rules:
      - id: V
        title: ap ports
        severity: high
        kind: switchport
        match: {description: "^AP-"}
        require: {mode: trunk, native_vlan_zone: ap-mgmt, allowed_vlans_within: [ap-mgmt, staff, guest]}
    """
    ports = [
        SwitchPort("sw", "Gi1/0/1", "AP-1", "trunk", allowed_vlans=[20, 110, 900], native_vlan=20),
        SwitchPort("sw", "Gi1/0/2", "AP-2", "trunk", allowed_vlans=[20, 110, 700], native_vlan=1),
        SwitchPort("sw", "Gi1/0/3", "user", "access", access_vlan=110),
    ]
    result = run(tmp_path, rules, [ParsedConfig("sw", "cisco_xe", ports=ports)])
    assert objects(result) == ["Gi1/0/2"]
    assert [d.key for d in result.findings[0].details] == ["native_vlan_zone", "allowed_vlans_within"]


@pytest.mark.parametrize(
    ("expires", "waived", "notice"),
    [("2026-11-22", True, None), ("2026-11-21", False, "waiver-expired"), ("2027-01-01", True, None)],
)
def test_waiver_expiry(tmp_path: Path, expires: str, waived: bool, notice: str | None) -> None:
    rules = f"""
    rules:
      - {{id: W, title: pmf, severity: high, require: {{pmf: required}}}}
    waivers:
      - {{rule: W, host: wlc, ssid: a, reason: scanners, expires: {expires}}}
    """
    result = run(tmp_path, rules, [wlc(wlan("a"))])
    assert [f.waived for f in result.findings] == [waived]
    assert result.findings[0].waiver == f"scanners (expires {expires})"
    assert [n.kind for n in result.notices] == ([notice] if notice else [])
    assert len(result.failing("info")) == (0 if waived else 1)


def test_stale_waiver_and_waiver_scope(tmp_path: Path) -> None:
    rules = """
    rules:
      - {id: W, title: pmf, severity: high, require: {pmf: required}}
    waivers:
      - {rule: W, host: wlc, reason: whole host, expires: 2030-01-01}
      - {rule: W, host: other, reason: nothing here, expires: 2030-01-01}
      - {rule: W, host: unchecked, reason: host not checked this run, expires: 2030-01-01}
    """
    configs = [wlc(wlan("a"), wlan("b")), wlc(wlan("c", pmf="required"), host="other")]
    result = run(tmp_path, rules, configs)
    assert [(f.object, f.waived) for f in result.findings] == [("a", True), ("b", True)]
    assert [(n.kind, n.host) for n in result.notices] == [("waiver-stale", "other")]


def test_svi_kind(tmp_path: Path) -> None:
    rules = """
    rules:
      - {id: SVI, title: guest svis in GUEST, severity: high, kind: svi, match: {vlan_zone: guest}, require: {vrf: "^GUEST$"}}
    """
    svis = [Svi("core", 900, "10.0.0.1/24", None), Svi("core", 900, None, "GUEST", line=9), Svi("core", 110)]
    result = run(tmp_path, rules, [ParsedConfig("core", "cisco_xe", svis=svis)])
    assert objects(result) == ["Vlan900"]
    assert str(result.findings[0].details[0]) == "vrf: expected matching /^GUEST$/; actual none"


def test_fail_on_threshold(tmp_path: Path) -> None:
    rules = """
    rules:
      - {id: L, title: low, severity: low, require: {pmf: required}}
    """
    result = run(tmp_path, rules, [wlc(wlan("a"))])
    assert len(result.failing("info")) == 1 and len(result.failing("low")) == 1
    assert result.failing("medium") == [] and result.failing("critical") == []
