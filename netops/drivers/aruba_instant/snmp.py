"""SNMP on Aruba Instant: the virtual controller's AI-AP-MIB aiAccessPointTable,
and CPU/memory from HOST-RESOURCES-MIB / UCD-SNMP-MIB."""

from netops.drivers.snmp import ApTable, SnmpProfile, Utilisation

PROFILE = SnmpProfile(
    cpu=Utilisation(percent="1.3.6.1.2.1.25.3.3.1.2"),  # hrProcessorLoad
    memory=Utilisation(total="1.3.6.1.4.1.2021.4.5", free="1.3.6.1.4.1.2021.4.6"),  # memTotalReal, memAvailReal
    aps=ApTable(
        name="1.3.6.1.4.1.14823.2.3.3.1.2.1.1.2",  # aiAPName
        status="1.3.6.1.4.1.14823.2.3.3.1.2.1.1.11",  # aiAPStatus: 1 up, 2 down
        up_values=frozenset({1}),
    ),
)
