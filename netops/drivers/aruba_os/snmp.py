"""SNMP on Aruba AOS 8: WLSX-SYSTEMEXT-MIB CPU/memory, WLSX-WLAN-MIB
wlsxWlanAPTable (status, model name), clients per AP from wlsxWlanRadioTable
(summed over radios) and clients per ESSID from wlsxWlanESSIDTable (indexed by
the ESSID itself).

Clients: WLSX-WLAN-MIB wlsxWlanStationTable (1.3.6.1.4.1.14823.2.2.1.5.2.2.1.1,
indexed by wlanStaPhyAddress: wlanStaApBssid .2, wlanStaVlanId .7,
wlanStaAccessPointESSID .12, wlanStaRSSI .14) lists the wireless stations;
WLSX-USER-MIB wlsxUserTable (1.3.6.1.4.1.14823.2.2.1.4.1.2.1, indexed by
nUserPhyAddress + nUserIpAddress) gives the address (from the index) and
nUserName .3; the AP is found from the BSSID through wlsxWlanAPBssidTable
(1.3.6.1.4.1.14823.2.2.1.5.2.1.7.1, indexed by AP MAC + radio + BSSID:
wlanAPESSID .2). OIDs from the WLSX MIBs as compiled by pysmi (pysnmp MIB
collection) and the Aruba OIDs of open pollers.
"""

from netops.drivers.snmp import ApTable, ClientTable, SnmpProfile, SsidClients, Utilisation

STATION = "1.3.6.1.4.1.14823.2.2.1.5.2.2.1.1"  # wlsxWlanStationEntry
USER = "1.3.6.1.4.1.14823.2.2.1.4.1.2.1"  # wlsxUserEntry

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
    clients=ClientTable(
        rows=f"{STATION}.12",  # wlanStaAccessPointESSID
        ssid=f"{STATION}.12",
        ip_index=f"{USER}.3",  # nUserName, indexed by MAC + IPv4
        user=f"{USER}.3",
        bssid=f"{STATION}.2",  # wlanStaApBssid
        bssids="1.3.6.1.4.1.14823.2.2.1.5.2.1.7.1.2",  # wlanAPESSID, indexed by AP MAC + radio + BSSID
        vlan=f"{STATION}.7",  # wlanStaVlanId
        rssi=f"{STATION}.14",  # wlanStaRSSI
    ),
)
