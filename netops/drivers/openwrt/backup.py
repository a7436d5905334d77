"""How OpenWrt configurations (``uci export``) are fetched, validated and cleaned.

``uci export`` prints no end marker; packages come in name order, so a
complete export contains both ``network`` and the late ``wireless`` package,
each with at least one section.
"""

from netops.drivers.base import REDACTED, BackupSpec, LineRule

R = REDACTED

_SECRET_OPTIONS = (
    "key|key[1-4]|password|auth_secret|acct_secret|dae_secret|sae_password|wpa_psk|psk|passphrase|"
    "private_key|preshared_key|secret|community|priv_key_pwd|priv_key2_pwd|mesh_key|r0kh|r1kh|ppsk_secret|ca_key|token"
)

SPEC = BackupSpec(
    commands=("uci export",),
    # No end marker: ``uci export`` prints each package of /etc/config and nothing after the last one (OpenWrt's uci
    # CLI, cli.c: uci_export() per package of uci_list_configs(); captures tests/data/backup/openwrt/*.raw).
    # Completeness is the shell prompt returning after the output (netmiko's send_command, else ReadTimeout/EOF in
    # netops.backup.fetch) and the packages below: an access point's export has ``network`` and, late in name
    # order, ``wireless``.
    end_marker="",
    required=(r"^package network$", r"^package wireless$", r"^config wifi-iface\b"),
    min_lines=5,
    error_patterns=(
        r"^-?\S*sh: .*not found",
        r"^uci: ",
        r"^Permission denied",
    ),
    secrets=(
        LineRule(rf"^(\s*(?:option|list) (?:{_SECRET_OPTIONS})) .*$", rf"\1 '{R}'", "secret option"),
    ),
)
