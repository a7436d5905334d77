"""How Aruba Instant (virtual controller) configurations are fetched, validated and cleaned.

Instant prints no end marker; a complete ``show running-config`` starts with
the version and virtual controller settings and ends with the port profiles
and the ``uplink`` block, which Instant prints even at their defaults.
"""

import re

from netops.drivers.base import REDACTED, BackupSpec, LineRule

R = REDACTED
V = rf'(?:{re.escape(R)}|"[^"]*"|\S+)'

SPEC = BackupSpec(
    commands=("show running-config",),
    # No end marker: Aruba documents none, and its own Instant configurations (aruba/central-python-workflows
    # Classic-Central/ap_config/configurations/default-group-config.txt) end on an ordinary line. Completeness is the
    # prompt returning after the output (netmiko's send_command, else ReadTimeout/EOF in netops.backup.fetch) and the
    # sections below: ``version`` first, and the ``enet0-port-profile`` and ``uplink`` blocks Instant prints even at
    # their defaults (present in that empty group's configuration). ``wlan ssid-profile`` is not required: a
    # virtual controller may have no SSID.
    end_marker="",
    required=(r"^version \S", r"^enet0-port-profile \S", r"^uplink$"),
    error_patterns=(
        r"^% ?Invalid input",
        r"^% ?Parse error",
        r"^Invalid command",
        r"^Permission denied",
        r"^Error:",
    ),
    volatile=(
        LineRule(r"^Building Configuration\.\.\.$", None, "banner"),
        LineRule(r"^!\s*(?:Last|Current|Generated).*\d\d:\d\d", None, "timestamp"),
        LineRule(r"^\s*(?:System Time|Current time|Uptime)\b.*\d", None, "clock"),
    ),
    secrets=(
        LineRule(r"^(virtual-controller-key) .*$", rf"\1 {R}", "cluster key"),
        LineRule(r"^(mgmt-user \S+) .*$", rf"\1 {R}", "management user"),
        LineRule(rf"^(hash-mgmt-user \S+ password hash) {V}(.*)$", rf"\1 {R}\2", "hashed management user"),
        LineRule(r"^(\s*(?:wpa-passphrase|wpa-hexkey|wepkey\d)) .*$", rf"\1 {R}", "Wi-Fi key"),
        LineRule(r"^(\s+key) .*$", rf"\1 {R}", "RADIUS/TACACS+ key"),
        LineRule(r"^(wlan (?:auth-server|tacacs-server) \S+ .*\bkey) .*$", rf"\1 {R}", "auth server key"),
        LineRule(r"^(snmp-server community) .*$", rf"\1 {R}", "SNMP community"),
        LineRule(r"^(snmp-server user \S+) .*$", rf"\1 {R}", "SNMPv3 keys"),
        LineRule(rf"^(snmp-server host \S+ version (?:1|2c)) {V}(.*)$", rf"\1 {R}\2", "SNMP host"),
        LineRule(r"^(\s*(?:ap-console-password|admin-password|captive-portal-password|psk|preshared-key|shared-secret)) .*$", rf"\1 {R}", "password"),
        LineRule(r"^(\s*password) .*$", rf"\1 {R}", "password"),
    ),
)
