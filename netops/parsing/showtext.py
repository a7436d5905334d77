"""Small readers the drivers' facts and state parsers share: template records that never raise,
uptimes in the devices' words, numbers, MAC addresses and VLAN lists.

Every function here takes whatever a device printed (or a lab, or garbage) and gives what it could read:
an empty result, never an exception.
"""

from __future__ import annotations

import re
from typing import Any

from ntc_templates.parse import parse_output

Row = dict[str, Any]

_UNIT_SECONDS = (
    (re.compile(r"^y(?:ears?|rs?)?$"), 365 * 86400),
    (re.compile(r"^mo(?:nths?)?$"), 30 * 86400),
    (re.compile(r"^w(?:eeks?|ks?)?$"), 7 * 86400),
    (re.compile(r"^d(?:ays?)?$"), 86400),
    (re.compile(r"^h(?:ours?|rs?)?$"), 3600),
    (re.compile(r"^m(?:in(?:ute)?s?)?$"), 60),
    (re.compile(r"^s(?:ec(?:ond)?s?)?$"), 1),
)
_UPTIME_PART = re.compile(r"(\d+)\s*([A-Za-z]+)")
_MAC_HEX = re.compile(r"[^0-9a-fA-F]")
_BANNER = re.compile(r"^\s*ArubaOS \(MODEL: ([^)]*)\), Version (\S+)", re.M)
_UPTIME = re.compile(r"^\s*(?:Switch|Controller|AP) uptime is (.+)$", re.M | re.I)
_REBOOT = re.compile(r"^\s*Reboot (?:Time and )?Cause:\s*(.+?)\s*$", re.M | re.I)


MAX_DIGITS = 30  # longer digit runs are no number a device counts (a 64-bit counter has 20 digits)
MAX_LINE = 2048  # longer than any line of a show table; the templates' regexes backtrack on longer ones


def template_input(output: str) -> str:
    """``output`` with each line cut to :data:`MAX_LINE` characters: a template's ``\\s+`` patterns take
    quadratic time on a line of thousands of blanks (minutes for 200,000), and no real table line is that long."""
    if len(output) <= MAX_LINE or all(len(line) <= MAX_LINE for line in output.splitlines()):
        return output
    return "\n".join(line[:MAX_LINE] for line in output.splitlines())


def records(platform: str, command: str, output: str) -> list[Row]:
    """The records of ntc-templates' template for ``platform``/``command``; none for an empty output,
    an output the template rejects, or a command without a template."""
    if not output or not output.strip():
        return []
    try:
        result = parse_output(platform=platform, command=command, data=template_input(output))
    except Exception:  # TextFSM raises many kinds (Error states, no template): nothing read
        return []
    return [r for r in result if isinstance(r, dict)]


def vlan_table(platform: str, command: str, output: str) -> dict[str, dict[str, Any]]:
    """A VLAN table read with the template's ``vlan_id`` / ``vlan_name`` / ``status`` fields, as the state's
    ``vlans`` feature: VLAN id as text -> name, status (lower case)."""
    found: dict[str, dict[str, Any]] = {}
    for row in records(platform, command, output):
        vid = to_int(row.get("vlan_id"))
        if vid is not None:
            found[str(vid)] = {"name": text(row.get("vlan_name")), "status": text(row.get("status")).lower()}
    return found


def first(rows: list[Row]) -> Row:
    """The first record, or an empty one."""
    return rows[0] if rows else {}


def text(value: Any) -> str:
    """A template value as stripped text (a list gives its first item)."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return "" if value is None else str(value).strip()


def to_int(value: Any) -> int | None:
    """The first whole number in ``value`` ("1000Mb/s" -> 1000), None when there is none."""
    match = re.search(r"\d+", text(value))
    return int(match.group()) if match and len(match.group()) <= MAX_DIGITS else None


def uptime_seconds(words: str) -> int | None:
    """An uptime as a device words it, in seconds: "2 years, 3 weeks, 1 day, 4 hours, 5 minutes",
    "109 days 16 hrs 33 mins 12 secs", "2d:17h:8m:4s"; None when nothing in it is a duration."""
    total, seen = 0, False
    for number, unit in _UPTIME_PART.findall(words or ""):
        if len(number) > MAX_DIGITS:  # not a count of anything; int() refuses 4,300 digits and more
            continue
        for pattern, seconds in _UNIT_SECONDS:
            if pattern.match(unit.lower()):
                total += int(number) * seconds
                seen = True
                break
    return total if seen else None


def cisco_mac(value: str) -> str:
    """A MAC address in Cisco's dotted form (``xxxx.xxxx.xxxx``), "" when ``value`` is none."""
    digits = _MAC_HEX.sub("", value or "").lower()
    if len(digits) != 12:
        return ""
    return f"{digits[0:4]}.{digits[4:8]}.{digits[8:12]}"


def vlan_list(spec: str) -> list[int]:
    """A VLAN list as switches print it ("1,10-12, 20" -> [1, 10, 11, 12, 20]); "none" and odd items give nothing."""
    found: set[int] = set()
    for item in re.split(r"[,\s]+", spec or ""):
        bounds = item.split("-")
        if any(len(b) > 4 for b in bounds):  # not a VLAN id (int() refuses 4,300 digits and more)
            continue
        if len(bounds) == 1 and bounds[0].isdigit():
            found.add(int(bounds[0]))
        elif len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            low, high = int(bounds[0]), int(bounds[1])
            if low <= high <= 4095:
                found.update(range(low, high + 1))
    return sorted(v for v in found if 0 < v < 4096)


def dashed_table(output: str) -> list[dict[str, str]]:
    """The rows of the first fixed-width table in ``output`` whose header is underlined with dashes
    (``Name  IP Address`` over ``----  ----------``): each row as {header: cell}, cells cut at the columns
    the dashes start; a row ends at the first blank line after it."""
    lines = (output or "").splitlines()
    for index in range(1, len(lines)):
        dashes = lines[index]
        if not re.fullmatch(r"\s*-+(?:\s+-+)+\s*", dashes):
            continue
        starts = [m.start() for m in re.finditer(r"-+", dashes)]
        header = lines[index - 1]
        names = [header[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=False)]
        if not names or not names[0]:
            continue
        rows = []
        for line in lines[index + 1:]:
            if not line.strip():
                break
            cells = [line[a:b].strip() if b is not None else line[a:].strip()
                     for a, b in zip(starts, [*starts[1:], None], strict=False)]
            rows.append(dict(zip(names, cells, strict=False)))
        return rows
    return []


def arubaos_banner(output: str) -> tuple[str, str, int | None, str]:
    """Model, version, uptime in seconds and reboot cause of an ArubaOS ``show version`` (AOS 8 or Instant)."""
    banner, uptime, reboot = _BANNER.search(output or ""), _UPTIME.search(output or ""), _REBOOT.search(output or "")
    return (
        banner.group(1).strip() if banner else "",
        banner.group(2).rstrip(",") if banner else "",
        uptime_seconds(uptime.group(1)) if uptime else None,
        reboot.group(1) if reboot else "",
    )
