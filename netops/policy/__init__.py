"""Wi-Fi and VLAN policy as YAML rules, checked against parsed configurations.

``loader.load_policy`` reads and lints a policy file, ``engine.check`` evaluates
it against parsed configurations and returns a :class:`findings.CheckResult`,
``store`` keeps runs in the netops database and ``reporters`` render them.
"""
