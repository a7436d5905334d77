"""How Aruba CX (AOS-CX) switch configurations are fetched, validated and cleaned.

AOS-CX prints no ``end``; a complete configuration starts with its version
comment and carries the hostname and at least one interface.
"""

import re

from netops.drivers.base import REDACTED, BackupSpec, LineRule

R = REDACTED
V = rf'(?:{re.escape(R)}|"[^"]*"|\S+)'

SPEC = BackupSpec(
    commands=("show running-config",),
    # No end marker: AOS-CX's ``show running-config`` has no fixed last line; oxidized's aoscx model (ytti/oxidized
    # lib/oxidized/model/aoscx.rb) reads it to the prompt (``cut_both``). Completeness is the prompt returning after
    # the output (netmiko's send_command, else ReadTimeout/EOF in netops.backup.fetch) and the sections below.
    end_marker="",
    required=(r"^hostname \S", r"^interface \S"),
    error_patterns=(r"^Invalid input", r"^% ?Invalid", r"^Command incomplete", r"^Permission denied"),
    volatile=(
        LineRule(r"^Current configuration:$", None, "banner"),
        LineRule(r"^!\s*(?:Last|Current|Generated).*\d\d:\d\d", None, "timestamp"),
    ),
    secrets=(
        LineRule(r"^(user \S+ group \S+ password)(?: (?:plaintext|ciphertext))? .*$", rf"\1 ciphertext {R}", "user"),
        LineRule(r"^(snmp-server community) \S+(.*)$", rf"\1 {R}", "SNMP community"),
        LineRule(r"^(snmpv3 user \S+ auth \S+ auth-pass)(?: (?:plaintext|ciphertext))? .*$", rf"\1 ciphertext {R}", "SNMPv3 keys"),
        LineRule(r"^((?:radius|tacacs)-server(?: host \S+.*?)? key)(?: (?:plaintext|ciphertext))? .*$", rf"\1 ciphertext {R}", "AAA key"),
        LineRule(r"^(ntp authentication-key \d+ \S+)(?: (?:plaintext|ciphertext))? .*$", rf"\1 ciphertext {R}", "NTP key"),
        LineRule(r"^(\s*ip ospf authentication-key)(?: (?:plaintext|ciphertext))? .*$", rf"\1 ciphertext {R}", "OSPF key"),
        LineRule(r"^(\s*ip ospf message-digest-key \d+ md5)(?: (?:plaintext|ciphertext))? .*$", rf"\1 ciphertext {R}", "OSPF MD5 key"),
        LineRule(r"^(\s*neighbor \S+ password)(?: (?:plaintext|ciphertext))? .*$", rf"\1 ciphertext {R}", "BGP password"),
        LineRule(r"^(\s*(?:key-string|password))(?: (?:plaintext|ciphertext))? .*$", rf"\1 ciphertext {R}", "password"),
    ),
)
