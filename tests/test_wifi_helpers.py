"""The shared parsing helpers: VLAN lists, trunk arithmetic, security levels, trees, redaction."""

from __future__ import annotations

import re

import pytest

from netops.parsing.security import classify
from netops.parsing.tokens import redact, split_words
from netops.parsing.tree import bang_tree, ios_tree
from netops.parsing.vlans import apply_allowed, parse_vlan_list, resolve_vlans


@pytest.mark.parametrize(
    ("text", "expected"),
    [("20", [20]), ("20,110-112", [20, 110, 111, 112]), ("900 20", [20, 900]), ("5,5,4-5", [4, 5]), ("4094", [4094])],
)
def test_vlan_lists_expand(text: str, expected: list[int]) -> None:
    assert parse_vlan_list(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "0", "4095", "10-5", "1-", "1,,x", "-3"])
def test_bad_vlan_lists_are_value_errors(text: str) -> None:
    with pytest.raises(ValueError):
        parse_vlan_list(text)


def test_trunk_allowed_arithmetic() -> None:
    allowed = apply_allowed(set(range(1, 4095)), ["20,110"])
    assert allowed == {20, 110}
    allowed = apply_allowed(allowed, ["add", "30-31"])
    assert allowed == {20, 30, 31, 110}
    allowed = apply_allowed(allowed, ["remove", "31"])
    assert allowed == {20, 30, 110}
    assert apply_allowed(allowed, ["none"]) == set()
    assert len(apply_allowed(set(), ["all"])) == 4094
    assert apply_allowed(set(), ["except", "1-4093"]) == {4094}
    with pytest.raises(ValueError):
        apply_allowed(allowed, ["add"])


def test_vlan_names_resolve_and_unknown_names_fail() -> None:
    assert resolve_vlans("staff", {"staff": [110]}) == [110]
    assert resolve_vlans("pool", {"pool": [131, 130]}) == [130, 131]
    assert resolve_vlans("110,120", {}) == [110, 120]
    with pytest.raises(ValueError, match="not defined"):
        resolve_vlans("ghost", {})


@pytest.mark.parametrize(
    ("akm", "pmf", "flags", "expected"),
    [
        ([], "disabled", {}, "open"),
        ([], "disabled", {"wep": True}, "wep"),
        (["owe"], "required", {}, "owe"),
        (["psk"], "disabled", {}, "wpa2-psk"),
        (["psk"], "disabled", {"wpa1": True}, "wpa-psk"),
        (["dot1x"], "disabled", {"wpa1": True}, "wpa-enterprise"),
        (["dot1x", "psk"], "disabled", {}, "wpa2-psk"),
        (["dot1x"], "required", {}, "wpa2-enterprise"),
        (["dot1x", "ft-dot1x"], "disabled", {}, "wpa2-enterprise"),
        (["sae"], "required", {}, "wpa3-sae"),
        (["ft-sae"], "required", {}, "wpa3-sae"),
        (["psk", "sae"], "optional", {}, "wpa3-sae-transition"),
        (["dot1x-sha256"], "required", {}, "wpa3-enterprise"),
        (["dot1x"], "required", {"wpa3": True}, "wpa3-enterprise"),
        (["dot1x", "dot1x-sha256"], "optional", {}, "wpa3-enterprise-transition"),
        (["suite-b-192"], "required", {}, "wpa3-enterprise-192"),
    ],
)
def test_security_levels(akm: list[str], pmf: str, flags: dict, expected: str) -> None:
    assert classify(akm, pmf, **flags) == expected


def test_words_honour_double_quotes_only() -> None:
    assert split_words('wlan create 3 "JKS Staff" it\'s') == ["wlan", "create", "3", "JKS Staff", "it's"]
    with pytest.raises(ValueError):
        split_words('essid "unterminated')


@pytest.mark.parametrize(
    "line",
    [
        "security wpa psk set-key ascii 0 secret with spaces",
        'wpa-passphrase "secret with spaces"',
        "option key 'secret with spaces'",
        "wlan security wpa akm psk set-key ascii secret with spaces 3",
    ],
)
def test_redaction_drops_the_rest_of_the_line(line: str) -> None:
    assert "secret" not in redact(line)


def test_bang_tree_accepts_stripped_and_indented_blocks() -> None:
    header = re.compile(r"^wlan ")
    indented = 'vlan 110\nwlan ssid-profile "A"\n   essid "x"\n   opmode wpa2-aes\n!\nvlan 120\n'
    stripped = 'vlan 110\nwlan ssid-profile "A"\nessid "x"\nopmode wpa2-aes\n!\nvlan 120\n'
    for text in (indented, stripped):
        roots = bang_tree(text, header)
        assert [(n.line, n.text) for n in roots] == [(1, "vlan 110"), (2, 'wlan ssid-profile "A"'), (6, "vlan 120")]
        assert [(c.line, c.text) for c in roots[1].children] == [(3, 'essid "x"'), (4, "opmode wpa2-aes")]
    # an indented block without a closing "!" ends at the next unindented line
    roots = bang_tree('wlan virtual-ap "V"\n   vlan 5\nvlan 6\n', header)
    assert [n.text for n in roots] == ['wlan virtual-ap "V"', "vlan 6"]


def test_ios_tree_keeps_true_line_numbers_and_skips_banners() -> None:
    text = (
        "Building configuration...\n"
        "\n"
        "banner motd ^C\n"
        "interface Looks-Like-Config\n"
        " but is banner text\n"
        "^C\n"
        "!\n"
        "interface Vlan20\n"
        " !\n"
        "\n"
        " ip address 10.0.0.1 255.255.255.0\n"
        "  ip helper-address 10.0.0.9\n"
        " shutdown\n"
        "end\n"
    )
    roots = ios_tree(text)
    assert [(n.line, n.text) for n in roots] == [
        (1, "Building configuration..."), (3, "banner motd ^C"), (8, "interface Vlan20"), (14, "end"),
    ]
    svi = roots[2]
    assert [(c.line, c.text) for c in svi.children] == [(11, "ip address 10.0.0.1 255.255.255.0"), (13, "shutdown")]
    assert [(c.line, c.text) for c in svi.children[0].children] == [(12, "ip helper-address 10.0.0.9")]
