"""How AireOS controller configurations are fetched, validated and cleaned.

``show run-config commands`` prints no end marker. AireOS prints its commands
grouped and in name order, so a complete output carries the early
``interface`` group and the late ``sysname`` and ``wlan create`` groups; a cut
output loses the late ones.
"""

import re

from netops.drivers.base import REDACTED, BackupSpec, LineRule

R = REDACTED
V = rf'(?:{re.escape(R)}|"[^"]*"|\S+)'

SPEC = BackupSpec(
    commands=("show run-config commands",),
    # No end marker: Cisco documents none for ``show run-config commands`` and oxidized's aireos model (ytti/oxidized
    # lib/oxidized/model/aireos.rb) reads it to the prompt (``cut_both``), checking no last line. Completeness is the
    # prompt returning after the output (netmiko's send_command, else ReadTimeout/EOF in netops.backup.fetch) and
    # the required groups below (AireOS prints its commands grouped in name order; lab capture srn-wlc-aireos.raw).
    end_marker="",
    required=(r"^interface (?:create|address) ", r"^sysname \S", r"^wlan create \d+ "),
    error_patterns=(
        r"^Incorrect (?:usage|input)",
        r"^Invalid (?:command|input)",
        r"^% ?Invalid input",
        r"^Permission denied",
        r"^Error:",
        r"^Request failed",
    ),
    volatile=(
        LineRule(r"^This may take some time\.", None, "prompt"),
        LineRule(r"^Are you sure you want to proceed\?", None, "prompt"),
        LineRule(r"^Press Enter to continue", None, "pager"),
        LineRule(r"^(?:System Time|Current time|System Up Time|Time)\s*\.*[: ]", None, "clock"),
    ),
    secrets=(
        LineRule(rf"^(mgmtuser add \S+) {V}( .*)?$", rf"\1 {R}\2", "management user"),
        LineRule(rf"^(netuser add \S+) {V}( .*)?$", rf"\1 {R}\2", "local net user"),
        LineRule(r"^(radius (?:auth|acct) add \d+ \S+ \d+ (?:ascii|hex)) .*$", rf"\1 {R}", "RADIUS secret"),
        LineRule(r"^(radius auth keywrap add (?:ascii|hex)) .*$", rf"\1 {R}", "RADIUS key wrap"),
        LineRule(r"^(radius fallback-test username \S+ password) .*$", rf"\1 {R}", "RADIUS fallback"),
        LineRule(r"^(tacacs (?:auth|athr|acct) add \d+ \S+ \d+ (?:ascii|hex)) .*$", rf"\1 {R}", "TACACS+ secret"),
        LineRule(
            r"^(wlan security wpa akm psk set-key (?:ascii|hex)(?: encrypt)?) .*? (\d+)$", rf"\1 {R} \2", "WLAN PSK"
        ),
        LineRule(
            r"^(snmp community (?:create|delete|accessmode \S+|ipaddr \S+ \S+|mode \S+|ipsec \S+)) .*$",
            rf"\1 {R}",
            "SNMP community",
        ),
        LineRule(r"^(snmp v3user create \S+ \S+ \S+ \S+) .+$", rf"\1 {R}", "SNMPv3 keys"),
        LineRule(r"^(ap (?:mgmtuser|dot1xuser) add username \S+) .*$", rf"\1 password {R}", "AP credentials"),
        LineRule(r"^(local-auth method fast server-key) .*$", rf"\1 {R}", "EAP-FAST key"),
        LineRule(r"^(time ntp key-auth(?: add)? \d+ \S+ (?:ascii|hex)) .*$", rf"\1 {R}", "NTP key"),
        LineRule(r"^(ldap simple-bind authenticated \d+ \S+) .*$", rf"\1 {R}", "LDAP bind"),
        LineRule(r"^(mobility group member add \S+ \S+(?: \S+)? (?:encrypt|key)) .*$", rf"\1 {R}", "mobility key"),
    ),
)
