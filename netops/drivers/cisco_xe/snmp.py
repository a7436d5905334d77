"""SNMP on IOS-XE: CISCO-PROCESS-MIB CPU, CISCO-MEMORY-POOL-MIB memory and, on
Catalyst 9800 controllers, CISCO-LWAPP-AP-MIB cLApTable plus clients per SSID
from the AIRESPACE bsnDot11EssTable the 9800 still serves."""

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
)
