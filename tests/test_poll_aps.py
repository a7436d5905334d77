"""A controller-managed AP's poll result: what its controller's sample says of it, and why when it cannot say."""

from __future__ import annotations

import pytest

from netops.results import Status
from netops.services.poll import ap_result
from netops.snmp.sample import ApSample, DeviceSample
from netops.snmp.targets import ControllerManaged

AP = ControllerManaged("jmu-ap-1", "jammu", "jmu-wlc-1")


def controller(error: str | None = None, aps: list[ApSample] | None = None) -> DeviceSample:
    return DeviceSample("jmu-wlc-1", "cisco_xe", "jammu", "wlc", 1_800_000_000.0, reachable=error is None, error=error,
                        aps=aps)


@pytest.mark.parametrize(("ap", "polled", "sample", "status", "reason"), [
    (AP, True, controller(aps=[ApSample("jmu-ap-1", "up", "C9120AXI-D", 7)]), Status.OK, None),
    (AP, True, controller(aps=[ApSample("jmu-ap-1", "down")]), Status.FAILED, "down according to its controller jmu-wlc-1"),
    (AP, True, controller(aps=[ApSample("jmu-ap-2", "up")]), Status.FAILED, "its controller jmu-wlc-1 does not list it"),
    (AP, True, controller(error="No SNMP response"), Status.FAILED, "state unknown: its controller jmu-wlc-1 failed"),
    (AP, True, None, Status.FAILED, "no answer from its controller jmu-wlc-1"),
    (AP, False, None, Status.SKIPPED, "jmu-wlc-1, which has no SNMP target"),
    (ControllerManaged("lonely-ap", "jammu", None), False, None, Status.SKIPPED, "no controller in the inventory"),
])
def testap_result(ap, polled, sample, status, reason) -> None:
    result = ap_result(ap, polled, sample)
    assert result.status is status
    assert (result.reason is None) if reason is None else (reason in (result.reason or "")), result.reason
    assert result.to_dict()["controller"] == ap.controller
    if status is Status.OK:
        assert result.to_dict()["clients"] == 7 and result.to_dict()["ap_status"] == "up"
