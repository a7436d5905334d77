"""SNMP on IOS-XE: CISCO-PROCESS-MIB CPU, CISCO-MEMORY-POOL-MIB memory and, on
Catalyst 9800 controllers, CISCO-LWAPP-AP-MIB cLApTable plus clients per SSID
from the AIRESPACE bsnDot11EssTable the 9800 still serves.

Clients: the 9800 serves AIRESPACE-WIRELESS-MIB bsnMobileStationTable (and the
stats table's RSSI/SNR) as AireOS does, so the same :data:`AIRESPACE_CLIENTS`
applies. CISCO-LWAPP-DOT11-CLIENT-MIB cldcClientTable (1.3.6.1.4.1.9.9.599.1.3.1)
holds the same clients with other columns (uptime, channel); netops reads the
Airespace table, which both controller families answer (Cisco's "Monitor
Catalyst 9800 WLC via SNMP" guide; open 9800 pollers read client name, IP, VLAN,
AP MAC, SSID, RSSI and SNR there and note some columns are wrong before 17.9.5).
"""

from netops.drivers.cisco_wlc.snmp import AIRESPACE_CLIENTS
from netops.drivers.snmp import ApTable, SnmpProfile, SsidClients, Utilisation

PROFILE = SnmpProfile(
    cpu=Utilisation(percent="1.3.6.1.4.1.9.9.109.1.1.1.1.8"),  # cpmCPUTotal5minRev
    memory=Utilisation(
        used="1.3.6.1.4.1.9.9.48.1.1.1.5",  # ciscoMemoryPoolUsed
        free="1.3.6.1.4.1.9.9.48.1.1.1.6",  # ciscoMemoryPoolFree
    ),
    aps=ApTable(
        name="1.3.6.1.4.1.9.9.513.1.1.1.1.5",  # cLApName, indexed by cLApSysMacAddress
        clients="1.3.6.1.4.1.9.9.513.1.1.1.1.54",  # cLApAssociatedClientCount
    ),
    ssids=SsidClients(
        counts="1.3.6.1.4.1.14179.2.1.1.1.38",  # bsnDot11EssNumberOfMobileStations
        names="1.3.6.1.4.1.14179.2.1.1.1.2",  # bsnDot11EssSsid
    ),
    clients=AIRESPACE_CLIENTS,
)
