"""How openwrt configurations are fetched, validated and cleaned."""

from netops.drivers.base import BackupSpec

SPEC = BackupSpec(
    commands=('uci export',),
    end_marker='',
)
