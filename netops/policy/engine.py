"""Evaluate a policy against parsed configurations (waivers are applied later, once per run)."""

from __future__ import annotations

from netops.inventory.hosts import HostInfo
from netops.model import ParsedConfig
from netops.policy.findings import CheckResult, Finding, RuleStats, report_order
from netops.policy.kinds import NAMES, OBJECTS
from netops.policy.lines import check_lines
from netops.policy.policy import Policy, Rule
from netops.policy.redundancy import Redundancy
from netops.policy.segregation import Segregation
from netops.policy.software import Software, SoftwareInputs
from netops.resilience.campus import Campus, CampusInputs


def _check_objects(rule: Rule, hosts: dict[str, HostInfo], configs: dict[str, ParsedConfig], stats: RuleStats) -> list[Finding]:
    findings = []
    objects, name = OBJECTS[rule.kind], NAMES[rule.kind]
    match, require, forbid = rule.match, rule.require, rule.forbid
    for host, config in configs.items():
        facts = hosts[host]
        if not all(c.matches(facts) for c in rule.host_match):
            continue
        for obj in objects(config):
            if match and not all(c.matches(obj) for c in match):
                continue
            stats.checked += 1
            details = [d for c in require if (d := c.require(obj))]
            if forbid:
                details += [d for c in forbid if (d := c.forbid(obj))]
            if details:
                findings.append(
                    Finding(
                        rule=rule.id, title=rule.title, severity=rule.severity, host=host, site=facts.site,
                        object=name(obj), kind=rule.kind, details=tuple(details), line=obj.line,
                    )
                )
    return findings


def check(
    policy: Policy, hosts: dict[str, HostInfo], configs: dict[str, ParsedConfig], campus: Campus | CampusInputs | None = None,
    software: SoftwareInputs | None = None,
) -> CheckResult:
    """Every finding of ``policy`` on ``configs`` (keyed by host, each host present in ``hosts``), unwaived.

    Redundancy rules read the campus model ``campus`` (or the one built from its inputs: neighbour tables,
    topology, clients), else one built from the configurations and the inventory's cabling alone. Software
    rules read every host of ``hosts`` with the stored facts and the lifecycle table of ``software`` (None:
    no facts, so every host is a notice)."""
    result = CheckResult(hosts=len(configs))
    model = campus if isinstance(campus, Campus) else None
    for rule in policy.rules:
        stats = RuleStats(rule.id, rule.title, rule.severity, rule.kind, source=rule.source)
        if rule.kind == "redundancy":
            model = model or Campus(campus if isinstance(campus, CampusInputs) else CampusInputs(hosts, configs))
            red = Redundancy(rule, policy, hosts, model)
            red.run()
            result.findings += red.findings
            result.notices += red.notices
            stats.checked = red.checked
        elif rule.kind == "software":
            soft = Software(rule, hosts, software)
            soft.run()
            result.findings += soft.findings
            result.notices += soft.notices
            stats.checked = soft.checked
        elif rule.kind == "lines":
            found, stats.checked = check_lines(rule, hosts, configs)
            result.findings += found
        elif rule.kind == "segregation":
            seg = Segregation(rule, policy, hosts, configs)
            seg.run()
            result.findings += seg.findings
            result.notices += seg.notices
            stats.checked = seg.checked
        else:
            result.findings += _check_objects(rule, hosts, configs, stats)
        result.rules.append(stats)
    result.findings.sort(key=report_order)
    return result
