"""SNMP on OpenWrt (net-snmp agent): CPU from HOST-RESOURCES-MIB, memory from UCD-SNMP-MIB."""

from netops.drivers.snmp import SnmpProfile, Utilisation

PROFILE = SnmpProfile(
    cpu=Utilisation(percent="1.3.6.1.2.1.25.3.3.1.2"),  # hrProcessorLoad
    memory=Utilisation(total="1.3.6.1.4.1.2021.4.5", free="1.3.6.1.4.1.2021.4.6"),  # memTotalReal, memAvailReal
)
