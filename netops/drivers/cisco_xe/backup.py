"""How cisco_xe configurations are fetched, validated and cleaned."""

from netops.drivers.base import BackupSpec

SPEC = BackupSpec(
    commands=('show running-config',),
    end_marker='^end\\s*$',
)
