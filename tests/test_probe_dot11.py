"""Classification of beacons generated with scapy, with known answers."""

from __future__ import annotations

import pytest
from scapy.layers.dot11 import AKMSuite, Dot11, Dot11Beacon, Dot11Elt, Dot11EltDSSSet, Dot11EltRSN, Dot11ProbeResp, RadioTap, RSNCipherSuite
from scapy.packet import Raw

from netops.probe.dot11 import survey


def beacon(bssid: str, ssid: str, *, akms=(), pmf=(0, 0), privacy=True, channel=6, ciphers=(4,), extra=b"", probe=False):
    mgmt = Dot11ProbeResp(cap="ESS+privacy" if privacy else "ESS") if probe else Dot11Beacon(cap="ESS+privacy" if privacy else "ESS")
    frame = RadioTap() / Dot11(type=0, subtype=5 if probe else 8, addr1="ff:ff:ff:ff:ff:ff", addr2=bssid, addr3=bssid) / mgmt
    frame = frame / Dot11Elt(ID="SSID", info=ssid) / Dot11EltDSSSet(channel=channel)
    if akms:
        frame = frame / Dot11EltRSN(
            pairwise_cipher_suites=[RSNCipherSuite(cipher=c) for c in ciphers],
            akm_suites=[AKMSuite(suite=a) for a in akms],
            mfp_capable=pmf[0],
            mfp_required=pmf[1],
        )
    if extra:
        frame = frame / Raw(extra)
    return frame


WPA1_IE = Dot11Elt(ID=221, info=bytes.fromhex("0050f201" "0100" "0050f202" "0100" "0050f202" "0100" "0050f202"))

CASES = [
    (beacon("00:11:22:00:00:01", "JKS-Staff", akms=[5], pmf=(1, 1)), "wpa3-enterprise", "required", ["dot1x-sha256"]),
    (beacon("00:11:22:00:00:02", "JKS-Staff", akms=[1, 5], pmf=(1, 0)), "wpa3-enterprise-transition", "optional", ["dot1x", "dot1x-sha256"]),
    (beacon("00:11:22:00:00:03", "JKS-Staff", akms=[12], pmf=(1, 1), ciphers=[9]), "wpa3-enterprise-192", "required", ["suite-b-192"]),
    (beacon("00:11:22:00:00:04", "JKS-Guest", akms=[18], pmf=(1, 1)), "owe", "required", ["owe"]),
    (beacon("00:11:22:00:00:05", "JKS-IoT", akms=[8], pmf=(1, 1)), "wpa3-sae", "required", ["sae"]),
    (beacon("00:11:22:00:00:06", "JKS-IoT", akms=[2, 8], pmf=(1, 0)), "wpa3-sae-transition", "optional", ["psk", "sae"]),
    (beacon("00:11:22:00:00:07", "Cafe", akms=[2]), "wpa2-psk", "disabled", ["psk"]),
    (beacon("00:11:22:00:00:08", "Corp", akms=[1]), "wpa2-enterprise", "disabled", ["dot1x"]),
    (beacon("00:11:22:00:00:09", "Old", privacy=True), "wep", "disabled", []),
    (beacon("00:11:22:00:00:0a", "Free", privacy=False), "open", "disabled", []),
    (beacon("00:11:22:00:00:0b", "Legacy", privacy=True) / WPA1_IE, "wpa-psk", "disabled", ["psk"]),
    (beacon("00:11:22:00:00:0c", "JKS-Staff", akms=[5], pmf=(1, 1), probe=True), "wpa3-enterprise", "required", ["dot1x-sha256"]),
]


@pytest.mark.parametrize("frame,security,pmf,akm", CASES, ids=[c[1] + "-" + c[0].addr3[-2:] for c in CASES])
def test_classifies_security_and_pmf(frame, security, pmf, akm):
    (network,) = survey([frame])
    assert (network.security, network.pmf, network.akm) == (security, pmf, akm)
    assert network.channel == 6
    assert not network.notes


def test_hidden_ssid_and_frame_count():
    frames = [beacon("00:11:22:00:00:10", "", akms=[8], pmf=(1, 1))] * 3 + [
        beacon("00:11:22:00:00:11", "\x00\x00\x00", akms=[8], pmf=(1, 1))
    ]
    first, second = survey(frames)
    assert first.hidden and first.ssid == "" and first.frames == 3
    assert second.hidden


def test_malformed_element_is_noted_not_raised():
    frame = beacon("00:11:22:00:00:20", "JKS-Guest", privacy=False, extra=b"\x30\x40\x01\x00")
    (network,) = survey([frame])
    assert network.ssid == "JKS-Guest"
    assert network.notes and "truncated" in network.notes[0]


@pytest.mark.parametrize("trailer", [b"\x00\x00", b"\x00\x05ab", b"\xdd\x09\x00P\xf2"], ids=["empty-ssid", "cut-ssid", "cut-vendor"])
@pytest.mark.matrix("802.11 frames", "scapy beacons with a trailing empty or cut element")
def test_a_malformed_trailer_keeps_the_first_ssid(trailer):
    """Seen in real captures: a frame whose last element is another (empty or cut) SSID element or a cut
    vendor element still names the network of its first SSID element."""
    (network,) = survey([beacon("00:11:22:00:00:22", "JKS-Staff", akms=[5], pmf=(1, 1), extra=trailer)])
    assert (network.ssid, network.hidden, network.security) == ("JKS-Staff", False, "wpa3-enterprise")


def test_truncated_rsn_suite_list_is_noted():
    bad_rsn = Dot11Elt(ID=48, info=bytes.fromhex("0100" "000fac04" "0200" "000fac04"))
    frame = beacon("00:11:22:00:00:21", "JKS-Staff") / bad_rsn
    (network,) = survey([frame])
    assert network.notes and "truncated" in network.notes[0]


def test_non_beacon_frames_are_ignored():
    data = RadioTap() / Dot11(type=2, subtype=0, addr1="00:00:00:00:00:01", addr2="00:00:00:00:00:02")
    assert survey([data, Raw(b"junk")]) == []
