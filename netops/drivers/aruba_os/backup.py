"""How Aruba AOS 8 controller configurations are fetched, validated and cleaned."""

import re

from netops.drivers.base import REDACTED, BackupSpec, LineRule

R = REDACTED
V = rf'(?:{re.escape(R)}|"[^"]*"|\S+)'

SPEC = BackupSpec(
    commands=("show running-config",),
    privileged=True,
    # No end marker: Aruba documents no fixed last line for AOS 8 ``show running-config`` and oxidized's aosw model
    # (ytti/oxidized lib/oxidized/model/aosw.rb) reads it to the ``(host) #`` prompt without one; a trailing ``end``,
    # where a release prints it, is kept but not required. Completeness is the prompt returning after the output
    # (netmiko's send_command, else ReadTimeout/EOF in netops.backup.fetch) and the sections below: ``hostname``,
    # and the WLAN profiles printed after the system, interface and AAA sections (AOS 8 prints its ``default``
    # profiles even when unused). The leading ``version`` line is not required: it says nothing of a cut end. Lab capture: tests/data/backup/aruba_os/srn-wlc-aruba.raw.
    end_marker="",
    required=(r"^hostname \S", r"^wlan ssid-profile \S"),
    error_patterns=(
        r"^% ?Invalid input",
        r"^% ?Parse error",
        r"^% ?Incomplete command",
        r"^Permission denied",
        r"^Command not permitted",
        r"^Error:",
    ),
    volatile=(
        LineRule(r"^Building Configuration\.\.\.$", None, "banner"),
        LineRule(r"^Current configuration ?: \d+ bytes$", None, "size"),
        LineRule(r"^!\s*(?:Last|Current|Generated|Config(?:uration)? (?:saved|changed)).*\d\d:\d\d", None, "timestamp"),
        LineRule(r"^\s*(?:System Time|Current time|Uptime|System Uptime)\b.*\d", None, "clock"),
    ),
    secrets=(
        LineRule(r"^(enable secret) .*$", rf"\1 {R}", "enable"),
        LineRule(r"^(mgmt-user (?!localauth-disable|ssh-pubkey|webui-cacert)\S+ \S+) .*$", rf"\1 {R}", "management user"),
        LineRule(r"^(\s*(?:wpa-passphrase|wpa-hexkey|wepkey\d)) .*$", rf"\1 {R}", "Wi-Fi key"),
        LineRule(r"^(\s+key) .*$", rf"\1 {R}", "RADIUS/TACACS+ key"),
        LineRule(r"^(snmp-server community) .*$", rf"\1 {R}", "SNMP community"),
        LineRule(r"^(snmp-server user \S+ auth-prot \S+) .*$", rf"\1 {R}", "SNMPv3 keys"),
        LineRule(rf"^(snmp-server (?:host|trap receiver) \S+ version (?:1|2c)) {V}(.*)$", rf"\1 {R}\2", "SNMP host"),
        LineRule(rf"^((?:masterip|masteripv6|localip|localipv6) \S+ ipsec) {V}(.*)$", rf"\1 {R}\2", "controller IPsec key"),
        LineRule(rf"^(crypto(?:-local)? isakmp key) {V}(.*)$", rf"\1 {R}\2", "ISAKMP key"),
        LineRule(r"^(\s*pre-shared-key) .*$", rf"\1 {R}", "IKE PSK"),
        LineRule(r"^(ntp authentication-key \d+ \S+) .*$", rf"\1 {R}", "NTP key"),
        LineRule(r"^(\s*ip ospf authentication-key) .*$", rf"\1 {R}", "OSPF key"),
        LineRule(r"^(\s*ip ospf message-digest-key \d+ md5) .*$", rf"\1 {R}", "OSPF MD5 key"),
        LineRule(r"^(\s+authentication) (?!(?:none|md5|pre-share|rsa-sig|ecdsa-\S+)$)\S.*$", rf"\1 {R}", "VRRP key"),
        LineRule(r"^(\s*(?:bkup-passwords|ap-console-password|admin-passwd|shared-secret)) .*$", rf"\1 {R}", "AP/LDAP password"),
        LineRule(r"^(\s*password) .*$", rf"\1 {R}", "password"),
    ),
)
