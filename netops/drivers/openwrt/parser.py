"""OpenWrt parser: ``uci export`` (wireless + network) or ``/etc/config/wireless`` text.

One WLAN per ``wifi-iface`` in AP mode. ``encryption`` (with optional cipher
suffix such as ``psk2+ccmp``) gives AKMs and ciphers the way OpenWrt's
hostapd.sh does (default cipher CCMP, GCMP-256 for ``wpa3-192``);
``ieee80211w`` defaults to 2 (required) for ``sae``, ``owe``, ``wpa3`` and
``wpa3-192``, to 1 for ``sae-mixed`` and ``wpa3-mixed``, else 0. VLANs come from
``network`` → ``config interface`` → its device: a ``config device`` with
``vid``, a ``NAME.VID`` device (e.g. ``br-lan.110`` over ``bridge-vlan``), or a
bridge whose ports carry VLANs; an untagged network has no VLAN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netops.drivers.openwrt.uci import Section, read
from netops.model import ParsedConfig, ParseIssue, Pmf, Wlan
from netops.parsing.security import AKMS, CIPHERS, classify, ordered
from netops.parsing.tokens import is_number


@dataclass(frozen=True)
class _Encryption:
    akm: tuple[str, ...]
    pmf: Pmf = "disabled"
    wpa1: bool = False
    wep: bool = False
    wpa3: bool = False
    cipher: str = "ccmp-128"


PLATFORM = "openwrt"
_ENCRYPTION: dict[str, _Encryption] = {
    "none": _Encryption(()),
    "owe": _Encryption(("owe",), "required"),
    "wep": _Encryption((), wep=True, cipher="wep"),
    "wep-open": _Encryption((), wep=True, cipher="wep"),
    "wep-shared": _Encryption((), wep=True, cipher="wep"),
    "psk": _Encryption(("psk",), wpa1=True),
    "psk2": _Encryption(("psk",)),
    "psk-mixed": _Encryption(("psk",), wpa1=True),
    "sae": _Encryption(("sae",), "required"),
    "sae-mixed": _Encryption(("psk", "sae"), "optional"),
    "wpa": _Encryption(("dot1x",), wpa1=True),
    "wpa2": _Encryption(("dot1x",)),
    "wpa-mixed": _Encryption(("dot1x",), wpa1=True),
    "wpa3": _Encryption(("dot1x-sha256",), "required", wpa3=True),
    "wpa3-mixed": _Encryption(("dot1x", "dot1x-sha256"), "optional", wpa3=True),
    "wpa3-192": _Encryption(("suite-b-192",), "required", wpa3=True, cipher="gcmp-256"),
}
_CIPHER_SUFFIX = {"ccmp": ["ccmp-128"], "aes": ["ccmp-128"], "tkip": ["tkip"], "ccmp256": ["ccmp-256"],
                  "gcmp": ["gcmp-128"], "gcmp256": ["gcmp-256"], "open": [], "shared": []}
_IEEE80211W: dict[str, Pmf] = {"0": "disabled", "1": "optional", "2": "required"}
_BAND = {"2g": "2.4", "5g": "5", "6g": "6", "60g": "60"}
_HWMODE = {"11b": "2.4", "11g": "2.4", "11a": "5", "11ad": "60"}
_TRUE = {"1", "on", "true", "yes", "enabled"}
_FALSE = {"0", "off", "false", "no", "disabled"}
# wifi-iface options that exist but do not feed the model (secrets are never read)
_IGNORED = {
    "device", "mode", "key", "key1", "key2", "key3", "key4", "ifname", "macaddr", "wds", "wmm", "maxassoc", "macfilter",
    "maclist", "disassoc_low_ack", "ieee80211k", "ieee80211v", "bss_transition", "auth_server", "auth_port",
    "auth_secret", "acct_server", "acct_port", "acct_secret", "dynamic_vlan", "vlan_tagged_interface", "vlan_bridge",
    "vlan_naming", "nasid", "mobility_domain", "ft_over_ds", "ft_psk_generate_local", "reassociation_deadline",
    "r0kh", "r1kh", "r1_key_holder", "pmk_r1_push", "ieee80211w_max_timeout", "ieee80211w_retry_timeout",
    "wpa_group_rekey", "wpa_disable_eapol_key_retries", "rsn_preauth", "sae_pwe", "sae_password", "owe_transition_ifname",
    "owe_transition_ssid", "owe_transition_bssid", "multicast_to_unicast", "short_preamble", "max_listen_interval",
    "dtim_period", "skip_inactivity_poll", "max_inactivity", "proxy_arp", "time_advertisement", "wnm_sleep_mode",
    "ocv", "beacon_protection", "uapsd", "doth", "multi_ap", "ssid_hidden", "wpa_psk_file", "utf8_ssid", "iw_enabled",
    "hs20", "network_vlan", "start_disabled", "default_disabled", "eap_type", "auth", "identity", "password",
    "ca_cert", "client_cert", "priv_key", "priv_key_pwd", "domain_suffix_match", "mcast_rate", "rates", "basic_rate",
}


def parse(text: str, host: str = "") -> ParsedConfig:
    result = ParsedConfig(host=host, platform=PLATFORM)
    sections, issues = read(text)
    result.issues.extend(issues)
    radios = {s.name: s for s in sections if s.type == "wifi-device"}
    devices = {s.options.get("name", s.name): s for s in sections if s.type == "device"}
    interfaces = {s.name: s for s in sections if s.type == "interface"}
    has_network = bool(interfaces or devices)
    for name, iface in interfaces.items():
        vlans = _interface_vlans(iface, devices)
        if len(vlans) == 1:
            result.vlan_names[name] = vlans[0]
    for section in sections:
        if section.type == "wifi-iface" and section.options.get("mode", "ap") == "ap":
            wlan = _wlan(section, radios, interfaces, devices, has_network, host, result.issues)
            if wlan is not None:
                result.wlans.append(wlan)
    result.issues.sort(key=lambda i: i.line)
    return result


def _flag(section: Section, key: str, issues: list[ParseIssue]) -> bool:
    value = section.options.get(key, "0").lower()
    if value in _TRUE:
        return True
    if value not in _FALSE:
        issues.append(section.issue(key, f"{key} must be 0 or 1"))
    return False


def _wlan(
    section: Section,
    radios: dict[str, Section],
    interfaces: dict[str, Section],
    devices: dict[str, Section],
    has_network: bool,
    host: str,
    issues: list[ParseIssue],
) -> Wlan | None:
    handled = {"ssid", "encryption", "ieee80211w", "ieee80211r", "hidden", "isolate", "disabled", "network"}
    for key in section.options.keys() | section.lists.keys():
        if key not in handled and key not in _IGNORED:
            issues.append(section.issue(key, f"unrecognised wifi-iface option {key!r}"))
    if "ssid" not in section.options:
        issues.append(section.issue(None, "wifi-iface has no ssid"))
    encryption = section.options.get("encryption", "none")
    base, *suffixes = encryption.split("+")
    enc = _ENCRYPTION.get(base)
    if enc is None or any(s not in _CIPHER_SUFFIX for s in suffixes):
        issues.append(section.issue("encryption", f"unknown encryption {encryption!r}"))
        return None
    ciphers = [c for s in suffixes for c in _CIPHER_SUFFIX[s]] or ([enc.cipher] if enc.akm or enc.wep else [])
    pmf = enc.pmf
    if "ieee80211w" in section.options:
        value = section.options["ieee80211w"]
        if value in _IEEE80211W:
            pmf = _IEEE80211W[value]
        else:
            issues.append(section.issue("ieee80211w", "ieee80211w must be 0, 1 or 2"))
    radio = radios.get(section.options.get("device", ""))
    if radio is None and radios:
        issues.append(section.issue("device" if "device" in section.options else None, "wifi-iface names no defined radio"))
    vlans: set[int] = set()
    for network in section.values("network"):
        if network in interfaces:
            vlans.update(_interface_vlans(interfaces[network], devices))
        elif has_network:
            issues.append(section.issue("network", f"network {network!r} is not defined"))
    disabled = _flag(section, "disabled", issues) or (radio is not None and _flag(radio, "disabled", issues))
    akm = ordered(enc.akm, AKMS)
    return Wlan(
        host=host,
        platform=PLATFORM,
        profile=section.name,
        ssid=section.options.get("ssid", ""),
        enabled=not disabled,
        security=classify(akm, pmf, wpa3=enc.wpa3, wpa1=enc.wpa1, wep=enc.wep),
        akm=akm,
        ciphers=ordered(ciphers, CIPHERS),
        pmf=pmf,
        vlans=sorted(vlans),
        client_isolation=_flag(section, "isolate", issues),
        hidden=_flag(section, "hidden", issues),
        fast_transition=_flag(section, "ieee80211r", issues),
        bands=_bands(radio),
        line=section.line,
    )


def _bands(radio: Section | None) -> list[str]:
    if radio is None:
        return []
    if "band" in radio.options:
        band = _BAND.get(radio.options["band"])
    else:
        band = _HWMODE.get(radio.options.get("hwmode", ""))
    return [band] if band else []


def _interface_vlans(iface: Section, devices: dict[str, Section]) -> list[int]:
    names = iface.values("device") or iface.values("ifname")
    vlans: set[int] = set()
    for name in names:
        vlans.update(_device_vlans(name, devices, set()))
    return sorted(vlans)


def _device_vlans(name: str, devices: dict[str, Section], seen: set[str]) -> set[int]:
    if name in seen:
        return set()
    seen.add(name)
    device = devices.get(name)
    if device is not None and is_number(device.options.get("vid", "")):
        return {int(device.options["vid"])}
    match = re.search(r"\.(\d{1,9})$", name)
    if match:
        return {int(match.group(1))}
    if device is not None and device.options.get("type") == "bridge":
        return {v for port in device.values("ports") for v in _device_vlans(port, devices, seen)}
    return set()
