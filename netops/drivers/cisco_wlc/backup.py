"""How cisco_wlc configurations are fetched, validated and cleaned."""

from netops.drivers.base import BackupSpec

SPEC = BackupSpec(
    commands=('show run-config commands',),
    end_marker='',
)
