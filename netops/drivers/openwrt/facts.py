"""OpenWrt facts: ``cat /etc/openwrt_release``, ``ubus call system board`` and ``ubus call system info``.

Sources (OpenWrt documentation): /etc/openwrt_release is a shell file of ``DISTRIB_*='...'`` assignments
(package base-files; DISTRIB_RELEASE is the release, e.g. "23.05.3", DISTRIB_REVISION the build);
``ubus call system board`` prints JSON with "hostname", "model", "board_name" and "release" {"version",
"revision", "target", ...}; ``ubus call system info`` prints JSON with "uptime" in seconds (OpenWrt
technical reference, "ubus (OpenWrt micro bus architecture)", the ``system`` object's ``board`` and ``info``
methods). No ntc-templates template exists: both are read here. OpenWrt reports no serial number or
reload reason.
"""

from __future__ import annotations

import json
import re
from typing import Any

from netops.drivers.base import FactsSpec
from netops.model import DeviceFacts

RELEASE, BOARD, INFO = "cat /etc/openwrt_release", "ubus call system board", "ubus call system info"

_ASSIGNMENT = re.compile(r"""^\s*([A-Z_][A-Z0-9_]*)=(?:'([^']*)'|"([^"]*)"|(\S*))\s*$""")


def shell_variables(output: str) -> dict[str, str]:
    """``KEY='value'`` lines (single, double or no quotes) as a dict; other lines are skipped."""
    found: dict[str, str] = {}
    for line in (output or "").splitlines():
        match = _ASSIGNMENT.match(line)
        if match:
            found[match.group(1)] = next((g for g in match.groups()[1:] if g is not None), "")
    return found


def json_object(output: str) -> dict[str, Any]:
    """The JSON object in ``output`` (from its first "{" to its last "}"), {} when there is none."""
    text = output or ""
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        return {}
    try:
        value = json.loads(text[start:end + 1])
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def parse(outputs: dict[str, str]) -> DeviceFacts:
    release = shell_variables(outputs.get(RELEASE, ""))
    board = json_object(outputs.get(BOARD, ""))
    nested = board.get("release")
    board_release: dict[str, Any] = nested if isinstance(nested, dict) else {}
    uptime = json_object(outputs.get(INFO, "")).get("uptime")
    version = release.get("DISTRIB_RELEASE", "") or _text(board_release.get("version"))
    return DeviceFacts(
        vendor="OpenWrt",
        model=_text(board.get("model")),
        os_name="OpenWrt" if version else "",
        os_version=version,
        uptime_s=uptime if isinstance(uptime, int) and not isinstance(uptime, bool) and uptime >= 0 else None,
        hostname=_text(board.get("hostname")),
    )


SPEC = FactsSpec(commands=(RELEASE, BOARD, INFO), parser=parse)
