"""SNMP on AireOS: AIRESPACE-SWITCHING-MIB CPU/memory scalars,
AIRESPACE-WIRELESS-MIB bsnAPTable (status, model), clients per AP from
bsnAPIfTable (summed over radios), clients per SSID from bsnDot11EssTable and
the clients themselves from bsnMobileStationTable (1.3.6.1.4.1.14179.2.1.4.1)
joined with bsnMobileStationStatsTable (.2.1.6.1, RSSI and SNR), both indexed by
the client MAC.

Columns as AIRESPACE-WIRELESS-MIB defines them (Cisco's MIB, as compiled by pysmi
in the pysnmp MIB collection; the same OIDs in Cisco's "Monitor AireOS WLC via
SNMP" guide and in open pollers of AireOS and 9800 controllers):
bsnMobileStationMacAddress .1, IpAddress .2 (IpAddress), UserName .3 ("non empty
in case of Web Authentication and IPSec", 802.1X too on current releases),
APMacAddr .4 (the AP's radio MAC, the bsnAPTable index), Ssid .7, Status .9
(idle 0, aaaPending 1, authenticated 2, associated 3, powersave 4,
disassociated 5, tobedeleted 6, probing 7, blacklisted 8), Interface .27,
VlanId .29; bsnMobileStationRSSI .6.1.1 and bsnMobileStationSnr .6.1.26.
"""

from netops.drivers.snmp import ApTable, ClientTable, SnmpProfile, SsidClients, Utilisation

STATION = "1.3.6.1.4.1.14179.2.1.4.1"  # bsnMobileStationEntry
STATION_STATS = "1.3.6.1.4.1.14179.2.1.6.1"  # bsnMobileStationStatsEntry
AIRESPACE_CLIENTS = ClientTable(
    rows=f"{STATION}.1",  # bsnMobileStationMacAddress
    mac=f"{STATION}.1",
    ip=f"{STATION}.2",  # bsnMobileStationIpAddress
    user=f"{STATION}.3",  # bsnMobileStationUserName
    ap_mac=f"{STATION}.4",  # bsnMobileStationAPMacAddr
    ssid=f"{STATION}.7",  # bsnMobileStationSsid
    status=f"{STATION}.9",  # bsnMobileStationStatus
    interface=f"{STATION}.27",  # bsnMobileStationInterface
    vlan=f"{STATION}.29",  # bsnMobileStationVlanId
    rssi=f"{STATION_STATS}.1",  # bsnMobileStationRSSI
    snr=f"{STATION_STATS}.26",  # bsnMobileStationSnr
    status_names=((0, "idle"), (1, "aaaPending"), (2, "authenticated"), (3, "associated"), (4, "powersave"),
                  (5, "disassociated"), (6, "tobedeleted"), (7, "probing"), (8, "blacklisted")),
)

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
    clients=AIRESPACE_CLIENTS,
)
