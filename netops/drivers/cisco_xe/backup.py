"""How IOS-XE (Catalyst 9000 switches, 9800 controllers) configurations are
fetched, validated and cleaned."""

import re

from netops.drivers.base import REDACTED, BackupSpec, BlockRule, LineRule, ShellSpec

R = REDACTED
V = rf'(?:{re.escape(R)}|"[^"]*"|\S+)'  # one value token, or the marker (rules must be idempotent)
T = r"( \d)?"  # the encryption type digit, kept

SPEC = BackupSpec(
    commands=("show running-config",),
    privileged=True,
    # netmiko's cisco_xe session preparation, without its fixed sleeps: width then paging (a hostname has no blanks)
    shell=ShellSpec(prompt=r"^[^\s>#]+[>#]$", setup=("terminal width 511", "terminal length 0")),
    # End marker: IOS/IOS-XE ends ``show running-config`` with ``end`` (Cisco's command reference examples; RANCID's
    # ios.pm keeps no new copy without it, its "found_end" rule; lab captures tests/data/backup/cisco_xe/*.raw).
    end_marker=r"^end$",
    required=(r"^hostname \S",),
    error_patterns=(
        r"^% ?Invalid input",
        r"^% ?Incomplete command",
        r"^% ?Ambiguous command",
        r"^% ?Unknown command",
        r"^% ?(?:Command )?[Aa]uthorization failed",
        r"^% ?Permission denied",
        r"^% ?Error",
        r"^Command rejected",
    ),
    volatile=(
        LineRule(r"^Building configuration\.\.\.$", None, "banner"),
        LineRule(r"^Current configuration ?: \d+ bytes$", None, "size"),
        LineRule(r"^! Last configuration change at ", None, "change time"),
        LineRule(r"^! NVRAM config last updated at ", None, "save time"),
        LineRule(r"^! No configuration change since last restart", None, "change time"),
        LineRule(r"^! Time: ", None, "fetch time"),
        LineRule(r"^ntp clock-period \d+$", None, "clock drift"),
    ),
    blocks=(BlockRule(r"^ certificate (?:self-signed |ca )?\S+", r"^\s+quit$", R, "PKI certificate"),),
    secrets=(
        LineRule(rf"^(enable (?:secret|password)(?: level \d+)?){T} .*$", rf"\1\2 {R}", "enable"),
        LineRule(
            rf"^(username \S+(?: privilege \d+| view \S+| algorithm-type \S+)*) (secret|password){T} .*$",
            rf"\1 \2\3 {R}",
            "user",
        ),
        LineRule(rf"^(snmp-server community) {V}(.*)$", rf"\1 {R}\2", "SNMP community"),
        LineRule(
            r"^(snmp-server user \S+ \S+(?: remote \S+(?: udp-port \d+)?)? v3(?: encrypted)? auth \S+) .*$",
            rf"\1 {R}",
            "SNMPv3 keys",
        ),
        LineRule(
            rf"^(snmp-server host \S+(?: vrf \S+)?(?: informs| traps)?(?: version (?:1|2c))?) (?!version ){V}(.*)$",
            rf"\1 {R}\2",
            "SNMP host community",
        ),
        LineRule(rf"^(\s+(?:server-)?key){T} (?!\d+$).*$", rf"\1\2 {R}", "AAA server key"),
        LineRule(rf"^((?:tacacs|radius)-server(?: host \S+.*?)? key){T} .*$", rf"\1\2 {R}", "AAA global key"),
        LineRule(rf"^(\s*client \S+(?: vrf \S+)? server-key){T} .*$", rf"\1\2 {R}", "RADIUS CoA key"),
        LineRule(rf"^(\s*pac key){T} .*$", rf"\1\2 {R}", "RADIUS PAC key"),
        LineRule(rf"^(crypto isakmp key){T} {V}( address| hostname)(.*)$", rf"\1\2 {R}\3\4", "ISAKMP key"),
        LineRule(
            rf"^(\s*pre-shared-key (?:address \S+(?: \S+)?|hostname \S+) key){T} .*$", rf"\1\2 {R}", "keyring PSK"
        ),
        LineRule(rf"^(\s*pre-shared-key(?: local| remote)?){T} .*$", rf"\1\2 {R}", "IKEv2 PSK"),
        LineRule(r"^(ntp authentication-key \d+ \S+) .*$", rf"\1 {R}", "NTP key"),
        LineRule(rf"^(\s*ip ospf authentication-key){T} .*$", rf"\1\2 {R}", "OSPF key"),
        LineRule(rf"^(\s*ip ospf message-digest-key \d+ md5){T} .*$", rf"\1\2 {R}", "OSPF MD5 key"),
        LineRule(r"^(\s*(?:ipv6 )?ospf(?:v3)? .*(?:authentication|encryption) ipsec spi \d+ .*?) [0-9A-Fa-f]{32,}$", rf"\1 {R}", "OSPFv3 IPsec key"),
        LineRule(rf"^(\s*neighbor \S+ password){T} .*$", rf"\1\2 {R}", "BGP password"),
        LineRule(rf"^(\s*key-string){T} .*$", rf"\1\2 {R}", "key chain"),
        LineRule(
            rf"^(\s*(?:standby|vrrp)(?: \d+)? authentication md5 key-string){T} .*$", rf"\1\2 {R}", "HSRP/VRRP MD5"
        ),
        LineRule(r"^(\s*(?:standby|vrrp)(?: \d+)? authentication(?: text)?) (?!md5 )\S.*$", rf"\1 {R}", "HSRP/VRRP text"),
        LineRule(r"^(\s+authentication text) \S.*$", rf"\1 {R}", "VRRPv3 text"),
        LineRule(
            rf"^(\s*ppp (?:chap|pap) (?:password|sent-username \S+ password)){T} .*$", rf"\1\2 {R}", "PPP"
        ),
        LineRule(r"^(\s*ip nhrp authentication) .*$", rf"\1 {R}", "NHRP"),
        LineRule(rf"^(ip (?:ftp|http client) password){T} .*$", rf"\1\2 {R}", "file transfer"),
        LineRule(rf"^(\s*(?:isis password|domain-password|area-password)){T} .*$", rf"\1\2 {R}", "IS-IS"),
        LineRule(rf"^(\s*security wpa psk set-key (?:ascii|hex)){T} .*$", rf"\1\2 {R}", "WLAN PSK"),
        LineRule(rf"^(\s*wpa-psk (?:ascii|hex)){T} .*$", rf"\1\2 {R}", "autonomous AP PSK"),
        LineRule(r"^(\s*mgmtuser username \S+) .*$", rf"\1 password {R}", "AP management user"),
        LineRule(rf"^(\s*dot1x (?:username \S+ )?password){T} .*$", rf"\1\2 {R}", "AP 802.1X"),
        LineRule(rf"^(\s*bind authenticated login \S+ password){T} .*$", rf"\1\2 {R}", "LDAP bind"),
        LineRule(rf"^(\s*password){T} .*$", rf"\1\2 {R}", "line password"),
    ),
)
