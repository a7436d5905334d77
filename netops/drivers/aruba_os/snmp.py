"""SNMP on Aruba AOS 8: WLSX-SYSTEMEXT-MIB CPU/memory, WLSX-WLAN-MIB
wlsxWlanAPTable (status, model name), clients per AP from wlsxWlanRadioTable
(summed over radios) and clients per ESSID from wlsxWlanESSIDTable (indexed by
the ESSID itself)."""

from netops.drivers.snmp import ApTable, SnmpProfile, SsidClients, Utilisation

PROFILE = SnmpProfile(
    cpu=Utilisation(percent="1.3.6.1.4.1.14823.2.2.1.2.1.13.1.3"),  # sysExtProcessorLoad
    memory=Utilisation(
        used="1.3.6.1.4.1.14823.2.2.1.2.1.15.1.3",  # sysExtMemoryUsed
        free="1.3.6.1.4.1.14823.2.2.1.2.1.15.1.4",  # sysExtMemoryFree
    ),
    aps=ApTable(
        name="1.3.6.1.4.1.14823.2.2.1.5.2.1.4.1.3",  # wlanAPName, indexed by the AP MAC
        status="1.3.6.1.4.1.14823.2.2.1.5.2.1.4.1.19",  # wlanAPStatus: 1 up, 2 down
        up_values=frozenset({1}),
        model="1.3.6.1.4.1.14823.2.2.1.5.2.1.4.1.13",  # wlanAPModelName
        clients="1.3.6.1.4.1.14823.2.2.1.5.2.1.5.1.7",  # wlanAPRadioNumAssociatedClients, AP MAC + radio
    ),
    ssids=SsidClients(counts="1.3.6.1.4.1.14823.2.2.1.5.2.1.8.1.2"),  # wlanESSIDNumStations
)
