"""What an ArubaOS 8 controller's SNMP agent serves beyond the shared MIBs."""

from __future__ import annotations

from labs.sim.snmp_data import Records, SnmpProfile, Wireless, digest, index_of, mac, serial, string_index

ARUBA = (1, 3, 6, 1, 4, 1, 14823)
WLSX_AP = ARUBA + (2, 2, 1, 5, 2, 1, 4, 1)
WLSX_RADIO = ARUBA + (2, 2, 1, 5, 2, 1, 5, 1)
WLSX_ESSID = ARUBA + (2, 2, 1, 5, 2, 1, 8, 1)
WLSX_STATION = ARUBA + (2, 2, 1, 5, 2, 2, 1, 1)
WLSX_BSSID = ARUBA + (2, 2, 1, 5, 2, 1, 7, 1)
WLSX_USER = ARUBA + (2, 2, 1, 4, 1, 2, 1)
WLSX_WLAN_TOTALS = ARUBA + (2, 2, 1, 5, 2, 1)
WLSX_SWITCH_TOTALS = ARUBA + (2, 2, 1, 1, 3)


def add_aruba_wireless(rec: Records, w: Wireless) -> None:
    """WLSX-WLAN-MIB and WLSX-SWITCH-MIB, as ArubaOS 8 controllers serve them."""
    for ap in w.aps:
        idx = index_of(ap.mac)
        rec.text(WLSX_AP + (3,) + idx, ap.name)
        rec.text(WLSX_AP + (4,) + idx, "default")
        rec.object_id(WLSX_AP + (5,) + idx, "1.3.6.1.4.1.14823.1.2.1")
        rec.text(WLSX_AP + (6,) + idx, serial("CN", ap.name))
        rec.text(WLSX_AP + (13,) + idx, ap.model)
        rec.int(WLSX_AP + (19,) + idx, 1 if ap.up else 2)  # up(1) / down(2)
        # wlsxWlanRadioTable, indexed by AP MAC + wlanAPRadioNumber, as the aruba-7210
        # recording lays it out: radio 1 dot11a(1) on 5 GHz, radio 2 dot11g(3) on 2.4 GHz
        for radio, phy, channel, clients in ((1, 1, 36, ap.clients_5ghz), (2, 3, 1, ap.clients_24ghz)):
            rec.int(WLSX_RADIO + (2,) + idx + (radio,), phy)  # wlanAPRadioType
            rec.int(WLSX_RADIO + (3,) + idx + (radio,), channel)  # wlanAPRadioChannel
            rec.int(WLSX_RADIO + (7,) + idx + (radio,), clients)  # wlanAPRadioNumAssociatedClients
    seen: set[str] = set()
    for ssid in w.ssids:
        if ssid.ssid in seen:
            continue
        seen.add(ssid.ssid)
        idx = string_index(ssid.ssid)
        serving = [s for s in w.ssids if s.ssid == ssid.ssid]
        rec.gauge(WLSX_ESSID + (2,) + idx, sum(w.clients(s) for s in serving))
        enabled = any(s.enabled for s in serving)
        rec.gauge(WLSX_ESSID + (3,) + idx, len(w.up_aps) if enabled else 0)
        rec.gauge(WLSX_ESSID + (4,) + idx, len(w.aps) - len(w.up_aps) if enabled else 0)
    for ap in w.up_aps:  # wlsxWlanAPBssidTable: AP MAC + radio + BSSID, one BSS per SSID on each radio
        for ssid in {s.ssid: s for s in w.ssids if s.enabled}.values():
            for radio in (1, 2):
                rec.text(WLSX_BSSID + (2,) + index_of(ap.mac) + (radio,) + index_of(mac("bssid", ap.name, radio, ssid.ssid)),
                         ssid.ssid)
    for st in w.stations:  # wlsxWlanStationTable (by MAC) and wlsxUserTable (by MAC + IPv4)
        idx = index_of(st.mac)
        rec.octets(WLSX_STATION + (2,) + idx, st.bssid)
        rec.int(WLSX_STATION + (7,) + idx, st.ssid.vlan)
        rec.text(WLSX_STATION + (12,) + idx, st.ssid.ssid)
        rec.int(WLSX_STATION + (14,) + idx, st.rssi)
        user = idx + tuple(int(part) for part in st.ip.split("."))
        rec.text(WLSX_USER + (3,) + user, st.user)
        rec.octets(WLSX_USER + (11,) + user, st.bssid)
        rec.int(WLSX_USER + (22,) + user, st.ssid.vlan)
    for totals in (WLSX_WLAN_TOTALS, WLSX_SWITCH_TOTALS):
        rec.gauge(totals + (1, 0), len(w.up_aps))
        rec.gauge(totals + (2, 0), len(w.stations))


def aruba_health(rec: Records, node: str) -> None:
    """WLSX-SYSTEMEXT-MIB processor and memory tables (KB)."""
    sysx = ARUBA + (2, 2, 1, 2, 1)
    rec.text(sysx + (13, 1, 2, 1), "Network Processor CPU")
    rec.wobbling(sysx + (13, 1, 3, 1), "2", digest("cpu", node) % 25 + 3, 3)
    rec.int(sysx + (15, 1, 2, 1), 3_932_160)
    rec.wobbling(sysx + (15, 1, 3, 1), "2", 1_900_000, 20_000)
    rec.wobbling(sysx + (15, 1, 4, 1), "2", 2_032_160, 20_000)


OBJECT_IDS = {"7210": "1.3.6.1.4.1.14823.1.1.32", "7220": "1.3.6.1.4.1.14823.1.1.33", "7240": "1.3.6.1.4.1.14823.1.1.34"}
SNMP = SnmpProfile(
    descr=lambda model: f"ArubaOS (MODEL: Aruba{model.removeprefix('Aruba')}), Version 8.10.0.12 (90188)",
    default_model="7210",
    object_ids=OBJECT_IDS | {f"Aruba{model}": oid for model, oid in OBJECT_IDS.items()},  # netops-model 7210 or Aruba7210
    default_object_id="1.3.6.1.4.1.14823.1.1.32",
    services=72,
    health=aruba_health,
    controller_mibs=add_aruba_wireless,
    ap_model="AP-515",
)
