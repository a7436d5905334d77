"""What an AireOS controller's SNMP agent serves beyond the shared MIBs.

The controller MIBs (AIRESPACE-WIRELESS-MIB, CISCO-LWAPP-AP/WLAN-MIB) are served
by the Catalyst 9800 too: :mod:`labs.sim.cisco_xe.snmp` uses
:func:`add_cisco_wireless` from here.
"""

from __future__ import annotations

from labs.sim.snmp_data import Records, SnmpProfile, Wireless, digest, index_of, serial

CISCO = (1, 3, 6, 1, 4, 1, 9)
AIRESPACE = (1, 3, 6, 1, 4, 1, 14179)
BSN_AP = AIRESPACE + (2, 2, 1, 1)
BSN_AP_IF_USERS = AIRESPACE + (2, 2, 2, 1, 15)
BSN_ESS = AIRESPACE + (2, 1, 1, 1)
BSN_STATION = AIRESPACE + (2, 1, 4, 1)
BSN_STATION_STATS = AIRESPACE + (2, 1, 6, 1)
CL_AP = CISCO + (9, 513, 1, 1, 1, 1)
CL_AP_CONNECT_COUNT = CISCO + (9, 513, 1, 3, 35, 0)
CL_WLAN = CISCO + (9, 512, 1, 1, 1, 1)


def add_cisco_wireless(rec: Records, w: Wireless) -> None:
    """AIRESPACE-WIRELESS-MIB and CISCO-LWAPP-AP/WLAN-MIB, as AireOS and the 9800 serve them."""
    for ap in w.aps:
        idx = index_of(ap.mac)
        rec.octets(BSN_AP + (1,) + idx, ap.mac)
        rec.int(BSN_AP + (2,) + idx, 2)
        rec.text(BSN_AP + (3,) + idx, ap.name)
        rec.text(BSN_AP + (4,) + idx, ap.location)
        rec.int(BSN_AP + (6,) + idx, 1 if ap.up else 2)  # associated(1) / disassociating(2)
        rec.text(BSN_AP + (16,) + idx, ap.model)
        rec.text(BSN_AP + (17,) + idx, serial("FJC", ap.name))
        rec.int(BSN_AP + (37,) + idx, 1)
        rec.counter(BSN_AP_IF_USERS + idx + (0,), ap.clients_24ghz)  # slot 0: 802.11b/g
        rec.counter(BSN_AP_IF_USERS + idx + (1,), ap.clients_5ghz)  # slot 1: 802.11a
        rec.octets(CL_AP + (2,) + idx, ap.mac)
        rec.text(CL_AP + (5,) + idx, ap.name)
        rec.text(CL_AP + (49,) + idx, ap.location)
        rec.gauge(CL_AP + (54,) + idx, ap.clients)
    rec.gauge(CL_AP_CONNECT_COUNT, len(w.up_aps))
    for ssid in w.ssids:
        rec.gauge(BSN_ESS + (1, ssid.wlan_id), ssid.wlan_id)
        rec.text(BSN_ESS + (2, ssid.wlan_id), ssid.ssid)
        rec.int(BSN_ESS + (6, ssid.wlan_id), 1 if ssid.enabled else 0)
        rec.counter(BSN_ESS + (38, ssid.wlan_id), w.clients(ssid))
        rec.int(CL_WLAN + (2, ssid.wlan_id), 1)
        rec.text(CL_WLAN + (3, ssid.wlan_id), ssid.profile)
        rec.text(CL_WLAN + (4, ssid.wlan_id), ssid.ssid)
    for st in w.stations:  # bsnMobileStationTable and bsnMobileStationStatsTable, indexed by the client MAC
        idx = index_of(st.mac)
        rec.octets(BSN_STATION + (1,) + idx, st.mac)
        rec.ip_address(BSN_STATION + (2,) + idx, st.ip)
        rec.text(BSN_STATION + (3,) + idx, st.user)
        rec.octets(BSN_STATION + (4,) + idx, st.ap.mac)
        rec.int(BSN_STATION + (6,) + idx, st.ssid.wlan_id)
        rec.text(BSN_STATION + (7,) + idx, st.ssid.ssid)
        rec.int(BSN_STATION + (9,) + idx, 3)  # associated
        rec.text(BSN_STATION + (27,) + idx, st.ssid.interface)
        rec.int(BSN_STATION + (29,) + idx, st.ssid.vlan)
        rec.int(BSN_STATION_STATS + (1,) + idx, st.rssi)
        rec.int(BSN_STATION_STATS + (26,) + idx, st.snr)


def aireos_health(rec: Records, node: str) -> None:
    """AIRESPACE-SWITCHING-MIB agentResourceInfo (KB)."""
    resources = AIRESPACE + (1, 1, 5)
    rec.wobbling(resources + (1, 0), "2", digest("cpu", node) % 20 + 2, 2)
    rec.int(resources + (2, 0), 1_000_948)
    rec.wobbling(resources + (3, 0), "2", 460_940, 5_000)


SNMP = SnmpProfile(
    descr=lambda model: "Cisco Controller",
    default_model="AIR-CT5520-K9",
    object_ids={
        "AIR-CT5508-K9": "1.3.6.1.4.1.9.1.1069",  # cisco5500Wlc
        "AIR-CT5520-K9": "1.3.6.1.4.1.9.1.2170",  # cisco5520WLC
        "AIR-CT3504-K9": "1.3.6.1.4.1.9.1.2427",  # cisco3504WLC
    },
    default_object_id="1.3.6.1.4.1.9.1.2170",
    services=72,
    health=aireos_health,
    controller_mibs=add_cisco_wireless,
    ap_model="AIR-AP2802I-E-K9",
)
