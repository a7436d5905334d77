"""SNMP on AireOS: AIRESPACE-SWITCHING-MIB CPU/memory scalars,
AIRESPACE-WIRELESS-MIB bsnAPTable (status, model), clients per AP from
bsnAPIfTable (summed over radios) and clients per SSID from bsnDot11EssTable."""

from netops.drivers.snmp import ApTable, SnmpProfile, SsidClients, Utilisation

PROFILE = SnmpProfile(
    cpu=Utilisation(percent="1.3.6.1.4.1.14179.1.1.5.1"),  # agentCurrentCPUUtilization
    memory=Utilisation(
        total="1.3.6.1.4.1.14179.1.1.5.2",  # agentTotalMemory
        free="1.3.6.1.4.1.14179.1.1.5.3",  # agentFreeMemory
    ),
    aps=ApTable(
        name="1.3.6.1.4.1.14179.2.2.1.1.3",  # bsnAPName, indexed by the AP MAC
        status="1.3.6.1.4.1.14179.2.2.1.1.6",  # bsnAPOperationStatus: 1 associated
        up_values=frozenset({1}),
        model="1.3.6.1.4.1.14179.2.2.1.1.16",  # bsnAPModel
        clients="1.3.6.1.4.1.14179.2.2.2.1.15",  # bsnApIfNoOfUsers, indexed by AP MAC + slot
    ),
    ssids=SsidClients(
        counts="1.3.6.1.4.1.14179.2.1.1.1.38",  # bsnDot11EssNumberOfMobileStations
        names="1.3.6.1.4.1.14179.2.1.1.1.2",  # bsnDot11EssSsid
    ),
)
